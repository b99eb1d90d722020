import type Database from 'better-sqlite3';
import { StudioError } from '../contract/errors.ts';
import type { z } from 'zod';
import type { importEntrySchema } from '../contract/imports.ts';
import { duplicateFileSchema, importReportSchema } from '../contract/schemas.ts';

export type ImportEntry = z.output<typeof importEntrySchema>;
type ImportReport = z.output<typeof importReportSchema>;

interface ImportRow {
  id: number;
  folder: string;
  started_at: string;
  finished_at: string | null;
  status: ImportEntry['status'];
  report: string | null;
  removed_at: string | null;
  images: number;
  used_by_runs: number;
}

function duplicatesOf(report: string | null): Pick<ImportEntry, 'duplicates' | 'duplicateFiles'> {
  try {
    const parsed = JSON.parse(report ?? '{}') as { duplicates?: unknown; duplicateFiles?: unknown };
    const files = duplicateFileSchema.array().safeParse(parsed.duplicateFiles);
    return {
      duplicates: typeof parsed.duplicates === 'number' ? parsed.duplicates : 0,
      ...(files.success ? { duplicateFiles: files.data } : {}),
    };
  } catch {
    return { duplicates: 0 };
  }
}

export function listImports(db: Database.Database): ImportEntry[] {
  const rows = db
    .prepare(
      `SELECT m.*, (SELECT count(*) FROM images i WHERE i.import_id = m.id) AS images,
         (SELECT count(DISTINCT r.run_id) FROM run_images r JOIN images i ON i.id = r.image_id
          WHERE i.import_id = m.id) AS used_by_runs
       FROM imports m ORDER BY m.id DESC`,
    )
    .all() as ImportRow[];
  return rows.map((row) => ({
    id: row.id,
    folder: row.folder,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    images: row.images,
    ...duplicatesOf(row.report),
    usedByRuns: row.used_by_runs,
    removedAt: row.removed_at,
  }));
}

function importRow(
  db: Database.Database,
  importId: number,
): { status: string; removed_at: string | null } {
  const row = db.prepare('SELECT status, removed_at FROM imports WHERE id = ?').get(importId) as
    { status: string; removed_at: string | null } | undefined;
  if (!row) throw new StudioError('not-found', `No import ${importId} in this catalogue.`);
  return row;
}

/**
 * Takes an import back. Its images' labels move to `removed_labels`, which hides them from every
 * view of the catalogue (they all join `labels`) while the image rows stay: runs that trained on
 * them keep their label snapshot, their evaluations and their resume data. One transaction.
 */
export function removeImport(db: Database.Database, importId: number): number {
  return db.transaction(() => {
    const row = importRow(db, importId);
    if (row.status === 'running')
      throw new StudioError('busy', `Import ${importId} is still running; cancel it first.`);
    if (row.removed_at !== null)
      throw new StudioError('bad-request', `Import ${importId} was already removed.`);
    const ids = '(SELECT id FROM images WHERE import_id = ?)';
    db.prepare(
      `INSERT INTO removed_labels (image_id, label, changed_at)
       SELECT image_id, label, changed_at FROM labels WHERE image_id IN ${ids}`,
    ).run(importId);
    const { changes } = db.prepare(`DELETE FROM labels WHERE image_id IN ${ids}`).run(importId);
    db.prepare('UPDATE imports SET removed_at = ? WHERE id = ?').run(
      new Date().toISOString(),
      importId,
    );
    return changes;
  })();
}

/** Undoes removeImport: the images come back with the labels they had when it was removed. */
export function restoreImport(db: Database.Database, importId: number): number {
  return db.transaction(() => {
    const row = importRow(db, importId);
    if (row.removed_at === null)
      throw new StudioError(
        'bad-request',
        `Import ${importId} is not removed; nothing to restore.`,
      );
    const ids = '(SELECT id FROM images WHERE import_id = ?)';
    const { changes } = db
      .prepare(
        `INSERT INTO labels (image_id, label, changed_at)
         SELECT image_id, label, changed_at FROM removed_labels WHERE image_id IN ${ids}`,
      )
      .run(importId);
    db.prepare(`DELETE FROM removed_labels WHERE image_id IN ${ids}`).run(importId);
    db.prepare('UPDATE imports SET removed_at = NULL WHERE id = ?').run(importId);
    return changes;
  })();
}

/**
 * The report of the latest finished import of `folder` that still counts (not removed), if its
 * stored report reads; the sample is imported once, then found there.
 */
export function finishedImportReport(db: Database.Database, folder: string): ImportReport | null {
  const row = db
    .prepare(
      `SELECT report FROM imports WHERE folder = ? AND status = 'done' AND removed_at IS NULL
       ORDER BY id DESC LIMIT 1`,
    )
    .pluck()
    .get(folder) as string | null | undefined;
  if (!row) return null;
  try {
    const parsed = importReportSchema.safeParse(JSON.parse(row));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
