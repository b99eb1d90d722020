// Inference speed of what evaluate, label issues and their folds run: app/evaluation's predictAll
// on the default model (44-px centre crops, batches of 256), with the FMA convolution kernels and
// with today's (FER_FMA_KERNELS=0), alternately in one run so load from other processes hits both.
//
//   npm run bench:inference -- [--model compact-cnn-w24] [--threads 1|2] [--images 2048] [--rounds 3]
import os from 'node:os';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../app/contract/classes.ts';
import { selectBackend } from '../app/engine/backend.ts';
import { installFmaKernels } from '../app/engine/fma/index.ts';
import { predictAll } from '../app/evaluation/predict-all.ts';
import { parseTrainConfig } from '../app/training/config.ts';
import { buildSeeded, recipePreprocessing } from '../app/training/model-input.ts';
import { findModel } from '../models/index.ts';
import { badFlag, benchFlags } from './bench-flags.ts';
import { cpuName, loadAverage } from './bench-step.ts';

const values = benchFlags(import.meta.filename, {
  model: { type: 'string', default: 'compact-cnn-w24' },
  threads: { type: 'string', default: '2' },
  images: { type: 'string', default: '2048' },
  rounds: { type: 'string', default: '3' },
});
const threads = Number(values.threads);
const images = Number(values.images);
const rounds = Number(values.rounds);
if (![threads, images, rounds].every((n) => Number.isInteger(n) && n > 0))
  badFlag(import.meta.filename, '--threads, --images and --rounds must be positive integers');
const config = parseTrainConfig({ model: values.model });
const entry = findModel(config.model);
if (!entry) badFlag(import.meta.filename, `unknown model "${values.model}"`);

const info = await selectBackend('wasm', undefined, { wasmThreads: threads });
console.log(`cpu: ${cpuName()} (${os.availableParallelism()} cores), ${loadAverage()}`);
console.log(`backend: ${info.label}`);
const preprocessing = recipePreprocessing(config);
const model = buildSeeded(entry!.build, config);
const pixels = new Uint8Array(images * PIXELS_PER_IMAGE).map((_, i) => (i * 2654435761) >>> 24);

async function rate(fma: boolean): Promise<number> {
  if (fma) delete process.env['FER_FMA_KERNELS'];
  else process.env['FER_FMA_KERNELS'] = '0';
  installFmaKernels(threads);
  await predictAll(model, pixels.subarray(0, 256 * PIXELS_PER_IMAGE), () => {}, preprocessing);
  const t0 = performance.now();
  const probs = await predictAll(model, pixels, () => {}, preprocessing);
  const ms = performance.now() - t0;
  if (probs.length !== images * CLASS_NAMES.length) throw new Error('short prediction');
  return (images * 1000) / ms;
}

const best = { fma: 0, today: 0 };
for (let round = 1; round <= rounds; round++) {
  const fma = await rate(true);
  const today = await rate(false);
  best.fma = Math.max(best.fma, fma);
  best.today = Math.max(best.today, today);
  console.log(
    `round ${round}: FMA ${fma.toFixed(0)} img/s, today's kernels ${today.toFixed(0)} img/s, ×${(fma / today).toFixed(2)}  (${loadAverage()})`,
  );
}
console.log(
  `best of ${rounds}: ${values.model} inference ${best.fma.toFixed(0)} img/s with FMA, ${best.today.toFixed(0)} with today's kernels = ×${(best.fma / best.today).toFixed(2)} on ${cpuName()}, ${threads} thread(s), ${loadAverage()}`,
);
model.dispose();
