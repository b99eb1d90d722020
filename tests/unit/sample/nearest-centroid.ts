import { CLASS_NAMES, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../../../app/contract/classes.ts';
import type { SampleSet } from '../../../app/sample/sample-set.ts';

/** The central face region: the background and hair carry no class, so leave most of them out. */
const CROP = { x0: 8, y0: 8, x1: 40, y1: 44 };

/** Per-image standardised crop, so lighting and contrast do not dominate the distance. */
function features(set: SampleSet, i: number): Float64Array {
  const f = new Float64Array((CROP.x1 - CROP.x0) * (CROP.y1 - CROP.y0));
  let k = 0;
  for (let y = CROP.y0; y < CROP.y1; y++) {
    for (let x = CROP.x0; x < CROP.x1; x++)
      f[k++] = set.pixels[i * PIXELS_PER_IMAGE + y * IMAGE_SIZE + x] ?? 0;
  }
  const mean = f.reduce((a, b) => a + b, 0) / f.length;
  const sd = Math.sqrt(f.reduce((a, b) => a + (b - mean) ** 2, 0) / f.length) || 1;
  return f.map((v) => (v - mean) / sd);
}

/** Trains class centroids on the `train` split and returns accuracy on `test`. */
export function nearestCentroidAccuracy(set: SampleSet): number {
  const k = CLASS_NAMES.length;
  const all = Array.from(set.labels, (_, i) => features(set, i));
  const dim = all[0]?.length ?? 0;
  const centroids = Array.from({ length: k }, () => new Float64Array(dim));
  const counts = new Array<number>(k).fill(0);
  all.forEach((f, i) => {
    if (set.splits[i] !== 'train') return;
    const label = set.labels[i] ?? 0;
    counts[label] = (counts[label] ?? 0) + 1;
    const c = centroids[label]!;
    for (let j = 0; j < dim; j++) c[j]! += f[j]!;
  });
  centroids.forEach((c, label) => c.forEach((v, j) => (c[j] = v / (counts[label] || 1))));
  let right = 0;
  let total = 0;
  all.forEach((f, i) => {
    if (set.splits[i] !== 'test') return;
    let best = 0;
    let bestDistance = Infinity;
    centroids.forEach((c, label) => {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (f[j]! - c[j]!) ** 2;
      if (d < bestDistance) [best, bestDistance] = [label, d];
    });
    total++;
    if (best === set.labels[i]) right++;
  });
  return right / total;
}
