import { z } from 'zod';
import {
  augmentationSchema,
  dependentDefaultsSchema,
  trainConfigSchema,
  type TrainConfigInput,
} from '../training/config.ts';
import { importedInfoSchema } from './model-import.ts';

export const backendInfoSchema = z.object({
  name: z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']),
  /** What the UI badge says, e.g. "TensorFlow GPU", "WebAssembly (SIMD, 2 threads)". */
  label: z.string(),
  /** Why each better backend was not used. */
  reasons: z.array(z.string()),
});

export const modelInfoSchema = z.object({
  name: z.string(),
  description: z.string(),
  parameters: z.number().int().nonnegative(),
});

export const runStatusSchema = z.enum(['running', 'stopped', 'finished', 'failed']);

export const epochMetricsSchema = z.object({
  epoch: z.number().int().positive(),
  loss: z.number(),
  acc: z.number(),
  valLoss: z.number().nullable(),
  valAcc: z.number().nullable(),
  /** The learning rate this epoch trained with. */
  lr: z.number(),
  imagesPerSec: z.number(),
  seconds: z.number(),
});

export const runSummarySchema = z.object({
  id: z.number().int(),
  createdAt: z.string(),
  status: runStatusSchema,
  model: z.string(),
  backend: backendInfoSchema.nullable(),
  epochsDone: z.number().int().nonnegative(),
  epochs: z.number().int().positive(),
  bestValAcc: z.number().nullable(),
  bestEpoch: z.number().int().nullable(),
  seconds: z.number(),
  /** Why it stopped or failed. */
  message: z.string().nullable(),
  trainImages: z.number().int(),
  valImages: z.number().int(),
  /** A checkpoint exists and the run did not finish. */
  canResume: z.boolean(),
  hasModel: z.boolean(),
  parentRunId: z.number().int().nullable(),
  /** Set for a model imported from a file (app/model-import) instead of trained here. */
  imported: importedInfoSchema.nullable().optional(),
  /** The name a person gave the run (run-update); null = "Run #id". */
  name: z.string().nullable().optional(),
  notes: z.string().optional(),
  /** Accuracy on the run's test images from its stored evaluation; null until every one is predicted. */
  testAccuracy: z.number().nullable().optional(),
});

/** A stop and its resume: the run trained to `stoppedAfter`, then went on from `fromEpoch`'s checkpoint. */
export const runResumeSchema = z.object({
  at: z.string(),
  stoppedAfter: z.number().int().nonnegative(),
  fromEpoch: z.number().int().nonnegative(),
});

/** One line of a run's settings as people read it: only what applied (app/runs/applied-settings.ts). */
export const appliedSettingSchema = z.object({
  /** Stable name for tests and scripts, e.g. `optimizer`, `schedule`, `trainedElsewhere`. */
  key: z.string(),
  label: z.string(),
  value: z.string(),
});

export const runDetailSchema = runSummarySchema.extend({
  config: trainConfigSchema,
  history: z.array(epochMetricsSchema),
  /** Every stop-and-resume, oldest first; empty for a run that trained in one go. */
  resumes: z.array(runResumeSchema),
  /**
   * The settings that applied: the optimizer and schedule used and nothing of the ones not
   * chosen; for an imported run only its file and input, since it was trained elsewhere.
   */
  settings: z.array(appliedSettingSchema),
});

export const trainingStatusEventSchema = z.object({
  runId: z.number().int(),
  status: z.enum(['preparing', 'running', 'stopping', 'stopped', 'finished', 'failed']),
  message: z.string().nullable(),
  backend: backendInfoSchema.nullable(),
});

export const trainingBatchEventSchema = z.object({
  runId: z.number().int(),
  epoch: z.number().int(),
  batch: z.number().int(),
  batches: z.number().int(),
  loss: z.number(),
  acc: z.number(),
  imagesPerSec: z.number(),
  /** Seconds left in the whole run at the current rate. */
  etaSeconds: z.number().nullable(),
});

export const trainingEpochEventSchema = epochMetricsSchema.extend({
  runId: z.number().int(),
  /**
   * Set when the rate drops after this epoch: a ReduceLROnPlateau cut or a step of the `step`
   * schedule. Warm-up and cosine move the rate every epoch and are not marked (see `lr`).
   */
  lrChange: z.object({ from: z.number(), to: z.number() }).nullable(),
});

export const trainingHandlerSchemas = {
  'training-options': {
    request: z.object({}).strict(),
    response: z.object({
      models: z.array(modelInfoSchema),
      defaultModel: z.string(),
      backend: backendInfoSchema,
      defaults: trainConfigSchema,
      /** How the defaults of rate, weight decay and warm-up follow the optimizer and the epochs. */
      dependentDefaults: dependentDefaultsSchema,
    }),
  },
  'training-start': {
    request: z.object({
      /**
       * The recipe as sent. parseTrainConfig checks it field by field when the run starts and
       * fills the defaults, some of which depend on other fields (Adam's rate, warm-up by run
       * length), so nothing is filled here.
       */
      config: z
        .custom<TrainConfigInput>(
          (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
          { message: 'config must be an object of training settings' },
        )
        .default({}),
      parentRunId: z.number().int().optional(),
    }),
    response: z.object({ runId: z.number().int() }),
  },
  'training-stop': {
    request: z.object({ runId: z.number().int() }),
    response: z.object({ stopped: z.boolean() }),
  },
  'training-resume': {
    request: z.object({ runId: z.number().int() }),
    response: z.object({ runId: z.number().int() }),
  },
  'runs-list': {
    request: z.object({}).strict(),
    response: z.object({ runs: z.array(runSummarySchema) }),
  },
  'run-get': {
    request: z.object({ runId: z.number().int() }),
    response: runDetailSchema,
  },
  /**
   * The run training now, with the batch points sent so far (thinned like the UI's curve), so a
   * page opened or reloaded mid-run redraws its curve; null when nothing trains.
   */
  'training-live': {
    request: z.object({}).strict(),
    response: z.object({
      run: z
        .object({
          runId: z.number().int(),
          status: z.enum(['preparing', 'running', 'stopping']),
          batches: z.array(trainingBatchEventSchema.omit({ runId: true })),
        })
        .nullable(),
    }),
  },
  'training-augment-preview': {
    request: z.object({
      imageId: z.number().int().optional(),
      augmentation: augmentationSchema.prefault({}),
      seed: z.number().int().default(1),
      count: z.number().int().min(1).max(32).default(8),
    }),
    /** PNG data URLs: the original first, then the augmented samples (crop-sized when cropping). */
    response: z.object({ images: z.array(z.string()) }),
  },
} as const;

export const trainingEventSchemas = {
  'training-status': trainingStatusEventSchema,
  'training-batch': trainingBatchEventSchema,
  'training-epoch': trainingEpochEventSchema,
} as const;
