/**
 * The depthwise filter gradient as a heap loop (run by `heap-loops.ts` on one or two threads):
 * dW[a,b,ch,m] = Σ_{n,oy,ox} x[n, oy·sH + a·dH − top, ox·sW + b·dW − left, ch] · dy[n,oy,ox,ch·mult+m].
 * Items are images; each thread adds its images into `partial` (float64, [fH,fW,c1−c0,mult]).
 * Channels [c0, c1) only, so a wide layer can be done in slices that fit the shared partial block.
 */
export type DepthwiseFilterGradParams = [
  x: number,
  dy: number,
  inH: number,
  inW: number,
  c: number,
  mult: number,
  outH: number,
  outW: number,
  strideH: number,
  strideW: number,
  filterH: number,
  filterW: number,
  dilationH: number,
  dilationW: number,
  padTop: number,
  padLeft: number,
  c0: number,
  c1: number,
];

/**
 * Bounds are hoisted out of the inner loops: per filter column b, the output columns whose input
 * column lies inside the image form one range [lo, hi), so the innermost loop has no branch. With
 * mult = 1 the innermost loop runs along a row for one channel into a local sum (two loads and a
 * multiply-add per step, no store), which measured faster than a channel-inner loop into `partial`.
 */
export function depthwiseFilterGrad(
  h: Float32Array,
  p: ArrayLike<number>,
  from: number,
  to: number,
  out: Float64Array,
) {
  const at = (i: number) => (p[i] as number) | 0;
  const x = at(0);
  const dy = at(1);
  const inH = at(2);
  const inW = at(3);
  const c = at(4);
  const mult = at(5);
  const outH = at(6);
  const outW = at(7);
  const sH = at(8);
  const sW = at(9);
  const fH = at(10);
  const fW = at(11);
  const dH = at(12);
  const dW = at(13);
  const top = at(14);
  const left = at(15);
  const c0 = at(16);
  const c1 = at(17);
  const cm = c * mult;
  const width = (c1 - c0) * mult;
  const lo = new Int32Array(fW);
  const hi = new Int32Array(fW);
  for (let b = 0; b < fW; b++) {
    const shift = b * dW - left;
    lo[b] = Math.max(0, Math.ceil(-shift / sW));
    hi[b] = Math.max(lo[b] as number, Math.min(outW, Math.floor((inW - 1 - shift) / sW) + 1));
  }
  const xStep = sW * c;
  for (let n = from; n < to; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const dyRow = dy + (n * outH + oy) * outW * cm;
      for (let a = 0; a < fH; a++) {
        const iy = oy * sH + a * dH - top;
        if (iy < 0 || iy >= inH) continue;
        const xRow = x + (n * inH + iy) * inW * c;
        for (let b = 0; b < fW; b++) {
          const l = lo[b] as number;
          const r = hi[b] as number;
          if (l >= r) continue;
          const t = (a * fW + b) * width;
          const xStart = xRow + (l * sW + b * dW - left) * c;
          const dyStart = dyRow + l * cm;
          if (mult === 1) {
            let ch = c0;
            // Four channels per pass: four independent sums share the index arithmetic.
            for (; ch + 4 <= c1; ch += 4) {
              let s0 = 0;
              let s1 = 0;
              let s2 = 0;
              let s3 = 0;
              for (let ox = l, xi = xStart + ch, di = dyStart + ch; ox < r; ox++) {
                s0 += (h[xi] as number) * (h[di] as number);
                s1 += (h[xi + 1] as number) * (h[di + 1] as number);
                s2 += (h[xi + 2] as number) * (h[di + 2] as number);
                s3 += (h[xi + 3] as number) * (h[di + 3] as number);
                xi += xStep;
                di += cm;
              }
              const k = t + ch - c0;
              out[k] = (out[k] as number) + s0;
              out[k + 1] = (out[k + 1] as number) + s1;
              out[k + 2] = (out[k + 2] as number) + s2;
              out[k + 3] = (out[k + 3] as number) + s3;
            }
            for (; ch < c1; ch++) {
              let s = 0;
              for (let ox = l, xi = xStart + ch, di = dyStart + ch; ox < r; ox++) {
                s += (h[xi] as number) * (h[di] as number);
                xi += xStep;
                di += cm;
              }
              out[t + ch - c0] = (out[t + ch - c0] as number) + s;
            }
          } else {
            for (let ch = c0; ch < c1; ch++) {
              for (let m = 0; m < mult; m++) {
                let s = 0;
                for (let ox = l, xi = xStart + ch, di = dyStart + ch * mult + m; ox < r; ox++) {
                  s += (h[xi] as number) * (h[di] as number);
                  xi += xStep;
                  di += cm;
                }
                const k = t + (ch - c0) * mult + m;
                out[k] = (out[k] as number) + s;
              }
            }
          }
        }
      }
    }
  }
}
