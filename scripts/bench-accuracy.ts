// The accuracy report of issue 3: train the default recipe on FER-2013 train (validation split from
// it) within a time budget, then score the best epoch's model on FER-2013 test, which is never tuned on.
// Usage: npm run bench:accuracy -- [--fer ../shared/fer2013] [--minutes 110] [--epochs 30] [--model NAME]
//        npm run bench:accuracy -- --run N   (score run N of the bench catalogue again, no training)
// Prints the plain model's accuracy (what an exported model scores) and, separately, the accuracy of
// averaging each image's prediction with its mirror image's (test-time flip, 2× the inference).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { openCatalogue } from '../app/catalogue/catalogue.ts';
import { CLASS_NAMES, IMAGE_SIZE, PIXELS_PER_IMAGE } from '../app/contract/classes.ts';
import type { EventOf } from '../app/contract/handlers.ts';
import { selectBackend } from '../app/engine/backend.ts';
import { computeMetrics } from '../app/evaluation/metrics.ts';
import { fileIoHandler } from '../app/training/fs-io.ts';
import { createStudio } from '../app/studio.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    fer: { type: 'string', default: path.resolve(root, '../shared/fer2013') },
    work: { type: 'string', default: path.join(root, '.bench') },
    minutes: { type: 'string', default: '110' },
    epochs: { type: 'string', default: '30' },
    model: { type: 'string' },
    run: { type: 'string' },
  },
});
const budgetMs = Number(values.minutes) * 60_000;
const catalogPath = path.join(values.work, 'fer.sqlite');
fs.mkdirSync(values.work, { recursive: true });
const studio = createStudio({
  catalogPath,
  dataDir: path.join(values.work, 'data'),
  mode: 'browser',
});
const call = async <T>(channel: string, payload: unknown): Promise<T> => {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.result as T;
};

const stats = await call<{ total: number }>('catalogue-stats', {});
if (stats.total === 0) {
  console.log(`importing ${values.fer} …`);
  const report = await call<{ imported: number; seconds: number }>('catalogue-import', {
    folder: values.fer,
  });
  console.log(`imported ${report.imported} images in ${report.seconds.toFixed(1)} s`);
}

/** Trains the default recipe within the budget; returns the run id and the minutes it took. */
async function trainWithinBudget(): Promise<{ runId: number; minutes: number }> {
  let ended: () => void = () => {};
  const finished = new Promise<void>((resolve) => (ended = resolve));
  studio.subscribe((event, payload) => {
    if (event === 'training-epoch') {
      const e = payload as EventOf<'training-epoch'>;
      console.log(
        `epoch ${e.epoch}: loss ${e.loss.toFixed(4)} acc ${(e.acc * 100).toFixed(1)} % val acc ${((e.valAcc ?? 0) * 100).toFixed(1)} % lr ${e.lr} ${e.imagesPerSec.toFixed(0)} img/s ${e.seconds.toFixed(0)} s`,
      );
    } else if (event === 'training-status') {
      const s = payload as EventOf<'training-status'>;
      if (s.message) console.log(`[${s.status}] ${s.message}`);
      if (['finished', 'stopped', 'failed'].includes(s.status)) ended();
    }
  });
  const started = Date.now();
  const config: Record<string, unknown> = { epochs: Number(values.epochs) };
  if (values.model) config.model = values.model;
  const { runId } = await call<{ runId: number }>('training-start', { config });
  const timer = setTimeout(() => void call('training-stop', { runId }), budgetMs);
  await finished;
  clearTimeout(timer);
  return { runId, minutes: (Date.now() - started) / 60_000 };
}

const trained = values.run ? null : await trainWithinBudget();
const runId = trained?.runId ?? Number(values.run);
const run = await call<{
  model: string;
  epochsDone: number;
  bestEpoch: number | null;
  bestValAcc: number | null;
  seconds: number;
  backend: { label: string } | null;
}>('run-get', { runId });
const minutes = trained?.minutes ?? run.seconds / 60;
await studio.close();

// Score the saved (best-epoch) model on the test split recorded in the run's snapshot.
const catalogue = openCatalogue(catalogPath);
const rows = catalogue.db
  .prepare(
    `SELECT i.pixels, r.label FROM run_images r JOIN images i ON i.id = r.image_id WHERE r.run_id = ? AND r.role = 'test' ORDER BY i.id`,
  )
  .raw()
  .all(runId) as [Buffer, string][];
catalogue.close();
await selectBackend('auto');
const model = await tf.loadLayersModel(
  fileIoHandler(path.join(values.work, 'data/runs', `run-${runId}`, 'model')),
);
const truth = rows.map(([, label]) => CLASS_NAMES.indexOf(label as (typeof CLASS_NAMES)[number]));
const plain: number[] = [];
const flipped: number[] = [];
for (let start = 0; start < rows.length; start += 256) {
  const chunk = rows.slice(start, start + 256);
  const pixels = new Float32Array(chunk.length * PIXELS_PER_IMAGE);
  chunk.forEach(([bytes], i) => {
    for (let p = 0; p < PIXELS_PER_IMAGE; p++)
      pixels[i * PIXELS_PER_IMAGE + p] = (bytes[p] as number) / 255;
  });
  const [a, b] = tf.tidy(() => {
    const x = tf.tensor4d(pixels, [chunk.length, IMAGE_SIZE, IMAGE_SIZE, 1]);
    const probs = model.predict(x) as tf.Tensor;
    const mirrored = model.predict(tf.reverse(x, 2)) as tf.Tensor;
    return [probs.argMax(-1), probs.add(mirrored).argMax(-1)];
  });
  plain.push(...(await a.data()));
  flipped.push(...(await b.data()));
  tf.dispose([a, b]);
}
const metrics = computeMetrics(truth, plain);
const flipMetrics = computeMetrics(truth, flipped);
console.log(
  `\nmachine        ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${run.backend?.label ?? '?'}`,
);
console.log(
  `model          ${run.model}, ${run.epochsDone} epochs in ${minutes.toFixed(1)} min (best epoch ${run.bestEpoch}, val acc ${((run.bestValAcc ?? 0) * 100).toFixed(1)} %)`,
);
console.log(
  `test accuracy  ${(metrics.accuracy * 100).toFixed(2)} % on ${truth.length} FER-2013 test images`,
);
console.log(
  `  with test-time flip (mean of image and mirror): ${(flipMetrics.accuracy * 100).toFixed(2)} %`,
);
for (const name of CLASS_NAMES)
  console.log(
    `  ${name.padEnd(9)} F1 ${metrics.perClass[name].f1.toFixed(3)}  (support ${metrics.perClass[name].support})`,
  );
