import { z } from 'zod';
import { DEFAULT_MODEL } from '../../models/names.ts';
import { preprocessingSchema } from '../preprocessing/record.ts';
import { checkRecipe } from './recipe-check.ts';

export const cropSchema = z.object({
  /**
   * Side of the random crop, in pixels. Below 48 it is also the model's input size, and every
   * inference path feeds the centre crop (app/preprocessing's toModelInput with centerCrop).
   * Larger than 48 is refused by checkRecipe with a message, not here, so the UI can say why.
   */
  size: z.number().int().min(16).max(96).default(44),
  /** Pixels added on each side before cropping (the border repeated), so a 48 crop can shift. */
  padding: z.number().int().min(0).max(16).default(0),
});

export const augmentationSchema = z.object({
  /** Maximum rotation either way, in degrees. */
  rotationDeg: z.number().min(0).max(45).default(10),
  /** Mirror half of the images left–right (expressions are near-symmetric). */
  horizontalFlip: z.boolean().default(true),
  /** Maximum zoom in or out, as a fraction (0.1 = 90 %…110 %). */
  zoom: z.number().min(0).max(0.5).default(0.1),
  /** Maximum shift either way, as a fraction of the image side. */
  shift: z.number().min(0).max(0.5).default(0.1),
  /** Random square crop after the affine transform; size 48 with padding 0 is off. */
  crop: cropSchema.prefault({}),
});

export const earlyStoppingSchema = z.object({
  enabled: z.boolean().default(true),
  /** Epochs without improvement before stopping. */
  patience: z.number().int().min(1).default(6),
  /** Smaller changes count as no improvement (val loss noise on a few thousand images is ~1e-3). */
  minDelta: z.number().min(0).default(1e-3),
  /** Put back the best epoch's weights when training ends. */
  restoreBest: z.boolean().default(true),
});

export const reduceLrSchema = z.object({
  enabled: z.boolean().default(true),
  factor: z.number().gt(0).lt(1).default(0.5),
  /**
   * 3, not 2: on FER-2013 the noisy validation loss let patience 2 halve the rate six times in
   * 28 epochs (down to 1.6e-5) while validation accuracy was still rising.
   */
  patience: z.number().int().min(1).default(3),
  minDelta: z.number().min(0).default(1e-4),
  minLr: z.number().min(0).default(1e-5),
});

/**
 * `sqrt-balanced` (the default) weights class c by sqrt(n_max / n_c), normalised to mean 1 per
 * image. FER-2013's disgust class is ~16× rarer than happy: full balancing gives its few images
 * 16× the gradient of a happy image, which makes training noisy and over-predicts disgust;
 * the square root (4×) still lifts rare-class recall without trading away much accuracy.
 */
export const classWeightingSchema = z.enum(['none', 'sqrt-balanced', 'balanced']);

/**
 * `adam`, or `sgd` with (Nesterov) momentum. Weight decay is the coupled L2 kind for both
 * (PyTorch's `weight_decay`: wd·w added to each gradient, before momentum or Adam's moments), on
 * conv and dense kernels only: decaying batch-norm scales and biases only fights the norm layers.
 */
export const optimizerSchema = z.object({
  name: z.enum(['adam', 'sgd']).default('sgd'),
  /** SGD only; checkRecipe asks for [0, 1). */
  momentum: z.number().default(0.9),
  /** SGD only: Nesterov's look-ahead momentum (Khaireddin & Chen 2021 used it on FER-2013). */
  nesterov: z.boolean().default(true),
  /** L2 coefficient on kernels; 0 = none. Unset, it follows the optimizer (OPTIMIZER_DEFAULTS). */
  weightDecay: z.number().min(0).max(0.1).default(5e-4),
});

/**
 * How the learning rate moves. `plateau` is ReduceLROnPlateau (`reduceLrOnPlateau`); `cosine`
 * and `step` are fixed-length: they follow the epoch number over `epochs` and reach a low rate at
 * the end, so early stopping waits for their annealed phase (see `annealedFrom`). `constant`
 * never changes the rate. Rates change at epoch boundaries, the same for every batch of an epoch.
 */
export const scheduleSchema = z.object({
  kind: z.enum(['plateau', 'cosine', 'step', 'constant']).default('cosine'),
  /**
   * Linear warm-up: epoch e ≤ W trains at learningRate · e / W, before the schedule starts.
   * Unset, 1 for runs of WARMUP_FROM_EPOCHS epochs or more and 0 below (a 1-epoch trial run works).
   */
  warmupEpochs: z.number().int().min(0).default(0),
  /** `step`: multiply the rate by `stepFactor` every `stepEvery` epochs after warm-up. */
  stepEvery: z.number().int().min(1).default(10),
  stepFactor: z.number().gt(0).lt(1).default(0.1),
  /** `cosine`: the last epoch's rate, as a fraction of learningRate. */
  finalFraction: z.number().min(0).max(1).default(0.01),
});

export const monitorSchema = z.enum(['val_loss', 'val_acc', 'loss']);

/** "Train from this run": start from a finished run's weights instead of a fresh model. */
export const fineTuneSchema = z.object({
  fromRunId: z.number().int().positive(),
  /** Train only the last N layers that have weights; null trains every layer. */
  trainLastLayers: z.number().int().min(1).nullable().default(null),
  /** The parent's preprocessing record, copied at start: training, resume and evaluation feed the model alike. */
  preprocessing: preprocessingSchema.optional(),
});

export const trainConfigSchema = z.object({
  /** A key of the model registry (`models/index.ts`). */
  model: z.string().min(1).default(DEFAULT_MODEL),
  epochs: z.number().int().min(1).max(1000).default(48),
  batchSize: z.number().int().min(1).max(4096).default(64),
  /** The peak step size (after warm-up, before any decay). Unset, it follows the optimizer. */
  learningRate: z.number().gt(0).max(1).default(0.05),
  optimizer: optimizerSchema.prefault({}),
  schedule: scheduleSchema.prefault({}),
  /**
   * Targets become (1 − s)·one-hot + s/7; 0 = hard labels. Validation loss stays unsmoothed.
   * 0.1: a full FER-2013 run with it scored validation 65.21 % against 64.88 % without (README,
   * Model experiments, row 21; within noise, chosen on validation).
   */
  labelSmoothing: z.number().min(0).max(0.5).default(0.1),
  /** Dropout rate for the model builder; null = the model's own default. */
  dropout: z.number().min(0).max(0.9).nullable().default(null),
  /**
   * After training, replace batch-norm moving statistics by the exact statistics of the training
   * images under the final weights (no augmentation, centre crop). On: paired on the same weights
   * of a full FER-2013 run it lifted validation from 64.08 to 64.88 % (README, Model experiments).
   */
  recalibrateBatchNorm: z.boolean().default(true),
  /** Held out per class (stratified, seeded) to monitor over-fitting; 0 trains on everything. */
  validationFraction: z.number().min(0).max(0.5).default(0.1),
  /** Pins the split, the shuffle, augmentation, dropout masks and the initial weights (buildSeeded). */
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(1),
  augmentation: augmentationSchema.prefault({}),
  classWeighting: classWeightingSchema.default('sqrt-balanced'),
  earlyStopping: earlyStoppingSchema.prefault({}),
  reduceLrOnPlateau: reduceLrSchema.prefault({}),
  /** What early stopping, the LR plateau and "best" watch; falls back to `loss` without a validation set. */
  monitor: monitorSchema.default('val_loss'),
  fineTune: fineTuneSchema.optional(),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type Augmentation = z.output<typeof augmentationSchema>;
export type ClassWeighting = z.output<typeof classWeightingSchema>;
export type Monitor = z.output<typeof monitorSchema>;
export type Schedule = z.output<typeof scheduleSchema>;
export type OptimizerConfig = z.output<typeof optimizerSchema>;

/**
 * Fills in defaults and rejects bad values: zod's field paths for out-of-range fields, then
 * checkRecipe's sentences for recipes that cannot work (crop larger than the image, …).
 */
export function parseTrainConfig(input: TrainConfigInput = {}): TrainConfig {
  const result = trainConfigSchema.safeParse(withRecipeDefaults(input));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid training config: ${issues.join('; ')}`);
  }
  const problems = checkRecipe(result.data);
  if (problems.length > 0) throw new Error(`This recipe cannot work: ${problems.join(' ')}`);
  return result.data;
}

/**
 * The rate and weight decay each optimizer gets when the recipe leaves them out: SGD's are the
 * default recipe's (README, "Model experiments"), Adam's the ones the studio used before it.
 */
export const OPTIMIZER_DEFAULTS = {
  adam: { learningRate: 1e-3, weightDecay: 0 },
  sgd: { learningRate: 0.05, weightDecay: 5e-4 },
} as const;

/** Runs this long or longer get one warm-up epoch unless the recipe says otherwise. */
export const WARMUP_FROM_EPOCHS = 5;

const suggestionSchema = z.object({ learningRate: z.number(), weightDecay: z.number() });

/**
 * The defaults that follow other fields, as the core applies them, so a form can move them the
 * same way (`training-options` sends them; the renderer keeps no copy of these numbers).
 */
export const dependentDefaultsSchema = z.object({
  optimizers: z.object({ adam: suggestionSchema, sgd: suggestionSchema }),
  warmupFromEpochs: z.number().int(),
});
export type DependentDefaults = z.infer<typeof dependentDefaultsSchema>;

export const DEPENDENT_DEFAULTS: DependentDefaults = {
  optimizers: OPTIMIZER_DEFAULTS,
  warmupFromEpochs: WARMUP_FROM_EPOCHS,
};

/** Defaults that depend on other fields: the optimizer's rate and decay, warm-up by run length. */
function withRecipeDefaults(input: TrainConfigInput): TrainConfigInput {
  const name = input.optimizer?.name ?? 'sgd';
  if (name !== 'adam' && name !== 'sgd') return input; // zod names the bad value
  const defaults = OPTIMIZER_DEFAULTS[name];
  const epochs = input.epochs ?? trainConfigSchema.shape.epochs.parse(undefined);
  return {
    ...input,
    learningRate: input.learningRate ?? defaults.learningRate,
    optimizer: {
      ...input.optimizer,
      weightDecay: input.optimizer?.weightDecay ?? defaults.weightDecay,
    },
    schedule: {
      ...input.schedule,
      warmupEpochs: input.schedule?.warmupEpochs ?? (epochs >= WARMUP_FROM_EPOCHS ? 1 : 0),
    },
  };
}

/**
 * What a run stored before a recipe field existed trained with: the defaults of that time, not
 * today's (an old run read as SGD with 44-px crops would be evaluated on the wrong input).
 */
const BEFORE_RECIPES = {
  model: 'compact-cnn',
  epochs: 30,
  learningRate: 1e-3,
  optimizer: { name: 'adam', weightDecay: 0 },
  schedule: { kind: 'plateau', warmupEpochs: 0 },
  crop: { size: 48, padding: 0 },
  recalibrateBatchNorm: false,
  labelSmoothing: 0,
} as const;

/** A config read back from the catalogue or a checkpoint; fields it lacks take BEFORE_RECIPES. */
export function storedConfigInput(raw: unknown): TrainConfigInput {
  const stored = (raw ?? {}) as TrainConfigInput;
  const old = BEFORE_RECIPES;
  return {
    ...stored,
    model: stored.model ?? old.model,
    epochs: stored.epochs ?? old.epochs,
    learningRate: stored.learningRate ?? old.learningRate,
    recalibrateBatchNorm: stored.recalibrateBatchNorm ?? old.recalibrateBatchNorm,
    labelSmoothing: stored.labelSmoothing ?? old.labelSmoothing,
    optimizer: { ...old.optimizer, ...stored.optimizer },
    schedule: { ...old.schedule, ...stored.schedule },
    augmentation: {
      ...stored.augmentation,
      crop: { ...old.crop, ...stored.augmentation?.crop },
    },
  };
}

/** Parses a stored config (see storedConfigInput); throws zod's error on a damaged one. */
export function parseStoredConfig(raw: unknown): TrainConfig {
  return trainConfigSchema.parse(storedConfigInput(raw));
}

export const NO_AUGMENTATION: Augmentation = {
  rotationDeg: 0,
  horizontalFlip: false,
  zoom: 0,
  shift: 0,
  crop: { size: 48, padding: 0 },
};
