import { z } from 'zod';
import { duplicateFileSchema } from './schemas.ts';

const count = z.number().int().nonnegative();

export const importEntrySchema = z.object({
  id: z.number().int(),
  folder: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: z.enum(['running', 'done', 'cancelled', 'failed']),
  /** Images this import added (its duplicates of earlier imports are not counted: they are not its own). */
  images: count,
  /** Files it found already in the catalogue, from its report. */
  duplicates: count,
  /** The first 1,000 of them with the image that holds their pixels (absent in older reports). */
  duplicateFiles: z.array(duplicateFileSchema).optional(),
  /** Runs whose label snapshot holds some of its images; they stay readable after a removal. */
  usedByRuns: count,
  /** When it was taken back (its images hidden from the catalogue); null while it counts. */
  removedAt: z.string().nullable(),
});

export const importsHandlerSchemas = {
  /** Every import of the open catalogue, newest first. */
  'imports-list': {
    request: z.object({}).strict(),
    response: z.object({ imports: z.array(importEntrySchema) }),
  },
  /** Takes an import back: exactly the images it added leave the catalogue (runs keep their snapshot). */
  'imports-remove': {
    request: z.object({ importId: z.number().int() }),
    response: z.object({ images: count }),
  },
  /** Undoes imports-remove: the images come back with the labels they had. */
  'imports-restore': {
    request: z.object({ importId: z.number().int() }),
    response: z.object({ images: count }),
  },
} as const;
