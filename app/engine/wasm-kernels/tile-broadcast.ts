import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { replaceWasmKernel, type HeapBackend } from './kernel-utils.ts';

/**
 * Tile where every repeated axis has size 1 — a broadcast, which is what the Sum/Mean gradients
 * produce — as block copies over the wasm heap. The stock kernel maps every output index
 * separately: ~300 ms to broadcast 16 channels to 64×48×48×16 here, this takes a few ms.
 */
function broadcastTile(stock: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as TensorInfo;
    const reps = (args.attrs as NamedAttrMap)['reps'] as number[];
    const shape = x.shape;
    const pure = reps.every((r, i) => r === 1 || shape[i] === 1);
    if (x.dtype === 'string' || x.dtype === 'complex64' || !pure) return stock(args);
    const b = args.backend as HeapBackend;
    const outShape = shape.map((n, i) => n * (reps[i] as number));
    const out = b.makeOutput(outShape, x.dtype as 'float32');
    const src = b.typedArrayFromHeap(x);
    const dst = b.typedArrayFromHeap(out);
    const rank = shape.length;
    // innerOut[a] / innerIn[a]: elements under one index of axis a, in the output and the input.
    const innerOut = new Array<number>(rank + 1).fill(1);
    const innerIn = new Array<number>(rank + 1).fill(1);
    for (let a = rank - 1; a >= 0; a--) {
      innerOut[a] = (innerOut[a + 1] as number) * (outShape[a] as number);
      innerIn[a] = (innerIn[a + 1] as number) * (shape[a] as number);
    }
    // First axis from which nothing is repeated: below it, input and output blocks are identical.
    let plain = rank;
    while (plain > 0 && reps[plain - 1] === 1) plain--;
    const fill = (outOff: number, inOff: number, axis: number): void => {
      if (axis >= plain) {
        dst.set(src.subarray(inOff, inOff + (innerIn[axis] as number)), outOff);
        return;
      }
      const step = innerOut[axis + 1] as number;
      if (reps[axis] !== 1) {
        fill(outOff, inOff, axis + 1);
        for (let r = 1; r < (reps[axis] as number); r++)
          dst.copyWithin(outOff + r * step, outOff, outOff + step);
        return;
      }
      for (let i = 0; i < (shape[axis] as number); i++)
        fill(outOff + i * step, inOff + i * (innerIn[axis + 1] as number), axis + 1);
    };
    if (dst.length > 0) fill(0, 0, 0);
    return out;
  };
}

export function broadcastTileConfig(): KernelConfig {
  return replaceWasmKernel('Tile', broadcastTile);
}
