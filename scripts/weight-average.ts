import * as tf from '@tensorflow/tfjs';

// Used by bench:accuracy --average-from only: measured on FER-2013 proxies (README, Model
// experiments, rows 22–23) and not adopted, so training itself does not average.

/**
 * The running mean of a model's weights over the epochs given to `add` (stochastic weight
 * averaging, Izmailov et al. 2018): late epochs of an annealed run sit around a minimum, and
 * their mean often generalises better than any one of them. Batch-norm statistics are averaged
 * too, but they do not belong to the averaged weights: recalibrate them after `mean()`.
 */
export interface WeightAverage {
  /** How many weight sets have been added. */
  readonly count: number;
  add(weights: readonly tf.Tensor[]): void;
  /** New tensors the caller owns (e.g. for model.setWeights, then dispose). */
  mean(): tf.Tensor[];
  dispose(): void;
}

export function createWeightAverage(): WeightAverage {
  let sums: tf.Tensor[] | null = null;
  let count = 0;
  return {
    get count() {
      return count;
    },
    add(weights) {
      const previous = sums;
      if (previous) {
        if (weights.length !== previous.length)
          throw new Error(`Expected ${previous.length} weights to average, got ${weights.length}.`);
        weights.forEach((w, i) => {
          const shape = previous[i]?.shape ?? [];
          if (!tf.util.arraysEqual(shape, w.shape))
            throw new Error(`Weight ${i} has shape [${w.shape}], the average [${shape}].`);
        });
      }
      sums = weights.map((w, i) => {
        const sum = previous?.[i];
        return sum ? tf.add(sum, w) : tf.clone(w);
      });
      tf.dispose(previous ?? []);
      count++;
    },
    mean() {
      if (!sums || count === 0) throw new Error('No weights were added to the average.');
      return sums.map((s) => tf.div(s, count));
    },
    dispose() {
      tf.dispose(sums ?? []);
      sums = null;
      count = 0;
    },
  };
}
