import { z } from 'zod';
import { CLASS_NAMES } from './classes.ts';
import { classNameSchema, labelSchema } from './schemas.ts';

const count = z.number().int().nonnegative();
const probabilities = z.array(z.number()).length(CLASS_NAMES.length);

export const evaluationSplitSchema = z.enum(['test', 'val']);

/**
 * Test-time augmentation. `flip`: each image's probabilities are the mean of the model's on the
 * image and on its mirror image (2× the inference). Reported beside the plain figure, never mixed
 * into it; exported models stay plain.
 */
export const ttaSchema = z.enum(['none', 'flip']);

export const classMetricsSchema = z.object({
  precision: z.number(),
  recall: z.number(),
  f1: z.number(),
  support: count,
});

export const evaluationSchema = z.object({
  runId: z.number().int(),
  split: evaluationSplitSchema,
  accuracy: z.number(),
  loss: z.number(),
  perClass: z.object(
    Object.fromEntries(CLASS_NAMES.map((name) => [name, classMetricsSchema])) as Record<
      (typeof CLASS_NAMES)[number],
      typeof classMetricsSchema
    >,
  ),
  /** Rows = true class, columns = predicted class, both in `labels` order. */
  confusion: z.array(z.array(count)),
  labels: z.array(classNameSchema),
  images: count,
  /** How the figures were predicted; absent = `none` (the plain model). */
  tta: ttaSchema.optional(),
});

export const labelIssueSchema = z.object({
  id: z.number().int(),
  label: classNameSchema,
  suggested: classNameSchema,
  /** Out-of-sample probability of the suggested class. */
  confidence: z.number(),
  /** Out-of-sample probability of the given label (low = doubtful); the list is ranked by it. */
  selfConfidence: z.number(),
  /**
   * Where the probabilities came from: `cross-validation` for the run's training images (a k-fold
   * model that trained on the other folds), `held-out` for its validation and test images (the
   * run's own model, which never trained on them).
   */
  source: z.enum(['cross-validation', 'held-out']),
});

export const labelChangeRequestSchema = z.object({
  imageId: z.number().int(),
  label: labelSchema,
});

export const undoResultSchema = z.object({
  /** The changes undone or redone; empty when there was nothing to do. */
  changes: z.array(z.object({ imageId: z.number().int(), from: labelSchema, to: labelSchema })),
});

export const evaluationHandlerSchemas = {
  /** Scores a run on its test (or validation) images; predictions are computed once, in a worker, then stored. */
  'evaluation-run': {
    request: z.object({
      runId: z.number().int(),
      split: evaluationSplitSchema.default('test'),
      tta: ttaSchema.default('none'),
    }),
    response: evaluationSchema,
  },
  /** The images of one confusion-matrix cell, most confident prediction first. */
  'evaluation-cell': {
    request: z.object({
      runId: z.number().int(),
      split: evaluationSplitSchema.default('test'),
      trueLabel: classNameSchema,
      predicted: classNameSchema,
    }),
    response: z.object({ ids: z.array(z.number().int()), confidences: z.array(z.number()) }),
  },
  'image-predictions': {
    request: z.object({ imageId: z.number().int(), runId: z.number().int() }),
    response: z.object({
      runId: z.number().int(),
      /** The image's role in that run; null when the run did not include it. */
      role: z.enum(['train', 'val', 'test']).nullable(),
      probabilities: probabilities.nullable(),
      /** True when the probabilities come from a model that never trained on this image. */
      outOfSample: z.boolean(),
    }),
  },
  /**
   * Images whose label the model doubts most, ranked by out-of-sample probabilities (confident
   * learning): k-fold cross-validation for the run's training images, the run's own model for its
   * validation and test images (needs a saved model; without one only training images are ranked).
   */
  'label-issues': {
    request: z.object({
      runId: z.number().int(),
      limit: z.number().int().min(1).max(5000).default(200),
      folds: z.number().int().min(2).max(10).default(4),
      /** Epochs each fold trains; default enough for ~300 optimiser steps, 5 … the run's epochs. */
      epochs: z.number().int().min(1).max(200).optional(),
    }),
    response: z.object({ issues: z.array(labelIssueSchema) }),
  },
  /** What `label-issues` will cost for a run (fold models, epochs, an estimate), before the click. */
  'label-issues-plan': {
    request: z.object({
      runId: z.number().int(),
      folds: z.number().int().min(2).max(10).default(4),
      epochs: z.number().int().min(1).max(200).optional(),
    }),
    response: z.object({
      folds: z.number().int(),
      /** Epochs each fold model trains. */
      epochs: z.number().int(),
      trainImages: count,
      /** Seconds, from the run's own training speed; null when it has no epoch to go by. */
      estimatedSeconds: z.number().nullable(),
      /** The cross-validation is stored already: only the ranking is left (seconds). */
      ready: z.boolean(),
    }),
  },
  /** Ends a running `label-issues` cross-validation of the run; that call rejects with `cancelled`. */
  'label-issues-cancel': {
    request: z.object({ runId: z.number().int() }),
    response: z.object({ cancelled: z.boolean() }),
  },
  'labels-set': {
    request: z.object({
      changes: z.array(labelChangeRequestSchema).min(1).max(10_000),
      source: z.enum(['manual', 'suggestion']).default('manual'),
    }),
    response: z.object({ changed: count }),
  },
  'labels-undo': { request: z.object({}).strict(), response: undoResultSchema },
  'labels-redo': { request: z.object({}).strict(), response: undoResultSchema },
  /** Whether labels-undo / labels-redo would change anything (the UI disables them otherwise). */
  'labels-undo-state': {
    request: z.object({}).strict(),
    response: z.object({ canUndo: z.boolean(), canRedo: z.boolean() }),
  },
} as const;

export const evaluationEventSchemas = {
  'evaluation-progress': z.object({
    runId: z.number().int(),
    phase: z.enum(['predicting', 'cross-validating']),
    done: count,
    total: count,
    /** 1-based fold being trained while cross-validating. */
    fold: z.number().int().nullable(),
  }),
} as const;
