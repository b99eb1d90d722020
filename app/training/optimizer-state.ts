import * as tf from '@tensorflow/tfjs';

/** Adam's bias-correction powers; tfjs keeps them private and setWeights() recomputes them. */
const ACC_BETA_KEYS = ['accBeta1', 'accBeta2'] as const;
const ACC_PREFIX = '__adam/';

type NamedTensor = { name: string; tensor: tf.Tensor };
type WithAccBetas = Partial<Record<(typeof ACC_BETA_KEYS)[number], tf.Variable>>;

export interface EncodedTensors {
  data: ArrayBuffer;
  specs: tf.io.WeightsManifestEntry[];
}

/**
 * Optimizer state as bytes: `getWeights()` (iterations, first and second moments) plus Adam's
 * running beta powers. setWeights() rebuilds those with pow(β, t+1), which differs in the last
 * float32 bits from the running product, so without them a resumed run drifts from an
 * uninterrupted one after the first step.
 */
export async function encodeOptimizerState(optimizer: tf.Optimizer): Promise<EncodedTensors> {
  const named = await optimizer.getWeights();
  const extra: NamedTensor[] = [];
  const holder = optimizer as unknown as WithAccBetas;
  for (const key of ACC_BETA_KEYS) {
    const variable = holder[key];
    if (variable instanceof tf.Variable) extra.push({ name: ACC_PREFIX + key, tensor: variable });
  }
  try {
    const { data, specs } = await tf.io.encodeWeights([...named, ...extra]);
    return { data, specs };
  } finally {
    // getWeights() makes a fresh scalar for the iteration count; the moments are live variables.
    named.find((w) => w.name === 'iter')?.tensor.dispose();
  }
}

/** Restores what `encodeOptimizerState` wrote, into a fresh optimizer of the same kind. */
export async function restoreOptimizerState(
  optimizer: tf.Optimizer,
  state: EncodedTensors,
): Promise<void> {
  const map = tf.io.decodeWeights(state.data, state.specs);
  const weights: NamedTensor[] = [];
  const extras: NamedTensor[] = [];
  for (const spec of state.specs) {
    const tensor = map[spec.name];
    if (!tensor) throw new Error(`Optimizer state is missing ${spec.name}`);
    (spec.name.startsWith(ACC_PREFIX) ? extras : weights).push({ name: spec.name, tensor });
  }
  await optimizer.setWeights(weights);
  const holder = optimizer as unknown as WithAccBetas;
  for (const { name, tensor } of extras) {
    const variable = holder[name.slice(ACC_PREFIX.length) as (typeof ACC_BETA_KEYS)[number]];
    if (variable instanceof tf.Variable) variable.assign(tensor);
  }
  // setWeights() copied the moments into new variables; the decoded tensors are ours to free.
  tf.dispose(Object.values(map));
}

/** SGD and momentum keep −lr in a scalar that only their setLearningRate() refreshes; Adam reads the field. */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const holder = optimizer as unknown as {
    learningRate: number;
    setLearningRate?: (lr: number) => void;
  };
  if (typeof holder.setLearningRate === 'function') holder.setLearningRate(lr);
  else holder.learningRate = lr;
}
