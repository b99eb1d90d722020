// The studio's training step beside PyTorch's on the same recipe, or single convolutions.
// Usage: node scripts/bench-peer.ts [--model compact-cnn-w24] [--threads 1|2] [--steps 10] [--rounds 2]
//        node scripts/bench-peer.ts --convs [--threads 1|2] [--steps 5]
//        node scripts/bench-peer.ts --peak
//   default: as bench:train with --kernels (app step with FMA and today's kernels, PyTorch twin).
//   --convs: GMAC/s of the default model's convolutions (forward, input and filter gradients),
//            today's kernels against the FMA kernels, measured alternately.
//   --peak:  one core's multiply-add ceiling: WebAssembly FMA, mul + add, and PyTorch's GEMM.
import { DEFAULT_MODEL } from '../models/index.ts';
import { compareConvKernels } from './bench-peer-convs.ts';
import { printPeaks } from './bench-peer-peak.ts';
import { badFlag, benchFlags } from './bench-flags.ts';
import { compareTrainingSteps, cpuName, loadAverage } from './bench-step.ts';

const values = benchFlags(import.meta.filename, {
  model: { type: 'string', default: DEFAULT_MODEL },
  steps: { type: 'string' },
  rounds: { type: 'string', default: '2' },
  convs: { type: 'boolean', default: false },
  peak: { type: 'boolean', default: false },
  threads: { type: 'string', default: '2' },
});
const threads = Number(values.threads);
const steps = Number(values.steps ?? (values.convs ? 5 : 10));
const rounds = Number(values.rounds);
if (![threads, steps, rounds].every((n) => Number.isInteger(n) && n >= 1))
  badFlag(import.meta.filename, '--threads, --steps and --rounds must be positive integers');

if (values.peak) {
  console.log(`cpu: ${cpuName()}, ${loadAverage()}`);
  printPeaks();
} else if (values.convs) {
  console.log(`cpu: ${cpuName()}, ${loadAverage()}`);
  await compareConvKernels(threads, steps);
} else {
  await compareTrainingSteps({
    model: values.model,
    threads,
    steps,
    rounds,
    backend: 'wasm',
    compareKernels: true,
  });
}
