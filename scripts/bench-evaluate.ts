// Evaluate-page responsiveness: how long each confusion-matrix cell takes to list its images on
// a FER-2013-sized catalogue (35,000 stored predictions by default), the query behind a click on
// a cell. Target: the slowest of the 98 cells (7 × 7, test and train) well under 150 ms.
//
//   npm run bench:evaluate -- [--images N] [--repeat R]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCatalogue } from '../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../app/contract/classes.ts';
import { createEvaluator } from '../app/evaluation/evaluator.ts';
import { badFlag, benchFlags } from './bench-flags.ts';
import { writePredictedCatalogue } from '../tests/fixtures/predicted-catalogue.ts';

const values = benchFlags(import.meta.filename, {
  images: { type: 'string', default: '35000' },
  repeat: { type: 'string', default: '3' },
});
const images = Number(values.images);
const repeat = Number(values.repeat);
if (!Number.isInteger(images) || images < 1)
  badFlag(import.meta.filename, '--images must be a whole number');
if (!Number.isInteger(repeat) || repeat < 1)
  badFlag(import.meta.filename, '--repeat must be a whole number');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-bench-eval-'));
const catalogue = openCatalogue(path.join(dir, 'bench.sqlite'));
try {
  writePredictedCatalogue(catalogue.db, images);
  const evaluator = createEvaluator(catalogue.db, () => {});
  const times: number[] = [];
  for (let r = 0; r < repeat; r++)
    for (const split of ['test', 'train'] as const)
      for (const trueLabel of CLASS_NAMES)
        for (const predicted of CLASS_NAMES) {
          const started = performance.now();
          evaluator.cell(1, split, trueLabel, predicted);
          times.push(performance.now() - started);
        }
  times.sort((a, b) => a - b);
  const at = (q: number) =>
    (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(1);
  const cpu = `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
  console.log(`machine  ${cpu}`);
  console.log(`cells    ${times.length} queries (98 cells × ${repeat}) on ${images} predictions`);
  console.log(`ms       median ${at(0.5)}, p95 ${at(0.95)}, slowest ${at(1)} (target < 150)`);
} finally {
  catalogue.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
