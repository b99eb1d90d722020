import { z } from 'zod';
import { CLASS_NAMES, EXCLUDE, SPLITS } from './classes.ts';

export const classNameSchema = z.enum(CLASS_NAMES);
export const labelSchema = z.enum([...CLASS_NAMES, EXCLUDE]);
export const splitSchema = z.enum(SPLITS);

const count = z.number().int().nonnegative();
export const splitCountsSchema = z.object({ train: count, test: count });
/** Per-class image counts by split, keys in class order. */
export const classCountsSchema = z.object(
  Object.fromEntries(CLASS_NAMES.map((name) => [name, splitCountsSchema])) as Record<
    (typeof CLASS_NAMES)[number],
    typeof splitCountsSchema
  >,
);

export const statsSchema = z.object({
  classes: classCountsSchema,
  /** Images with a class label (excluded images are not counted here). */
  total: count,
  excluded: count,
});

export const importProblemSchema = z.object({
  /** Path relative to the imported folder. */
  file: z.string(),
  reason: z.string(),
  detail: z.string(),
});

/** A file an import skipped because its pixels were already in the catalogue, and where they are. */
export const duplicateFileSchema = z.object({
  file: z.string(),
  imageId: z.number().int(),
  keptFile: z.string(),
});

export const importReportSchema = z.object({
  importId: z.number().int(),
  folder: z.string(),
  /** `folders`: the tree had train/test; `fraction`: a seeded stratified split was made. */
  layout: z.enum(['folders', 'fraction']),
  imported: count,
  /** Files whose content was already in the catalogue (or twice in this folder). */
  duplicates: count,
  /**
   * The duplicate files (the first 1,000), each with the catalogue image that holds its content
   * and that image's source file. Absent in reports stored before it existed.
   */
  duplicateFiles: z.array(duplicateFileSchema).optional(),
  /** Files not imported, by reason. */
  skipped: z.record(z.string(), count),
  /** Imported after a resize to 48×48. */
  resized: count,
  /** Imported after conversion from colour (or alpha) to grayscale. */
  converted: count,
  /** Class folders mapped by a synonym, e.g. `Anger` → angry. */
  mappedFolders: z.record(z.string(), classNameSchema),
  /** The first problems found (capped), with the file and the reason. */
  problems: z.array(importProblemSchema),
  /** Catalogue counts after the import, in class order. */
  classes: classCountsSchema,
  cancelled: z.boolean(),
  seconds: z.number().nonnegative(),
  /** The sample was in the catalogue already: this is its earlier report, nothing was imported again. */
  alreadyThere: z.boolean().optional(),
});

export const labelChangeSchema = z.object({
  from: labelSchema.nullable(),
  to: labelSchema,
  at: z.string(),
  source: z.enum(['import', 'manual', 'suggestion', 'undo', 'redo']),
});

export const imageDetailSchema = z.object({
  id: z.number().int(),
  label: labelSchema,
  originalLabel: classNameSchema,
  split: splitSchema,
  /** Where the file came from: the imported folder and the path inside it. */
  folder: z.string(),
  file: z.string(),
  format: z.string(),
  originalWidth: z.number().int(),
  originalHeight: z.number().int(),
  resized: z.boolean(),
  converted: z.boolean(),
  hash: z.string(),
  importedAt: z.string(),
  history: z.array(labelChangeSchema),
});

/** Columnar image list: index i of each array describes one image. */
export const imageListSchema = z.object({
  ids: z.array(z.number().int()),
  labels: z.array(labelSchema),
  splits: z.array(splitSchema),
});

export const appInfoSchema = z.object({
  mode: z.enum(['electron', 'browser']),
  version: z.string(),
  catalogPath: z.string(),
  dataDir: z.string(),
  /** True where a native folder picker exists (Electron); the browser asks for a path. */
  canPickFolder: z.boolean(),
});

export const importRequestSchema = z.object({
  folder: z.string().min(1),
  /** Used only when the folder has no train/test level. */
  testFraction: z.number().gt(0).lt(1).default(0.2),
  seed: z.number().int().default(1),
  /** Chosen by the caller so it can cancel before the reply arrives. */
  jobId: z.string().min(1).max(100).optional(),
});

export const progressSchema = z.object({
  jobId: z.string(),
  phase: z.enum(['scanning', 'importing', 'done']),
  done: count,
  total: count,
  imagesPerSec: z.number().nonnegative(),
  etaSeconds: z.number().nonnegative().nullable(),
});
