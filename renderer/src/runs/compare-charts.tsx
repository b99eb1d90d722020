import { useMemo, useRef } from 'react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunDetail } from '../../../app/contract/index.ts';
import { useElementSize } from '../use-element-size.ts';

export const RUN_A_COLOR = '#4263eb';
export const RUN_B_COLOR = '#f08c00';
const HEIGHT = 220;

const METRICS = {
  loss: { title: 'Training loss', pick: (p: RunDetail['history'][number]) => p.loss },
  valAcc: { title: 'Validation accuracy', pick: (p: RunDetail['history'][number]) => p.valAcc },
} as const;

const round = (value: unknown) =>
  typeof value === 'number' ? Number(value.toPrecision(4)).toString() : String(value);
const percent = (value: unknown) => `${Math.round(Number(value) * 100)} %`;

/** One row per epoch with both runs' values, so the curves share an x axis. */
function mergeHistories(a: RunDetail, b: RunDetail, metric: keyof typeof METRICS) {
  const pick = METRICS[metric].pick;
  const epochs = Math.max(a.history.length, b.history.length);
  return Array.from({ length: epochs }, (_, i) => {
    const pa = a.history[i];
    const pb = b.history[i];
    return { epoch: i + 1, a: pa ? pick(pa) : null, b: pb ? pick(pb) : null };
  });
}

function CompareChart(props: { a: RunDetail; b: RunDetail; metric: keyof typeof METRICS }) {
  const { a, b, metric } = props;
  const boxRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(boxRef);
  const data = useMemo(() => mergeHistories(a, b, metric), [a, b, metric]);
  const format = metric === 'valAcc' ? percent : round;
  return (
    <figure
      className="metric-chart"
      ref={boxRef}
      data-testid={`compare-chart-${metric}`}
      data-epochs={data.length}
    >
      <figcaption className="card-title">{METRICS[metric].title}</figcaption>
      {width > 0 && (
        <LineChart
          width={width}
          height={HEIGHT}
          data={data}
          margin={{ top: 12, right: 20, bottom: 0, left: 4 }}
        >
          <CartesianGrid vertical={false} stroke="#e6e8eb" />
          <XAxis dataKey="epoch" type="number" allowDecimals={false} domain={[1, 'dataMax']} />
          <YAxis
            tickFormatter={format}
            width={52}
            {...(metric === 'valAcc' ? { domain: [0, 1] } : {})}
          />
          <Tooltip
            isAnimationActive={false}
            formatter={(value) => format(value)}
            labelFormatter={(x) => `epoch ${round(x)}`}
          />
          <Legend iconType="plainline" />
          {(['a', 'b'] as const).map((key) => (
            <Line
              key={key}
              dataKey={key}
              name={`run #${(key === 'a' ? a : b).id}`}
              stroke={key === 'a' ? RUN_A_COLOR : RUN_B_COLOR}
              strokeWidth={2}
              dot={{ r: 3, fill: key === 'a' ? RUN_A_COLOR : RUN_B_COLOR }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      )}
    </figure>
  );
}

export function CompareCharts(props: { a: RunDetail; b: RunDetail }) {
  return (
    <div className="compare-charts">
      <CompareChart a={props.a} b={props.b} metric="loss" />
      <CompareChart a={props.a} b={props.b} metric="valAcc" />
    </div>
  );
}
