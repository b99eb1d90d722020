// The app's real training step (app/training with the default recipe) beside its PyTorch twin.
// Usage: node scripts/bench-train.ts [--model compact-cnn-w24] [--threads 1|2] [--steps 10]
//        [--rounds 2] [--backend auto|tensorflow|wasm|cpu] [--kernels] [--profile]
//   --kernels: also time today's convolution kernels (FER_FMA_KERNELS=0) in every round.
//   --profile: wall ms per kernel per training step instead (tf.profile; FER_FMA_KERNELS=0 for today's).
// Prints img/s per round with the load average, the best ratio with the CPU's name, and the
// minutes a FER-2013 epoch's training steps take.
import { DEFAULT_MODEL, MODELS, findModel } from '../models/index.ts';
import { badFlag, benchFlags } from './bench-flags.ts';
import { compareTrainingSteps } from './bench-step.ts';
import type { BackendPreference } from '../app/engine/backend.ts';

const values = benchFlags(import.meta.filename, {
  model: { type: 'string', default: DEFAULT_MODEL },
  backend: { type: 'string', default: 'wasm' },
  threads: { type: 'string', default: '2' },
  steps: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '2' },
  kernels: { type: 'boolean', default: false },
  profile: { type: 'boolean', default: false },
});
if (!findModel(values.model))
  badFlag(
    import.meta.filename,
    `unknown model "${values.model}"; known: ${Object.keys(MODELS).join(', ')} (and compact-cnn-wNN)`,
  );
const [threads, steps, rounds] = [values.threads, values.steps, values.rounds].map(Number) as [
  number,
  number,
  number,
];
if (![threads, steps, rounds].every((n) => Number.isInteger(n) && n >= 1))
  badFlag(import.meta.filename, '--threads, --steps and --rounds must be positive integers');
if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(values.backend))
  badFlag(
    import.meta.filename,
    `unknown backend "${values.backend}" (auto, tensorflow, wasm or cpu)`,
  );

await compareTrainingSteps({
  model: values.model,
  threads,
  steps,
  rounds,
  backend: values.backend as BackendPreference,
  compareKernels: values.kernels,
  profile: values.profile,
});
