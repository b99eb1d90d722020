import { CLASS_NAMES } from '../contract/classes.ts';
import type { Preprocessing } from './record.ts';

const K = CLASS_NAMES.length;

/**
 * Model outputs (`count` rows of classOrder.length probabilities) → studio probabilities in
 * CLASS_NAMES order. Outputs mapped to no class are dropped and the rest renormalised; a class no
 * output maps to gets 0. The identity record returns the same numbers.
 */
export function toStudioProbabilities(outputs: Float32Array, p: Preprocessing): Float32Array {
  const m = p.classOrder.length;
  const count = Math.floor(outputs.length / m);
  const target = p.classOrder.map((c) => (c === null ? -1 : CLASS_NAMES.indexOf(c)));
  const dropsAny = target.includes(-1);
  const out = new Float32Array(count * K);
  for (let n = 0; n < count; n++) {
    let kept = 0;
    for (let j = 0; j < m; j++) {
      const t = target[j] as number;
      if (t < 0) continue;
      const v = outputs[n * m + j] as number;
      out[n * K + t] = v;
      kept += v;
    }
    if (dropsAny && kept > 0)
      for (let c = 0; c < K; c++) out[n * K + c] = (out[n * K + c] as number) / kept;
  }
  return out;
}
