import { chmod, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openCatalogue, type Catalogue } from '../../../app/catalogue/catalogue.ts';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';
import type { EventOf, ResponseOf, RunDetail } from '../../../app/contract/handlers.ts';
import { BAR_CHART_SIZE } from '../../../app/report/bar-chart.ts';
import { CONFUSION_CHART_SIZE } from '../../../app/report/confusion-chart.ts';
import { exportReport } from '../../../app/report/export-report.ts';
import { LINE_CHART_SIZE } from '../../../app/report/line-chart.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { nodeFs, type FileSystem } from '../../../app/training/fs-io.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';
import { tempDir } from './helpers.ts';

type Evaluation = ResponseOf<'evaluation-run'>;

let dir: string;
let cleanup: () => Promise<void>;
let s: Session;
let runId: number;
let run: RunDetail;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('fer-report-'));
  await writeSampleDataset(join(dir, 'sample'), { perClass: 10, seed: 3 });
  s = openSession(dir, 'report');
  await s.call('catalogue-import', { folder: join(dir, 'sample') });
  // minDelta 100: no epoch counts as better, so the rate is halved after epoch 2.
  runId = await s.train({
    model: 'compact-cnn',
    epochs: 3,
    batchSize: 32,
    learningRate: 0.002,
    validationFraction: 0.2,
    optimizer: { name: 'adam' },
    schedule: { kind: 'plateau' },
    reduceLrOnPlateau: { patience: 1, minDelta: 100 },
  });
  run = await s.call<RunDetail>('run-get', { runId });
}, 180_000);
afterAll(async () => {
  await s.studio.close();
  await cleanup();
});

const exportTo = (out: string, force = false) =>
  s.call<{ files: string[] }>('report-export', { runId, out, force });

/** `<td data-true="a" data-predicted="b">n</td>` → confusion[a][b] = n. */
function confusionFromHtml(html: string): number[][] {
  const m = CLASS_NAMES.map(() => CLASS_NAMES.map(() => -1));
  for (const [, t, p, n] of html.matchAll(
    /<td data-true="(\w+)" data-predicted="(\w+)">(\d+)<\/td>/g,
  ))
    (m[CLASS_NAMES.indexOf(t as 'angry')] as number[])[CLASS_NAMES.indexOf(p as 'angry')] =
      Number(n);
  return m;
}

/** Pixels that differ from the white background by more than a little. */
async function inkedPixels(file: string) {
  const { data, info } = await sharp(file)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  let inked = 0;
  for (let i = 0; i < data.length; i += info.channels)
    if ((data[i] as number) + (data[i + 1] as number) + (data[i + 2] as number) < 3 * 235) inked++;
  return { inked, total: info.width * info.height, width: info.width, height: info.height };
}

describe('training report', () => {
  test('evaluates the run and writes a self-contained report with PNG charts', async () => {
    expect(run.history).toHaveLength(3);
    expect(run.history[2]?.lr).toBeCloseTo(0.001, 10);
    const out = join(dir, 'report-1');
    s.events.length = 0;
    const { files } = await exportTo(out);
    const charts = ['loss', 'accuracy', 'confusion', 'f1', 'class-balance'];
    expect(files).toEqual([
      join(out, 'report.html'),
      ...charts.map((c) => join(out, 'charts', `${c}.png`)),
    ]);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);

    // Not evaluated before: the report ran the evaluation (in its worker) and showed progress.
    const kinds = new Set(s.events.map((e) => e.event));
    expect(kinds.has('evaluation-progress')).toBe(true);
    const progress = s.events
      .filter((e) => e.event === 'export-progress')
      .map((e) => e.payload as EventOf<'export-progress'>);
    expect(progress[0]).toMatchObject({ target: out, fraction: 0 });
    expect(progress.at(-1)).toMatchObject({ target: out, fraction: 1, stage: 'done' });
    expect(progress.map((p) => p.fraction)).toEqual(
      [...progress.map((p) => p.fraction)].sort((a, b) => a - b),
    );
    // The evaluation's own progress moves the report's bar, not just a fixed "evaluating" step.
    expect(
      progress.some((p) => p.stage === 'evaluating' && p.fraction > 0.05 && p.fraction <= 0.6),
    ).toBe(true);

    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    // Config keys stay in data-param for scripts; people read names, yes/no and dates.
    for (const [key, name, value] of [
      ['model', 'Model', 'compact-cnn'],
      ['epochs', 'Epochs', '3'],
      ['batchSize', 'Batch size', '32'],
      ['learningRate', 'Learning rate', '0.002'],
      ['validationFraction', 'Validation fraction', '0.2'],
      ['reduceLrOnPlateau.minDelta', 'Plateau: minimum improvement', '100'],
      [
        'augmentation.rotationDeg',
        'Augmentation: rotation (degrees)',
        String(run.config.augmentation.rotationDeg),
      ],
      ['augmentation.horizontalFlip', 'Augmentation: horizontal flip', 'yes'],
      ['recalibrateBatchNorm', 'Recalibrate batch norm after training', 'yes'],
    ])
      expect(html).toContain(
        `<tr data-param="${key}"><th scope="row">${name}</th><td>${value}</td></tr>`,
      );
    expect(html).not.toMatch(/<th scope="row">[a-z]+[A-Z]\w*<\/th>/);
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:/);
    expect(html).toMatch(/generated by FER Studio on \d{1,2} [A-Z][a-z]+ \d{4},? (at )?\d\d:\d\d /);
    expect(html).not.toContain('Cannot find package');
    for (const e of run.history) {
      const rowHtml = html.match(new RegExp(`<tr data-epoch="${e.epoch}">(.*?)</tr>`))?.[1] ?? '';
      expect(rowHtml).toContain(`<td>${e.loss.toFixed(4)}</td>`);
      expect(rowHtml).toContain(`<td>${(e.acc * 100).toFixed(2)} %</td>`);
      expect(rowHtml).toContain(`<td>${(e.valLoss as number).toFixed(4)}</td>`);
      expect(rowHtml).toContain(`<td>${((e.valAcc as number) * 100).toFixed(2)} %</td>`);
    }
    expect(html).toMatch(/<tr data-epoch="3">.*lowered from 0\.002/);
    expect(html.match(/class="lr-mark"/g)).toHaveLength(2);

    const evaluation = await s.call<Evaluation>('evaluation-run', { runId, split: 'test' });
    for (const name of CLASS_NAMES) {
      const c = evaluation.perClass[name];
      expect(html).toContain(
        `<tr data-class="${name}"><th scope="row">${name}</th><td>${(c.precision * 100).toFixed(1)} %</td>` +
          `<td>${(c.recall * 100).toFixed(1)} %</td><td>${c.f1.toFixed(3)}</td><td>${c.support}</td></tr>`,
      );
    }
    expect(confusionFromHtml(html)).toEqual(evaluation.confusion);
    for (const [t, trueLabel] of CLASS_NAMES.entries())
      for (const [p, predicted] of CLASS_NAMES.entries())
        expect(html).toContain(
          `data-true="${trueLabel}" data-predicted="${predicted}" data-count="${evaluation.confusion[t]?.[p]}"`,
        );
    expect(html).toContain(`accuracy <strong>${(evaluation.accuracy * 100).toFixed(1)} %</strong>`);
    expect(html).toMatch(/<strong>0<\/strong> images carry a different label than at import/);

    const sizes: Record<string, { width: number; height: number }> = {
      loss: LINE_CHART_SIZE,
      accuracy: LINE_CHART_SIZE,
      confusion: CONFUSION_CHART_SIZE,
      f1: BAR_CHART_SIZE,
      'class-balance': BAR_CHART_SIZE,
    };
    for (const chart of charts) {
      const png = await inkedPixels(join(out, 'charts', `${chart}.png`));
      expect({ width: png.width, height: png.height }).toEqual(sizes[chart]);
      // Axes, text and data: far more than a blank canvas, far less than a filled one.
      expect(png.inked / png.total).toBeGreaterThan(0.01);
      expect(png.inked / png.total).toBeLessThan(0.9);
      expect(html).toContain(`<figure data-chart="${chart}">`);
    }
  });

  test('shows net label changes (an undone change is none); churn by source on request', async () => {
    const train = (await s.call<{ ids: number[] }>('catalogue-list', { split: 'train' })).ids;
    const first = train[0] as number;
    const { label } = await s.call<{ label: string }>('catalogue-image', { id: first });
    const to = label === 'sad' ? 'happy' : 'sad';
    await s.call('labels-set', { changes: [{ imageId: first, label: to }] });
    await s.call('labels-set', {
      changes: [{ imageId: train[1] as number, label: 'exclude' }],
      source: 'suggestion',
    });
    await s.call('labels-undo', {});
    const out = join(dir, 'report-labels');
    await exportTo(out);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    // Three history rows, one of them undoing another: one net change.
    expect(html).toMatch(
      /<strong>1<\/strong> image carries a different label than at import \(the net effect of 3 relabels, undos and redos; <strong>3<\/strong> since this run/,
    );
    expect(html).toMatch(/<strong>1<\/strong> of the run's images now carries a/);
    const net = html.match(/<table class="grid numbers" data-table="net">.*?<\/table>/)?.[0] ?? '';
    expect(net.match(/<tr data-from/g)).toHaveLength(1);
    expect(net).toContain(
      `<tr data-from="${label}" data-to="${to}"><th scope="row">${label}</th><td>${to}</td><td>1</td><td>1</td></tr>`,
    );
    expect(html).not.toContain('data-table="churn"');
    expect(html).not.toContain('data-source="undo"');

    const churnOut = join(dir, 'report-churn');
    await s.call('report-export', { runId, out: churnOut, churn: true });
    const churn = await readFile(join(churnOut, 'report.html'), 'utf8');
    expect(churn).toContain(
      `<tr data-from="${label}" data-to="${to}" data-source="manual"><th scope="row">${label}</th><td>${to}</td><td>manual</td><td>1</td><td>1</td></tr>`,
    );
    expect(churn).toMatch(
      /data-to="exclude" data-source="suggestion">.*?<td>1<\/td><td>1<\/td><\/tr>/,
    );
    expect(churn).toMatch(
      /data-from="exclude" data-to="\w+" data-source="undo">.*?<td>1<\/td><td>1<\/td><\/tr>/,
    );
    await s.call('labels-undo', {});
  });

  test('the run’s name and notes head the summary', async () => {
    await s.call('run-update', { runId, name: 'baseline', notes: 'first try <lr 2e-3>' });
    const out = join(dir, 'report-named');
    await exportTo(out);
    const html = await readFile(join(out, 'report.html'), 'utf8');
    expect(html).toContain(
      '<table class="facts"><tr><th scope="row">Name</th><td>baseline</td></tr>',
    );
    expect(html).toContain('<tr><th scope="row">Notes</th><td>first try &lt;lr 2e-3&gt;</td></tr>');
    await s.call('run-update', { runId, name: '', notes: '' });
  });

  test('an existing folder needs force, and is left untouched without it', async () => {
    const out = join(dir, 'exists');
    await mkdir(out);
    await writeFile(join(out, 'keep.txt'), 'mine');
    const error = await s.failure('report-export', { runId, out });
    expect(error).toMatchObject({ code: 'already-exists' });
    expect(error.message).toBe(`${out} already exists. Choose another name, or overwrite it.`);
    expect(await readdir(out)).toEqual(['keep.txt']);
    expect(await readFile(join(out, 'keep.txt'), 'utf8')).toBe('mine');

    await exportTo(out, true);
    expect((await readdir(out)).sort()).toEqual(['charts', 'report.html']);
    expect((await readdir(dir)).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('escapes text that comes from the run or the catalogue', async () => {
    const nasty = `<img src=x onerror="alert(1)"> & 'quoted' </td>`;
    const catalogue = openCatalogue(join(dir, 'report.sqlite'));
    const before = catalogue.db.prepare('SELECT message FROM runs WHERE id = ?').pluck().get(runId);
    try {
      catalogue.db.prepare('UPDATE runs SET message = ? WHERE id = ?').run(nasty, runId);
      const out = join(dir, 'escaped');
      await exportTo(out);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).not.toContain(nasty);
      expect(html).not.toMatch(/<img/);
      expect(html).toContain(
        '<td>&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;quoted&#39; &lt;/td&gt;</td>',
      );
    } finally {
      catalogue.db.prepare('UPDATE runs SET message = ? WHERE id = ?').run(before, runId);
      catalogue.close();
    }
  });

  test('a run without a model, or no run at all, is a clear error and writes nothing', async () => {
    const catalogue: Catalogue = openCatalogue(join(dir, 'report.sqlite'));
    try {
      const store = createRunStore(catalogue.db);
      const failed = store.createRun({
        model: 'compact-cnn',
        config: run.config,
        runDir: (id) => join(dir, `run-${id}`),
        parentRunId: null,
        data: { ids: [], pixels: new Uint8Array(0), labels: new Uint8Array(0) },
        validation: new Set(),
      });
      store.setStatus(failed, 'failed', 'crashed in a test');
      const out = join(dir, 'no-model');
      const error = await s.failure('report-export', { runId: failed, out });
      expect(error.code).toBe('bad-request');
      expect(error.message).toMatch(new RegExp(`Run ${failed} has no finished model.*failed`));
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    } finally {
      catalogue.close();
    }
    expect(await s.failure('report-export', { runId: 999, out: join(dir, 'x') })).toMatchObject({
      code: 'not-found',
      message: 'No run 999 in the catalogue.',
    });
  });

  test('a target folder that cannot be written is a clear error and leaves nothing behind', async () => {
    expect(
      await s.failure('report-export', { runId, out: join(dir, 'missing', 'report') }),
    ).toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^The folder .*missing does not exist/),
    });
    await writeFile(join(dir, 'a-file'), 'x');
    expect(
      await s.failure('report-export', { runId, out: join(dir, 'a-file', 'report') }),
    ).toMatchObject({ code: 'not-a-directory' });

    // A disk that refuses the PNGs half way: no target, no temp folder.
    const parent = join(dir, 'full');
    await mkdir(parent);
    const failing: FileSystem = {
      ...nodeFs,
      async writeFile(path, data) {
        if (path.endsWith('.png') && !path.endsWith('loss.png'))
          throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
        await nodeFs.writeFile(path, data);
      },
    };
    const catalogue = openCatalogue(join(dir, 'report.sqlite'));
    try {
      const error = await exportReport({
        db: catalogue.db,
        store: createRunStore(catalogue.db),
        evaluate: (request) => s.call<Evaluation>('evaluation-run', request),
        runId,
        out: join(parent, 'report'),
        fs: failing,
      }).catch((e: unknown) => e as Error);
      expect(error).toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/^Could not write .*EACCES/),
      });
    } finally {
      catalogue.close();
    }
    expect(await readdir(parent)).toEqual([]);
  });

  test.skipIf(process.getuid?.() === 0)(
    'a read-only parent folder is refused up front',
    async () => {
      const parent = join(dir, 'read-only');
      await mkdir(parent);
      await chmod(parent, 0o555);
      try {
        expect(
          await s.failure('report-export', { runId, out: join(parent, 'report') }),
        ).toMatchObject({
          code: 'read-only',
          message: expect.stringMatching(/may not write into/),
        });
      } finally {
        await chmod(parent, 0o755);
      }
      expect(await readdir(parent)).toEqual([]);
    },
  );
});
