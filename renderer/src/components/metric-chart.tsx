import { useMemo, useRef } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatNumber } from '../format.ts';
import type { BatchPoint, EpochPoint, LrMark } from '../store/live-run.ts';
import { useElementSize } from '../use-element-size.ts';

const SERIES = {
  loss: { train: 'loss', val: 'valLoss', ema: 'lossEma', title: 'Loss' },
  acc: { train: 'acc', val: 'valAcc', ema: 'accEma', title: 'Accuracy' },
} as const;

export const TRAIN_COLOR = '#4263eb';
export const VAL_COLOR = '#f08c00';
const HEIGHT = 230;
const NO_BATCHES: BatchPoint[] = [];

const STEPS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 25, 50, 100];

/** Round ticks from 0 that just cover `max` (recharts' own pick gives 0.55, 1.65…). */
export function lossTicks(max: number): number[] {
  let best: { step: number; count: number } | null = null;
  for (const step of STEPS) {
    for (const count of [4, 5]) {
      if (step * count >= max && (!best || step * count < best.step * best.count)) {
        best = { step, count };
      }
    }
  }
  const { step, count } = best ?? { step: Math.ceil(max / 4), count: 4 };
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(6)));
}

const percent = (value: number) => `${Math.round(value * 100)} %`;
const round = (value: unknown) =>
  typeof value === 'number' ? Number(value.toPrecision(4)).toString() : String(value);

export interface MetricChartProps {
  metric: keyof typeof SERIES;
  epochPoints: readonly EpochPoint[];
  lrMarks: readonly LrMark[];
  /** Per-batch points (live runs only). */
  batchPoints?: readonly BatchPoint[];
  /** Planned epochs, so the x axis does not rescale every epoch. */
  epochs?: number | null;
  testId: string;
}

/** Batches (raw, faint, and smoothed) and epochs (train and validation) on one axis measured in epochs. */
export function MetricChart(props: MetricChartProps) {
  const { metric, epochPoints, lrMarks, testId } = props;
  const batchPoints = props.batchPoints ?? NO_BATCHES;
  const series = SERIES[metric];
  const boxRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(boxRef);
  const epochData = useMemo(() => epochPoints.map((p) => ({ ...p, x: p.epoch })), [epochPoints]);
  const hasVal = epochPoints.some((p) => p[series.val] !== null);
  const lastX = Math.max(batchPoints.at(-1)?.x ?? 0, epochPoints.at(-1)?.epoch ?? 0, 1);
  const maxX = Math.max(props.epochs ?? 0, lastX);
  const tickFormatter = metric === 'acc' ? percent : round;
  const ticks = useMemo(() => {
    if (metric === 'acc') return [0, 0.25, 0.5, 0.75, 1];
    // ln 7 ≈ 1.95 is where a 7-class model starts.
    let max = batchPoints.length + epochPoints.length > 0 ? 0 : 2;
    for (const p of batchPoints) max = Math.max(max, p.loss);
    for (const p of epochPoints) max = Math.max(max, p.loss, p.valLoss ?? 0);
    return lossTicks(max);
  }, [metric, batchPoints, epochPoints]);

  return (
    <figure
      className="metric-chart"
      ref={boxRef}
      data-testid={testId}
      data-batch-points={batchPoints.length}
      data-batch-from={batchPoints[0]?.x ?? ''}
      data-epoch-points={epochPoints.length}
      data-lr-marks={lrMarks.map((m) => m.epoch).join(' ')}
    >
      <figcaption className="card-title">{series.title}</figcaption>
      {width > 0 && (
        <LineChart
          width={width}
          height={HEIGHT}
          margin={{ top: 12, right: 20, bottom: 0, left: 4 }}
        >
          <CartesianGrid vertical={false} stroke="#e6e8eb" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[0, maxX]}
            allowDecimals={false}
            tickLine={false}
            axisLine={{ stroke: '#ced4da' }}
            label={{ value: 'epoch', position: 'insideBottomRight', offset: -2, fontSize: 11 }}
          />
          <YAxis
            domain={[0, ticks.at(-1) ?? 1]}
            ticks={ticks}
            tickFormatter={tickFormatter}
            tickLine={false}
            axisLine={false}
            width={52}
          />
          <Tooltip
            isAnimationActive={false}
            formatter={(value) => (metric === 'acc' ? percent(Number(value)) : round(value))}
            labelFormatter={(x) => `epoch ${round(x)}`}
          />
          {/* Nothing drawn yet (an imported run, a run not started): no key to lines that are not there. */}
          {batchPoints.length + epochPoints.length > 0 && <Legend iconType="plainline" />}
          {lrMarks.map((mark) => (
            <ReferenceLine
              key={mark.epoch}
              x={mark.epoch}
              stroke="#868e96"
              strokeDasharray="4 3"
              label={{
                value: `lr → ${formatNumber(mark.to)}`,
                position: 'insideTopLeft',
                fontSize: 10,
                fill: '#667080',
              }}
            />
          ))}
          {batchPoints.length > 0 && (
            <Line
              data={batchPoints as BatchPoint[]}
              dataKey={series.train}
              name="batch"
              stroke={TRAIN_COLOR}
              strokeOpacity={0.2}
              dot={false}
              isAnimationActive={false}
              legendType="none"
            />
          )}
          {batchPoints.length > 0 && (
            <Line
              data={batchPoints as BatchPoint[]}
              dataKey={series.ema}
              name="batch (smoothed)"
              stroke={TRAIN_COLOR}
              strokeWidth={1.5}
              dot={false}
              isAnimationActive={false}
            />
          )}
          <Line
            data={epochData}
            dataKey={series.train}
            name="train (epoch)"
            stroke={TRAIN_COLOR}
            strokeDasharray="5 3"
            dot={{ r: 3, fill: TRAIN_COLOR }}
            isAnimationActive={false}
          />
          {hasVal && (
            <Line
              data={epochData}
              dataKey={series.val}
              name="validation"
              stroke={VAL_COLOR}
              strokeWidth={2}
              dot={{ r: 3, fill: VAL_COLOR }}
              isAnimationActive={false}
            />
          )}
        </LineChart>
      )}
    </figure>
  );
}
