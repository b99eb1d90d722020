import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { StudioError } from '../contract/errors.ts';
import type { Handlers } from '../contract/handlers.ts';
import { artefactDirOf } from '../project/layout.ts';
import type { RunStore } from './run-store.ts';

type RunEditHandlers = Pick<Handlers, 'run-update' | 'run-delete' | 'training-speed'>;

/** What these handlers need of the run manager. */
export interface RunActivity {
  activeRun(): number | null;
  speed(
    model: string,
    batchSize: number,
  ): Promise<{ secondsPerImageEpoch: number; backend: { label: string } }>;
}

/** Renames a run and/or replaces its notes; a blank name goes back to "Run #id". */
export function updateRun(
  db: Database.Database,
  store: RunStore,
  runId: number,
  change: { name?: string | undefined; notes?: string | undefined },
): void {
  store.row(runId); // not-found, in words, for an unknown run
  if (change.name !== undefined)
    db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(change.name.trim() || null, runId);
  if (change.notes !== undefined)
    db.prepare('UPDATE runs SET notes = ? WHERE id = ?').run(change.notes, runId);
}

function inside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Deletes a run's rows and its folder. The folder is renamed aside first and removed only after
 * the rows are gone, so a failure leaves either the whole run or none of it. A folder outside the
 * catalogue's own (older catalogues shared one runs/ folder) is never removed.
 */
export function deleteRun(
  db: Database.Database,
  store: RunStore,
  runId: number,
  activeRunId: number | null,
): { removedFolder: boolean } {
  store.row(runId);
  if (runId === activeRunId)
    throw new StudioError('busy', `Run ${runId} is training; stop it before deleting it.`);
  const dir = store.runDir(runId);
  const own = !db.memory && inside(artefactDirOf(db.name), dir) && fs.existsSync(dir);
  const aside = path.join(path.dirname(dir), `.deleting-${path.basename(dir)}`);
  if (own) fs.renameSync(dir, aside);
  try {
    db.transaction(() => {
      for (const table of [
        'predictions',
        'prediction_models',
        'training_dynamics',
        'run_epochs',
        'run_images',
      ])
        db.prepare(`DELETE FROM ${table} WHERE run_id = ?`).run(runId);
      db.prepare('UPDATE runs SET parent_run_id = NULL WHERE parent_run_id = ?').run(runId);
      db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    })();
  } catch (error) {
    if (own) fs.renameSync(aside, dir);
    throw error;
  }
  if (own) fs.rmSync(aside, { recursive: true, force: true });
  return { removedFolder: own };
}

/** The run-editing slice of the handler map. */
export function createRunEditHandlers(
  db: Database.Database,
  store: RunStore,
  runs: RunActivity,
): RunEditHandlers {
  return {
    'run-update': async ({ runId, name, notes }) => {
      updateRun(db, store, runId, { name, notes });
      return { runId };
    },
    'run-delete': async ({ runId }) => ({
      runId,
      ...deleteRun(db, store, runId, runs.activeRun()),
    }),
    'training-speed': async ({ model, batchSize }) => {
      const { secondsPerImageEpoch, backend } = await runs.speed(model, batchSize);
      return { secondsPerImageEpoch, backend: backend.label };
    },
  };
}
