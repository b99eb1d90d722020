import type { EventOf } from '../../contract/handlers.ts';
import { call, numberOption, openStudio, UsageError } from '../args.ts';
import type { CommandContext, RecipeValues } from '../args.ts';
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
    const drop = e.lrChange ? `  (lr → ${e.lrChange.to.toExponential(2)} next)` : '';
    console.log(
      `epoch ${e.epoch}  loss ${e.loss.toFixed(4)}  acc ${(e.acc * 100).toFixed(1)} %${val}  lr ${e.lr.toExponential(2)}  ${e.imagesPerSec.toFixed(0)} img/s${drop}`,
    );
  }
}

function oneOf<T extends string>(
  values: RecipeValues,
  name: 'optimizer' | 'schedule',
  allowed: readonly T[],
) {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw))
    throw new UsageError(`--${name} must be ${allowed.join(', ')}; got "${raw}".`);
  return raw as T;
}

/** The recipe flags as a partial training config; the studio fills in the rest and checks it. */
export function trainingConfig(values: RecipeValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  const set = (key: string, value: unknown) => {
    if (value !== undefined) config[key] = value;
  };
  set('model', values.model);
  set('epochs', numberOption(values, 'epochs'));
  set('batchSize', numberOption(values, 'batch-size'));
  set('learningRate', numberOption(values, 'lr'));
  set('labelSmoothing', numberOption(values, 'label-smoothing'));
  set('dropout', numberOption(values, 'dropout'));
  set('seed', numberOption(values, 'seed'));
  const optimizer: Record<string, unknown> = {};
  if (values.optimizer !== undefined) optimizer.name = oneOf(values, 'optimizer', ['adam', 'sgd']);
  if (values.momentum !== undefined) optimizer.momentum = numberOption(values, 'momentum');
  if (values['weight-decay'] !== undefined)
    optimizer.weightDecay = numberOption(values, 'weight-decay');
  if (Object.keys(optimizer).length > 0) config.optimizer = optimizer;
  const schedule: Record<string, unknown> = {};
  if (values.schedule !== undefined)
    schedule.kind = oneOf(values, 'schedule', ['plateau', 'cosine', 'step', 'constant']);
  if (values.warmup !== undefined) schedule.warmupEpochs = numberOption(values, 'warmup');
  if (Object.keys(schedule).length > 0) config.schedule = schedule;
  const crop: Record<string, unknown> = {};
  if (values.crop !== undefined) crop.size = numberOption(values, 'crop');
  if (values.padding !== undefined) crop.padding = numberOption(values, 'padding');
  if (Object.keys(crop).length > 0) config.augmentation = { crop };
  if (values['no-early-stop']) config.earlyStopping = { enabled: false };
  if (values['recalibrate-bn']) config.recalibrateBatchNorm = true;
  if (values['no-recalibrate-bn']) config.recalibrateBatchNorm = false;
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
