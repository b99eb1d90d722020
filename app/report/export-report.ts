import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import sharp from 'sharp';
import { StudioError } from '../contract/errors.ts';
import { checkTargets, writeDirAtomic } from '../export/atomic.ts';
import type { RunStore } from '../runs/run-store.ts';
import { nodeFs, type FileSystem } from '../training/fs-io.ts';
import { buildCharts } from './charts.ts';
import { gatherReport, type Evaluate } from './gather.ts';
import { renderReportHtml } from './html.ts';

export const REPORT_FILE = 'report.html';
export const CHARTS_DIR = 'charts';
/** The share of the progress bar the run's evaluation takes, when the report has to run it. */
export const EVALUATING = { from: 0.05, to: 0.6 } as const;

export interface ReportExportOptions {
  db: Database.Database;
  store: RunStore;
  evaluate: Evaluate;
  runId: number;
  /** The folder to create: report.html plus charts/*.png. */
  out: string;
  /** Replace an existing folder instead of failing with `already-exists`. */
  force?: boolean;
  /** List every relabel, undo and redo too, not only the net label changes. */
  churn?: boolean;
  onProgress?: (fraction: number, stage: string) => void;
  /** Injectable so tests can simulate a failing disk. */
  fs?: FileSystem;
}

/**
 * Writes a run's training report. The folder is filled beside the target and renamed into place
 * last, so `out` is either the whole report or untouched (an old one survives a failed --force).
 */
export async function exportReport(options: ReportExportOptions): Promise<{ files: string[] }> {
  const { runId, force = false, fs = nodeFs } = options;
  const report = options.onProgress ?? (() => undefined);
  if (!options.out)
    throw new StudioError('bad-request', 'Choose a folder to write the report into.');
  const target = resolve(options.out);

  report(0, 'checking');
  const run = options.store.get(runId);
  if (!run.hasModel)
    throw new StudioError(
      'bad-request',
      `Run ${runId} has no finished model to report on (status: ${run.status}); train or resume it first.`,
    );
  await checkTargets([target], force);

  report(EVALUATING.from, 'evaluating');
  const data = await gatherReport(
    options.db,
    options.store,
    options.evaluate,
    runId,
    options.churn ?? false,
  );

  report(EVALUATING.to, 'charts');
  const charts = buildCharts(data);
  const html = renderReportHtml(data, charts);
  const pngs: { name: string; bytes: Buffer }[] = [];
  for (const [i, chart] of charts.entries()) {
    pngs.push({
      name: `${chart.id}.png`,
      bytes: await sharp(Buffer.from(chart.svg)).png().toBuffer(),
    });
    report(EVALUATING.to + (0.9 - EVALUATING.to) * ((i + 1) / charts.length), 'charts');
  }

  report(0.9, 'writing');
  // Evaluating can take a while: something may have appeared at the target since the first check.
  await checkTargets([target], force);
  await writeDirAtomic(
    target,
    async (dir) => {
      await fs.mkdir(join(dir, CHARTS_DIR), { recursive: true });
      for (const png of pngs) await fs.writeFile(join(dir, CHARTS_DIR, png.name), png.bytes);
      await fs.writeFile(join(dir, REPORT_FILE), html);
    },
    fs,
  );
  report(1, 'done');
  return {
    files: [join(target, REPORT_FILE), ...pngs.map((png) => join(target, CHARTS_DIR, png.name))],
  };
}
