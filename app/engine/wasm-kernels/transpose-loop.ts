/**
 * [rows, cols] → [cols, rows] on the heap, for items = blocks of TRANSPOSE_BLOCK source rows (the
 * last block may be short). Each block writes `TRANSPOSE_BLOCK` contiguous floats per column while
 * its rows stay in cache: measured ~4× faster than the wasm Transpose kernel on [123904, 32].
 */
export const TRANSPOSE_BLOCK = 16;

export type TransposeParams = [src: number, dst: number, rows: number, cols: number];

export function transpose2d(h: Float32Array, p: ArrayLike<number>, from: number, to: number) {
  const src = (p[0] as number) | 0;
  const dst = (p[1] as number) | 0;
  const rows = (p[2] as number) | 0;
  const cols = (p[3] as number) | 0;
  for (let blk = from; blk < to; blk++) {
    const r0 = blk * TRANSPOSE_BLOCK;
    const n = Math.min(TRANSPOSE_BLOCK, rows - r0);
    for (let c = 0; c < cols; c++) {
      const d = dst + c * rows + r0;
      for (let k = 0, s = src + r0 * cols + c; k < n; k++, s += cols) h[d + k] = h[s] as number;
    }
  }
}
