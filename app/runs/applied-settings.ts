import type { z } from 'zod';
import type { appliedSettingSchema, runResumeSchema } from '../contract/training.ts';
import type { importedInfoSchema } from '../contract/model-import.ts';
import type { Preprocessing } from '../preprocessing/record.ts';
import type { TrainConfig } from '../training/config.ts';
import { describeInput } from './describe-input.ts';

export type AppliedSetting = z.output<typeof appliedSettingSchema>;
export type RunResume = z.output<typeof runResumeSchema>;
type ImportedInfo = z.output<typeof importedInfoSchema>;

/** What decides which settings applied: the recipe, and whether the model was trained here at all. */
export interface AppliedInput {
  config: TrainConfig;
  imported?: ImportedInfo | null | undefined;
  /** The model's input record; null = the studio's own 48×48 gray in [0, 1]. */
  preprocessing: Preprocessing | null;
  resumes: readonly RunResume[];
}

/** 0.0005 → "0.0005", 1e-5 → "0.00001": the rate as typed, without float noise. */
const num = (x: number): string => String(Number(x.toPrecision(6)));
const pct = (x: number): string => `${num(x * 100)} %`;
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function optimizer(c: TrainConfig): string {
  const o = c.optimizer;
  const parts = [o.name === 'adam' ? 'Adam' : 'SGD'];
  if (o.name === 'sgd' && o.momentum > 0)
    parts[0] += ` with ${o.nesterov ? 'Nesterov momentum' : 'momentum'} ${num(o.momentum)}`;
  if (o.weightDecay > 0) parts.push(`weight decay ${num(o.weightDecay)}`);
  return parts.join(', ');
}

function schedule(c: TrainConfig): string {
  const s = c.schedule;
  const p = c.reduceLrOnPlateau;
  switch (s.kind) {
    case 'cosine':
      return `cosine, down to ${pct(s.finalFraction)} of the rate at the last epoch`;
    case 'step':
      return `× ${num(s.stepFactor)} every ${plural(s.stepEvery, 'epoch')}`;
    case 'constant':
      return 'constant';
    case 'plateau':
      return p.enabled
        ? `lower on a plateau: × ${num(p.factor)} after ${plural(p.patience, 'epoch')} without improvement in ${c.monitor}, not below ${num(p.minLr)}`
        : 'constant (lowering on a plateau was off)';
  }
}

function augmentation(c: TrainConfig): string {
  const a = c.augmentation;
  const parts = [
    a.rotationDeg > 0 ? `±${num(a.rotationDeg)}°` : '',
    a.zoom > 0 ? `zoom ±${pct(a.zoom)}` : '',
    a.shift > 0 ? `shift ±${pct(a.shift)}` : '',
    a.horizontalFlip ? 'mirror' : '',
    cropApplied(c) ? `random ${a.crop.size}×${a.crop.size} crop` : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** Size 48 without padding takes the whole image: no crop. */
const cropApplied = (c: TrainConfig): boolean =>
  c.augmentation.crop.size !== 48 || c.augmentation.crop.padding > 0;

function resumed(resumes: readonly RunResume[]): string {
  return resumes
    .map(
      (r) =>
        `stopped after epoch ${r.stoppedAfter}, resumed from ${
          r.fromEpoch === r.stoppedAfter
            ? 'its checkpoint'
            : `the checkpoint of epoch ${r.fromEpoch}`
        }`,
    )
    .join('; ');
}

/** The run's settings as people read them, only those that applied (the run page shows these). */
export function appliedSettings(run: AppliedInput): AppliedSetting[] {
  const rows: [string, string, string][] = [];
  const add = (key: string, label: string, value: string) => rows.push([key, label, value]);
  if (run.imported) {
    add(
      'trainedElsewhere',
      'Trained elsewhere',
      `${run.imported.fileName} (${run.imported.detail})`,
    );
    if (run.preprocessing) add('input', 'Input', describeInput(run.preprocessing));
    return rows.map(([key, label, value]) => ({ key, label, value }));
  }
  const c = run.config;
  add('optimizer', 'Optimizer', optimizer(c));
  add('learningRate', 'Learning rate', num(c.learningRate));
  add('schedule', 'Schedule', schedule(c));
  if (c.schedule.warmupEpochs > 0)
    add('warmup', 'Warm-up', plural(c.schedule.warmupEpochs, 'epoch'));
  add('batchSize', 'Batch size', String(c.batchSize));
  add('validation', 'Validation', pct(c.validationFraction));
  add('augmentation', 'Augmentation', augmentation(c));
  if (c.labelSmoothing > 0) add('labelSmoothing', 'Label smoothing', num(c.labelSmoothing));
  if (c.dropout !== null) add('dropout', 'Dropout', num(c.dropout));
  add('classWeighting', 'Class weighting', c.classWeighting);
  add(
    'earlyStopping',
    'Early stopping',
    c.earlyStopping.enabled
      ? `patience ${plural(c.earlyStopping.patience, 'epoch')} on ${c.monitor}`
      : 'off',
  );
  if (c.recalibrateBatchNorm)
    add('recalibrateBatchNorm', 'Batch norm', 'recalibrated after training');
  if (c.fineTune) {
    const layers = c.fineTune.trainLastLayers;
    add(
      'fineTune',
      'Fine-tuned',
      `from run #${c.fineTune.fromRunId}, ${layers === null ? 'every layer' : `last ${plural(layers, 'layer')}`} trained`,
    );
  }
  add('seed', 'Seed', String(c.seed));
  if (run.resumes.length > 0) add('resumed', 'Stopped and resumed', resumed(run.resumes));
  return rows.map(([key, label, value]) => ({ key, label, value }));
}

/** Config keys (dotted) that did nothing for this run, by their prefix or exact name. */
function unused(run: AppliedInput): string[] {
  const c = run.config;
  const out = ['fineTune.preprocessing'];
  if (c.schedule.kind !== 'plateau') out.push('reduceLrOnPlateau');
  else if (!c.reduceLrOnPlateau.enabled)
    out.push(...['factor', 'patience', 'minDelta', 'minLr'].map((k) => `reduceLrOnPlateau.${k}`));
  if (c.schedule.kind !== 'step') out.push('schedule.stepEvery', 'schedule.stepFactor');
  if (c.schedule.kind !== 'cosine') out.push('schedule.finalFraction');
  if (c.optimizer.name !== 'sgd') out.push('optimizer.momentum', 'optimizer.nesterov');
  else if (c.optimizer.momentum === 0) out.push('optimizer.nesterov');
  if (!c.earlyStopping.enabled) out.push('earlyStopping.patience', 'earlyStopping.minDelta');
  if (!cropApplied(c)) out.push('augmentation.crop');
  return out;
}

/** Flattens nested config to dotted keys, in the config's own order. */
function flatten(value: unknown, prefix = ''): [string, string][] {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return Object.entries(value).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
  return [[prefix, String(value)]];
}

/**
 * The recipe's dotted keys and values that applied (the report's hyper-parameter table): none for
 * an imported run, which was trained elsewhere.
 */
export function appliedParams(run: AppliedInput): [string, string][] {
  if (run.imported) return [];
  const skip = unused(run);
  return flatten(run.config).filter(
    ([key]) => !skip.some((s) => key === s || key.startsWith(`${s}.`)),
  );
}
