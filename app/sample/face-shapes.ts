/** Signed distances (negative inside) and coverage for analytic anti-aliasing of the face parts. */

/** Fraction of a pixel covered by the shape at signed distance `d`; `aa` is the edge width in face units. */
export function coverage(d: number, aa: number): number {
  const c = 0.5 - d / aa;
  return c <= 0 ? 0 : c >= 1 ? 1 : c;
}

/** Approximate distance to an axis-aligned ellipse (exact on the axes, good enough for small shapes). */
export function ellipseSdf(u: number, v: number, rx: number, ry: number): number {
  const px = u / rx;
  const py = v / ry;
  const k0 = Math.sqrt(px * px + py * py);
  const gx = px / rx;
  const gy = py / ry;
  const k1 = Math.sqrt(gx * gx + gy * gy);
  return k1 === 0 ? -Math.min(rx, ry) : (k0 * (k0 - 1)) / k1;
}

/** Distance from (u, v) to the segment (ax, ay)–(bx, by). */
export function segmentDistance(
  u: number,
  v: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((u - ax) * dx + (v - ay) * dy) / len2;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = u - ax - t * dx;
  const ey = v - ay - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}

/** A brow: two segments through an arched middle, thicker at the inner end. */
export interface Stroke {
  ax: number;
  ay: number;
  mx: number;
  my: number;
  bx: number;
  by: number;
  thickA: number;
  thickB: number;
}

export function strokeSdf(u: number, v: number, s: Stroke): number {
  const d1 = segmentDistance(u, v, s.ax, s.ay, s.mx, s.my) - (s.thickA + s.thickB) * 0.5;
  const d2 = segmentDistance(u, v, s.mx, s.my, s.bx, s.by) - s.thickB * 0.8;
  const d0 = segmentDistance(u, v, s.ax, s.ay, s.ax, s.ay) - s.thickA;
  return Math.min(d0, d1, d2);
}

/** Paint `colour` over `base` with opacity `alpha`. */
export function over(base: number, colour: number, alpha: number): number {
  return base + (colour - base) * alpha;
}
