import type Database from 'better-sqlite3';
import { CLASS_NAMES, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';

const K = CLASS_NAMES.length;
const CLASS_INDEX = new Map<string, number>(CLASS_NAMES.map((name, i) => [name, i]));

export type Role = 'train' | 'val' | 'test';

/** A run's images of one role, with the labels recorded at the run's start, in id order. */
export interface RoleImages {
  ids: number[];
  /** Class indices. */
  labels: Uint8Array;
}

export interface StoredPredictions {
  ids: number[];
  /** ids.length × 7 probabilities. */
  probs: Float32Array;
  outOfSample: boolean[];
}

function toBlob(probs: Float32Array, offset: number): Buffer {
  return Buffer.from(new Float32Array(probs.subarray(offset, offset + K)).buffer);
}

function fromBlob(blob: Buffer): Float32Array {
  return new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + blob.byteLength));
}

function argmax(probs: Float32Array, offset: number): number {
  let best = 0;
  for (let c = 1; c < K; c++) if ((probs[offset + c] ?? 0) > (probs[offset + best] ?? 0)) best = c;
  return best;
}

/** The predictions table plus the run_images reads evaluation needs. */
export function createPredictionStore(db: Database.Database) {
  const upsert = db.prepare(
    `INSERT OR REPLACE INTO predictions (run_id, image_id, probs, predicted, confidence, out_of_sample)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const save = db.transaction(
    (
      runId: number,
      ids: readonly number[],
      probs: Float32Array,
      outOfSample: readonly boolean[],
    ) => {
      ids.forEach((id, i) => {
        const predicted = argmax(probs, i * K);
        upsert.run(
          runId,
          id,
          toBlob(probs, i * K),
          predicted,
          probs[i * K + predicted] ?? 0,
          outOfSample[i] ? 1 : 0,
        );
      });
    },
  );

  return {
    roleImages(runId: number, role: Role): RoleImages {
      const rows = db
        .prepare(
          'SELECT image_id, label FROM run_images WHERE run_id = ? AND role = ? ORDER BY image_id',
        )
        .raw()
        .all(runId, role) as [number, string][];
      return {
        ids: rows.map((r) => r[0]),
        labels: Uint8Array.from(rows, (r) => CLASS_INDEX.get(r[1]) ?? 0),
      };
    },

    /** The 48×48 pixels of `ids`, concatenated in that order. */
    pixels(ids: readonly number[]): Uint8Array {
      const get = db.prepare('SELECT pixels FROM images WHERE id = ?').pluck();
      const out = new Uint8Array(ids.length * PIXELS_PER_IMAGE);
      ids.forEach((id, i) => out.set(get.get(id) as Buffer, i * PIXELS_PER_IMAGE));
      return out;
    },

    role(runId: number, imageId: number): { role: Role; label: ClassName } | null {
      const row = db
        .prepare('SELECT role, label FROM run_images WHERE run_id = ? AND image_id = ?')
        .get(runId, imageId) as { role: Role; label: ClassName } | undefined;
      return row ?? null;
    },

    save(
      runId: number,
      ids: readonly number[],
      probs: Float32Array,
      outOfSample: boolean | readonly boolean[],
    ): void {
      save(
        runId,
        ids,
        probs,
        typeof outOfSample === 'boolean' ? ids.map(() => outOfSample) : outOfSample,
      );
    },

    /** Stored predictions for the run's images of `role`; only out-of-sample ones when asked. */
    load(runId: number, role: Role, outOfSampleOnly = false): StoredPredictions {
      const rows = db
        .prepare(
          `SELECT p.image_id, p.probs, p.out_of_sample FROM predictions p
           JOIN run_images r ON r.run_id = p.run_id AND r.image_id = p.image_id
           WHERE p.run_id = ? AND r.role = ? ${outOfSampleOnly ? 'AND p.out_of_sample = 1' : ''}
           ORDER BY p.image_id`,
        )
        .raw()
        .all(runId, role) as [number, Buffer, number][];
      const probs = new Float32Array(rows.length * K);
      rows.forEach((r, i) => probs.set(fromBlob(r[1]), i * K));
      return { ids: rows.map((r) => r[0]), probs, outOfSample: rows.map((r) => r[2] === 1) };
    },

    one(runId: number, imageId: number): { probs: Float32Array; outOfSample: boolean } | null {
      const row = db
        .prepare('SELECT probs, out_of_sample FROM predictions WHERE run_id = ? AND image_id = ?')
        .raw()
        .get(runId, imageId) as [Buffer, number] | undefined;
      return row ? { probs: fromBlob(row[0]), outOfSample: row[1] === 1 } : null;
    },

    /** One confusion-matrix cell, most confident first: an index range on (run, predicted, confidence). */
    cell(runId: number, role: Role, trueLabel: ClassName, predicted: number) {
      const rows = db
        .prepare(
          `SELECT p.image_id, p.confidence FROM predictions p
           JOIN run_images r ON r.run_id = p.run_id AND r.image_id = p.image_id
           WHERE p.run_id = ? AND p.predicted = ? AND r.role = ? AND r.label = ?
           ORDER BY p.confidence DESC, p.image_id`,
        )
        .raw()
        .all(runId, predicted, role, trueLabel) as [number, number][];
      return { ids: rows.map((r) => r[0]), confidences: rows.map((r) => r[1]) };
    },

    /**
     * Drops the final model's predictions when its saved model changed (a stopped run resumed);
     * cross-validated ones stay, they never came from that model.
     */
    forgetIfModelChanged(runId: number, stamp: string): void {
      db.transaction(() => {
        const known = db
          .prepare('SELECT stamp FROM prediction_models WHERE run_id = ?')
          .pluck()
          .get(runId) as string | undefined;
        if (known === stamp) return;
        db.prepare(
          `DELETE FROM predictions WHERE run_id = ? AND (out_of_sample = 0 OR image_id NOT IN
             (SELECT image_id FROM run_images WHERE run_id = ? AND role = 'train'))`,
        ).run(runId, runId);
        db.prepare('INSERT OR REPLACE INTO prediction_models (run_id, stamp) VALUES (?, ?)').run(
          runId,
          stamp,
        );
      })();
    },

    /** Current catalogue labels, to skip issues the user has already fixed since the run. */
    currentLabels(ids: readonly number[]): Map<number, string> {
      const get = db.prepare('SELECT label FROM labels WHERE image_id = ?').pluck();
      return new Map(ids.map((id) => [id, get.get(id) as string]));
    },
  };
}

export type PredictionStore = ReturnType<typeof createPredictionStore>;
