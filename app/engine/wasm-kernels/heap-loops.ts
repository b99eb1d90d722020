/**
 * The inner loops of the JS heap kernels (per-channel batch-norm passes, max-pool gradient), written
 * against one Float32Array over the whole wasm heap plus float offsets, so the same code runs on the
 * kernel's thread and on a helper thread that shares the heap (`heap-threads.ts`). Each call covers
 * items [from, to): pixels (rows of `c` channels) for the channel ops, images for the pool gradient.
 * Reductions add into `partial`, which the caller zeroes and sums across threads in float64.
 */
import { depthwiseFilterGrad, type DepthwiseFilterGradParams } from './depthwise-loops.ts';
import { transpose2d, type TransposeParams } from './transpose-loop.ts';

export const LOOP = {
  moments: 1,
  affine: 2,
  dotSums: 3,
  affine2: 4,
  maxPoolGrad: 5,
  reluGrad: 6,
  maxPoolGrad2x2: 7,
  depthwiseFilterGrad: 8,
  transpose2d: 9,
} as const;
export type LoopOp = (typeof LOOP)[keyof typeof LOOP];

/** Parameter order per loop (all numbers; arrays are float offsets into the heap). */
export interface LoopParams {
  /** x, c → partial [Σx per channel, Σx² per channel]. */
  [LOOP.moments]: [x: number, c: number];
  /** out = x·scale[c] + shift[c]. */
  [LOOP.affine]: [x: number, out: number, scale: number, shift: number, c: number];
  /** dy, x, mean, c → partial [Σdy, Σdy·(x − mean)]. */
  [LOOP.dotSums]: [dy: number, x: number, mean: number, c: number];
  /** out = a[c]·dy + b[c]·x + k[c]. */
  [LOOP.affine2]: [dy: number, x: number, a: number, b: number, k: number, out: number, c: number];
  [LOOP.maxPoolGrad]: MaxPoolGradParams;
  /** out = x > 0 ? dy : 0, elementwise. */
  [LOOP.reluGrad]: [dy: number, x: number, out: number];
  /** 2×2 windows, stride 2, no padding; `output` is the forward pass's max per window. */
  [LOOP.maxPoolGrad2x2]: [
    dy: number,
    input: number,
    output: number,
    dx: number,
    inH: number,
    inW: number,
    c: number,
  ];
  [LOOP.depthwiseFilterGrad]: DepthwiseFilterGradParams;
  [LOOP.transpose2d]: TransposeParams;
}

export type MaxPoolGradParams = [
  dy: number,
  input: number,
  dx: number,
  inH: number,
  inW: number,
  c: number,
  outH: number,
  outW: number,
  strideH: number,
  strideW: number,
  filterH: number,
  filterW: number,
  padTop: number,
  padLeft: number,
];

export function runLoop(
  heap: Float32Array,
  op: LoopOp,
  p: ArrayLike<number>,
  from: number,
  to: number,
  partial: Float64Array,
): void {
  from |= 0;
  to |= 0;
  switch (op) {
    case LOOP.moments:
      return moments(heap, p, from, to, partial);
    case LOOP.affine:
      return affine(heap, p, from, to);
    case LOOP.dotSums:
      return dotSums(heap, p, from, to, partial);
    case LOOP.affine2:
      return affine2(heap, p, from, to);
    case LOOP.maxPoolGrad:
      return maxPoolGrad(heap, p, from, to);
    case LOOP.reluGrad:
      return reluGrad(heapBits(heap), p, from, to);
    case LOOP.maxPoolGrad2x2:
      return maxPoolGrad2x2(heap, p, from, to);
    case LOOP.depthwiseFilterGrad:
      return depthwiseFilterGrad(heap, p, from, to, partial);
    case LOOP.transpose2d:
      return transpose2d(heap, p, from, to);
    default:
      throw new Error(`unknown heap loop ${String(op)}`);
  }
}

// Offsets and sizes as int32: the helper thread reads them from a Float64Array, and double-typed
// indices made its loops ~3× slower than the caller's.
const at = (p: ArrayLike<number>, i: number) => (p[i] as number) | 0;

type Ints<N extends number, T extends number[] = []> = T['length'] extends N
  ? T
  : Ints<N, [...T, number]>;

/** The first `n` parameters, as int32. */
function take<N extends number>(p: ArrayLike<number>, n: N): Ints<N> {
  return Array.from({ length: n }, (_, i) => at(p, i)) as Ints<N>;
}

function moments(
  h: Float32Array,
  p: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
) {
  const [x, c] = take(p, 2);
  for (let i = x + from * c, end = x + to * c; i < end;) {
    for (let k = 0; k < c; k++, i++) {
      const v = h[i] as number;
      out[k] = (out[k] as number) + v;
      out[c + k] = (out[c + k] as number) + v * v;
    }
  }
}

function affine(h: Float32Array, p: ArrayLike<number>, from: number, to: number) {
  const [x, out, scale, shift, c] = take(p, 5);
  for (let i = from * c, end = to * c; i < end;) {
    for (let k = 0; k < c; k++, i++)
      h[out + i] = (h[x + i] as number) * (h[scale + k] as number) + (h[shift + k] as number);
  }
}

function dotSums(
  h: Float32Array,
  p: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
) {
  const [dy, x, mean, c] = take(p, 4);
  for (let i = from * c, end = to * c; i < end;) {
    for (let k = 0; k < c; k++, i++) {
      const g = h[dy + i] as number;
      out[k] = (out[k] as number) + g;
      out[c + k] = (out[c + k] as number) + g * ((h[x + i] as number) - (h[mean + k] as number));
    }
  }
}

function affine2(h: Float32Array, p: ArrayLike<number>, from: number, to: number) {
  const [dy, x, a, b, k0, out, c] = take(p, 7);
  for (let i = from * c, end = to * c; i < end;) {
    for (let k = 0; k < c; k++, i++)
      h[out + i] =
        (h[a + k] as number) * (h[dy + i] as number) +
        (h[b + k] as number) * (h[x + i] as number) +
        (h[k0 + k] as number);
  }
}

/**
 * Branch-free on the float bits: which way `x > 0` goes is a coin flip on real activations, and the
 * mispredicted branch made the plain loop ~3× slower. mask = all ones iff x > +0 (as int32: positive),
 * so −0, negatives and 0 give 0 and NaN passes dy. */
function reluGrad(h: Int32Array, p: ArrayLike<number>, from: number, to: number) {
  const [dy, x, out] = take(p, 3);
  for (let i = from; i < to; i++) {
    const bits = h[x + i] as number;
    h[out + i] = (h[dy + i] as number) & (-bits >> 31) & ~(bits >> 31);
  }
}

const bitViews = new WeakMap<ArrayBufferLike, Int32Array>();

/** An Int32Array over the same heap (cached per buffer). */
function heapBits(heap: Float32Array): Int32Array {
  let bits = bitViews.get(heap.buffer);
  if (!bits) {
    bits = new Int32Array(heap.buffer, heap.byteOffset, heap.length);
    bitViews.set(heap.buffer, bits);
  }
  return bits;
}

/**
 * 2×2 / stride 2 windows: dy goes to the first input equal to the window's forward maximum (the
 * cpu backend's first-maximum rule, ties included: ReLU leaves many all-zero windows), with
 * comparisons turned into 0/1 factors instead of branches.
 */
function maxPoolGrad2x2(h: Float32Array, p: ArrayLike<number>, from: number, to: number) {
  const [dy, input, output, dx, inH, inW, c] = take(p, 7);
  const outH = inH >> 1;
  const outW = inW >> 1;
  const row = inW * c;
  const imageSize = inH * row;
  // Odd sizes leave a last row/column that no window reads.
  if ((inH | inW) & 1) h.fill(0, dx + from * imageSize, dx + to * imageSize);
  for (let n = from; n < to; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const o = ((n * outH + oy) * outW + ox) * c;
        const i0 = n * imageSize + 2 * oy * row + 2 * ox * c;
        for (let ch = 0; ch < c; ch++) {
          const a = i0 + ch;
          const m = h[output + o + ch] as number;
          const g = h[dy + o + ch] as number;
          const e0 = +(h[input + a] === m);
          const e1 = +(h[input + a + c] === m) * (1 - e0);
          const e2 = +(h[input + a + row] === m) * (1 - e0 - e1);
          const e3 = +(h[input + a + row + c] === m) * (1 - e0 - e1 - e2);
          h[dx + a] = g * e0;
          h[dx + a + c] = g * e1;
          h[dx + a + row] = g * e2;
          h[dx + a + row + c] = g * e3;
        }
      }
    }
  }
}

/** Each window's dy goes to its first (row-major) maximum, as in the cpu backend. */
function maxPoolGrad(h: Float32Array, p: ArrayLike<number>, from: number, to: number) {
  const [dy, input, dx, inH, inW, c, outH, outW, strideH, strideW, filterH, filterW, top, left] =
    take(p, 14);
  const imageSize = inH * inW * c;
  h.fill(0, dx + from * imageSize, dx + to * imageSize);
  for (let n = from; n < to; n++) {
    const xBase = input + n * imageSize;
    const dxBase = dx - input;
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * strideH - top;
      const yA = Math.max(0, y0);
      const yB = Math.min(inH, y0 + filterH);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * strideW - left;
        const xA = Math.max(0, x0);
        const xB = Math.min(inW, x0 + filterW);
        const gBase = dy + ((n * outH + oy) * outW + ox) * c;
        for (let ch = 0; ch < c; ch++) {
          let best = -Infinity;
          let arg = -1;
          for (let y = yA; y < yB; y++) {
            for (let x = xA; x < xB; x++) {
              const i = xBase + (y * inW + x) * c + ch;
              const v = h[i] as number;
              if (v > best) {
                best = v;
                arg = i;
              }
            }
          }
          if (arg >= 0) h[dxBase + arg] = (h[dxBase + arg] as number) + (h[gBase + ch] as number);
        }
      }
    }
  }
}
