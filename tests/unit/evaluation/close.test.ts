import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';
import { recordUntrainedRun } from './untrained-run.ts';

const CHILD = fileURLToPath(new URL('./close-child.ts', import.meta.url));
let dir: string;
let catalogPath: string;
let runId: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-eval-close-'));
  await writeSampleDataset(path.join(dir, 'sample'), { perClass: 12, seed: 4 });
  const s = openSession(dir, 'close');
  await s.call('catalogue-import', { folder: path.join(dir, 'sample') });
  await s.studio.close();
  catalogPath = path.join(dir, 'close.sqlite');
  // Cross-validation needs the run's label snapshot and config, not a trained model.
  runId = recordUntrainedRun(catalogPath, dir, { batchSize: 8 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs close-child.ts; resolves with its exit code, stdout and how long it lived after printing. */
function runChild(): Promise<{ code: number | null; out: string; err: string; lingerMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [
      CHILD,
      catalogPath,
      path.join(dir, 'data'),
      String(runId),
    ]);
    let out = '';
    let err = '';
    let printedAt = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      printedAt ||= performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    // A worker left running keeps the child alive: kill it after a bound and report that.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, lingerMs: printedAt ? performance.now() - printedAt : -1 });
    });
  });
}

describe('closing the studio during cross-validation', () => {
  it('ends the evaluation worker, answers the caller "cancelled" and leaves the catalogue intact', async () => {
    const child = await runChild();
    expect(child.err).not.toMatch(/Error/);
    expect(child.code).toBe(0);
    const report = JSON.parse(child.out) as {
      answer: { ok: boolean; error?: { code: string } };
      closeMs: number;
      eventsAtClose: number;
      eventsAfterClose: number;
    };
    console.log(
      `close() during cross-validation took ${report.closeMs.toFixed(0)} ms; the process exited ${child.lingerMs.toFixed(0)} ms after its last line`,
    );
    expect(report.eventsAtClose).toBeGreaterThan(0);
    expect(report.answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    expect(report.eventsAfterClose).toBe(0);

    const catalogue = openCatalogue(catalogPath);
    try {
      const db = catalogue.db;
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM images').pluck().get()).toBe(84);
      expect(
        db.prepare('SELECT count(*) FROM run_images WHERE run_id = ?').pluck().get(runId),
      ).toBe(84);
      // A cancelled cross-validation stores nothing half-done.
      expect(db.prepare('SELECT count(*) FROM predictions').pluck().get()).toBe(0);
      expect(db.prepare('SELECT model FROM runs WHERE id = ?').pluck().get(runId)).toBe(
        'compact-cnn',
      );
    } finally {
      catalogue.close();
    }
  }, 120_000);
});
