import { GRID, MUTED, legend, line, niceTicks, shortNumber, svgDocument, text } from './svg.ts';

export const BAR_CHART_SIZE = { width: 720, height: 340 } as const;

export interface BarGroup {
  name: string;
  color: string;
  /** One value per category. */
  values: readonly number[];
}

export interface BarChartInput {
  title: string;
  yLabel: string;
  categories: readonly string[];
  groups: readonly BarGroup[];
  /** Fixed top of the value axis (1 for F1); otherwise the data decide. */
  max?: number;
  /** Print each bar's value above it. */
  valueLabels?: (value: number) => string;
}

const M = { left: 60, right: 24, top: 56, bottom: 48 };

/** Bars per category, one per group side by side. */
export function barChartSvg(input: BarChartInput): string {
  const { width, height } = BAR_CHART_SIZE;
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const dataMax = Math.max(0, ...input.groups.flatMap((g) => g.values.filter(Number.isFinite)));
  // A little headroom, so the tallest bar and its label stay below the legend.
  const ticks = niceTicks(0, input.max ?? (dataMax * 1.08 || 1));
  const yMax = ticks.at(-1) ?? 1;
  const yOf = (value: number) => M.top + plotH - (Math.max(0, value) / yMax) * plotH;
  const slot = plotW / Math.max(1, input.categories.length);
  const barW = (slot * 0.75) / Math.max(1, input.groups.length);

  const parts: string[] = [];
  for (const tick of ticks) {
    parts.push(line(M.left, yOf(tick), M.left + plotW, yOf(tick), `stroke="${GRID}"`));
    parts.push(
      text(M.left - 6, yOf(tick) + 4, shortNumber(tick), { 'text-anchor': 'end', fill: MUTED }),
    );
  }
  input.categories.forEach((category, c) => {
    const left = M.left + c * slot + slot * 0.125;
    input.groups.forEach((group, g) => {
      const value = group.values[c] ?? 0;
      const safe = Number.isFinite(value) ? value : 0;
      const x = left + g * barW;
      const y = yOf(safe);
      parts.push(
        `<rect class="bar" x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" ` +
          `height="${(M.top + plotH - y).toFixed(1)}" fill="${group.color}"/>`,
      );
      if (input.valueLabels)
        parts.push(
          text(x + (barW - 2) / 2, y - 4, input.valueLabels(safe), {
            'text-anchor': 'middle',
            'font-size': 10,
            fill: MUTED,
          }),
        );
    });
    parts.push(
      text(M.left + c * slot + slot / 2, M.top + plotH + 18, category, { 'text-anchor': 'middle' }),
    );
  });
  parts.push(
    line(M.left, M.top + plotH, M.left + plotW, M.top + plotH, `stroke="${MUTED}"`),
    text(16, M.top + plotH / 2, input.yLabel, {
      'text-anchor': 'middle',
      fill: MUTED,
      transform: `rotate(-90 16 ${M.top + plotH / 2})`,
    }),
  );
  if (input.groups.length > 1) parts.push(legend(M.left, 44, [...input.groups]));
  return svgDocument(width, height, input.title, parts.join(''));
}
