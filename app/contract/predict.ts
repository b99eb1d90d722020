import { z } from 'zod';
import { CLASS_NAMES } from './classes.ts';
import { classNameSchema } from './schemas.ts';

const int = z.number().int();
const boxSchema = z.tuple([int, int, int, int]);

/** Photos up to 48 MB (base64 grows them by a third). */
export const MAX_PHOTO_BYTES = 48 * 1024 * 1024;

export const predictedFaceSchema = z.object({
  /** [x, y, w, h] in the upright (EXIF-rotated) original's pixels. */
  box: boxSchema,
  /** Detector confidence; null when the whole image was taken as one face. */
  score: z.number().nullable(),
  label: classNameSchema,
  /** In CLASS_NAMES order. */
  probabilities: z.array(z.number()).length(CLASS_NAMES.length),
  /** The 48×48 grayscale crop the model saw: base64 of 2,304 bytes, row-major. */
  crop: z.string(),
});

export const predictImageResponseSchema = z.object({
  runId: int,
  file: z.string(),
  format: z.string(),
  width: int,
  height: int,
  /** Frames in the file; only the first is used. */
  frames: int,
  /** `whole-image`: asked for, or the image was small enough to be a face crop already. */
  mode: z.enum(['detected', 'whole-image']),
  faces: z.array(predictedFaceSchema),
  /** Time in the predict worker, milliseconds. */
  ms: z.object({ decode: z.number(), detect: z.number(), classify: z.number(), total: z.number() }),
});

export const predictHandlerSchemas = {
  /**
   * Finds the faces in one photo or webcam frame and predicts each one's emotion, in a worker.
   * Without runId the best trained run predicts (its stored test accuracy, else its best
   * validation accuracy; an imported model only when no run was trained here).
   */
  'predict-image': {
    request: z.object({
      runId: int.optional(),
      /** Shown in results and kept as provenance when a face is added. */
      file: z.string().min(1).max(1000),
      /** The file's bytes, base64. */
      data: z.string().max(Math.ceil(MAX_PHOTO_BYTES / 3) * 4),
      /** false: the whole image is one face crop. */
      detect: z.boolean().default(true),
      /** webcam frames use a smaller detector input to keep the loop at ≥ 5 frames/s. */
      source: z.enum(['photo', 'webcam']).default('photo'),
    }),
    response: predictImageResponseSchema,
  },
  /** Puts one predicted face crop into the train split with a label; undo (labels-undo) takes it out. */
  'predict-add-face': {
    request: z.object({
      file: z.string().min(1).max(1000),
      box: boxSchema,
      crop: z.string().length(3072),
      label: classNameSchema,
    }),
    response: z.object({ imageId: int }),
  },
} as const;
