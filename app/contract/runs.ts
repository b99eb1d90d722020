import { z } from 'zod';

export const RUN_NAME_MAX = 80;
export const RUN_NOTES_MAX = 5000;

export const runsEditHandlerSchemas = {
  /** Renames a run and/or replaces its notes; an empty name goes back to "Run #id". */
  'run-update': {
    request: z.object({
      runId: z.number().int(),
      name: z.string().max(RUN_NAME_MAX).optional(),
      notes: z.string().max(RUN_NOTES_MAX).optional(),
    }),
    response: z.object({ runId: z.number().int() }),
  },
  /**
   * Times one short epoch of `model` on random faces in a worker (cached per model and batch
   * size), so the Train page can estimate a model's first run. Refused while a run trains.
   */
  'training-speed': {
    request: z.object({
      model: z.string().min(1),
      batchSize: z.number().int().min(1).max(4096).default(64),
    }),
    response: z.object({
      /** Wall seconds per image per epoch (augmentation, training steps, validation). */
      secondsPerImageEpoch: z.number().positive(),
      /** The backend label the test ran on, e.g. "WebAssembly (SIMD, 2 threads)". */
      backend: z.string(),
    }),
  },
  /**
   * Deletes a run that is not training: its rows (epochs, label snapshot, predictions) and its
   * folder (checkpoints, model). Runs continued or fine-tuned from it keep their own files.
   */
  'run-delete': {
    request: z.object({ runId: z.number().int() }),
    response: z.object({
      runId: z.number().int(),
      /** Whether the run's folder was removed (false: it was missing or outside this catalogue). */
      removedFolder: z.boolean(),
    }),
  },
} as const;
