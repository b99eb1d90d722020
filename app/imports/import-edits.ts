import type Database from 'better-sqlite3';
import type { AppliedChange, LabelStore } from '../labels/label-store.ts';
import { removeImport, restoreImport } from './import-history.ts';

export type ImportAction = 'add-face' | 'remove-import' | 'restore-import';

/** What an undo or redo did to an import: `removed` is its state afterwards. */
export interface ImportStep {
  importId: number;
  images: number;
  removed: boolean;
}

export interface StepResult {
  changes: AppliedChange[];
  imports: ImportStep[];
}

/**
 * Records an import's removal or restore as one edit on the undo stack, in the caller's
 * transaction; like any new edit it ends the redo chain.
 */
export function recordImportEdit(
  db: Database.Database,
  action: Exclude<ImportAction, 'add-face'>,
  importId: number,
): void {
  db.prepare(`UPDATE label_edits SET state = 'discarded' WHERE state = 'undone'`).run();
  db.prepare(
    `INSERT INTO label_edits (at, source, state, action, import_id) VALUES (?, 'manual', 'applied', ?, ?)`,
  ).run(new Date().toISOString(), action, importId);
}

/** Marks the newest edit (the relabel addFace just made) as adding a face with its import. */
export function tagAddedFace(db: Database.Database, importId: number): void {
  db.prepare(
    `UPDATE label_edits SET action = 'add-face', import_id = ? WHERE id = (SELECT max(id) FROM label_edits)`,
  ).run(importId);
}

interface EditRow {
  action: 'relabel' | ImportAction;
  import_id: number | null;
}

function setRemoved(db: Database.Database, importId: number, removed: boolean): ImportStep[] {
  const row = db.prepare('SELECT removed_at FROM imports WHERE id = ?').get(importId) as
    { removed_at: string | null } | undefined;
  // Already as wanted (or gone): nothing to do, and no reason to refuse the undo.
  if (!row || (row.removed_at !== null) === removed) return [];
  const images = removed ? removeImport(db, importId) : restoreImport(db, importId);
  return [{ importId, images, removed }];
}

function edit(db: Database.Database, state: 'applied' | 'undone'): EditRow | undefined {
  // The same edit the label store will pick next (see its undo and redo).
  const order = state === 'applied' ? 'DESC' : 'ASC';
  return db
    .prepare(
      `SELECT action, import_id FROM label_edits WHERE state = ? ORDER BY id ${order} LIMIT 1`,
    )
    .get(state) as EditRow | undefined;
}

/**
 * labels-undo over every kind of edit: relabels through the label store, and the import each
 * import edit took back or restored. An added face loses its relabel first, then its import.
 */
export function undoStep(db: Database.Database, store: LabelStore): StepResult {
  return db
    .transaction((): StepResult => {
      const next = edit(db, 'applied');
      const changes = store.undo();
      const id = next?.import_id ?? null;
      if (!next || id === null) return { changes, imports: [] };
      const removed = next.action !== 'remove-import';
      return { changes, imports: setRemoved(db, id, removed) };
    })
    .immediate();
}

/** labels-redo, the mirror of undoStep: an added face gets its import back before its relabel. */
export function redoStep(db: Database.Database, store: LabelStore): StepResult {
  return db
    .transaction((): StepResult => {
      const next = edit(db, 'undone');
      const id = next?.import_id ?? null;
      if (!next || id === null) return { changes: store.redo(), imports: [] };
      const removed = next.action === 'remove-import';
      const imports = setRemoved(db, id, removed);
      return { changes: store.redo(), imports };
    })
    .immediate();
}
