import { z } from 'zod';

export const exportFormatSchema = z.enum(['tfjs', 'onnx', 'keras']);

export const exportHandlerSchemas = {
  /** Writes a run's final model; tfjs: a folder, onnx/keras: a `.onnx`/`.keras` file, plus a preprocessing JSON. */
  'export-model': {
    request: z.object({
      runId: z.number().int(),
      format: exportFormatSchema,
      out: z.string().min(1),
      /** Replace an existing target. */
      force: z.boolean().default(false),
    }),
    response: z.object({ files: z.array(z.string()) }),
  },
  /** The current labels as a FER folder tree (excluded images left out) plus label-changes.csv. */
  'export-dataset': {
    request: z.object({
      out: z.string().min(1),
      force: z.boolean().default(false),
      /** label-changes.csv lists every relabel, undo and redo, not only each image's net change. */
      churn: z.boolean().default(false),
    }),
    response: z.object({
      images: z.number().int(),
      excluded: z.number().int(),
      changes: z.number().int(),
    }),
  },
} as const;

export const exportEventSchemas = {
  'export-progress': z.object({
    target: z.string(),
    fraction: z.number().min(0).max(1),
    stage: z.string(),
  }),
} as const;
