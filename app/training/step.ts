import * as tf from '@tensorflow/tfjs';
import { withSeededRandom } from '../util/seeded-random.ts';
import { batchCount, disposeBatch, makeBatch } from './dataset.ts';
import type { Batch, PreparedDataset } from './dataset.ts';

/** Keeps log() finite for a confidently wrong softmax, as Keras' backend epsilon does. */
const EPSILON = 1e-7;

/** Mean (optionally weighted, Keras-style: mean of w·loss) categorical cross-entropy of probabilities. */
export function crossEntropy(ys: tf.Tensor, probs: tf.Tensor, weights?: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const clipped = tf.clipByValue(probs, EPSILON, 1 - EPSILON);
    const perImage = tf.neg(tf.sum(tf.mul(ys, tf.log(clipped)), -1));
    return tf.mean(weights ? tf.mul(perImage, weights) : perImage) as tf.Scalar;
  });
}

export function accuracy(ys: tf.Tensor, probs: tf.Tensor): tf.Scalar {
  return tf.tidy(() =>
    tf.mean(tf.cast(tf.equal(tf.argMax(ys, -1), tf.argMax(probs, -1)), 'float32')),
  );
}

export interface StepResult {
  loss: number;
  acc: number;
  /** False when the loss or a gradient is NaN/Infinity; the update was then skipped. */
  finite: boolean;
  /** batch × outputs: what the model predicted for the (augmented) batch; with `keepProbabilities`. */
  probs?: Float32Array;
}

/** Label smoothing: (1 − s)·one-hot + s/K, so the loss stops rewarding ever-surer outputs. */
export function smoothLabels(ys: tf.Tensor, smoothing: number): tf.Tensor {
  if (smoothing === 0) return ys;
  const k = ys.shape[ys.shape.length - 1] ?? 1;
  return tf.tidy(() => tf.add(tf.mul(ys, 1 - smoothing), smoothing / k));
}

/** Conv, depthwise and dense kernels (rank ≥ 2) take weight decay; biases and batch norm do not. */
export function isDecayed(variable: tf.Variable): boolean {
  return variable.rank >= 2;
}

export interface StepOptions {
  /** Fixes the dropout masks. */
  randomSeed?: number;
  labelSmoothing?: number;
  /** Coupled L2: wd·w is added to each kernel's gradient before the optimiser sees it. */
  weightDecay?: number;
  /** Also return the batch's predicted probabilities (training dynamics, for label issues). */
  keepProbabilities?: boolean;
}

/**
 * One optimiser step. Gradients are computed first and applied only if loss and gradient norm
 * are finite, so a blow-up never reaches the weights.
 */
export async function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: Batch,
  options: StepOptions = {},
): Promise<StepResult> {
  const { randomSeed, labelSmoothing = 0, weightDecay = 0, keepProbabilities = false } = options;
  const { value, acc, normSq, grads, outputs } = withSeededRandom(randomSeed, () =>
    tf.tidy(() => {
      let probs: tf.Tensor | null = null;
      const targets = smoothLabels(batch.ys, labelSmoothing);
      const { value, grads } = tf.variableGrads(() => {
        const out = model.apply(batch.xs, { training: true }) as tf.Tensor;
        probs = tf.keep(out);
        return crossEntropy(targets, out, batch.sampleWeights);
      }, variables);
      if (weightDecay > 0) {
        for (const variable of variables) {
          const g = grads[variable.name];
          if (g && isDecayed(variable))
            grads[variable.name] = tf.add(g, tf.mul(variable, weightDecay));
        }
      }
      const kept = probs as tf.Tensor | null;
      if (!kept) throw new Error('The model produced no output.');
      const acc = accuracy(batch.ys, kept);
      // Returned from tidy (so kept alive) only when asked for; disposed below after reading.
      const outputs = keepProbabilities ? kept.clone() : undefined;
      kept.dispose();
      const norms = Object.values(grads).map((g) => tf.sum(tf.square(g)));
      const normSq = norms.length > 0 ? tf.addN(norms) : tf.scalar(0);
      return { value, acc, normSq, grads, outputs };
    }),
  );
  try {
    const [loss, accuracyValue, norm, probs] = await Promise.all([
      value.data(),
      acc.data(),
      normSq.data(),
      outputs ? (outputs.data() as Promise<Float32Array>) : Promise.resolve(undefined),
    ]);
    const lossValue = loss[0] ?? NaN;
    const finite = Number.isFinite(lossValue) && Number.isFinite(norm[0] ?? NaN);
    if (finite) optimizer.applyGradients(grads);
    return { loss: lossValue, acc: accuracyValue[0] ?? 0, finite, ...(probs ? { probs } : {}) };
  } finally {
    tf.dispose([value, acc, normSq, ...Object.values(grads), ...(outputs ? [outputs] : [])]);
  }
}

/** Unweighted loss and accuracy over the validation split; null when it is empty. */
export async function evaluate(
  model: tf.LayersModel,
  prepared: PreparedDataset,
  batchSize: number,
): Promise<{ loss: number; acc: number } | null> {
  const n = prepared.validation.length;
  if (n === 0) return null;
  let lossSum = 0;
  let correct = 0;
  for (let b = 0; b < batchCount(n, batchSize); b++) {
    const batch = makeBatch(prepared, prepared.validation, b * batchSize, batchSize);
    try {
      const [loss, acc] = tf.tidy(() => {
        const probs = model.apply(batch.xs, { training: false }) as tf.Tensor;
        return [crossEntropy(batch.ys, probs), accuracy(batch.ys, probs)];
      });
      const [l, a] = await Promise.all([loss.data(), acc.data()]);
      tf.dispose([loss, acc]);
      lossSum += (l[0] ?? NaN) * batch.size;
      correct += (a[0] ?? 0) * batch.size;
    } finally {
      disposeBatch(batch);
    }
  }
  return { loss: lossSum / n, acc: correct / n };
}
