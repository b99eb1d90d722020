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
