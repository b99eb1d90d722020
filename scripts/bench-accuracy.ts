// Accuracy experiments on FER-2013 (issue 10): trains one recipe on ../shared/fer2013/train (its own
// stratified validation split) within a time budget, in this process, then scores validation and
// — unless --val-only — FER-2013 test, plain and with test-time flip, never tuning on test.
//
//   npm run bench:accuracy -- [recipe flags] [--train-fraction F] [--val-only] [--out results.jsonl]
//   npm run bench:accuracy -- --run N      (re-score run N of the bench catalogue, plain and flip)
//
// Recipe flags: --model NAME --optimizer adam|sgd --momentum M --weight-decay WD
//   --schedule plateau|cosine|step|constant --warmup E --step-every E --step-factor F
//   --crop PX --padding PX --label-smoothing S --dropout P --lr X --batch-size B --epochs N
//   --patience P --no-early-stop --no-recalibrate-bn --seed S.
// A flag not given keeps the default recipe's value (48 epochs, the Train page's one click), and
// the run goes to its end however long it takes, so a slower machine still measures the whole
// recipe (the report says whether it fitted issue 10's 2 h). --minutes M caps it: the run then
// stops at the first batch after M minutes and is reported as stopped.
// --train-fraction F trains on a stratified, seeded fraction of train (proxy runs); the
// validation split is then taken from that fraction. --out appends one JSON line per run.
// --save DIR keeps the trained model (model.json + weights.bin). Batch-norm recalibration is part
// of the default recipe; with --no-recalibrate-bn the same weights are also scored after it, a
// paired comparison (issue 10, item 4), while the figures without it stay the run's result.
// --average-from E also averages the weights of epochs E to the last (stochastic weight
// averaging), recalibrates batch norm and scores that too: paired against the run's own result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { ResponseOf } from '../app/contract/handlers.ts';
import { RECIPE_OPTIONS } from '../app/cli/args.ts';
import { trainingConfig } from '../app/cli/commands/train.ts';
import { selectBackend } from '../app/engine/backend.ts';
import { recalibrateBatchNorm } from '../app/evaluation/batch-norm.ts';
import { computeMetrics } from '../app/evaluation/metrics.ts';
import { predictAll } from '../app/evaluation/predict-all.ts';
import { scoreProbabilities } from '../app/evaluation/score.ts';
import type { Tta } from '../app/evaluation/tta.ts';
import { createStudio } from '../app/studio.ts';
import { parseTrainConfig, type TrainConfigInput } from '../app/training/config.ts';
import { prepareDataset, stratifiedSplit, type TrainingData } from '../app/training/dataset.ts';
import { buildSeeded, recipePreprocessing } from '../app/training/model-input.ts';
import { fileIoHandler } from '../app/training/fs-io.ts';
import { train } from '../app/training/train.ts';
import { createWeightAverage } from './weight-average.ts';
import { findModel } from '../models/index.ts';
import { readSplit, subset } from './fer-splits.ts';
import { outcomeRecord, printOutcome, type AccuracyOutcome } from './accuracy-report.ts';
import { benchFlags } from './bench-flags.ts';

const root = path.resolve(import.meta.dirname, '..');
const values = benchFlags(import.meta.filename, {
  fer: { type: 'string', default: path.resolve(root, '../shared/fer2013') },
  work: { type: 'string', default: path.join(root, '.bench') },
  run: { type: 'string' },
  ...RECIPE_OPTIONS,
  'step-every': { type: 'string' },
  'step-factor': { type: 'string' },
  patience: { type: 'string' },
  minutes: { type: 'string' },
  'train-fraction': { type: 'string', default: '1' },
  'val-only': { type: 'boolean', default: false },
  out: { type: 'string' },
  save: { type: 'string' },
  'average-from': { type: 'string' },
});

function fail(message: string): never {
  console.error(`bench:accuracy: ${message}`);
  process.exit(2);
}
const num = (name: keyof typeof values): number | undefined => {
  const raw = values[name];
  if (raw === undefined || typeof raw === 'boolean') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got "${raw}".`);
  return value;
};

/**
 * The recipe from the flags: the CLI's recipe flags (trainingConfig), plus the step schedule and
 * patience the bench also sets. parseTrainConfig fills the defaults and refuses one that
 * cannot work.
 */
function recipe(): TrainConfigInput {
  const input = trainingConfig(values);
  const merge = (key: string, patch: Record<string, number | undefined>) => {
    const given = Object.entries(patch).filter(([, value]) => value !== undefined);
    if (given.length > 0)
      input[key] = { ...(input[key] as object | undefined), ...Object.fromEntries(given) };
  };
  merge('schedule', { stepEvery: num('step-every'), stepFactor: num('step-factor') });
  merge('earlyStopping', { patience: num('patience') });
  return input as TrainConfigInput;
}

if (!fs.existsSync(path.join(values.fer, 'train')) || !fs.existsSync(path.join(values.fer, 'test')))
  fail(
    `FER-2013 is not at ${values.fer} (expected train/<class>/*.png and test/<class>/*.png). ` +
      'Put it at ../shared/fer2013 or pass --fer <folder>.',
  );
const fraction = num('train-fraction') ?? 1;
if (!(fraction > 0 && fraction <= 1)) fail(`--train-fraction must be in (0, 1], got ${fraction}.`);
const cap = num('minutes');
if (cap !== undefined && !(cap > 0)) fail(`--minutes must be more than 0, got ${cap}.`);
let config: ReturnType<typeof parseTrainConfig>;
try {
  config = parseTrainConfig(recipe());
} catch (error) {
  fail((error as Error).message);
}
const entry = findModel(config.model);
if (!entry) fail(`Unknown model "${config.model}".`);

fs.mkdirSync(values.work, { recursive: true });
const catalogPath = path.join(values.work, 'fer.sqlite');
const studio = createStudio({
  catalogPath,
  dataDir: path.join(values.work, 'data'),
  mode: 'browser',
});
const call = async (channel: string, payload: unknown): Promise<unknown> => {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.message}`);
  return reply.result;
};
if (((await call('catalogue-stats', {})) as { total: number }).total === 0) {
  console.log(`importing ${values.fer} into ${catalogPath} (once) …`);
  const report = (await call('catalogue-import', { folder: values.fer })) as {
    imported: number;
    seconds: number;
  };
  console.log(`imported ${report.imported} images in ${report.seconds.toFixed(0)} s`);
}
const cpu = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}`;

if (values.run) {
  // Re-score a studio run: its own preprocessing, plain and flip, through the evaluation worker.
  const runId = Number(values.run);
  for (const tta of ['none', 'flip'] as const) {
    const e = (await call('evaluation-run', { runId, tta })) as ResponseOf<'evaluation-run'>;
    console.log(
      `run ${runId} test accuracy ${tta === 'flip' ? 'with flip' : 'plain    '} ${(e.accuracy * 100).toFixed(2)} % (${e.images} images)`,
    );
  }
  await studio.close();
  process.exit(0);
}
await studio.close();

const allTrain = readSplit(catalogPath, 'train');
// A seeded, per-class fraction (stratifiedSplit's held-out part is exactly round(n·F) per class).
const data =
  fraction < 1
    ? subset(allTrain, stratifiedSplit(allTrain.labels, fraction, config.seed + 7919).validation)
    : allTrain;
const backend = await selectBackend('auto');
const model = buildSeeded(entry.build, config);
const preprocessing = recipePreprocessing(config);
const recipeText = JSON.stringify({
  model: config.model,
  optimizer: config.optimizer,
  schedule: config.schedule,
  lr: config.learningRate,
  batchSize: config.batchSize,
  crop: config.augmentation.crop,
  labelSmoothing: config.labelSmoothing,
  dropout: config.dropout,
  recalibrateBatchNorm: config.recalibrateBatchNorm,
  epochs: config.epochs,
  earlyStopping: config.earlyStopping.enabled ? config.earlyStopping.patience : 'off',
  seed: config.seed,
});
console.log(`machine   ${cpu}, ${backend.label}`);
console.log(`recipe    ${recipeText}`);
console.log(
  `data      ${data.labels.length} of ${allTrain.labels.length} train images (fraction ${fraction}), ${model.countParams()} parameters`,
);
console.log('epoch  minutes  lr         train acc  val acc  val loss  img/s');

const averageFrom = num('average-from');
if (averageFrom !== undefined && !(Number.isInteger(averageFrom) && averageFrom >= 1))
  fail(`--average-from must be an epoch number (1 or more), got ${averageFrom}.`);
const average =
  averageFrom === undefined ? null : { from: averageFrom, weights: createWeightAverage() };
const started = Date.now();
const controller = new AbortController();
const timer = cap === undefined ? undefined : setTimeout(() => controller.abort(), cap * 60_000);
const result = await train(
  model,
  data,
  config,
  {
    onEpochEnd: (m) => {
      if (average && m.epoch >= average.from) average.weights.add(model.getWeights());
      console.log(
        `${String(m.epoch).padStart(5)}  ${((Date.now() - started) / 60_000).toFixed(1).padStart(7)}  ${m.lr.toExponential(2).padEnd(9)}  ${(m.acc * 100).toFixed(1).padStart(8)} %  ${((m.valAcc ?? 0) * 100).toFixed(1).padStart(5)} %  ${(m.valLoss ?? 0).toFixed(4).padStart(8)}  ${m.imagesPerSec.toFixed(0).padStart(5)}`,
      );
    },
    onLrChange: (c) =>
      console.log(
        `       rate ${c.from.toExponential(2)} → ${c.to.toExponential(2)} (${c.reason}) after epoch ${c.epoch}`,
      ),
  },
  { signal: controller.signal },
);
clearTimeout(timer);
const minutes = (Date.now() - started) / 60_000;
console.log(`[${result.status}] ${result.message}`);

async function score(set: TrainingData, tta: Tta) {
  const probs = await predictAll(model, set.pixels, () => {}, preprocessing, tta);
  const { predicted } = scoreProbabilities(set.labels, probs);
  return computeMetrics(set.labels, predicted);
}

// The validation images train() held out: the same seeded split, from the same data.
const prepared = prepareDataset(data, config);
const validation = subset(data, prepared.validation);
const both = async (set: TrainingData) => ({
  plain: await score(set, 'none'),
  flip: await score(set, 'flip'),
});
const accuracies = async (set: TrainingData) => {
  const { plain, flip } = await both(set);
  return { plain: plain.accuracy, flip: flip.accuracy };
};
const val = await both(validation);
const testSet = values['val-only'] ? null : readSplit(catalogPath, 'test');
const test = testSet ? { ...(await both(testSet)), images: testSet.labels.length } : null;
if (values.save) {
  await model.save(fileIoHandler(path.resolve(values.save)));
  console.log(`saved the model to ${path.resolve(values.save)}`);
}
const trainSet = () => subset(data, prepared.train).pixels;
// The paired batch-norm measurement: the same weights, moving statistics replaced by the exact
// ones of the train images (what the default recipe does), after every other figure is taken.
const recalibratedBn = config.recalibrateBatchNorm
  ? null
  : await (async () => {
      recalibrateBatchNorm(model, trainSet());
      return {
        val: await accuracies(validation),
        test: testSet ? await accuracies(testSet) : null,
      };
    })();
// The paired weight-averaging measurement: epochs averageFrom… of this run, recalibrated.
const averaged =
  average && average.weights.count > 0
    ? await (async () => {
        const mean = average.weights.mean();
        model.setWeights(mean);
        tf.dispose(mean);
        average.weights.dispose();
        recalibrateBatchNorm(model, trainSet());
        if (values.save) await model.save(fileIoHandler(path.resolve(`${values.save}-averaged`)));
        return {
          epochs: [average.from, result.epochsDone],
          val: await accuracies(validation),
          test: testSet ? await accuracies(testSet) : null,
        };
      })()
    : null;

const outcome: AccuracyOutcome = {
  cpu,
  backend: backend.label,
  recipe: JSON.parse(recipeText) as unknown,
  trainFraction: fraction,
  trainImages: prepared.train.length,
  valImages: validation.labels.length,
  result,
  minutes,
  val,
  test,
  recalibratedBn,
  averaged,
};
printOutcome(outcome);
if (values.out) {
  fs.appendFileSync(values.out, `${JSON.stringify(outcomeRecord(outcome))}\n`);
  console.log(`appended to ${values.out}`);
}
model.dispose();
tf.disposeVariables();
