import path from 'node:path';
import { CLASS_NAMES } from '../../contract/classes.ts';
import { handlerSchemas } from '../../contract/handlers.ts';
import type { EventOf, ImportReport, RequestOf, Stats } from '../../contract/handlers.ts';
import { writeSampleDataset } from '../../sample/sample-set.ts';
import { UsageError, call, numberOption, openStudio } from '../args.ts';
import type { CommandContext } from '../args.ts';
import { createProgressPrinter } from '../progress.ts';

function printStats(stats: Stats): void {
  console.log(`${'class'.padEnd(10)}${'train'.padStart(8)}${'test'.padStart(8)}`);
  for (const name of CLASS_NAMES) {
    const c = stats.classes[name];
    console.log(`${name.padEnd(10)}${String(c.train).padStart(8)}${String(c.test).padStart(8)}`);
  }
  console.log(`total ${stats.total}${stats.excluded ? `, excluded ${stats.excluded}` : ''}`);
}

function printImport(report: ImportReport): void {
  const skipped = Object.entries(report.skipped);
  console.log(
    `${report.cancelled ? 'Cancelled after importing' : 'Imported'} ${report.imported} images in ${report.seconds.toFixed(1)} s (${report.duplicates} duplicates, ${report.resized} resized, ${report.converted} converted to grayscale).`,
  );
  for (const [from, to] of Object.entries(report.mappedFolders))
    console.log(`  folder "${from}" read as ${to}`);
  if (skipped.length)
    console.log(`Skipped: ${skipped.map(([reason, n]) => `${reason} ${n}`).join(', ')}`);
  for (const p of report.problems.slice(0, 20))
    console.log(`  ${p.file}: ${p.reason} — ${p.detail}`);
  if (report.problems.length > 20)
    console.log(`  … and ${report.problems.length - 20} more problems (see --json)`);
  const total = Object.values(report.classes).reduce((sum, c) => sum + c.train + c.test, 0);
  printStats({ classes: report.classes, total, excluded: 0 });
}

/** `import <folder>`: Ctrl+C cancels the import, which still reports what it kept (exit 130). */
export async function importCommand({ rest, values, out }: CommandContext): Promise<number> {
  const folder = rest[0];
  if (!folder)
    throw new UsageError('import needs a folder: fer-studio import <folder> --catalog <file>');
  const studio = openStudio(values, true);
  const progress = createProgressPrinter();
  studio.subscribe((event, payload) => {
    if (event !== 'catalogue-import-progress') return;
    const p = payload as EventOf<'catalogue-import-progress'>;
    if (p.phase !== 'scanning')
      progress.update(p.phase, p.done, p.total, p.imagesPerSec, p.etaSeconds);
  });
  const controller = { jobId: `cli-${process.pid}` };
  process.once('SIGINT', () => void studio.dispatch('catalogue-import-cancel', controller));
  try {
    const request: RequestOf<'catalogue-import'> = {
      folder: path.resolve(folder),
      jobId: controller.jobId,
    };
    const fraction = numberOption(values, 'test-fraction');
    const seed = numberOption(values, 'seed');
    if (fraction !== undefined) request.testFraction = fraction;
    if (seed !== undefined) request.seed = seed;
    const report = await call(studio, 'catalogue-import', request);
    progress.done();
    out(report, () => printImport(report));
    return report.cancelled ? 130 : 0;
  } finally {
    await studio.close();
  }
}

export async function statsCommand({ values, out }: CommandContext): Promise<number> {
  const studio = openStudio(values, true);
  try {
    const stats = await call(studio, 'catalogue-stats', {});
    out(stats, () => printStats(stats));
    return 0;
  } finally {
    await studio.close();
  }
}

/** `sample <folder>`: synthetic faces in FER's folder layout, no catalogue involved. */
export async function sampleCommand({ rest, values, out }: CommandContext): Promise<number> {
  const folder = rest[0];
  if (!folder)
    throw new UsageError('sample needs a folder: fer-studio sample <folder> [--per-class N]');
  // The app's "Open sample dataset" size, from the one contract default.
  const perClass =
    numberOption(values, 'per-class') ??
    handlerSchemas['catalogue-sample'].request.parse({}).perClass;
  if (!Number.isInteger(perClass) || perClass < 2)
    throw new UsageError('--per-class must be an integer ≥ 2.');
  const result = await writeSampleDataset(path.resolve(folder), {
    perClass,
    seed: numberOption(values, 'seed') ?? 1,
  });
  out({ folder: path.resolve(folder), ...result }, () =>
    console.log(`Wrote ${result.files} synthetic faces to ${path.resolve(folder)}`),
  );
  return 0;
}
