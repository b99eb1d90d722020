import * as tf from '@tensorflow/tfjs';

const CONV = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'];
const DEPTHWISE = ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'];

/**
 * Gradient kernels each layer class needs beyond the forward pass. tfjs looks kernels up only when
 * the first batch runs backwards, so a backend without one fails mid-run; this list lets a run
 * fail before it starts instead.
 */
const LAYER_KERNELS: Record<string, readonly string[]> = {
  Conv2D: CONV,
  Conv2DTranspose: CONV,
  DepthwiseConv2D: DEPTHWISE,
  SeparableConv2D: [...DEPTHWISE, ...CONV],
  MaxPooling2D: ['MaxPoolGrad'],
  AveragePooling2D: ['AvgPoolGrad'],
};

export interface MissingKernel {
  layerClass: string;
  kernel: string;
}

/** Layer classes of `model`, nested models included. */
function layerClasses(model: tf.LayersModel, into = new Set<string>()): Set<string> {
  for (const layer of model.layers) {
    const nested = (layer as Partial<tf.LayersModel>).layers;
    if (Array.isArray(nested)) layerClasses(layer as tf.LayersModel, into);
    else into.add(layer.getClassName());
  }
  return into;
}

/** The gradient kernels `model` needs that `backend` (default: the active one) has not registered. */
export function missingTrainingKernels(
  model: tf.LayersModel,
  backend = tf.getBackend(),
): MissingKernel[] {
  const missing: MissingKernel[] = [];
  for (const layerClass of layerClasses(model)) {
    for (const kernel of LAYER_KERNELS[layerClass] ?? []) {
      if (!tf.getKernel(kernel, backend)) missing.push({ layerClass, kernel });
    }
  }
  return missing;
}

/** Throws a message naming the kernel and the backend when `model` cannot train on `backend`. */
export function assertTrainingKernels(model: tf.LayersModel, backend = tf.getBackend()): void {
  const missing = missingTrainingKernels(model, backend);
  const first = missing[0];
  if (!first) return;
  const kernels = [...new Set(missing.map((m) => m.kernel))].join(', ');
  throw new Error(
    `This model cannot train on the "${backend}" backend: its ${first.layerClass} layers need ` +
      `the gradient kernel ${first.kernel}, which "${backend}" does not have (missing: ${kernels}). ` +
      'Choose another model or backend.',
  );
}
