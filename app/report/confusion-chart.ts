import { MUTED, esc, px, svgDocument, text } from './svg.ts';

export const CONFUSION_CHART_SIZE = { width: 600, height: 580 } as const;

const LEFT = 110;
const TOP = 84;
const CELL = 64;

/** White → deep blue by the cell's share of its row. */
function shade(share: number): string {
  const t = Math.max(0, Math.min(1, share));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * t);
  return `rgb(${mix(248, 24)},${mix(250, 82)},${mix(252, 168)})`;
}

/** Rows = true class, columns = predicted class; each cell shows its count and its row-%. */
export function confusionSvg(
  confusion: readonly (readonly number[])[],
  labels: readonly string[],
  title: string,
): string {
  const { width, height } = CONFUSION_CHART_SIZE;
  const parts: string[] = [
    text(LEFT + (labels.length * CELL) / 2, 52, 'predicted →', {
      'text-anchor': 'middle',
      fill: MUTED,
    }),
    text(18, TOP + (labels.length * CELL) / 2, 'true ↓', {
      'text-anchor': 'middle',
      fill: MUTED,
      transform: `rotate(-90 18 ${px(TOP + (labels.length * CELL) / 2)})`,
    }),
  ];
  labels.forEach((name, i) => {
    parts.push(
      text(LEFT + i * CELL + CELL / 2, TOP - 10, name, { 'text-anchor': 'middle' }),
      text(LEFT - 8, TOP + i * CELL + CELL / 2 + 4, name, { 'text-anchor': 'end' }),
    );
  });
  labels.forEach((trueLabel, row) => {
    const counts = confusion[row] ?? [];
    const total = counts.reduce((a, b) => a + b, 0);
    labels.forEach((predicted, col) => {
      const count = counts[col] ?? 0;
      const share = total > 0 ? count / total : 0;
      const x = LEFT + col * CELL;
      const y = TOP + row * CELL;
      const ink = share > 0.5 ? '#ffffff' : '#212529';
      parts.push(
        `<g class="cell" data-true="${esc(trueLabel)}" data-predicted="${esc(predicted)}" data-count="${count}">` +
          `<rect x="${x}" y="${y}" width="${CELL}" height="${CELL}" fill="${shade(share)}" ` +
          `stroke="${row === col ? '#2b8a3e' : '#ced4da'}" stroke-width="${row === col ? 2 : 1}"/>` +
          text(x + CELL / 2, y + CELL / 2 - 2, String(count), {
            'text-anchor': 'middle',
            'font-weight': 'bold',
            'font-size': 14,
            fill: ink,
          }) +
          text(x + CELL / 2, y + CELL / 2 + 14, `${Math.round(share * 100)} %`, {
            'text-anchor': 'middle',
            'font-size': 10,
            fill: ink,
          }) +
          `</g>`,
      );
    });
  });
  parts.push(
    text(width / 2, TOP + labels.length * CELL + 30, 'count, and share of the true class (row-%)', {
      'text-anchor': 'middle',
      fill: MUTED,
      'font-size': 11,
    }),
  );
  return svgDocument(width, height, title, parts.join(''));
}
