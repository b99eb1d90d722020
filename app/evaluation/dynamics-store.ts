import type Database from 'better-sqlite3';
import { CLASS_NAMES } from '../contract/classes.ts';

const K = CLASS_NAMES.length;

export interface StoredDynamics {
  ids: number[];
  /** ids.length × 7 mean probabilities while training. */
  probs: Float32Array;
  epochs: number[];
}

/** The training_dynamics table: a run's record of how it saw each training image as it trained. */
export function createDynamicsStore(db: Database.Database) {
  const insert = db.prepare(
    'INSERT OR REPLACE INTO training_dynamics (run_id, image_id, probs, epochs) VALUES (?, ?, ?, ?)',
  );
  return {
    /** Replaces the run's record; images with no recorded epoch (validation) are left out. */
    save: db.transaction(
      (runId: number, ids: readonly number[], probs: Float32Array, epochs: ArrayLike<number>) => {
        db.prepare('DELETE FROM training_dynamics WHERE run_id = ?').run(runId);
        ids.forEach((id, i) => {
          const n = epochs[i] ?? 0;
          if (n === 0) return;
          const row = new Float32Array(probs.subarray(i * K, i * K + K));
          insert.run(runId, id, Buffer.from(row.buffer), n);
        });
      },
    ),

    load(runId: number): StoredDynamics {
      const rows = db
        .prepare(
          'SELECT image_id, probs, epochs FROM training_dynamics WHERE run_id = ? ORDER BY image_id',
        )
        .raw()
        .all(runId) as [number, Buffer, number][];
      const probs = new Float32Array(rows.length * K);
      rows.forEach(([, blob], i) =>
        probs.set(
          new Float32Array(blob.buffer.slice(blob.byteOffset, blob.byteOffset + 28)),
          i * K,
        ),
      );
      return { ids: rows.map((r) => r[0]), probs, epochs: rows.map((r) => r[2]) };
    },

    has(runId: number): boolean {
      return (
        db.prepare('SELECT 1 FROM training_dynamics WHERE run_id = ? LIMIT 1').get(runId) !==
        undefined
      );
    },
  };
}
