import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../catalogue/schema.ts';
import { CATALOGUE_FILE, RUNS_DIR, toStored } from './layout.ts';

/** Projects created in the studio live in `<dataDir>/projects/<folder>`. */
export const PROJECTS_DIR = 'projects';
/** The folder the pre-project default catalogue moves into. */
export const DEFAULT_PROJECT = 'default';

export function defaultProjectDir(dataDir: string): string {
  return path.join(dataDir, PROJECTS_DIR, DEFAULT_PROJECT);
}

export interface LegacyMigration {
  /** The project folder the old layout now lives in. */
  project: string;
  /** Run folders moved (`run-N`). */
  runs: string[];
  /** Run folders left where they were because the project already had one of that name. */
  kept: string[];
}

const SIDECARS = ['-wal', '-shm'];

/** Moves `from` to `to` unless `to` exists; true when moved. Same file system, so a rename: atomic. */
function moveIfFree(from: string, to: string): boolean {
  if (!fs.existsSync(from) || fs.existsSync(to)) return false;
  fs.renameSync(from, to);
  return true;
}

/** Makes the catalogue's run paths relative to its folder, so they survive the move. */
function relativiseRunPaths(catalogPath: string, oldHome: string): void {
  const db = openDatabase(catalogPath);
  try {
    const rows = db.prepare('SELECT id, run_dir, model_path FROM runs').all() as {
      id: number;
      run_dir: string;
      model_path: string | null;
    }[];
    const update = db.prepare('UPDATE runs SET run_dir = ?, model_path = ? WHERE id = ?');
    db.transaction(() => {
      for (const row of rows) {
        const stored = (p: string) => (path.isAbsolute(p) ? toStored(oldHome, p) : p);
        update.run(
          stored(row.run_dir),
          row.model_path === null ? null : stored(row.model_path),
          row.id,
        );
      }
    })();
    // Everything into the main file, so the move below carries the whole catalogue.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/**
 * Moves the layout before projects (`<dataDir>/catalogue.sqlite`, `<dataDir>/runs/run-N`,
 * `<dataDir>/sample-N`, all the default catalogue's) into `<dataDir>/projects/default`.
 * Only renames (nothing is copied or deleted), and each step checks what is already done, so a
 * migration cut short by a crash completes on the next start. Null when there is nothing to move.
 */
export function migrateLegacyLayout(dataDir: string): LegacyMigration | null {
  const legacyCatalogue = path.join(dataDir, CATALOGUE_FILE);
  const legacyRuns = path.join(dataDir, RUNS_DIR);
  const samples = fs.existsSync(dataDir)
    ? fs.readdirSync(dataDir).filter((name) => /^sample-\d+$/.test(name))
    : [];
  if (!fs.existsSync(legacyCatalogue) && !fs.existsSync(legacyRuns) && samples.length === 0)
    return null;

  // A default project that already has a catalogue is someone else's: pick the next free folder.
  let project = defaultProjectDir(dataDir);
  for (
    let n = 2;
    fs.existsSync(legacyCatalogue) && fs.existsSync(path.join(project, CATALOGUE_FILE));
    n++
  )
    project = `${defaultProjectDir(dataDir)}-${n}`;
  fs.mkdirSync(path.join(project, RUNS_DIR), { recursive: true });

  if (fs.existsSync(legacyCatalogue)) relativiseRunPaths(legacyCatalogue, dataDir);

  const result: LegacyMigration = { project, runs: [], kept: [] };
  if (fs.existsSync(legacyRuns)) {
    for (const name of fs.readdirSync(legacyRuns)) {
      if (moveIfFree(path.join(legacyRuns, name), path.join(project, RUNS_DIR, name)))
        result.runs.push(name);
      else result.kept.push(name);
    }
    // Removed only when empty: a kept run folder stays where the user can find it.
    if (result.kept.length === 0) fs.rmdirSync(legacyRuns);
  }
  for (const name of samples) moveIfFree(path.join(dataDir, name), path.join(project, name));
  // The catalogue moves last: finding it still here, the next start finishes the move.
  for (const suffix of SIDECARS)
    moveIfFree(`${legacyCatalogue}${suffix}`, path.join(project, `${CATALOGUE_FILE}${suffix}`));
  moveIfFree(legacyCatalogue, path.join(project, CATALOGUE_FILE));
  return result;
}
