import * as tf from '@tensorflow/tfjs';
import type { GradConfig, KernelConfig, Tensor, TensorInfo } from '@tensorflow/tfjs';
import { LOOP } from './heap-loops.ts';
import { runHeapLoop } from './heap-threads.ts';
import { heapInputs, offsetOf, type HeapBackend } from './kernel-utils.ts';

export const RELU_GRAD = 'FerReluGrad';

/**
 * ReLU's gradient as one heap loop, split across two threads where the heap is shared. The stock
 * gradient is dy·cast(step(x)): two full-size passes (Step, Multiply) on one thread. The forward
 * ReLU stays the stock SIMD kernel, which a JS loop does not beat.
 */
export const reluGradKernelConfig: KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend }) => {
    const b = backend as HeapBackend;
    const x = inputs['x'] as TensorInfo;
    const out = b.makeOutput(x.shape, 'float32');
    const dst = offsetOf(b.typedArrayFromHeap(out));
    const { heap, offset: o } = heapInputs(b, inputs, ['dy', 'x']);
    runHeapLoop(heap, LOOP.reluGrad, [o.dy, o.x, dst], tf.util.sizeFromShape(x.shape), 2);
    return out;
  },
};

/** ReLU's gradient: the one-pass kernel where the backend has it, tfjs' own maths elsewhere. */
export const reluGradConfig: GradConfig = {
  kernelName: 'Relu',
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const [x] = saved as [Tensor];
    const g = dy as Tensor;
    return {
      x: () =>
        tf.getKernel(RELU_GRAD, tf.getBackend()) && x.dtype === 'float32'
          ? (tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as Tensor)
          : tf.mul(g, tf.cast(tf.step(x), 'float32')),
    };
  },
};
