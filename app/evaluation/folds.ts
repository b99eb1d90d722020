import { CLASS_NAMES } from '../contract/classes.ts';
import { createRng } from '../util/rng.ts';

/** Stratified k-fold assignment: each class is shuffled (seeded) and dealt round-robin over the folds. */
export function assignFolds(labels: ArrayLike<number>, k: number, seed: number): Uint8Array {
  if (!Number.isInteger(k) || k < 2 || k > 255) throw new Error(`Fold count ${k} is not 2…255.`);
  const rng = createRng(seed);
  const folds = new Uint8Array(labels.length);
  const byClass: number[][] = Array.from({ length: CLASS_NAMES.length }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i] ?? 0]?.push(i);
  let next = 0;
  for (const members of byClass) {
    rng.shuffle(members);
    // Continuing the deal across classes keeps fold sizes within one image of each other.
    for (const i of members) {
      folds[i] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}

/**
 * The folds whose every image already has a stored out-of-fold prediction (`stored`): a search
 * cancelled after them trains only the others. `ids` and `folds` are in the same order.
 */
export function finishedFolds(
  stored: readonly number[],
  ids: readonly number[],
  folds: ArrayLike<number>,
): number[] {
  const have = new Set(stored);
  const complete = new Map<number, boolean>();
  ids.forEach((id, i) => {
    const f = folds[i] ?? 0;
    complete.set(f, (complete.get(f) ?? true) && have.has(id));
  });
  return [...complete]
    .filter(([, done]) => done)
    .map(([f]) => f)
    .sort((a, b) => a - b);
}
