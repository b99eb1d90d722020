// What bench:accuracy prints at the end of a run and appends to --out: one outcome, two forms.
import { CLASS_NAMES } from '../app/contract/classes.ts';
import type { Metrics } from '../app/evaluation/metrics.ts';
import type { TrainResult } from '../app/training/train.ts';

/** Accuracy plain and with test-time flip. */
export interface Accuracies {
  plain: number;
  flip: number;
}

export interface AccuracyOutcome {
  cpu: string;
  backend: string;
  recipe: unknown;
  trainFraction: number;
  trainImages: number;
  valImages: number;
  result: TrainResult;
  minutes: number;
  val: { plain: Metrics; flip: Metrics };
  /** Null with --val-only. */
  test: { plain: Metrics; flip: Metrics; images: number } | null;
  /** The same weights with batch norm recalibrated (only when the recipe did not). */
  recalibratedBn: { val: Accuracies; test: Accuracies | null } | null;
  /** The weights averaged over epochs[0]…epochs[1], recalibrated (--average-from). */
  averaged: { epochs: number[]; val: Accuracies; test: Accuracies | null } | null;
}

/** Issue 10's budget for the default recipe on all of FER-2013 train, 2-core machine. */
const ISSUE_BUDGET_MINUTES = 120;

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const accuracies = (m: { plain: Metrics; flip: Metrics }): Accuracies => ({
  plain: m.plain.accuracy,
  flip: m.flip.accuracy,
});

/** Before any batch-norm recalibration: the figure to compare --recalibrate-bn against. */
const bestValAcc = (o: AccuracyOutcome) =>
  Math.max(0, ...o.result.history.map((m) => m.valAcc ?? 0));
const imagesPerSec = (o: AccuracyOutcome) =>
  o.result.history.reduce((s, m) => s + m.imagesPerSec, 0) / Math.max(1, o.result.history.length);

function paired(label: string, scores: { val: Accuracies; test: Accuracies | null }): string {
  const { val, test } = scores;
  return (
    `  ${label}: ${pct(val.plain)} plain, ${pct(val.flip)} with flip` +
    (test ? ` (test ${pct(test.plain)}, flip ${pct(test.flip)}; not the run's result)` : '')
  );
}

export function printOutcome(o: AccuracyOutcome): void {
  const { result, val, test } = o;
  console.log(`\nmachine         ${o.cpu}, ${o.backend}`);
  console.log(
    `epochs          ${result.epochsDone} in ${o.minutes.toFixed(1)} min, ${imagesPerSec(o).toFixed(0)} img/s training (best epoch ${result.bestEpoch ?? '—'}${result.restoredBest ? ', restored' : ''}${result.recalibrated ? ', batch norm recalibrated' : ''})`,
  );
  if (o.trainFraction === 1)
    console.log(
      `                ${o.minutes <= ISSUE_BUDGET_MINUTES ? 'within' : 'over'} issue 10's ${ISSUE_BUDGET_MINUTES / 60} h for training on all of FER-2013 train${result.status === 'stopped' ? ' (stopped by --minutes: not the whole recipe)' : ''}`,
    );
  console.log(
    `validation      ${pct(val.plain.accuracy)} plain, ${pct(val.flip.accuracy)} with flip (${o.valImages} images, final model; best epoch's during training ${pct(bestValAcc(o))})`,
  );
  if (o.recalibratedBn)
    console.log(paired('batch norm recalibrated on the train images', o.recalibratedBn));
  if (o.averaged)
    console.log(
      paired(
        `weights averaged over epochs ${o.averaged.epochs.join('–')}, batch norm recalibrated`,
        o.averaged,
      ),
    );
  if (!test) {
    console.log('test            not scored (--val-only)');
    return;
  }
  console.log(
    `test accuracy   ${pct(test.plain.accuracy)} plain on ${test.images} FER-2013 test images`,
  );
  console.log(`  with test-time flip (mean of image and mirror): ${pct(test.flip.accuracy)}`);
  for (const name of CLASS_NAMES)
    console.log(
      `  ${name.padEnd(9)} F1 ${test.plain.perClass[name].f1.toFixed(3)}  flip ${test.flip.perClass[name].f1.toFixed(3)}  (support ${test.plain.perClass[name].support})`,
    );
}

/** One JSON line of --out (the field names earlier results.jsonl files use). */
export function outcomeRecord(o: AccuracyOutcome): Record<string, unknown> {
  const f1 = (m: Metrics) =>
    Object.fromEntries(CLASS_NAMES.map((n) => [n, Number(m.perClass[n].f1.toFixed(4))]));
  const { result, test, recalibratedBn } = o;
  return {
    at: new Date().toISOString(),
    cpu: o.cpu,
    backend: o.backend,
    recipe: o.recipe,
    trainFraction: o.trainFraction,
    trainImages: o.trainImages,
    valImages: o.valImages,
    status: result.status,
    epochs: result.epochsDone,
    bestEpoch: result.bestEpoch,
    minutes: Number(o.minutes.toFixed(2)),
    imagesPerSec: Math.round(imagesPerSec(o)),
    history: result.history.map((m) => ({
      epoch: m.epoch,
      lr: m.lr,
      acc: m.acc,
      valAcc: m.valAcc,
      valLoss: m.valLoss,
    })),
    ...(o.averaged ? { averaged: o.averaged } : {}),
    val: {
      ...accuracies(o.val),
      bestEpochDuringTraining: bestValAcc(o),
      ...(recalibratedBn ? { recalibratedBn: recalibratedBn.val } : {}),
    },
    test: test
      ? {
          ...accuracies(test),
          f1: f1(test.plain),
          f1Flip: f1(test.flip),
          ...(recalibratedBn?.test ? { recalibratedBn: recalibratedBn.test } : {}),
        }
      : null,
  };
}
