import type Database from 'better-sqlite3';
import { StudioError } from '../contract/errors.ts';

/**
 * The cleaning view's memory of a run (table `label_reviews`): images the user kept as labelled.
 * A keep holds for the label it was made with; relabelled later, the image is a new question.
 */
export function createReviewStore(db: Database.Database) {
  const runExists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck();
  const labelOf = db.prepare('SELECT label FROM labels WHERE image_id = ?').pluck();
  const insert = db.prepare(
    `INSERT OR REPLACE INTO label_reviews (run_id, image_id, label, at) VALUES (?, ?, ?, ?)`,
  );
  const remove = db.prepare('DELETE FROM label_reviews WHERE run_id = ? AND image_id = ?');
  const keptIds = db
    .prepare(
      `SELECT k.image_id FROM label_reviews k JOIN labels l ON l.image_id = k.image_id
       WHERE k.run_id = ? AND l.label = k.label ORDER BY k.image_id`,
    )
    .pluck();
  const relabelled = db
    .prepare(
      `SELECT count(*) FROM run_images r JOIN labels l ON l.image_id = r.image_id
       WHERE r.run_id = ? AND r.label != l.label`,
    )
    .pluck();

  function assertRun(runId: number): void {
    if (!runExists.get(runId))
      throw new StudioError('not-found', `No run ${runId} in the catalogue.`);
  }

  const keep = db.transaction((runId: number, ids: readonly number[], on: boolean): number => {
    assertRun(runId);
    const missing = ids.filter((id) => labelOf.get(id) === undefined);
    if (on && missing.length > 0)
      throw new StudioError(
        'not-found',
        `No image with id ${missing.slice(0, 10).join(', ')} in the catalogue; nothing was kept.`,
      );
    const at = new Date().toISOString();
    let changed = 0;
    for (const id of new Set(ids))
      changed += on
        ? insert.run(runId, id, labelOf.get(id) as string, at).changes
        : remove.run(runId, id).changes;
    return changed;
  });

  return {
    /** Marks (or with `on` false, unmarks) images as kept for the run; unknown ids reject all. */
    keep(runId: number, ids: readonly number[], on = true): number {
      return keep.immediate(runId, ids, on);
    },
    /** Images kept for the run that still carry the label they were kept with. */
    kept(runId: number): number[] {
      assertRun(runId);
      return keptIds.all(runId) as number[];
    },
    /** The run's images whose label differs from the one it trained on (decided since the run). */
    relabelledSinceRun(runId: number): number {
      assertRun(runId);
      return relabelled.get(runId) as number;
    },
  };
}

export type ReviewStore = ReturnType<typeof createReviewStore>;
