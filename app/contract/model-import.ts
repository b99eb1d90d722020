import { z } from 'zod';
import { CLASS_NAMES } from './classes.ts';

export const importFormatSchema = z.enum(['keras3', 'keras2-h5', 'tfjs']);
export const inputRangeSchema = z.enum(['0,1', '-1,1', '0,255']);

const importOptions = {
  /** A `.keras` / `.h5` / `.hdf5` file, or a tfjs folder (or its model.json). */
  path: z.string().min(1),
  /** Default: 0–255 if the model starts with Rescaling (it expects raw pixels), else [0, 1]. */
  inputRange: inputRangeSchema.optional(),
  /** Output i's class; `-` ignores output i. Default (7 outputs): the studio's alphabetical order. */
  classes: z.array(z.string()).max(1000).optional(),
};

const modelFacts = z.object({
  format: importFormatSchema,
  /** e.g. "Keras 3.6.0 .keras archive". */
  detail: z.string(),
  inputShape: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  /** The class each output maps to (null = ignored). */
  classes: z.array(z.enum(CLASS_NAMES).nullable()),
  range: inputRangeSchema,
  layers: z.number().int(),
  params: z.number().int(),
  /** What the import changed or assumed (softmax appended, …). */
  notes: z.array(z.string()),
});

export const importedInfoSchema = z.object({
  name: z.string(),
  fileName: z.string(),
  /** SHA-256 of the file (of model.json for a tfjs folder). */
  sha256: z.string(),
  format: importFormatSchema,
  detail: z.string(),
  layers: z.number().int(),
  params: z.number().int(),
  notes: z.array(z.string()),
});

export const modelImportHandlerSchemas = {
  /** Loads a model and predicts a few catalogue images per class, saving nothing. */
  'model-import-preview': {
    request: z.object({ ...importOptions, perClass: z.number().int().min(1).max(20).default(3) }),
    response: modelFacts.extend({
      samples: z.array(
        z.object({
          imageId: z.number().int(),
          label: z.enum(CLASS_NAMES),
          predicted: z.enum(CLASS_NAMES),
          confidence: z.number(),
        }),
      ),
    }),
  },
  /** Imports the model as a finished run marked imported. */
  'model-import': {
    request: z.object({ ...importOptions, name: z.string().max(200).optional() }),
    response: modelFacts.extend({ runId: z.number().int() }),
  },
} as const;

export const modelImportEventSchemas = {
  /** Preview and import: reading, building, predicting, saving. */
  'model-import-progress': z.object({
    path: z.string(),
    fraction: z.number().min(0).max(1),
    stage: z.string(),
  }),
} as const;
