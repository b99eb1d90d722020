// What "Open sample dataset" costs: the catalogue-sample request on a fresh project, which draws the
// faces, encodes them as PNG, writes the folder and imports it (in-process, studio.dispatch).
// Usage: node scripts/bench-sample.ts [--per-class 150] [--rounds 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSampleDataset } from '../app/sample/sample-set.ts';
import { createStudio } from '../app/studio.ts';
import { badFlag, benchFlags } from './bench-flags.ts';

const values = benchFlags(import.meta.filename, {
  'per-class': { type: 'string', default: '150' },
  rounds: { type: 'string', default: '3' },
});
const perClass = Number(values['per-class']);
const rounds = Number(values.rounds);
if (!Number.isInteger(perClass) || perClass < 2 || perClass > 2000)
  badFlag(import.meta.filename, '--per-class must be an integer from 2 to 2000');
if (!Number.isInteger(rounds) || rounds < 1)
  badFlag(import.meta.filename, '--rounds must be a positive integer');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const faces = perClass * 7;
const whole: number[] = [];
const written: number[] = [];
for (let round = 0; round < rounds; round++) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sample-'));
  try {
    // The files alone (draw, encode, write), then the whole action on a fresh project.
    let t = performance.now();
    await writeSampleDataset(path.join(dir, 'files-only'), { perClass, seed: 1 });
    written.push((performance.now() - t) / 1000);
    const studio = createStudio({
      catalogPath: path.join(dir, 'catalogue.sqlite'),
      dataDir: path.join(dir, 'data'),
      mode: 'browser',
    });
    t = performance.now();
    const reply = await studio.dispatch('catalogue-sample', { perClass });
    whole.push((performance.now() - t) / 1000);
    await studio.close();
    if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
    const imported = (reply.result as { imported: number }).imported;
    if (imported !== faces) throw new Error(`imported ${imported} of ${faces} sample faces`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
console.log(
  `machine  ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load ${os.loadavg()[0]?.toFixed(1)}`,
);
console.log(
  `"Open sample dataset" (${faces} faces: draw, encode, write, import), median of ${rounds}: ${median(whole).toFixed(2)} s, ${(faces / median(whole)).toFixed(0)} faces/s`,
);
console.log(`  of which draw + encode + write alone: ${median(written).toFixed(2)} s`);
