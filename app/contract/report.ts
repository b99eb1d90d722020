import { z } from 'zod';

export const reportHandlerSchemas = {
  /**
   * Writes a run's training report into a new folder: a self-contained report.html (hyper-parameters,
   * curves, evaluation, label changes) and the same charts as charts/*.png. Progress: `export-progress`.
   */
  'report-export': {
    request: z.object({
      runId: z.number().int(),
      out: z.string().min(1),
      /** Replace an existing folder. */
      force: z.boolean().default(false),
      /** Also list every relabel, undo and redo by source; by default only net label changes. */
      churn: z.boolean().default(false),
    }),
    /** Absolute paths: report.html first, then the PNGs. */
    response: z.object({ files: z.array(z.string()) }),
  },
} as const;
