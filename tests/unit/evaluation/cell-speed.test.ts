import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import { createEvaluator } from '../../../app/evaluation/evaluator.ts';
import { createPredictionStore } from '../../../app/evaluation/prediction-store.ts';
import { createRng } from '../../../app/util/rng.ts';

const N = 35_000;
let dir: string;
let catalogue: Catalogue;

/** A FER-2013-sized catalogue with one run and stored predictions, written straight in SQL. */
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-cell-'));
  catalogue = openCatalogue(path.join(dir, 'big.sqlite'));
  const db = catalogue.db;
  const at = new Date().toISOString();
  db.transaction(() => {
    db.prepare(
      `INSERT INTO imports (id, folder, started_at, status) VALUES (1, '/x', ?, 'done')`,
    ).run(at);
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO images (id, hash, split, original_label, import_id, source_file, format,
         original_width, original_height, resized, converted, original, pixels, imported_at)
       SELECT i, 'h' || i, CASE WHEN i % 5 = 0 THEN 'test' ELSE 'train' END, 'happy', 1, i || '.png',
         'png', 48, 48, 0, 0, zeroblob(1), zeroblob(2304), ? FROM n`,
    ).run(N, at);
    db.prepare(
      `INSERT INTO runs (id, created_at, updated_at, status, model, config, run_dir)
       VALUES (1, ?, ?, 'finished', 'compact-cnn', '{}', '')`,
    ).run(at, at);
    const rng = createRng(3);
    const insert = db.prepare(
      `INSERT INTO run_images (run_id, image_id, label, role) VALUES (1, ?, ?, ?)`,
    );
    const label = db.prepare('INSERT INTO labels (image_id, label, changed_at) VALUES (?, ?, ?)');
    for (let id = 1; id <= N; id++) {
      const name = CLASS_NAMES[rng.int(7)] as string;
      label.run(id, name, at);
      insert.run(id, name, id % 5 === 0 ? 'test' : 'train');
    }
  })();
  const ids = Array.from({ length: N }, (_, i) => i + 1);
  const rng = createRng(9);
  const probs = new Float32Array(N * 7).map(() => rng.next());
  createPredictionStore(db).save(1, ids, probs, true);
});
afterAll(() => {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('confusion-cell queries on a 35k catalogue', () => {
  it('answer every cell well under 150 ms, most confident first', () => {
    const evaluator = createEvaluator(catalogue.db, () => {});
    let slowest = 0;
    let listed = 0;
    for (const split of ['test', 'train'] as const)
      for (const trueLabel of CLASS_NAMES)
        for (const predicted of CLASS_NAMES) {
          const started = performance.now();
          const cell = evaluator.cell(1, split, trueLabel, predicted);
          slowest = Math.max(slowest, performance.now() - started);
          listed += cell.ids.length;
          expect(cell.confidences).toEqual([...cell.confidences].sort((a, b) => b - a));
        }
    console.log(`slowest of 98 confusion cells on ${N} predictions: ${slowest.toFixed(1)} ms`);
    expect(listed).toBe(N);
    expect(slowest).toBeLessThan(50);
  });
});
