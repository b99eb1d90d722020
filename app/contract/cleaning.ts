import { z } from 'zod';

const count = z.number().int().nonnegative();

export const cleaningHandlerSchemas = {
  /**
   * Remembers that the user looked at these doubtful labels of a run and kept them as they are:
   * the cleaning view does not offer them again for that run. `keep: false` forgets (undoes) it.
   */
  'cleaning-keep': {
    request: z.object({
      runId: z.number().int(),
      imageIds: z.array(z.number().int()).min(1).max(10_000),
      keep: z.boolean().default(true),
    }),
    response: z.object({ changed: count }),
  },
  /** How far the cleaning of a run's doubtful labels has got ("412 of 6,900 reviewed"). */
  'cleaning-status': {
    request: z.object({ runId: z.number().int() }),
    response: z.object({
      /** Doubtful labels decided: kept as they are, or relabelled since the run. */
      reviewed: count,
      /** Doubtful labels still open plus those decided. */
      total: count,
      /** Images kept for this run (still with the label they were kept with). */
      kept: z.array(z.number().int()),
    }),
  },
} as const;
