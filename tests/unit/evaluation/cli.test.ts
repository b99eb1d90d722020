import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { CLI, runCli } from '../core/cli-helpers.ts';
import { openSession } from '../session.ts';
import { recordUntrainedRun } from './untrained-run.ts';

let dir: string;

/** Accuracy as the printed confusion matrix says it: its diagonal over all its counts. */
function accuracyOf(confusion: number[][]): number {
  const all = confusion.flat().reduce((a, b) => a + b, 0);
  return confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0) / all;
}
let runId: number;

const cli = (...args: string[]) => runCli(dir, [...args, '--catalog', 'c.sqlite']);

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-eval-cli-'));
  await writeSampleDataset(path.join(dir, 'faces'), { perClass: 12, seed: 2 });
  const s = openSession(dir, 'c');
  await s.call('catalogue-import', { folder: path.join(dir, 'faces') });
  runId = await s.train({
    model: 'compact-cnn',
    epochs: 1,
    batchSize: 32,
    validationFraction: 0.2,
  });
  await s.studio.close();
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fer-studio evaluate / issues / images / relabel / undo', () => {
  it('evaluates a run as JSON', async () => {
    const r = await cli('evaluate', '--run', String(runId), '--json');
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(Object.keys(e).sort()).toEqual(['accuracy', 'confusion', 'labels', 'loss', 'perClass']);
    expect(e.labels).toEqual([...CLASS_NAMES]);
    expect(e.confusion).toHaveLength(7);
    const total = e.confusion.flat().reduce((a: number, b: number) => a + b, 0);
    const tests = JSON.parse((await cli('images', '--split', 'test', '--json')).stdout);
    expect(total).toBe(tests.length);
    expect(e.accuracy).toBeCloseTo(accuracyOf(e.confusion), 10);
    // The human form prints the same figure.
    const human = await cli('evaluate', '--run', String(runId));
    const printed = Number(/accuracy ([\d.]+) %/.exec(human.stdout)?.[1]);
    expect(printed).toBe(Number((e.accuracy * 100).toFixed(1)));
    const val = await cli('evaluate', '--run', String(runId), '--split', 'val');
    expect(val.status).toBe(0);
    expect(val.stdout).toMatch(/accuracy [\d.]+ %/);
  });

  it('--tta flip reports the flip figures beside the plain ones', async () => {
    const plain = JSON.parse((await cli('evaluate', '--run', String(runId), '--json')).stdout);
    const r = await cli('evaluate', '--run', String(runId), '--tta', 'flip', '--json');
    expect(r.status).toBe(0);
    const e = JSON.parse(r.stdout);
    const { flip, ...rest } = e;
    expect(rest).toEqual(plain);
    expect(Object.keys(flip).sort()).toEqual([
      'accuracy',
      'confusion',
      'labels',
      'loss',
      'perClass',
    ]);
    expect(flip.accuracy).toBeCloseTo(accuracyOf(flip.confusion), 10);
    expect(flip.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(
      plain.confusion.flat().reduce((a: number, b: number) => a + b, 0),
    );
    const human = await cli('evaluate', '--run', String(runId), '--tta', 'flip');
    expect(human.stdout).toMatch(/accuracy [\d.]+ %[\s\S]*with test-time flip .*accuracy [\d.]+ %/);
    const bad = await cli('evaluate', '--run', String(runId), '--tta', 'ten-crop');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--tta must be flip or none/);
  });

  it('Ctrl+C ends a k-fold search with exit 130 and keeps the folds that finished', async () => {
    const fresh = recordUntrainedRun(path.join(dir, 'c.sqlite'), dir, {
      epochs: 10,
      batchSize: 16,
    });
    const args = ['issues', '--run', String(fresh), '--folds', '4', '--epochs', '10'];
    const child = spawn(process.execPath, [CLI, ...args, '--catalog', 'c.sqlite'], { cwd: dir });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Fold 2's progress comes after fold 1's predictions were stored.
      if (!sent && /fold 2/.test(stderr)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(sent).toBe(true);
    expect(status).toBe(130);
    expect(stderr).toMatch(/cancelled; the fold models that had finished are kept/);
    expect(stderr).not.toMatch(/\n\s+at /);
    const s = openSession(dir, 'c');
    try {
      const plan = await s.call<{ foldsDone: number; ready: boolean }>('label-issues-plan', {
        runId: fresh,
      });
      expect(plan.ready).toBe(false);
      expect(plan.foldsDone).toBeGreaterThanOrEqual(1);
    } finally {
      await s.studio.close();
    }
  }, 120_000);

  it('ranks label issues with progress on stderr', async () => {
    const r = await cli(
      'issues',
      ...['--run', String(runId), '--limit', '3', '--folds', '2', '--epochs', '1'],
      ...['--method', 'k-fold', '--json'],
    );
    expect(r.status).toBe(0);
    const issues = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(issues.length).toBeLessThanOrEqual(3);
    for (const issue of issues)
      expect(Object.keys(issue).sort()).toEqual([
        'action',
        'confidence',
        'doubt',
        'id',
        'label',
        'suggested',
      ]);
    expect(r.stderr).toMatch(/cross-validating fold [12]/);
    const bad = await cli('issues', '--run', String(runId), '--method', 'crowd');
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--method must be training-dynamics or k-fold, got "crowd"/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const badReading = await cli('issues', '--run', String(runId), '--reading', 'crowd');
    expect(badReading.status).not.toBe(0);
    expect(badReading.stderr).toMatch(/--reading must be people or model, got "crowd"/);
    const byModel = await cli(
      'issues',
      ...['--run', String(runId), '--limit', '3', '--method', 'k-fold', '--reading', 'model'],
      '--json',
    );
    expect(byModel.status).toBe(0);
    expect(JSON.parse(byModel.stdout)).toEqual(expect.any(Array));
  });

  it('lists images, relabels one and undoes it', async () => {
    const r = await cli('images', '--split', 'train', '--label', 'happy', '--json');
    expect(r.status).toBe(0);
    const images = JSON.parse(r.stdout) as {
      id: number;
      label: string;
      split: string;
      file: string;
    }[];
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      expect(image).toMatchObject({ label: 'happy', split: 'train' });
      expect(fs.existsSync(image.file)).toBe(true);
    }
    const id = String(images[0]?.id);
    expect((await cli('relabel', '--image', id, '--label', 'exclude')).status).toBe(0);
    const excluded = JSON.parse((await cli('images', '--label', 'exclude', '--json')).stdout);
    expect(excluded.map((i: { id: number }) => String(i.id))).toEqual([id]);
    const undo = await cli('undo', '--json');
    expect(JSON.parse(undo.stdout)).toEqual({
      changes: [{ imageId: Number(id), from: 'exclude', to: 'happy' }],
    });
    expect(JSON.parse((await cli('images', '--label', 'exclude', '--json')).stdout)).toEqual([]);
  });

  it('fails clearly on bad input', async () => {
    const unknownRun = await cli('evaluate', '--run', '999', '--json');
    expect(unknownRun.status).toBe(1);
    expect(unknownRun.stderr).toMatch(/error \(not-found\): No run 999/);
    expect(unknownRun.stdout).toBe('');
    expect((await cli('evaluate')).status).toBe(2);
    const badLabel = await cli('relabel', '--image', '1', '--label', 'smug');
    expect(badLabel.status).toBe(1);
    expect(badLabel.stderr).toMatch(/bad-request/);
    const noImage = await cli('relabel', '--image', '99999', '--label', 'sad');
    expect(noImage.status).toBe(1);
    expect(noImage.stderr).toMatch(/not-found/);
  });
});
