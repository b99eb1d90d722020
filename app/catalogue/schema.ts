import fs from 'node:fs';
import Database from 'better-sqlite3';
import { StudioError } from '../contract/errors.ts';
import { explainOpenError } from './open-errors.ts';

type Db = Database.Database;

/** Each entry moves the schema one version up; `user_version` records how many ran. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    folder TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('running', 'done', 'cancelled', 'failed')),
    report TEXT
  );
  CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    split TEXT NOT NULL CHECK (split IN ('train', 'test')),
    original_label TEXT NOT NULL,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    source_file TEXT NOT NULL,
    format TEXT NOT NULL,
    original_width INTEGER NOT NULL,
    original_height INTEGER NOT NULL,
    resized INTEGER NOT NULL,
    converted INTEGER NOT NULL,
    original BLOB NOT NULL,
    pixels BLOB NOT NULL CHECK (length(pixels) = 2304),
    imported_at TEXT NOT NULL
  );
  CREATE INDEX images_split ON images(split);
  -- Labels live apart from images so relabelling never touches image rows.
  CREATE TABLE labels (
    image_id INTEGER PRIMARY KEY REFERENCES images(id),
    label TEXT NOT NULL,
    changed_at TEXT NOT NULL
  );
  CREATE INDEX labels_label ON labels(label);
  CREATE TABLE label_history (
    id INTEGER PRIMARY KEY,
    image_id INTEGER NOT NULL REFERENCES images(id),
    from_label TEXT,
    to_label TEXT NOT NULL,
    at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('import', 'manual', 'suggestion', 'undo', 'redo'))
  );
  CREATE INDEX label_history_image ON label_history(image_id);
  `,
  `
  CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'stopped', 'finished', 'failed')),
    model TEXT NOT NULL,
    config TEXT NOT NULL,
    backend TEXT,
    run_dir TEXT NOT NULL,
    epochs_done INTEGER NOT NULL DEFAULT 0,
    best_val_acc REAL,
    best_epoch INTEGER,
    seconds REAL NOT NULL DEFAULT 0,
    message TEXT,
    model_path TEXT,
    parent_run_id INTEGER REFERENCES runs(id)
  );
  CREATE TABLE run_epochs (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    epoch INTEGER NOT NULL,
    loss REAL NOT NULL,
    acc REAL NOT NULL,
    val_loss REAL,
    val_acc REAL,
    lr REAL NOT NULL,
    images_per_sec REAL NOT NULL,
    seconds REAL NOT NULL,
    PRIMARY KEY (run_id, epoch)
  ) WITHOUT ROWID;
  -- The label snapshot a run trained on, and each image's role in it.
  CREATE TABLE run_images (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    image_id INTEGER NOT NULL REFERENCES images(id),
    label TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('train', 'val', 'test')),
    PRIMARY KEY (run_id, image_id)
  ) WITHOUT ROWID;
  `,
  `
  -- One row per labels-set batch: the unit undo and redo work on.
  -- state: applied → undone (labels-undo) → applied (labels-redo); a new edit discards every undone one.
  CREATE TABLE label_edits (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('manual', 'suggestion')),
    state TEXT NOT NULL CHECK (state IN ('applied', 'undone', 'discarded'))
  );
  CREATE INDEX label_edits_state ON label_edits(state, id);
  ALTER TABLE label_history ADD COLUMN edit_id INTEGER REFERENCES label_edits(id);
  CREATE INDEX label_history_edit ON label_history(edit_id);
  -- A run's model's class probabilities per image (7 float32); out_of_sample = the model never trained on it.
  -- predicted/confidence are derived from probs and stored so a confusion cell is one index range.
  CREATE TABLE predictions (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    image_id INTEGER NOT NULL REFERENCES images(id),
    probs BLOB NOT NULL CHECK (length(probs) = 28),
    predicted INTEGER NOT NULL,
    confidence REAL NOT NULL,
    out_of_sample INTEGER NOT NULL,
    PRIMARY KEY (run_id, image_id)
  ) WITHOUT ROWID;
  CREATE INDEX predictions_cell ON predictions(run_id, predicted, confidence DESC);
  -- Which saved model the final-model predictions came from (a resumed run saves a new one).
  CREATE TABLE prediction_models (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    stamp TEXT NOT NULL
  );
  `,
  `
  -- How the run's model sees a 48×48 image and what its outputs mean (app/preprocessing record
  -- as JSON); NULL = the identity of studio-trained runs.
  ALTER TABLE runs ADD COLUMN preprocessing TEXT;
  -- An imported model's origin: {"fileName","sha256","format","layers","params","notes"} as JSON.
  ALTER TABLE runs ADD COLUMN imported TEXT;
  `,
  `
  -- An import taken back (imports-remove): its images' labels wait in removed_labels, which hides
  -- them from the catalogue while runs keep their snapshot; imports-restore moves them back.
  ALTER TABLE imports ADD COLUMN removed_at TEXT;
  CREATE TABLE removed_labels (
    image_id INTEGER PRIMARY KEY REFERENCES images(id),
    label TEXT NOT NULL,
    changed_at TEXT NOT NULL
  );
  `,
  `
  -- A person's name and notes for a run (Runs page); NULL name = shown as "Run #id".
  ALTER TABLE runs ADD COLUMN name TEXT;
  ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
  `,
  `
  -- The highest run id ever issued, so a deleted run's id (and its folder name, run-<id>) is never
  -- given to a later run: what AUTOINCREMENT does, without rebuilding the runs table.
  CREATE TABLE run_id_high (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    last INTEGER NOT NULL
  );
  INSERT INTO run_id_high VALUES (1, (SELECT coalesce(max(id), 0) FROM runs));
  `,
  `
  -- Training dynamics (app/training/dynamics.ts): per training image of a run, the mean of the
  -- probabilities (7 float32) the model gave it while training on it, over \`epochs\` epochs.
  CREATE TABLE training_dynamics (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    image_id INTEGER NOT NULL REFERENCES images(id),
    probs BLOB NOT NULL CHECK (length(probs) = 28),
    epochs INTEGER NOT NULL,
    PRIMARY KEY (run_id, image_id)
  ) WITHOUT ROWID;
  `,
  `
  -- A random key per catalogue, part of every image URL: image ids restart at 1 in every project,
  -- so an id alone could serve (or let a browser cache) another project's face.
  CREATE TABLE catalogue_identity (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    image_key TEXT NOT NULL
  );
  INSERT INTO catalogue_identity VALUES (1, lower(hex(randomblob(16))));
  `,
  `
  -- Provenance of a label change accepted from a suggestion (app/labels/label-store.ts): the run
  -- whose ranking suggested it, the class it suggested and the doubt it had; NULL for manual edits.
  ALTER TABLE label_history ADD COLUMN source_run INTEGER;
  ALTER TABLE label_history ADD COLUMN suggested TEXT;
  ALTER TABLE label_history ADD COLUMN doubt REAL;
  `,
  `
  -- Images the user looked at in the cleaning view and kept as labelled (app/cleaning): not offered
  -- again for that run. Deleting the run forgets them.
  CREATE TABLE label_reviews (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    image_id INTEGER NOT NULL REFERENCES images(id),
    label TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (run_id, image_id)
  ) WITHOUT ROWID;
  `,
  `
  -- Edits that are not relabels share the undo stack (app/imports/import-edits.ts): taking an
  -- import back or restoring it, and a face added from Predict (its relabel plus its import).
  ALTER TABLE label_edits ADD COLUMN action TEXT NOT NULL DEFAULT 'relabel'
    CHECK (action IN ('relabel', 'add-face', 'remove-import', 'restore-import'));
  ALTER TABLE label_edits ADD COLUMN import_id INTEGER REFERENCES imports(id);
  `,
  `
  -- Each resume of a stopped run (app/runs/run-manager.ts): it had trained to stopped_after and went
  -- on from the checkpoint of from_epoch, so a run's page and report can say it was interrupted.
  CREATE TABLE run_resumes (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    stopped_after INTEGER NOT NULL,
    from_epoch INTEGER NOT NULL
  );
  CREATE INDEX run_resumes_run ON run_resumes(run_id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
const SQLITE_MAGIC = 'SQLite format 3\0';

/** Refuses anything that is not a SQLite file before better-sqlite3 can misreport it later. */
function assertSqliteFile(path: string): void {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new StudioError(
      'not-a-catalogue',
      `Cannot open catalogue ${path}: ${(error as Error).message}`,
    );
  }
  try {
    const header = Buffer.alloc(16);
    const read = fs.readSync(fd, header, 0, 16, 0);
    if (read === 0) return; // an empty file becomes a new catalogue
    if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC) {
      throw new StudioError(
        'not-a-catalogue',
        `${path} is not a FER Studio catalogue (not a SQLite file).`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Opens (creating or migrating) a catalogue; every refusal is a StudioError saying why. */
export function openDatabase(path: string): Db {
  try {
    return openWritable(path);
  } catch (error) {
    throw explainOpenError(path, error);
  }
}

function openWritable(path: string): Db {
  if (fs.existsSync(path) && fs.statSync(path).isDirectory()) {
    throw new StudioError('not-a-catalogue', `${path} is a directory, not a catalogue file.`);
  }
  assertSqliteFile(path);
  const db = new Database(path);
  try {
    let version: number;
    try {
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
        throw new StudioError(
          'not-a-catalogue',
          `${path} is not a usable catalogue: ${(error as Error).message}.`,
        );
      }
      throw error;
    }
    if (version > SCHEMA_VERSION) {
      throw new StudioError(
        'catalogue-too-new',
        `${path} has schema version ${version}; this FER Studio understands up to ${SCHEMA_VERSION}. Update FER Studio to open it.`,
      );
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, version);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Db, from: number): void {
  for (let version = from; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
