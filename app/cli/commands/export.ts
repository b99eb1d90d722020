import path from 'node:path';
import { StudioError } from '../../contract/errors.ts';
import type { EventOf } from '../../contract/handlers.ts';
import type { Studio } from '../../studio.ts';
import { UsageError, call, requiredNumber, withStudio } from '../args.ts';
import type { CommandContext } from '../args.ts';
import { createProgressPrinter } from '../progress.ts';

type Progress = ReturnType<typeof createProgressPrinter>;

/** Checks --out, then runs `body` on an open catalogue with export progress drawn on stderr. */
function withExportProgress(
  { command, values }: CommandContext,
  body: (studio: Studio, outPath: string, progress: Progress) => Promise<number>,
): Promise<number> {
  const out = values.out;
  if (!out) throw new UsageError(`${command} needs --out <path>.`);
  return withStudio(values, (studio) => {
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
    return body(studio, path.resolve(out), progress).catch((error: unknown) => {
      // The core's message is for every front end; here the way to overwrite is a flag.
      if (error instanceof StudioError && error.code === 'already-exists')
        throw new StudioError(
          error.code,
          error.message.replace(/ or overwrite it\.$/, ' or pass --force to overwrite it.'),
        );
      throw error;
    });
  });
}

/** `export --run ID --format F --out P`: the trained model plus its preprocessing JSON. */
export function exportCommand(context: CommandContext): Promise<number> {
  const { values, out } = context;
  return withExportProgress(context, async (studio, outPath, progress) => {
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
  });
}

/** `export-dataset --out F`: the current labels as a FER folder tree. */
export function exportDatasetCommand(context: CommandContext): Promise<number> {
  const { values, out } = context;
  return withExportProgress(context, async (studio, outPath, progress) => {
    const result = await call(studio, 'export-dataset', {
      out: outPath,
      force: values.force,
      churn: values.churn,
    });
    progress.done();
    out(result, () =>
      console.log(
        `Wrote ${result.images} images to ${outPath} (${result.excluded} excluded left out, ${result.changes} ${values.churn ? 'label history rows' : result.changes === 1 ? 'changed label' : 'changed labels'} in label-changes.csv).`,
      ),
    );
    return 0;
  });
}

/** `report --run ID --out F`: the run's self-contained HTML report and PNG charts. */
export function reportCommand(context: CommandContext): Promise<number> {
  const { values, out } = context;
  return withExportProgress(context, async (studio, outPath, progress) => {
    const runId = requiredNumber(values, 'run', 'report');
    const result = await call(studio, 'report-export', {
      runId,
      out: outPath,
      force: values.force,
      churn: values.churn,
    });
    progress.done();
    out(result, () =>
      console.log(`Wrote the training report of run ${runId}:\n  ${result.files.join('\n  ')}`),
    );
    return 0;
  });
}
