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

/** Where an issue's probabilities came from. */
export const issueSourceSchema = z.enum(['cross-validation', 'held-out', 'training-dynamics']);

/**
 * What the studio advises for a doubtful label: `relabel` to `suggested` (the evidence for that
 * class is strong), `needs-look` (the label is doubtful but no class is convincing), `exclude`
 * (probably not a usable face). Only `relabel` items may be accepted in bulk.
 */
export const issueActionSchema = z.enum(['relabel', 'needs-look', 'exclude']);

export const labelIssueSchema = z.object({
  id: z.number().int(),
  label: classNameSchema,
  /** The most probable class other than the label (what `relabel` would set). */
  suggested: classNameSchema,
  /** Probability of the suggested class. */
  confidence: z.number(),
  /** Probability of the given label (low = doubtful). */
  selfConfidence: z.number(),
  /** How sure the studio is that the label is wrong, 0…1; the list is ranked by it, highest first. */
  doubt: z.number(),
  action: issueActionSchema,
  /**
   * Where the probabilities came from: `training-dynamics` for the run's training images (the
   * mean over the run's epochs of each image's predicted probabilities while it trained),
   * `cross-validation` for them when k-fold was asked for (a model that trained on the other
   * folds), `held-out` for validation and test images (the run's own model, with test-time flip).
   */
  source: issueSourceSchema,
});

/**
 * How a label is judged: `people` weighs the model's probabilities by how people read FER-2013's
 * labels (the FER+ crowd's votes, aggregated per label once, inside the studio), `model` takes the
 * model alone. `people` is the default (but for the built-in sample): judged by ten annotators per
 * image it ranks and suggests far better (docs/experiments.md, "Label cleaning").
 */
export const labelReadingSchema = z.enum(['people', 'model']);
export type LabelReadingName = z.infer<typeof labelReadingSchema>;

/** How the training images of a run are judged: the run's own record, or k-fold models. */
export const issueMethodSchema = z.enum(['training-dynamics', 'k-fold']);
export type IssueMethod = z.infer<typeof issueMethodSchema>;

/** Where an accepted suggestion came from; kept in the label history and the exports. */
export const labelProvenanceSchema = z.object({
  /** The run whose ranking suggested the change. */
  runId: z.number().int(),
  /** The class it suggested (the change may set another one). */
  suggested: classNameSchema,
  /** Its doubt about the old label, 0…1. */
  doubt: z.number().min(0).max(1),
});

export const labelChangeRequestSchema = z.object({
  imageId: z.number().int(),
  label: labelSchema,
  /**
   * The label the change was decided against. When given, the change is skipped (not an error) if
   * the image's label is no longer this one or the image has left the catalogue.
   */
  expected: labelSchema.optional(),
  provenance: labelProvenanceSchema.optional(),
});

export const undoResultSchema = z.object({
  /** The changes undone or redone; empty when there was nothing to do. */
  changes: z.array(z.object({ imageId: z.number().int(), from: labelSchema, to: labelSchema })),
  /** Imports the step took back or brought back (an import removal, a face added from Predict). */
  imports: z
    .array(z.object({ importId: z.number().int(), images: count, removed: z.boolean() }))
    .optional(),
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
  /**
   * The figures evaluation-run would give from predictions already stored (by Evaluate, Compare
   * or the CLI), or null when some are missing: nothing is predicted, so pages can show it at once.
   */
  'evaluation-stored': {
    request: z.object({ runId: z.number().int(), split: evaluationSplitSchema.default('test') }),
    response: z.object({ evaluation: evaluationSchema.nullable() }),
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
      limit: z.number().int().min(1).max(50_000).default(200),
      folds: z.number().int().min(2).max(10).default(4),
      /** Epochs each fold trains; default enough for ~300 optimiser steps, 5 … the run's epochs. */
      epochs: z.number().int().min(1).max(200).optional(),
      /**
       * Absent: `training-dynamics` when the run recorded them (runs trained since they exist), else
       * `k-fold`. Validation and test images are always judged by the run's own model.
       */
      method: issueMethodSchema.optional(),
      /** Absent: `people`, except a run on the built-in sample alone (exact labels): `model`. */
      reading: labelReadingSchema.optional(),
    }),
    response: z.object({
      issues: z.array(labelIssueSchema),
      /** Doubtful labels in all (the list holds the first `limit`). */
      total: count,
      method: issueMethodSchema,
      /** The reading the ranking used (the studio always says; optional for older callers). */
      reading: labelReadingSchema.optional(),
    }),
  },
  /** What `label-issues` will cost for a run (fold models, epochs, an estimate), before the click. */
  'label-issues-plan': {
    request: z.object({
      runId: z.number().int(),
      folds: z.number().int().min(2).max(10).default(4),
      epochs: z.number().int().min(1).max(200).optional(),
      method: issueMethodSchema.optional(),
    }),
    response: z.object({
      /** The method `label-issues` will use for the same request. */
      method: issueMethodSchema,
      /** The run recorded training dynamics (so `training-dynamics` is available). */
      dynamics: z.boolean(),
      folds: z.number().int(),
      /** Epochs each fold model trains. */
      epochs: z.number().int(),
      trainImages: count,
      /** Seconds, from the run's own training speed; null when it has no epoch to go by. */
      estimatedSeconds: z.number().nullable(),
      /** The cross-validation is stored already: only the ranking is left (seconds). */
      ready: z.boolean(),
      /** Fold models stored by a search that was cancelled; the next search trains only the rest. */
      foldsDone: count,
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
    response: z.object({
      changed: count,
      /** Changes skipped because the image's label was no longer `expected` (or it was removed). */
      skipped: count,
      skippedIds: z.array(z.number().int()),
    }),
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
