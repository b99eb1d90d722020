import { formatNumber } from '../format.ts';
import { AUGMENTATION_FIELDS, NUMBER_FIELDS, NUMBER_KEYS } from './number-fields.ts';
import type {
  Augmentation,
  ClassWeighting,
  DependentDefaults,
  NumberField,
  NumberSpec,
  OptimizerName,
  ScheduleKind,
  TrainConfig,
} from './number-fields.ts';

/** What the form edits: numbers as typed text, so a half-typed "0." is not thrown away. */
export interface TrainDraft {
  /** Carries the settings the form does not show (seed, monitor, min deltas, restore-best). */
  base: TrainConfig;
  text: Record<NumberField, string>;
  model: string;
  horizontalFlip: boolean;
  classWeighting: ClassWeighting;
  earlyStopping: boolean;
  reduceLr: boolean;
  optimizer: OptimizerName;
  schedule: ScheduleKind;
  recalibrateBatchNorm: boolean;
  /** Empty = the model's own dropout. */
  dropout: string;
}

export type DraftChoices = Pick<
  TrainDraft,
  | 'model'
  | 'horizontalFlip'
  | 'classWeighting'
  | 'earlyStopping'
  | 'reduceLr'
  | 'optimizer'
  | 'schedule'
  | 'recalibrateBatchNorm'
  | 'dropout'
>;

/** Null for an empty or valid dropout rate (0–0.9), else what is wrong with it. */
export function dropoutError(text: string): string | null {
  if (text.trim() === '') return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return 'Not a number';
  return value < 0 || value > 0.9 ? 'From 0 to 0.9, or empty for the model’s own' : null;
}

export function draftFromConfig(config: TrainConfig): TrainDraft {
  const text = {} as Record<NumberField, string>;
  for (const key of NUMBER_KEYS) {
    const spec: NumberSpec = NUMBER_FIELDS[key];
    const value = spec.read(config);
    text[key] = formatNumber(spec.percent ? value * 100 : value);
  }
  return {
    base: config,
    text,
    model: config.model,
    horizontalFlip: config.augmentation.horizontalFlip,
    classWeighting: config.classWeighting,
    earlyStopping: config.earlyStopping.enabled,
    reduceLr: config.reduceLrOnPlateau.enabled,
    optimizer: config.optimizer.name,
    schedule: config.schedule.kind,
    recalibrateBatchNorm: config.recalibrateBatchNorm,
    dropout: config.dropout === null ? '' : formatNumber(config.dropout),
  };
}

/** Null when the text is a valid value for the field, else what is wrong with it. */
export function fieldError(key: NumberField, text: string): string | null {
  const spec: NumberSpec = NUMBER_FIELDS[key];
  if (text.trim() === '') return 'Required';
  const value = Number(text);
  if (!Number.isFinite(value)) return 'Not a number';
  if (spec.integer && !Number.isInteger(value)) return 'Whole number';
  const below = spec.exclusive ? value <= spec.min : value < spec.min;
  const above = spec.exclusive ? value >= spec.max : value > spec.max;
  if (below || above) {
    return spec.exclusive
      ? `Between ${spec.min} and ${spec.max}, exclusive`
      : `From ${spec.min} to ${spec.max}`;
  }
  return null;
}

export interface ParsedDraft {
  /** Invalid fields keep the base value, so this is always a complete config. */
  config: TrainConfig;
  errors: Partial<Record<NumberField, string>>;
  valid: boolean;
}

export function parseDraft(draft: TrainDraft): ParsedDraft {
  let config: TrainConfig = {
    ...draft.base,
    model: draft.model,
    classWeighting: draft.classWeighting,
    augmentation: { ...draft.base.augmentation, horizontalFlip: draft.horizontalFlip },
    earlyStopping: { ...draft.base.earlyStopping, enabled: draft.earlyStopping },
    reduceLrOnPlateau: { ...draft.base.reduceLrOnPlateau, enabled: draft.reduceLr },
    optimizer: { ...draft.base.optimizer, name: draft.optimizer },
    schedule: { ...draft.base.schedule, kind: draft.schedule },
    recalibrateBatchNorm: draft.recalibrateBatchNorm,
    dropout:
      draft.dropout.trim() === ''
        ? null
        : dropoutError(draft.dropout)
          ? draft.base.dropout
          : Number(draft.dropout),
  };
  const errors: Partial<Record<NumberField, string>> = {};
  for (const key of NUMBER_KEYS) {
    const spec: NumberSpec = NUMBER_FIELDS[key];
    const error = fieldError(key, draft.text[key]);
    if (error) {
      errors[key] = error;
      continue;
    }
    const value = Number(draft.text[key]);
    config = spec.write(config, spec.percent ? value / 100 : value);
  }
  const valid = Object.keys(errors).length === 0 && dropoutError(draft.dropout) === null;
  return { config, errors, valid };
}

/** The augmentation to preview, or null while one of its fields is invalid. */
export function draftAugmentation(draft: TrainDraft): Augmentation | null {
  const { config, errors } = parseDraft(draft);
  return AUGMENTATION_FIELDS.some((key) => errors[key]) ? null : config.augmentation;
}

/**
 * Switching optimizer also switches a learning rate or weight decay left at the old optimizer's
 * suggestion (Adam's 1e-3 barely moves SGD; SGD's 0.05 blows Adam up); a typed value is kept.
 * The suggestions are the core's (`training-options`' dependentDefaults); without them (a run
 * adopted while the options failed to load) only the optimizer changes.
 */
export function withOptimizer(
  draft: TrainDraft,
  optimizer: OptimizerName,
  rules: DependentDefaults | undefined,
): TrainDraft {
  if (optimizer === draft.optimizer || !rules) return { ...draft, optimizer };
  const text = { ...draft.text };
  for (const key of ['learningRate', 'weightDecay'] as const) {
    if (Number(text[key]) === rules.optimizers[draft.optimizer][key])
      text[key] = formatNumber(rules.optimizers[optimizer][key]);
  }
  return { ...draft, optimizer, text };
}

/**
 * Editing the epochs also moves a warm-up left at its automatic value, as the core does for a
 * recipe without one: a 1-epoch trial run trains without warm-up. A typed warm-up is kept, and
 * without the core's rules only the epochs change.
 */
export function withEpochs(
  draft: TrainDraft,
  epochs: string,
  rules: DependentDefaults | undefined,
): TrainDraft {
  if (!rules) return { ...draft, text: { ...draft.text, epochs } };
  const autoWarmup = (runEpochs: string) => (Number(runEpochs) >= rules.warmupFromEpochs ? 1 : 0);
  const text = { ...draft.text, epochs };
  const valid = epochs.trim() !== '' && Number.isFinite(Number(epochs));
  if (valid && Number(draft.text.warmupEpochs) === autoWarmup(draft.text.epochs))
    text.warmupEpochs = String(autoWarmup(epochs));
  return { ...draft, text };
}
