// `npm run bench:peer -- --peak`: the ceiling issue 24's convolution target runs into. Prints one
// core's multiply-add throughput with no memory traffic: WebAssembly's 128-bit relaxed_madd (what
// the FMA kernels use), a multiply then an add (what a build without FMA can do), and
// PyTorch's oneDNN on a wide 3×3 convolution on one thread (AVX-512 here), so a kernel's GMAC/s can be read as a share of what the
// instruction set allows on this CPU.
import { spawnSync } from 'node:child_process';
import { ConvHeap } from '../app/engine/fma/runtime.ts';
import { findTorchPython } from './bench-step.ts';

const here = new URL('.', import.meta.url).pathname;
const LANES = 4;
const ACCUMULATORS = 12; // conv.c's PEAK_ACC

/** GMAC/s of conv.c's peak probe, best of `rounds`. */
function wasmPeak(fused: boolean, rounds = 5): number {
  const { exports } = new ConvHeap();
  const iters = 20_000_000;
  exports.peak(1000, fused ? 1 : 0);
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    exports.peak(iters, fused ? 1 : 0);
    best = Math.min(best, performance.now() - t0);
  }
  return (iters * ACCUMULATORS * LANES) / (best / 1000) / 1e9;
}

function torchGemm(): number | null {
  const python = findTorchPython();
  if (!python) return null;
  const run = spawnSync(python, [`${here}torch_peer.py`, 'gemm', '--threads', '1'], {
    encoding: 'utf8',
  });
  const match = /^gemm\s+([\d.]+) GMAC\/s/m.exec(run.stdout ?? '');
  return run.status === 0 && match ? Number(match[1]) : null;
}

export function printPeaks(): void {
  const fused = wasmPeak(true);
  const unfused = wasmPeak(false);
  console.log('one core, GMAC/s with no memory traffic (best of 5):');
  console.log(
    `  WebAssembly f32x4.relaxed_madd   ${fused.toFixed(1)}   (the FMA kernels' ceiling)`,
  );
  console.log(`  WebAssembly f32x4.mul + add      ${unfused.toFixed(1)}   (a build without FMA)`);
  const torch = torchGemm();
  if (torch === null) console.log('  PyTorch GEMM: skipped (no python3-torch)');
  else
    console.log(
      `  PyTorch oneDNN 3×3 conv, 1 thread ${torch.toFixed(1)}  ` +
        `(relaxed_madd's ceiling is ${(fused / torch).toFixed(2)}× of it)`,
    );
}
