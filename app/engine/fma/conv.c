// NHWC float32 convolutions as register-blocked GEMMs with f32x4.relaxed_madd (a fused
// multiply-add where the CPU has FMA). Built by scripts/build-kernels.sh; see fma-kernels.ts.
// No libc, no stack: every buffer, scratch included, is a pointer the caller passes in, so two
// instances on one shared memory (one per thread) never collide.
#include <wasm_simd128.h>

#ifndef MR
#define MR 4
#endif
#define NR 8
#define KC 256
#define MB 96

typedef struct {
  int n, ih, iw, ic, oh, ow, oc, fh, fw, sh, sw, dh, dw, pt, pl;
} Geo;

static Geo g;

__attribute__((export_name("set_geometry"))) void set_geometry(int n, int ih, int iw, int ic,
    int oh, int ow, int oc, int fh, int fw, int sh, int sw, int dh, int dw, int pt, int pl) {
  g = (Geo){n, ih, iw, ic, oh, ow, oc, fh, fw, sh, sw, dh, dw, pt, pl};
}

#define PUT(j, v, lane) \
  if (nr > j) dst[j] = accumulate ? dst[j] + wasm_f32x4_extract_lane(v, lane) \
                                  : wasm_f32x4_extract_lane(v, lane)

// Stores (or adds) one tile row of nr <= NR columns, without a stack buffer.
static inline void store_row(float *dst, v128_t lo, v128_t hi, int nr, int accumulate) {
  if (nr == NR) {
    if (accumulate) {
      lo = wasm_f32x4_add(lo, wasm_v128_load(dst));
      hi = wasm_f32x4_add(hi, wasm_v128_load(dst + 4));
    }
    wasm_v128_store(dst, lo);
    wasm_v128_store(dst + 4, hi);
    return;
  }
  PUT(0, lo, 0); PUT(1, lo, 1); PUT(2, lo, 2); PUT(3, lo, 3);
  PUT(4, hi, 0); PUT(5, hi, 1); PUT(6, hi, 2); PUT(7, hi, 3);
}

// c[MR x NR] (+)= a[kc][MR] * b[kc][NR]; stores only rows < mr and columns < nr. The constant
// loops unroll fully, so the accumulators live in registers.
static void micro(int kc, const float *a, const float *b, float *c, int ldc, int mr, int nr,
                  int accumulate) {
  v128_t lo[MR], hi[MR];
  for (int r = 0; r < MR; r++) lo[r] = hi[r] = wasm_f32x4_splat(0);
  for (int k = 0; k < kc; k++) {
    v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
    for (int r = 0; r < MR; r++) {
      v128_t ar = wasm_v128_load32_splat(a + r);
      lo[r] = wasm_f32x4_relaxed_madd(ar, b0, lo[r]);
      hi[r] = wasm_f32x4_relaxed_madd(ar, b1, hi[r]);
    }
    a += MR;
    b += NR;
  }
  for (int r = 0; r < MR; r++)
    if (r < mr) store_row(c + r * ldc, lo[r], hi[r], nr, accumulate);
}

static inline int min(int a, int b) { return a < b ? a : b; }

// Packs b[k][n] (row stride ldb, or transposed: b[n][k]) into panels [N/NR][K][NR], zero-padded.
static void pack_b(const float *b, int k, int n, int ldb, int transposed, float *dst) {
  for (int j0 = 0; j0 < n; j0 += NR) {
    for (int kk = 0; kk < k; kk++) {
      for (int j = 0; j < NR; j++) {
        int col = j0 + j;
        *dst++ = col >= n ? 0 : transposed ? b[col * ldb + kk] : b[kk * ldb + col];
      }
    }
  }
}

// Packs rows [m0, m0+mb) x columns [k0, k0+kc) of im2col(x) into [mb/MR][kc][MR], zero-padded.
// Divides once per block, then steps pixel and tap counters: with one input channel (the stem)
// every column is its own tap, and a division per column made packing cost more than the GEMM.
static void pack_im2col(const float *x, int m0, int mb, int mtotal, int k0, int kc, float *dst) {
  int ci0 = k0 % g.ic, tap0 = k0 / g.ic, fx0 = tap0 % g.fw, fy0 = tap0 / g.fw;
  int ox = m0 % g.ow, rest = m0 / g.ow, oy = rest % g.oh, n = rest / g.oh;
  int image = g.ih * g.iw * g.ic;
  for (int r0 = 0; r0 < mb; r0 += MR) {
    for (int r = 0; r < MR; r++) {
      float *out = dst + r0 * kc + r;
      if (m0 + r0 + r >= mtotal) {
        for (int kk = 0; kk < kc; kk++) out[kk * MR] = 0;
        continue;
      }
      const float *img = x + n * image;
      int y0 = oy * g.sh - g.pt, x0 = ox * g.sw - g.pl;
      int kk = 0, ci = ci0, fx = fx0, fy = fy0;
      while (kk < kc) {
        int run = min(g.ic - ci, kc - kk);
        int y = y0 + fy * g.dh, xx = x0 + fx * g.dw;
        if (y < 0 || y >= g.ih || xx < 0 || xx >= g.iw) {
          for (int i = 0; i < run; i++) out[(kk + i) * MR] = 0;
        } else {
          const float *src = img + (y * g.iw + xx) * g.ic + ci;
          for (int i = 0; i < run; i++) out[(kk + i) * MR] = src[i];
        }
        kk += run;
        ci = 0;
        if (++fx == g.fw) fx = 0, fy++;
      }
      if (++ox == g.ow) {
        ox = 0;
        if (++oy == g.oh) oy = 0, n++;
      }
    }
  }
}

// Packs rows [m0, m0+mb) x [k0, k0+kc) of a row-major matrix a (stride lda) into [mb/MR][kc][MR].
static void pack_rows(const float *a, int lda, int m0, int mb, int mtotal, int k0, int kc,
                      float *dst) {
  for (int r0 = 0; r0 < mb; r0 += MR)
    for (int r = 0; r < MR; r++) {
      int m = m0 + r0 + r;
      float *out = dst + r0 * kc + r;
      if (m >= mtotal)
        for (int kk = 0; kk < kc; kk++) out[kk * MR] = 0;
      else
        for (int kk = 0; kk < kc; kk++) out[kk * MR] = a[m * lda + k0 + kk];
    }
}

// c[mb x n] (+)= packed a[mb/MR][kc][MR] * packed b panels (each [K][NR], starting at row k0).
static void block(int mb, int n, int kc, int ktotal, int k0, const float *pa, const float *pb,
                  float *c, int ldc, int accumulate) {
  for (int j0 = 0; j0 < n; j0 += NR) {
    const float *panel = pb + (j0 / NR) * ktotal * NR + k0 * NR;
    for (int r0 = 0; r0 < mb; r0 += MR)
      micro(kc, pa + r0 * kc, panel, c + r0 * ldc + j0, ldc, min(MR, mb - r0), min(NR, n - j0),
            accumulate);
  }
}

static int kdim(void) { return g.fh * g.fw * g.ic; }
static int mdim(void) { return g.n * g.oh * g.ow; }

// Floats of scratch: per-thread work buffers (0 forward, 1 input grad, 2 filter grad) and the
// packed weights the threads share (3 forward, 4 input grad).
__attribute__((export_name("scratch_floats"))) int scratch_floats(int kind) {
  int k = kdim(), nb = (g.oc + NR - 1) / NR * NR, kb = (k + NR - 1) / NR * NR;
  switch (kind) {
    case 0: return MB * KC;
    case 1: return MB * KC + MB * k;
    case 2: return KC * ((k + MR - 1) / MR * MR) + KC * nb;
    case 3: return k * nb;
    default: return g.oc * kb;
  }
}

__attribute__((export_name("pack_forward"))) void pack_forward(const float *w, float *packed) {
  pack_b(w, kdim(), g.oc, g.oc, 0, packed);
}

__attribute__((export_name("pack_input_grad"))) void pack_input_grad(const float *w,
                                                                      float *packed) {
  pack_b(w, g.oc, kdim(), g.oc, 1, packed);
}

// y[rows m_from..m_to) = im2col(x) · w (+ bias, relu when act == 1); pb from pack_forward.
__attribute__((export_name("conv_forward"))) void conv_forward(const float *x, const float *pb,
    const float *bias, int act, float *y, float *pa, int m_from, int m_to) {
  int k = kdim(), m = mdim();
  for (int m0 = m_from; m0 < m_to; m0 += MB) {
    int mb = min(MB, m_to - m0);
    for (int k0 = 0; k0 < k; k0 += KC) {
      int kc = min(KC, k - k0);
      pack_im2col(x, m0, mb, m, k0, kc, pa);
      block(mb, g.oc, kc, k, k0, pa, pb, y + m0 * g.oc, g.oc, k0 > 0);
    }
    if (bias || act) {
      for (int i = m0 * g.oc; i < (m0 + mb) * g.oc; i++) {
        float v = y[i] + (bias ? bias[i % g.oc] : 0);
        y[i] = act == 1 && v < 0 ? 0 : v;
      }
    }
  }
}

// dx += col2im(dy · wᵀ) over output pixels [m_from, m_to); dx zeroed by the caller, pb from
// pack_input_grad. Output pixels of different images never share an input pixel, so threads
// split by image.
__attribute__((export_name("conv_input_grad"))) void conv_input_grad(const float *dy,
    const float *pb, float *dx, float *work, int m_from, int m_to) {
  int k = kdim();
  float *pa = work, *dcol = work + MB * KC;
  for (int m0 = m_from; m0 < m_to; m0 += MB) {
    int mb = min(MB, m_to - m0);
    for (int k0 = 0; k0 < g.oc; k0 += KC) {
      int kc = min(KC, g.oc - k0);
      pack_rows(dy, g.oc, m0, mb, m_to, k0, kc, pa);
      block(mb, k, kc, g.oc, k0, pa, pb, dcol, k, k0 > 0);
    }
    for (int r = 0; r < mb; r++) {
      int mm = m0 + r, ox = mm % g.ow, rest = mm / g.ow, oy = rest % g.oh, n = rest / g.oh;
      const float *row = dcol + r * k;
      for (int fy = 0; fy < g.fh; fy++) {
        int y = oy * g.sh - g.pt + fy * g.dh;
        if (y < 0 || y >= g.ih) continue;
        for (int fx = 0; fx < g.fw; fx++) {
          int xx = ox * g.sw - g.pl + fx * g.dw;
          if (xx < 0 || xx >= g.iw) continue;
          float *dst = dx + ((n * g.ih + y) * g.iw + xx) * g.ic;
          const float *src = row + (fy * g.fw + fx) * g.ic;
          for (int ci = 0; ci < g.ic; ci++) dst[ci] += src[ci];
        }
      }
    }
  }
}

// dw[K x oc] (+)= im2col(x)ᵀ · dy over output pixels [m_from, m_to); dw zeroed by the caller.
__attribute__((export_name("conv_filter_grad"))) void conv_filter_grad(const float *x,
    const float *dy, float *dw, float *scratch, int m_from, int m_to) {
  int k = kdim(), kpad = (k + MR - 1) / MR * MR;
  float *pa = scratch, *pb = scratch + KC * kpad;
  for (int p0 = m_from; p0 < m_to; p0 += KC) {
    int pc = min(KC, m_to - p0);
    // A = colsᵀ, [K/MR][pc][MR]: rows are taps, the reduction runs over pixels p.
    for (int p = 0; p < pc; p++) {
      int mm = p0 + p, ox = mm % g.ow, rest = mm / g.ow, oy = rest % g.oh, n = rest / g.oh;
      for (int fy = 0; fy < g.fh; fy++) {
        int y = oy * g.sh - g.pt + fy * g.dh;
        for (int fx = 0; fx < g.fw; fx++) {
          int xx = ox * g.sw - g.pl + fx * g.dw, r = (fy * g.fw + fx) * g.ic;
          int inside = y >= 0 && y < g.ih && xx >= 0 && xx < g.iw;
          const float *src = x + ((n * g.ih + y) * g.iw + xx) * g.ic;
          for (int ci = 0; ci < g.ic; ci++, r++)
            pa[(r / MR) * pc * MR + p * MR + r % MR] = inside ? src[ci] : 0;
        }
      }
      for (int r = k; r < kpad; r++) pa[(r / MR) * pc * MR + p * MR + r % MR] = 0;
    }
    for (int j0 = 0; j0 < g.oc; j0 += NR)
      for (int p = 0; p < pc; p++)
        for (int j = 0; j < NR; j++)
          pb[(j0 / NR) * pc * NR + p * NR + j] =
              j0 + j < g.oc ? dy[(p0 + p) * g.oc + j0 + j] : 0;
    block(k, g.oc, pc, pc, 0, pa, pb, dw, g.oc, 1);
  }
}

// The ceiling of 128-bit multiply-adds on this CPU, for `bench:peer -- --peak`: `iters` rounds of
// 12 independent accumulators (enough to cover the FMA latency on two ports), no memory traffic.
// fused = 1 uses relaxed_madd (one FMA), 0 a multiply then an add (what a build without FMA does).
// Returns the lanes' sum so that the work cannot be optimised away.
#define PEAK_ACC 12
__attribute__((export_name("peak"))) float peak(int iters, int fused) {
  v128_t acc[PEAK_ACC], a = wasm_f32x4_splat(0.5f), b = wasm_f32x4_splat(0.999f);
  for (int i = 0; i < PEAK_ACC; i++) acc[i] = wasm_f32x4_splat((float)i);
  if (fused) {
    for (int it = 0; it < iters; it++)
      for (int i = 0; i < PEAK_ACC; i++) acc[i] = wasm_f32x4_relaxed_madd(a, acc[i], b);
  } else {
    for (int it = 0; it < iters; it++)
      for (int i = 0; i < PEAK_ACC; i++) acc[i] = wasm_f32x4_add(wasm_f32x4_mul(a, acc[i]), b);
  }
  v128_t t = acc[0];
  for (int i = 1; i < PEAK_ACC; i++) t = wasm_f32x4_add(t, acc[i]);
  return wasm_f32x4_extract_lane(t, 0) + wasm_f32x4_extract_lane(t, 3);
}
