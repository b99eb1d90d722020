import type Database from 'better-sqlite3';
import type { ClassName, Label } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';

export interface LabelProvenance {
  runId: number;
  suggested: ClassName;
  doubt: number;
}

export interface LabelChange {
  imageId: number;
  label: Label;
  /** Apply only while the image's label is still this one; otherwise skip it. */
  expected?: Label | undefined;
  provenance?: LabelProvenance | undefined;
}

export interface SetResult {
  applied: AppliedChange[];
  /** Ids whose label was no longer `expected`, or that left the catalogue. */
  skippedIds: number[];
}

export interface AppliedChange {
  imageId: number;
  from: Label;
  to: Label;
}

export type EditSource = 'manual' | 'suggestion';

interface HistoryRow {
  image_id: number;
  from_label: Label;
  to_label: Label;
  source_run: number | null;
  suggested: ClassName | null;
  doubt: number | null;
}

type Step = { imageId: number; to: Label; provenance?: LabelProvenance | undefined };

/** Undo and redo carry the provenance of the change they revert or repeat. */
const stepOf = (r: HistoryRow, to: Label): Step => ({
  imageId: r.image_id,
  to,
  provenance:
    r.source_run === null || r.suggested === null || r.doubt === null
      ? undefined
      : { runId: r.source_run, suggested: r.suggested, doubt: r.doubt },
});

/**
 * Relabelling with history and undo/redo, all in SQLite so it survives restarts and is shared by
 * every connection to the file. Each write is an IMMEDIATE transaction that reads the current label
 * under the write lock: two windows relabelling at once serialise (last write wins) and both are
 * recorded with the right `from`.
 */
export function createLabelStore(db: Database.Database) {
  const current = db.prepare('SELECT label FROM labels WHERE image_id = ?').pluck();
  const update = db.prepare('UPDATE labels SET label = ?, changed_at = ? WHERE image_id = ?');
  const history = db.prepare(
    `INSERT INTO label_history
       (image_id, from_label, to_label, at, source, edit_id, source_run, suggested, doubt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const editChanges = db.prepare(
    `SELECT image_id, from_label, to_label, source_run, suggested, doubt FROM label_history
     WHERE edit_id = ? AND source IN ('manual', 'suggestion') ORDER BY id`,
  );
  const setState = db.prepare('UPDATE label_edits SET state = ? WHERE id = ?');

  /** Moves each image to its new label and records it; returns what actually changed. */
  function apply(
    changes: readonly Step[],
    at: string,
    source: 'manual' | 'suggestion' | 'undo' | 'redo',
    editId: number,
  ): AppliedChange[] {
    const applied: AppliedChange[] = [];
    for (const { imageId, to, provenance } of changes) {
      const from = current.get(imageId) as Label | undefined;
      if (from === undefined || from === to) continue;
      update.run(to, at, imageId);
      const p = provenance;
      history.run(
        imageId,
        from,
        to,
        at,
        source,
        editId,
        p?.runId ?? null,
        p?.suggested ?? null,
        p?.doubt ?? null,
      );
      applied.push({ imageId, from, to });
    }
    return applied;
  }

  const set = db.transaction((requested: readonly LabelChange[], source: EditSource): SetResult => {
    // Read under the write lock: a label edited elsewhere since the user decided is left alone.
    const skippedIds: number[] = [];
    const changes = requested.filter((c) => {
      if (c.expected === undefined) return true;
      const ok = current.get(c.imageId) === c.expected;
      if (!ok) skippedIds.push(c.imageId);
      return ok;
    });
    const missing = [...new Set(changes.map((c) => c.imageId))].filter(
      (id) => current.get(id) === undefined,
    );
    if (missing.length > 0) {
      const shown = missing.slice(0, 10).join(', ');
      throw new StudioError(
        'not-found',
        `No image with id ${shown}${missing.length > 10 ? ` (and ${missing.length - 10} more)` : ''} in the catalogue; nothing was relabelled.`,
      );
    }
    const at = new Date().toISOString();
    const editId = Number(
      db
        .prepare(`INSERT INTO label_edits (at, source, state) VALUES (?, ?, 'applied')`)
        .run(at, source).lastInsertRowid,
    );
    const applied = apply(
      changes.map((c) => ({ imageId: c.imageId, to: c.label, provenance: c.provenance })),
      at,
      source,
      editId,
    );
    if (applied.length === 0) {
      db.prepare('DELETE FROM label_edits WHERE id = ?').run(editId);
      return { applied, skippedIds };
    }
    // A new edit ends the redo chain, as in every editor.
    db.prepare(`UPDATE label_edits SET state = 'discarded' WHERE state = 'undone'`).run();
    return { applied, skippedIds };
  });

  const undo = db.transaction((): AppliedChange[] => {
    const editId = db
      .prepare(`SELECT id FROM label_edits WHERE state = 'applied' ORDER BY id DESC LIMIT 1`)
      .pluck()
      .get() as number | undefined;
    if (editId === undefined) return [];
    const rows = (editChanges.all(editId) as HistoryRow[]).reverse();
    setState.run('undone', editId);
    return apply(
      rows.map((r) => stepOf(r, r.from_label)),
      new Date().toISOString(),
      'undo',
      editId,
    );
  });

  const redo = db.transaction((): AppliedChange[] => {
    // Undone edits always sit above the last applied one (a new edit discards them), so the most
    // recently undone is the lowest.
    const editId = db
      .prepare(`SELECT id FROM label_edits WHERE state = 'undone' ORDER BY id LIMIT 1`)
      .pluck()
      .get() as number | undefined;
    if (editId === undefined) return [];
    const rows = editChanges.all(editId) as HistoryRow[];
    setState.run('applied', editId);
    return apply(
      rows.map((r) => stepOf(r, r.to_label)),
      new Date().toISOString(),
      'redo',
      editId,
    );
  });

  const countState = db.prepare('SELECT COUNT(*) FROM label_edits WHERE state = ?').pluck();

  return {
    /** Whether undo and redo would change anything, so the UI can disable them when not. */
    undoState(): { canUndo: boolean; canRedo: boolean } {
      return {
        canUndo: (countState.get('applied') as number) > 0,
        canRedo: (countState.get('undone') as number) > 0,
      };
    },
    /**
     * Applies a batch atomically as one undoable edit. Unknown ids reject the whole batch, except
     * changes with `expected`, which are skipped (and reported) when the label moved on.
     */
    set(changes: readonly LabelChange[], source: EditSource = 'manual'): SetResult {
      return set.immediate(changes, source);
    },
    /** Reverts the most recent applied edit; empty when there is none. */
    undo(): AppliedChange[] {
      return undo.immediate();
    },
    /** Re-applies the most recently undone edit unless a newer edit happened since. */
    redo(): AppliedChange[] {
      return redo.immediate();
    },
  };
}

export type LabelStore = ReturnType<typeof createLabelStore>;
