/**
 * Small SVG building blocks for the training report's charts.
 *
 * Why not recharts on the server: recharts 3 renders only an empty `<div class="recharts-wrapper">`
 * under react-dom/server (tried with fixed width/height and no ResponsiveContainer; upstream issues
 * recharts#5997 and #6139), and Node's type stripping cannot run JSX in the core anyway. These
 * builders produce plain standalone SVG strings that are both inlined in report.html and turned
 * into PNGs by sharp, so the two always show the same picture.
 */

export const TRAIN_COLOR = '#4263eb';
export const VAL_COLOR = '#f08c00';
export const TEST_COLOR = '#2b8a3e';
export const INK = '#212529';
export const MUTED = '#667080';
export const GRID = '#dee2e6';
const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';

/** Escapes text for HTML and SVG alike (element content and double-quoted attributes). */
export function esc(value: unknown): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Coordinates rounded to 0.1 px keep the markup short. */
export const px = (value: number): string => String(Math.round(value * 10) / 10);

/** A standalone SVG document with a white background, so the PNG is never transparent. */
export function svgDocument(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" ` +
    `font-family="${FONT}" font-size="12" fill="${INK}">` +
    `<title>${esc(title)}</title>` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>` +
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>` +
    `${body}</svg>`
  );
}

export function text(
  x: number,
  y: number,
  content: string,
  attrs: Record<string, string | number> = {},
): string {
  const extra = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('');
  return `<text x="${px(x)}" y="${px(y)}"${extra}>${esc(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" ${attrs}/>`;
}

/** Round tick values from `min` to `max` (about `count` of them), covering both ends. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const start = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = start; v < max + step * 0.999; v += step) ticks.push(Number(v.toPrecision(10)));
  return ticks;
}

/** Short numbers for axes and labels: 0.00125 → "0.00125", 1234.5 → "1235", 0.5 → "0.5". */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(Math.abs(value) >= 1000 ? 4 : 3)));
}

/** A legend row of coloured swatches, left to right from (x, y). */
export function legend(x: number, y: number, items: { name: string; color: string }[]): string {
  let at = x;
  return items
    .map((item) => {
      const part =
        `<rect x="${px(at)}" y="${px(y - 9)}" width="14" height="10" fill="${item.color}"/>` +
        text(at + 19, y, item.name, { fill: INK });
      at += 30 + item.name.length * 7;
      return part;
    })
    .join('');
}
