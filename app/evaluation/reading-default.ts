import path from 'node:path';
import type Database from 'better-sqlite3';
import type { LabelReading } from './people-reading.ts';

/** The built-in sample's folder name (app/catalogue/handlers.ts writes `sample-<perClass>`). */
const SAMPLE_FOLDER = /^sample-\d+$/;

/**
 * The reading `label-issues` uses when the request names none: how people read FER-2013's labels,
 * except for a run on the built-in sample alone. Its faces are drawn with exact labels (and a
 * few planted flips), so FER-2013's habits would only hide the flips: there it is the model alone.
 */
export function defaultReading(db: Database.Database, runId: number): LabelReading {
  const folders = db
    .prepare(
      `SELECT DISTINCT imports.folder FROM run_images
       JOIN images ON images.id = run_images.image_id
       JOIN imports ON imports.id = images.import_id
       WHERE run_images.run_id = ?`,
    )
    .pluck()
    .all(runId) as string[];
  const sampleOnly =
    folders.length > 0 && folders.every((folder) => SAMPLE_FOLDER.test(path.basename(folder)));
  return sampleOnly ? 'model' : 'people';
}
