import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import { createEvaluator } from '../../../app/evaluation/evaluator.ts';
import { writePredictedCatalogue } from '../../fixtures/predicted-catalogue.ts';

// How fast the cells answer on a FER-2013-sized catalogue is `npm run bench:evaluate`'s figure,
// not a timed assertion here (one failed under load beside a training run).
const N = 3_000;
let dir: string;
let catalogue: Catalogue;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-cell-'));
  catalogue = openCatalogue(path.join(dir, 'cells.sqlite'));
  writePredictedCatalogue(catalogue.db, N);
});
afterAll(() => {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('confusion-cell queries', () => {
  it('list every prediction in exactly one cell, most confident first', () => {
    const evaluator = createEvaluator(catalogue.db, () => {});
    const seen = new Set<number>();
    for (const split of ['test', 'train'] as const)
      for (const trueLabel of CLASS_NAMES)
        for (const predicted of CLASS_NAMES) {
          const cell = evaluator.cell(1, split, trueLabel, predicted);
          expect(cell.confidences).toEqual([...cell.confidences].sort((a, b) => b - a));
          for (const id of cell.ids) {
            expect(seen.has(id)).toBe(false);
            expect(id % 5 === 0).toBe(split === 'test');
            seen.add(id);
          }
        }
    expect(seen.size).toBe(N);
  });
});
