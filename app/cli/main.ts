import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLASS_NAMES } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type {
  Channel,
  EventOf,
  ImportReport,
  RequestOf,
  ResponseOf,
  Stats,
} from '../contract/handlers.ts';
import { writeSampleDataset } from '../sample/sample-set.ts';
import { startServer } from '../server/server.ts';
import { createToken } from '../server/security.ts';
import { createStudio, type Studio } from '../studio.ts';
import { createProgressPrinter } from './progress.ts';

const USAGE = `fer-studio — FER Studio from the command line (JSON on stdout with --json, progress on stderr)

  fer-studio import <folder> --catalog <file.sqlite> [--test-fraction 0.2] [--seed 1] [--json]
  fer-studio stats --catalog <file.sqlite> [--json]
  fer-studio serve [--catalog <file.sqlite>] [--port P] [--host 127.0.0.1]
  fer-studio sample <folder> [--per-class N] [--seed 1]
  fer-studio train --catalog <file.sqlite> [--model NAME] [--epochs N] [--batch-size B] [--lr X]
                   [--backend auto|tensorflow|wasm|cpu] [--resume RUN] [--json]
  fer-studio runs --catalog <file.sqlite> [--json]
  fer-studio evaluate --catalog <file.sqlite> --run ID [--split test|val] [--json]
  fer-studio issues --catalog <file.sqlite> --run ID [--limit N] [--folds K] [--epochs E] [--json]
  fer-studio images --catalog <file.sqlite> [--split train|test] [--label CLASS|exclude] [--json]
  fer-studio relabel --catalog <file.sqlite> --image ID --label CLASS|exclude [--json]
  fer-studio undo|redo --catalog <file.sqlite> [--json]
  fer-studio export --catalog <file.sqlite> --run ID --format tfjs|onnx|keras --out <path> [--force] [--json]
  fer-studio export-dataset --catalog <file.sqlite> --out <folder> [--force] [--json]
  fer-studio report --catalog <file.sqlite> --run ID --out <folder> [--force] [--json]

Without --catalog, the catalogue is <data dir>/catalogue.sqlite; the data dir is
$FER_STUDIO_DATA or ~/.fer-studio.`;

const OPTIONS = {
  catalog: { type: 'string' },
  'data-dir': { type: 'string' },
  'test-fraction': { type: 'string' },
  seed: { type: 'string' },
  'per-class': { type: 'string' },
  port: { type: 'string' },
  model: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  backend: { type: 'string' },
  resume: { type: 'string' },
  host: { type: 'string' },
  run: { type: 'string' },
  split: { type: 'string' },
  label: { type: 'string' },
  image: { type: 'string' },
  limit: { type: 'string' },
  folds: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

class UsageError extends Error {}

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values'];

type NumberOption =
  | 'test-fraction'
  | 'seed'
  | 'per-class'
  | 'port'
  | 'epochs'
  | 'batch-size'
  | 'lr'
  | 'resume'
  | 'run'
  | 'image'
  | 'limit'
  | 'folds';

function requiredNumber(values: Values, name: NumberOption, command: string): number {
  const value = numberOption(values, name);
  if (value === undefined) throw new UsageError(`${command} needs --${name} <number>.`);
  return value;
}

function numberOption(values: Values, name: NumberOption): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got "${raw}".`);
  return value;
}

function dataDirOf(values: Values): string {
  return path.resolve(
    values['data-dir'] ?? process.env.FER_STUDIO_DATA ?? path.join(os.homedir(), '.fer-studio'),
  );
}

function openStudio(values: Values, requireCatalog: boolean): Studio {
  if (requireCatalog && !values.catalog)
    throw new UsageError('--catalog <file.sqlite> is required.');
  const dataDir = dataDirOf(values);
  const catalogPath = path.resolve(values.catalog ?? path.join(dataDir, 'catalogue.sqlite'));
  return createStudio({ catalogPath, dataDir, mode: 'browser' });
}

async function call<C extends Channel>(
  studio: Studio,
  channel: C,
  request: RequestOf<C>,
): Promise<ResponseOf<C>> {
  const reply = await studio.dispatch(channel, request);
  if (!reply.ok) throw new StudioError(reply.error.code, reply.error.message);
  return reply.result as ResponseOf<C>;
}

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

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: OPTIONS,
    allowPositionals: true,
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const out = (value: unknown, human: () => void) =>
    values.json ? console.log(JSON.stringify(value)) : human();

  switch (command) {
    case 'import': {
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
    case 'stats': {
      const studio = openStudio(values, true);
      try {
        const stats = await call(studio, 'catalogue-stats', {});
        out(stats, () => printStats(stats));
        return 0;
      } finally {
        await studio.close();
      }
    }
    case 'sample': {
      const folder = rest[0];
      if (!folder)
        throw new UsageError('sample needs a folder: fer-studio sample <folder> [--per-class N]');
      const perClass = numberOption(values, 'per-class') ?? 60;
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
    case 'train':
      return trainCommand(values);
    case 'evaluate':
    case 'issues':
    case 'images':
    case 'relabel':
    case 'undo':
    case 'redo':
      return evaluationCommand(command, values, out);
    case 'export':
    case 'export-dataset':
    case 'report': {
      if (!values.out) throw new UsageError(`${command} needs --out <path>.`);
      const studio = openStudio(values, true);
      const progress = createProgressPrinter();
      studio.subscribe((event, payload) => {
        // A report evaluates an unevaluated run first: show the prediction count meanwhile.
        if (event === 'evaluation-progress') {
          const p = payload as EventOf<'evaluation-progress'>;
          progress.update(p.phase, p.done, p.total);
        }
        if (event !== 'export-progress') return;
        const p = payload as EventOf<'export-progress'>;
        progress.update(p.stage, Math.round(p.fraction * 100), 100);
      });
      try {
        const outPath = path.resolve(values.out);
        if (command === 'export-dataset') {
          const result = await call(studio, 'export-dataset', {
            out: outPath,
            force: values.force,
          });
          progress.done();
          out(result, () =>
            console.log(
              `Wrote ${result.images} images to ${outPath} (${result.excluded} excluded left out, ${result.changes} label changes in label-changes.csv).`,
            ),
          );
          return 0;
        }
        if (command === 'report') {
          const runId = requiredNumber(values, 'run', 'report');
          const result = await call(studio, 'report-export', {
            runId,
            out: outPath,
            force: values.force,
          });
          progress.done();
          out(result, () =>
            console.log(
              `Wrote the training report of run ${runId}:\n  ${result.files.join('\n  ')}`,
            ),
          );
          return 0;
        }
        const format = values.format;
        if (format !== 'tfjs' && format !== 'onnx' && format !== 'keras') {
          throw new UsageError('export needs --format tfjs|onnx|keras.');
        }
        const runId = requiredNumber(values, 'run', 'export');
        const result = await call(studio, 'export-model', {
          runId,
          format,
          out: outPath,
          force: values.force,
        });
        progress.done();
        out(result, () =>
          console.log(`Exported run ${runId} as ${format}:\n  ${result.files.join('\n  ')}`),
        );
        return 0;
      } finally {
        await studio.close();
      }
    }
    case 'runs': {
      const studio = openStudio(values, true);
      try {
        const { runs } = await call(studio, 'runs-list', {});
        out(runs, () => {
          for (const r of runs) {
            const acc = r.bestValAcc === null ? '—' : `${(r.bestValAcc * 100).toFixed(1)} %`;
            console.log(
              `run ${r.id}  ${r.status.padEnd(8)} ${r.model.padEnd(14)} epochs ${r.epochsDone}/${r.epochs}  best val acc ${acc}  ${r.backend?.label ?? ''}`,
            );
          }
          if (runs.length === 0) console.log('No runs yet: fer-studio train --catalog <file>');
        });
        return 0;
      } finally {
        await studio.close();
      }
    }
    case 'serve': {
      const studio = openStudio(values, false);
      const staticDir = path.resolve(import.meta.dirname, '../../out/web');
      const server = await startServer({
        studio,
        token: createToken(),
        staticDir,
        port: numberOption(values, 'port') ?? 0,
        host: values.host ?? '127.0.0.1',
      });
      console.log(`FER Studio is running at ${server.url}`);
      console.error(
        `catalogue: ${(await call(studio, 'app-info', {})).catalogPath} — Ctrl+C stops.`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      await studio.close();
      return 0;
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

/** Scores, label issues and relabelling: each parses, calls one channel and prints. */
async function evaluationCommand(
  command: 'evaluate' | 'issues' | 'images' | 'relabel' | 'undo' | 'redo',
  values: Values,
  out: (value: unknown, human: () => void) => void,
): Promise<number> {
  const studio = openStudio(values, true);
  const progress = createProgressPrinter();
  studio.subscribe((event, payload) => {
    if (event !== 'evaluation-progress') return;
    const p = payload as EventOf<'evaluation-progress'>;
    progress.update(p.fold === null ? p.phase : `${p.phase} fold ${p.fold}`, p.done, p.total);
  });
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  try {
    switch (command) {
      case 'evaluate': {
        const request: RequestOf<'evaluation-run'> = {
          runId: requiredNumber(values, 'run', 'evaluate'),
        };
        if (values.split) request.split = values.split as 'test' | 'val';
        const e = await call(studio, 'evaluation-run', request);
        progress.done();
        const { accuracy, loss, perClass, confusion, labels } = e;
        out({ accuracy, loss, perClass, confusion, labels }, () => {
          console.log(
            `run ${e.runId} on ${e.images} ${e.split} images: accuracy ${pct(accuracy)}, loss ${loss.toFixed(4)}`,
          );
          console.log(
            `${'class'.padEnd(10)}${'precision'.padStart(10)}${'recall'.padStart(8)}${'f1'.padStart(8)}${'n'.padStart(6)}`,
          );
          for (const name of CLASS_NAMES) {
            const c = perClass[name];
            console.log(
              `${name.padEnd(10)}${pct(c.precision).padStart(10)}${pct(c.recall).padStart(8)}${c.f1.toFixed(3).padStart(8)}${String(c.support).padStart(6)}`,
            );
          }
        });
        return 0;
      }
      case 'issues': {
        const request: RequestOf<'label-issues'> = {
          runId: requiredNumber(values, 'run', 'issues'),
        };
        const limit = numberOption(values, 'limit');
        const folds = numberOption(values, 'folds');
        const epochs = numberOption(values, 'epochs');
        if (limit !== undefined) request.limit = limit;
        if (folds !== undefined) request.folds = folds;
        if (epochs !== undefined) request.epochs = epochs;
        const { issues } = await call(studio, 'label-issues', request);
        progress.done();
        const rows = issues.map(({ id, label, suggested, confidence }) => ({
          id,
          label,
          suggested,
          confidence,
        }));
        out(rows, () => {
          for (const r of rows)
            console.log(
              `image ${r.id}: labelled ${r.label}, looks like ${r.suggested} (${pct(r.confidence)})`,
            );
          if (rows.length === 0) console.log('No label issues found.');
        });
        return 0;
      }
      case 'images': {
        const list = await call(studio, 'catalogue-list', {
          ...(values.split ? { split: values.split as 'train' | 'test' } : {}),
          ...(values.label ? { label: values.label as 'exclude' } : {}),
        });
        const rows: { id: number; label: string; split: string; file: string }[] = [];
        for (const id of list.ids) {
          const image = await call(studio, 'catalogue-image', { id });
          rows.push({
            id,
            label: image.label,
            split: image.split,
            file: path.join(image.folder, image.file),
          });
        }
        out(rows, () => {
          for (const r of rows) console.log(`${r.id}\t${r.label}\t${r.split}\t${r.file}`);
        });
        return 0;
      }
      case 'relabel': {
        if (!values.label) throw new UsageError('relabel needs --label <class|exclude>.');
        const result = await call(studio, 'labels-set', {
          changes: [
            {
              imageId: requiredNumber(values, 'image', 'relabel'),
              label: values.label as 'exclude',
            },
          ],
        });
        out(result, () =>
          console.log(
            result.changed
              ? `Relabelled image as ${values.label}.`
              : 'The image already had that label.',
          ),
        );
        return 0;
      }
      case 'undo':
      case 'redo': {
        const result = await call(studio, command === 'undo' ? 'labels-undo' : 'labels-redo', {});
        out(result, () => {
          if (result.changes.length === 0) console.log(`Nothing to ${command}.`);
          for (const c of result.changes) console.log(`image ${c.imageId}: ${c.from} → ${c.to}`);
        });
        return 0;
      }
    }
  } finally {
    await studio.close();
  }
}

async function trainCommand(values: Values): Promise<number> {
  const studio = openStudio(values, true);
  const progress = createProgressPrinter();
  let runId: number | null = null;
  let failure: string | null = null;
  let ended: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    ended = resolve;
  });
  studio.subscribe((event, payload) => {
    if (event === 'training-status') {
      const status = payload as EventOf<'training-status'>;
      if (['finished', 'stopped', 'failed'].includes(status.status)) ended();
      if (status.status === 'running' && status.backend) {
        const why = status.backend.reasons.length ? ` (${status.backend.reasons.join('; ')})` : '';
        console.error(`backend: ${status.backend.label}${why}`);
      }
      if (status.status === 'failed') failure = status.message;
      if (status.message && status.status !== 'failed') console.error(status.message);
    } else if (event === 'training-batch') {
      const b = payload as EventOf<'training-batch'>;
      progress.update(
        `epoch ${b.epoch} loss ${b.loss.toFixed(3)}`,
        b.batch,
        b.batches,
        b.imagesPerSec,
        b.etaSeconds,
      );
    } else if (event === 'training-epoch') {
      const e = payload as EventOf<'training-epoch'>;
      progress.done();
      const line = {
        epoch: e.epoch,
        loss: e.loss,
        acc: e.acc,
        valLoss: e.valLoss,
        valAcc: e.valAcc,
        imagesPerSec: e.imagesPerSec,
        lr: e.lr,
        seconds: e.seconds,
      };
      if (values.json) console.log(JSON.stringify(line));
      else {
        const val =
          e.valAcc === null
            ? ''
            : `  val loss ${e.valLoss?.toFixed(4)}  val acc ${(e.valAcc * 100).toFixed(1)} %`;
        console.log(
          `epoch ${e.epoch}  loss ${e.loss.toFixed(4)}  acc ${(e.acc * 100).toFixed(1)} %${val}  ${e.imagesPerSec.toFixed(0)} img/s`,
        );
      }
    }
  });
  process.once('SIGINT', () => {
    if (runId !== null) void studio.dispatch('training-stop', { runId });
  });
  try {
    const resume = numberOption(values, 'resume');
    if (resume !== undefined) {
      runId = (await call(studio, 'training-resume', { runId: resume })).runId;
    } else {
      const config: Record<string, unknown> = {};
      if (values.model) config.model = values.model;
      const epochs = numberOption(values, 'epochs');
      const batchSize = numberOption(values, 'batch-size');
      const lr = numberOption(values, 'lr');
      if (epochs !== undefined) config.epochs = epochs;
      if (batchSize !== undefined) config.batchSize = batchSize;
      if (lr !== undefined) config.learningRate = lr;
      runId = (await call(studio, 'training-start', { config })).runId;
    }
    await finished;
    progress.done();
    const run = await call(studio, 'run-get', { runId });
    const summary = {
      runId,
      status: run.status,
      backend: run.backend?.name ?? null,
      bestValAcc: run.bestValAcc,
      epochs: run.epochsDone,
      message: run.message,
    };
    if (values.json) console.log(JSON.stringify(summary));
    else
      console.log(
        `run ${runId} ${run.status}: ${run.message ?? ''} best val acc ${run.bestValAcc === null ? '—' : `${(run.bestValAcc * 100).toFixed(1)} %`}`,
      );
    if (failure) console.error(`error (training-failed): ${failure}`);
    return run.status === 'failed' ? 1 : run.status === 'stopped' ? 130 : 0;
  } finally {
    await studio.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (error instanceof StudioError) {
      console.error(`error (${error.code}): ${error.message}`);
      process.exitCode = 1;
    } else {
      console.error(error);
      process.exitCode = 1;
    }
  },
);
