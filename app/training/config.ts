import { z } from 'zod';
import { DEFAULT_MODEL } from '../../models/names.ts';

export const augmentationSchema = z.object({
  /** Maximum rotation either way, in degrees. */
  rotationDeg: z.number().min(0).max(45).default(10),
  /** Mirror half of the images left–right (expressions are near-symmetric). */
  horizontalFlip: z.boolean().default(true),
  /** Maximum zoom in or out, as a fraction (0.1 = 90 %…110 %). */
  zoom: z.number().min(0).max(0.5).default(0.1),
  /** Maximum shift either way, as a fraction of the image side. */
  shift: z.number().min(0).max(0.5).default(0.1),
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

export const monitorSchema = z.enum(['val_loss', 'val_acc', 'loss']);

export const trainConfigSchema = z.object({
  /** A key of the model registry (`models/index.ts`). */
  model: z.string().min(1).default(DEFAULT_MODEL),
  epochs: z.number().int().min(1).max(1000).default(30),
  batchSize: z.number().int().min(1).max(4096).default(64),
  /** Adam's step size. */
  learningRate: z.number().gt(0).max(1).default(1e-3),
  /** Held out per class (stratified, seeded) to monitor over-fitting; 0 trains on everything. */
  validationFraction: z.number().min(0).max(0.5).default(0.1),
  seed: z.number().int().default(1),
  augmentation: augmentationSchema.prefault({}),
  classWeighting: classWeightingSchema.default('sqrt-balanced'),
  earlyStopping: earlyStoppingSchema.prefault({}),
  reduceLrOnPlateau: reduceLrSchema.prefault({}),
  /** What early stopping, the LR plateau and "best" watch; falls back to `loss` without a validation set. */
  monitor: monitorSchema.default('val_loss'),
});

export type TrainConfig = z.output<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
export type Augmentation = z.output<typeof augmentationSchema>;
export type ClassWeighting = z.output<typeof classWeightingSchema>;
export type Monitor = z.output<typeof monitorSchema>;

/** Fills in defaults and rejects bad values with zod's field paths in the message. */
export function parseTrainConfig(input: TrainConfigInput = {}): TrainConfig {
  const result = trainConfigSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid training config: ${issues.join('; ')}`);
  }
  return result.data;
}

export const NO_AUGMENTATION: Augmentation = {
  rotationDeg: 0,
  horizontalFlip: false,
  zoom: 0,
  shift: 0,
};
