import { CLASS_NAMES } from '../contract/classes.ts';
import type { ProbabilityGroup } from './confident-learning.ts';
import type { PredictionStore, Role } from './prediction-store.ts';

const K = CLASS_NAMES.length;
/** Keeps log() finite for a confidently wrong prediction, as training's loss does. */
const EPSILON = 1e-7;

/** Each image's predicted class (argmax, first on ties) and the mean cross-entropy against `labels`. */
export function scoreProbabilities(
  labels: ArrayLike<number>,
  probs: Float32Array,
): { predicted: Uint8Array; loss: number } {
  const predicted = new Uint8Array(labels.length);
  let lossSum = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let c = 1; c < K; c++) if ((probs[i * K + c] ?? 0) > (probs[i * K + best] ?? 0)) best = c;
    predicted[i] = best;
    const p = probs[i * K + (labels[i] ?? 0)] ?? 0;
    lossSum -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, p)));
  }
  return { predicted, loss: labels.length > 0 ? lossSum / labels.length : 0 };
}

/** The stored out-of-sample predictions of a run's `roles` images, with the run's labels. */
export function storedGroup(
  store: PredictionStore,
  runId: number,
  roles: Role[],
  source: ProbabilityGroup['source'],
): ProbabilityGroup {
  const ids: number[] = [];
  const labels: number[] = [];
  const parts: Float32Array[] = [];
  for (const role of roles) {
    const images = store.roleImages(runId, role);
    const labelOf = new Map(images.ids.map((id, i) => [id, images.labels[i] ?? 0]));
    const stored = store.load(runId, role, true);
    ids.push(...stored.ids);
    labels.push(...stored.ids.map((id) => labelOf.get(id) ?? 0));
    parts.push(stored.probs);
  }
  const probs = new Float32Array(ids.length * K);
  parts.reduce((offset, part) => (probs.set(part, offset), offset + part.length), 0);
  return { ids, labels, probs, source };
}
