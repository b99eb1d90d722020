import type Database from 'better-sqlite3';
import { CLASS_NAMES, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { BackendInfo, RunDetail, RunSummary } from '../contract/handlers.ts';
import type { EpochMetrics } from '../training/train.ts';
import { parseStoredConfig, type TrainConfig } from '../training/config.ts';
import { importedInfoSchema } from '../contract/model-import.ts';
import { artefactDirOf, relativeRunDir, resolveStored, toStored } from '../project/layout.ts';
import { isIdentity, parsePreprocessing } from '../preprocessing/index.ts';
import { appliedSettings } from './applied-settings.ts';
import { recipePreprocessing } from '../training/model-input.ts';
import { createDynamicsStore } from '../evaluation/dynamics-store.ts';

/** What a run trains on: a copy of the catalogue's pixels and labels at the moment it started. */
export interface RunData {
  ids: number[];
  pixels: Uint8Array;
  labels: Uint8Array;
}

interface RunRow {
  id: number;
  created_at: string;
  status: RunSummary['status'];
  model: string;
  config: string;
  backend: string | null;
  run_dir: string;
  epochs_done: number;
  best_val_acc: number | null;
  best_epoch: number | null;
  seconds: number;
  message: string | null;
  model_path: string | null;
  parent_run_id: number | null;
  train_images: number;
  val_images: number;
  has_checkpoint: number;
  /** app/preprocessing record as JSON; null = identity (studio-trained). */
  preprocessing: string | null;
  /** An imported model's origin as JSON; null = trained in the studio. */
  imported: string | null;
  name: string | null;
  notes: string;
  test_images: number;
  test_predicted: number;
  test_correct: number;
}

/** The run `r`'s test images with a stored prediction (predictions.predicted is a class index). */
const TEST_PREDICTED = `FROM run_images ri JOIN predictions p ON p.run_id = ri.run_id AND p.image_id = ri.image_id
  WHERE ri.run_id = r.id AND ri.role = 'test'`;
const LABEL_INDEX = `CASE ri.label ${CLASS_NAMES.map((n, i) => `WHEN '${n}' THEN ${i}`).join(' ')} END`;

const CLASS_INDEX = new Map<string, number>(CLASS_NAMES.map((name, i) => [name, i]));

function collect(rows: Iterable<[number, string, Buffer]>, count: number): RunData {
  const ids: number[] = [];
  const pixels = new Uint8Array(count * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(count);
  let i = 0;
  for (const [id, label, bytes] of rows) {
    ids.push(id);
    labels[i] = CLASS_INDEX.get(label) as number;
    pixels.set(bytes, i * PIXELS_PER_IMAGE);
    i++;
  }
  return { ids, pixels: pixels.subarray(0, i * PIXELS_PER_IMAGE), labels: labels.subarray(0, i) };
}

/** The runs tables: hyper-parameters, label snapshot, per-epoch metrics, final model. */
export function createRunStore(db: Database.Database) {
  const now = () => new Date().toISOString();
  // Run paths are stored relative to the catalogue's own folder, so a moved project keeps its runs.
  const home = db.memory ? process.cwd() : artefactDirOf(db.name);
  const summary = (row: RunRow): RunSummary => {
    const config = parseStoredConfig(JSON.parse(row.config));
    return {
      id: row.id,
      createdAt: row.created_at,
      status: row.status,
      model: row.model,
      backend: row.backend ? (JSON.parse(row.backend) as BackendInfo) : null,
      epochsDone: row.epochs_done,
      epochs: config.epochs,
      bestValAcc: row.best_val_acc,
      bestEpoch: row.best_epoch,
      seconds: row.seconds,
      message: row.message,
      trainImages: row.train_images,
      valImages: row.val_images,
      canResume: row.status !== 'finished' && row.status !== 'running' && row.has_checkpoint === 1,
      hasModel: row.model_path !== null,
      parentRunId: row.parent_run_id,
      imported: row.imported ? importedInfoSchema.parse(JSON.parse(row.imported)) : null,
      name: row.name,
      notes: row.notes,
      testAccuracy:
        row.test_images > 0 && row.test_predicted === row.test_images
          ? row.test_correct / row.test_images
          : null,
    };
  };
  const SELECT_RUN = `SELECT r.*,
      (SELECT count(*) FROM run_images WHERE run_id = r.id AND role = 'train') AS train_images,
      (SELECT count(*) FROM run_images WHERE run_id = r.id AND role = 'val') AS val_images,
      (r.epochs_done > 0) AS has_checkpoint,
      (SELECT count(*) FROM run_images WHERE run_id = r.id AND role = 'test') AS test_images,
      (SELECT count(*) ${TEST_PREDICTED}) AS test_predicted,
      (SELECT count(*) ${TEST_PREDICTED} AND p.predicted = ${LABEL_INDEX}) AS test_correct
    FROM runs r`;
  const dynamics = createDynamicsStore(db);

  return {
    /** Stores what the run recorded while training (see app/training/dynamics.ts). */
    saveDynamics: dynamics.save,
    /** Current labels of every non-excluded training image, in id order. */
    currentTrainingData(): RunData {
      const { n } = db
        .prepare(
          `SELECT count(*) AS n FROM images i JOIN labels l ON l.image_id = i.id WHERE i.split = 'train' AND l.label != 'exclude'`,
        )
        .get() as { n: number };
      const rows = db
        .prepare(
          `SELECT i.id, l.label, i.pixels FROM images i JOIN labels l ON l.image_id = i.id
                  WHERE i.split = 'train' AND l.label != 'exclude' ORDER BY i.id`,
        )
        .raw()
        .iterate() as Iterable<[number, string, Buffer]>;
      return collect(rows, n);
    },

    /** The images and labels a run trained on (its label snapshot), in the same order as at its start. */
    runData(runId: number): RunData {
      const { n } = db
        .prepare(`SELECT count(*) AS n FROM run_images WHERE run_id = ? AND role != 'test'`)
        .get(runId) as { n: number };
      const rows = db
        .prepare(
          `SELECT i.id, r.label, i.pixels FROM run_images r JOIN images i ON i.id = r.image_id
                  WHERE r.run_id = ? AND r.role != 'test' ORDER BY i.id`,
        )
        .raw()
        .iterate(runId) as Iterable<[number, string, Buffer]>;
      return collect(rows, n);
    },

    createRun(input: {
      model: string;
      config: TrainConfig;
      /** Default: `runs/run-<id>` in the catalogue's own folder. */
      runDir?: (id: number) => string;
      parentRunId: number | null;
      data: RunData;
      validation: ReadonlySet<number>;
    }): number {
      return db.transaction(() => {
        const at = now();
        // Never reuses an id, even the newest run's after it was deleted (see run_id_high).
        const id = db
          .prepare(
            `UPDATE run_id_high SET last = max(last, (SELECT coalesce(max(id), 0) FROM runs)) + 1
             RETURNING last`,
          )
          .pluck()
          .get() as number;
        db.prepare(
          `INSERT INTO runs (id, created_at, updated_at, status, model, config, run_dir, parent_run_id)
                  VALUES (?, ?, ?, 'running', ?, ?, '', ?)`,
        ).run(id, at, at, input.model, JSON.stringify(input.config), input.parentRunId);
        const dir = input.runDir ? toStored(home, input.runDir(id)) : relativeRunDir(id);
        db.prepare('UPDATE runs SET run_dir = ? WHERE id = ?').run(dir, id);
        // A run trained on random crops takes their centre crop everywhere it predicts.
        const preprocessing =
          input.config.fineTune?.preprocessing ?? recipePreprocessing(input.config);
        if (!isIdentity(preprocessing))
          db.prepare('UPDATE runs SET preprocessing = ? WHERE id = ?').run(
            JSON.stringify(preprocessing),
            id,
          );
        const insert = db.prepare(
          'INSERT INTO run_images (run_id, image_id, label, role) VALUES (?, ?, ?, ?)',
        );
        input.data.ids.forEach((imageId, i) => {
          const label = CLASS_NAMES[input.data.labels[i] as number] as ClassName;
          insert.run(id, imageId, label, input.validation.has(imageId) ? 'val' : 'train');
        });
        // Test images are recorded too, so evaluation later uses the labels of this moment.
        db.prepare(
          `INSERT INTO run_images (run_id, image_id, label, role)
                    SELECT ?, i.id, l.label, 'test' FROM images i JOIN labels l ON l.image_id = i.id
                    WHERE i.split = 'test' AND l.label != 'exclude'`,
        ).run(id);
        return id;
      })();
    },

    setStatus(runId: number, status: RunSummary['status'], message: string | null): void {
      db.prepare('UPDATE runs SET status = ?, message = ?, updated_at = ? WHERE id = ?').run(
        status,
        message,
        now(),
        runId,
      );
    },

    setBackend(runId: number, backend: BackendInfo): void {
      db.prepare('UPDATE runs SET backend = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(backend),
        now(),
        runId,
      );
    },

    addEpoch(runId: number, m: EpochMetrics): void {
      db.transaction(() => {
        db.prepare(
          `INSERT OR REPLACE INTO run_epochs (run_id, epoch, loss, acc, val_loss, val_acc, lr, images_per_sec, seconds)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(runId, m.epoch, m.loss, m.acc, m.valLoss, m.valAcc, m.lr, m.imagesPerSec, m.seconds);
        const best = db
          .prepare(
            `SELECT epoch, val_acc FROM run_epochs WHERE run_id = ? AND val_acc IS NOT NULL ORDER BY val_acc DESC, epoch LIMIT 1`,
          )
          .get(runId) as { epoch: number; val_acc: number } | undefined;
        db.prepare(
          `UPDATE runs SET epochs_done = ?, seconds = (SELECT sum(seconds) FROM run_epochs WHERE run_id = ?),
                    best_val_acc = ?, best_epoch = ?, updated_at = ? WHERE id = ?`,
        ).run(m.epoch, runId, best?.val_acc ?? null, best?.epoch ?? null, now(), runId);
      })();
    },

    /** Drops epochs after `epoch` (a resume continues from the checkpoint, which may be older). */
    truncateEpochs(runId: number, epoch: number): void {
      db.prepare('DELETE FROM run_epochs WHERE run_id = ? AND epoch > ?').run(runId, epoch);
    },

    /** Notes a resume: the run had trained `stoppedAfter` epochs and goes on from `fromEpoch`. */
    recordResume(runId: number, stoppedAfter: number, fromEpoch: number): void {
      db.prepare(
        'INSERT INTO run_resumes (run_id, at, stopped_after, from_epoch) VALUES (?, ?, ?, ?)',
      ).run(runId, now(), stoppedAfter, fromEpoch);
    },

    setModelPath(runId: number, modelPath: string): void {
      db.prepare('UPDATE runs SET model_path = ?, updated_at = ? WHERE id = ?').run(
        toStored(home, modelPath),
        now(),
        runId,
      );
    },

    /** The run's folder (absolute): checkpoints, `model/`, anything else the run writes. */
    runDir(runId: number): string {
      return this.row(runId).run_dir;
    },

    /** The run's row with `run_dir` and `model_path` made absolute. */
    row(runId: number): RunRow {
      const row = db.prepare(`${SELECT_RUN} WHERE r.id = ?`).get(runId) as RunRow | undefined;
      if (!row) throw new StudioError('not-found', `No run ${runId} in the catalogue.`);
      return {
        ...row,
        run_dir: resolveStored(home, row.run_dir),
        model_path: row.model_path === null ? null : resolveStored(home, row.model_path),
      };
    },

    list(): RunSummary[] {
      return (db.prepare(`${SELECT_RUN} ORDER BY r.id DESC`).all() as RunRow[]).map(summary);
    },

    get(runId: number): RunDetail {
      const row = this.row(runId);
      const history = (
        db.prepare('SELECT * FROM run_epochs WHERE run_id = ? ORDER BY epoch').all(runId) as {
          epoch: number;
          loss: number;
          acc: number;
          val_loss: number | null;
          val_acc: number | null;
          lr: number;
          images_per_sec: number;
          seconds: number;
        }[]
      ).map((e) => ({
        epoch: e.epoch,
        loss: e.loss,
        acc: e.acc,
        valLoss: e.val_loss,
        valAcc: e.val_acc,
        lr: e.lr,
        imagesPerSec: e.images_per_sec,
        seconds: e.seconds,
      }));
      const resumes = (
        db
          .prepare(
            'SELECT at, stopped_after, from_epoch FROM run_resumes WHERE run_id = ? ORDER BY rowid',
          )
          .all(runId) as { at: string; stopped_after: number; from_epoch: number }[]
      ).map((r) => ({ at: r.at, stoppedAfter: r.stopped_after, fromEpoch: r.from_epoch }));
      const base = { ...summary(row), config: parseStoredConfig(JSON.parse(row.config)), history };
      const preprocessing = row.preprocessing ? parsePreprocessing(row.preprocessing) : null;
      const settings = appliedSettings({ ...base, preprocessing, resumes });
      return { ...base, resumes, settings };
    },

    /** Runs left `running` by a crash or a closed app become resumable `stopped` runs. */
    recoverInterrupted(): number {
      return db
        .prepare(
          `UPDATE runs SET status = 'stopped', message = 'Interrupted (the app closed or crashed); resume continues from the last epoch checkpoint.' WHERE status = 'running'`,
        )
        .run().changes;
    },
  };
}

export type RunStore = ReturnType<typeof createRunStore>;
