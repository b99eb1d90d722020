import type { EventOf } from '../../contract/handlers.ts';
import { call, numberOption, openStudio } from '../args.ts';
import type { CommandContext, Values } from '../args.ts';
import { createProgressPrinter } from '../progress.ts';

/** Prints one line (or one JSON object with --json) per epoch; the batch bar goes to stderr. */
function printEpoch(e: EventOf<'training-epoch'>, json: boolean): void {
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
  if (json) console.log(JSON.stringify(line));
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

function trainingConfig(values: Values): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  if (values.model) config.model = values.model;
  const epochs = numberOption(values, 'epochs');
  const batchSize = numberOption(values, 'batch-size');
  const lr = numberOption(values, 'lr');
  if (epochs !== undefined) config.epochs = epochs;
  if (batchSize !== undefined) config.batchSize = batchSize;
  if (lr !== undefined) config.learningRate = lr;
  return config;
}

/** `train`: runs until the run ends; exit 1 if it failed, 130 if stopped (Ctrl+C stops it). */
export async function trainCommand({ values }: CommandContext): Promise<number> {
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
      progress.done();
      printEpoch(payload as EventOf<'training-epoch'>, values.json);
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
      runId = (await call(studio, 'training-start', { config: trainingConfig(values) })).runId;
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

export async function runsCommand({ values, out }: CommandContext): Promise<number> {
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
