import {
  GRID,
  MUTED,
  esc,
  legend,
  line,
  niceTicks,
  px,
  shortNumber,
  svgDocument,
  text,
} from './svg.ts';

export const LINE_CHART_SIZE = { width: 720, height: 340 } as const;

export interface Series {
  name: string;
  color: string;
  /** One value per epoch of `epochs`; null (or a non-finite number) leaves a gap. */
  values: readonly (number | null)[];
}

/** The rate changed after `epoch` (ReduceLROnPlateau): epoch + 1 trained with `to`. */
export interface LrMark {
  epoch: number;
  from: number;
  to: number;
}

export interface LineChartInput {
  title: string;
  yLabel: string;
  epochs: readonly number[];
  series: readonly Series[];
  marks: readonly LrMark[];
  /** Axis labels as percentages (accuracy). */
  percent?: boolean;
}

const M = { left: 60, right: 24, top: 56, bottom: 48 };

/** Epoch curves with a dot per epoch (so a one-epoch run still shows), LR changes as dashed lines. */
export function lineChartSvg(input: LineChartInput): string {
  const { width, height } = LINE_CHART_SIZE;
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const finite = input.series.flatMap((s) =>
    s.values.filter((v): v is number => v !== null && Number.isFinite(v)),
  );
  const dataMax = finite.length ? Math.max(...finite) : 1;
  const yTicks = niceTicks(0, input.percent ? Math.min(1, Math.max(dataMax, 0.1)) : dataMax || 1);
  const yMax = yTicks.at(-1) ?? 1;
  const first = input.epochs[0] ?? 1;
  const last = input.epochs.at(-1) ?? first;
  // Half an epoch of padding each side keeps a single epoch off the axes.
  const x0 = first - 0.5;
  const x1 = last + 0.5;
  const xOf = (epoch: number) => M.left + ((epoch - x0) / (x1 - x0)) * plotW;
  const yOf = (value: number) => M.top + plotH - (value / yMax) * plotH;
  const label = (v: number) => (input.percent ? `${Math.round(v * 100)} %` : shortNumber(v));

  const parts: string[] = [];
  for (const tick of yTicks) {
    parts.push(line(M.left, yOf(tick), M.left + plotW, yOf(tick), `stroke="${GRID}"`));
    parts.push(text(M.left - 6, yOf(tick) + 4, label(tick), { 'text-anchor': 'end', fill: MUTED }));
  }
  const every = Math.max(1, Math.ceil(input.epochs.length / 12));
  input.epochs.forEach((epoch, i) => {
    if (i % every !== 0 && i !== input.epochs.length - 1) return;
    parts.push(
      text(xOf(epoch), M.top + plotH + 18, String(epoch), { 'text-anchor': 'middle', fill: MUTED }),
    );
  });
  parts.push(
    line(M.left, M.top + plotH, M.left + plotW, M.top + plotH, `stroke="${MUTED}"`),
    text(M.left + plotW / 2, height - 8, 'epoch', { 'text-anchor': 'middle', fill: MUTED }),
    text(16, M.top + plotH / 2, input.yLabel, {
      'text-anchor': 'middle',
      fill: MUTED,
      transform: `rotate(-90 16 ${px(M.top + plotH / 2)})`,
    }),
  );
  for (const mark of input.marks) {
    const x = xOf(mark.epoch + 0.5);
    parts.push(
      `<g class="lr-mark">` +
        line(x, M.top, x, M.top + plotH, `stroke="${MUTED}" stroke-dasharray="4 3"`) +
        text(x + 3, M.top + 11, `lr → ${shortNumber(mark.to)}`, { 'font-size': 10, fill: MUTED }) +
        `</g>`,
    );
  }
  for (const s of input.series) parts.push(seriesPath(s, input.epochs, xOf, yOf));
  parts.push(
    legend(M.left, 44, [
      ...input.series.map(({ name, color }) => ({ name, color })),
      ...(input.marks.length ? [{ name: 'learning-rate change', color: MUTED }] : []),
    ]),
  );
  return svgDocument(width, height, input.title, parts.join(''));
}

function seriesPath(
  s: Series,
  epochs: readonly number[],
  xOf: (e: number) => number,
  yOf: (v: number) => number,
): string {
  const segments: string[] = [];
  const dots: string[] = [];
  let pen = 'M';
  epochs.forEach((epoch, i) => {
    const v = s.values[i];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      pen = 'M';
      return;
    }
    segments.push(`${pen}${px(xOf(epoch))} ${px(yOf(v))}`);
    dots.push(`<circle cx="${px(xOf(epoch))}" cy="${px(yOf(v))}" r="3" fill="${s.color}"/>`);
    pen = 'L';
  });
  if (segments.length === 0) return '';
  return (
    `<g class="series" data-series="${esc(s.name)}">` +
    `<path d="${segments.join(' ')}" fill="none" stroke="${s.color}" stroke-width="2"/>` +
    `${dots.join('')}</g>`
  );
}
