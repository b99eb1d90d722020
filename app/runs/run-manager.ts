import fs from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import type { BackendInfo, EventName, EventOf, TrainingOptions } from '../contract/handlers.ts';
import {
  DEPENDENT_DEFAULTS,
  parseTrainConfig,
  type TrainConfig,
  type TrainConfigInput,
} from '../training/config.ts';
import { stratifiedSplit, validateTrainingData } from '../training/dataset.ts';
import { LATEST_FILE } from '../training/checkpoint.ts';
import { fineTuneConfig, fineTuneRecipe } from '../model-import/fine-tune.ts';
import { isModelVariant } from '../../models/names.ts';
import type { RunData, RunStore } from './run-store.ts';
import { claimRun, recoverOrphanedRuns, releaseRun } from './run-owner.ts';
import type { BackendPreference, WorkerRequest } from './worker-protocol.ts';
import { createWorkerProbes } from './worker-probes.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;

export interface RunManagerOptions {
  /** Also decides where runs live: `runs/run-<id>` in the catalogue's own folder. */
  store: RunStore;
  emit: Emit;
  backend?: BackendPreference;
}

const WORKER_URL = new URL('./train-worker.ts', import.meta.url);
const BATCH_EVENT_MS = 200;
/** Past this many kept batch points the older half is thinned, as the UI's curve does. */
const MAX_LIVE_BATCHES = 1500;

type BatchPoint = Omit<EventOf<'training-batch'>, 'runId'>;

interface ActiveRun {
  runId: number;
  worker: Worker;
  config: TrainConfig;
  stopping: boolean;
  /** False until the worker names its backend ("preparing"). */
  started: boolean;
  /** The batch events sent so far, for a page that opens mid-run. */
  batches: BatchPoint[];
  done: Promise<void>;
}

/** Keeps every second point of the older half and the newer half whole. */
function thin(points: BatchPoint[]): BatchPoint[] {
  const half = Math.floor(points.length / 2);
  return [...points.slice(0, half).filter((_, i) => i % 2 === 0), ...points.slice(half)];
}

/** Owns the training worker: one run at a time, every epoch recorded in the catalogue as it ends. */
export function createRunManager(options: RunManagerOptions) {
  const { store, emit } = options;
  const backendPreference = options.backend ?? 'auto';
  let active: ActiveRun | null = null;
  /** The last run's batch points after it ended, so its resume (and a page reloaded then) keeps them. */
  let ended: { runId: number; batches: BatchPoint[] } | null = null;
  const { spawn, probe, speedTest } = createWorkerProbes(WORKER_URL, backendPreference);
  recoverOrphanedRuns(store);

  function launch(
    runId: number,
    config: TrainConfig,
    data: RunData,
    resume: boolean,
    initialModel: string | null = null,
    batches: BatchPoint[] = [],
  ): void {
    const runDir = store.runDir(runId);
    fs.mkdirSync(runDir, { recursive: true });
    claimRun(runDir);
    let backend: BackendInfo | null = null;
    let lastBatchEvent = 0;
    let lrChange: { from: number; to: number } | null = null;
    let settle: () => void = () => {};
    const status = (s: EventOf<'training-status'>['status'], message: string | null = null) =>
      emit('training-status', { runId, status: s, message, backend });
    const finish = (runStatus: 'finished' | 'stopped' | 'failed', message: string) => {
      store.setStatus(runId, runStatus, message);
      releaseRun(runDir);
      status(runStatus, message);
      if (active?.runId === runId) ended = { runId, batches: active.batches };
      active = null;
      void worker.terminate();
      settle();
    };
    const worker = spawn(
      {
        type: 'train',
        seq: runId,
        backend: backendPreference,
        runDir,
        config,
        resume,
        initialModel,
        pixels: data.pixels,
        labels: data.labels,
        ids: data.ids,
      },
      (message) => {
        switch (message.type) {
          case 'backend':
            backend = message.backend;
            store.setBackend(runId, backend);
            if (active?.runId === runId) active.started = true;
            status('running');
            break;
          case 'batch': {
            const now = Date.now();
            if (now - lastBatchEvent < BATCH_EVENT_MS && message.info.batch < message.info.batches)
              break;
            lastBatchEvent = now;
            const { epoch, batch, batches, imagesPerSec } = message.info;
            const batchesLeft = (config.epochs - epoch) * batches + (batches - batch);
            const etaSeconds =
              imagesPerSec > 0 ? (batchesLeft * config.batchSize) / imagesPerSec : null;
            emit('training-batch', { runId, ...message.info, etaSeconds });
            if (active?.runId === runId) {
              const kept =
                active.batches.length >= MAX_LIVE_BATCHES ? thin(active.batches) : active.batches;
              active.batches = [...kept, { ...message.info, etaSeconds }];
            }
            break;
          }
          case 'lr-change':
            lrChange = { from: message.change.from, to: message.change.to };
            break;
          case 'epoch':
            store.addEpoch(runId, message.metrics);
            emit('training-epoch', { runId, ...message.metrics, lrChange });
            lrChange = null;
            break;
          case 'done':
            if (message.modelDir) store.setModelPath(runId, message.modelDir);
            if (message.dynamics) {
              const { ids, probs, epochs } = message.dynamics;
              store.saveDynamics(runId, ids, probs, epochs);
            }
            if (message.status === 'completed' || message.status === 'early-stopped')
              finish('finished', message.message);
            else if (message.status === 'stopped') finish('stopped', message.message);
            else finish('failed', message.message);
            break;
          case 'error':
            finish('failed', message.message);
            break;
        }
      },
    );
    worker.once('error', (error) =>
      finish('failed', `The training worker crashed: ${error.message}`),
    );
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    active = { runId, worker, config, stopping: false, started: false, batches, done };
    status('preparing');
  }

  function assertIdle(): void {
    if (active) throw new StudioError('busy', `Run ${active.runId} is training; stop it first.`);
  }

  return {
    async options(): Promise<TrainingOptions> {
      const probe_ = await probe();
      return {
        ...probe_,
        defaults: parseTrainConfig({ model: probe_.defaultModel }),
        dependentDefaults: DEPENDENT_DEFAULTS,
      };
    },

    async start(
      input: Partial<TrainConfigInput>,
      parentRunId: number | null,
    ): Promise<{ runId: number }> {
      assertIdle();
      const { defaultModel, models } = await probe();
      let config: TrainConfig;
      try {
        const recipe = input.fineTune ? fineTuneRecipe(input) : input;
        config = parseTrainConfig({ ...recipe, model: recipe.model ?? defaultModel });
      } catch (error) {
        throw new StudioError('bad-request', (error as Error).message);
      }
      let initialModel: string | null = null;
      if (config.fineTune) {
        // "Train from this run": the parent's weights, model name and preprocessing.
        const from = fineTuneConfig(config, store.row(config.fineTune.fromRunId));
        config = from.config;
        initialModel = from.modelDir;
        parentRunId ??= config.fineTune?.fromRunId ?? null;
      } else if (!models.some((m) => m.name === config.model) && !isModelVariant(config.model)) {
        throw new StudioError(
          'bad-request',
          `Unknown model "${config.model}". Known: ${models.map((m) => m.name).join(', ')}.`,
        );
      }
      // A snapshot of this moment: relabels made while it trains go into the next run.
      const data = store.currentTrainingData();
      try {
        validateTrainingData(data);
      } catch (error) {
        throw new StudioError('bad-request', `Cannot train: ${(error as Error).message}`);
      }
      const { train, validation } = stratifiedSplit(
        data.labels,
        config.validationFraction,
        config.seed,
      );
      // A batch size asked for that exceeds the training set would quietly train one smaller
      // batch per epoch: say so. The default (64) on a tiny catalogue still trains, as it did.
      if (input.batchSize !== undefined && config.batchSize > train.length)
        throw new StudioError(
          'bad-request',
          `Batch size ${config.batchSize} is larger than the training set (${train.length} training images after ${Math.round(config.validationFraction * 100)} % go to validation): use a batch size of at most ${train.length}.`,
        );
      const validationIds = new Set(Array.from(validation, (i) => data.ids[i] as number));
      const runId = store.createRun({
        model: config.model,
        config,
        parentRunId,
        data,
        validation: validationIds,
      });
      launch(runId, config, data, false, initialModel);
      return { runId };
    },

    async stop(runId: number): Promise<{ stopped: boolean }> {
      if (!active || active.runId !== runId) return { stopped: false };
      active.stopping = true;
      emit('training-status', { runId, status: 'stopping', message: null, backend: null });
      active.worker.postMessage({ type: 'stop', seq: runId } satisfies WorkerRequest);
      return { stopped: true };
    },

    async resume(runId: number): Promise<{ runId: number }> {
      assertIdle();
      const row = store.row(runId);
      if (row.status === 'finished')
        throw new StudioError('bad-request', `Run ${runId} finished; start a new run instead.`);
      if (row.status === 'running')
        throw new StudioError(
          'busy',
          `Run ${runId} is training in another FER Studio window or process; it can be resumed once it stops there.`,
        );
      const latest = path.join(row.run_dir, LATEST_FILE);
      if (!fs.existsSync(latest))
        throw new StudioError('bad-request', `Run ${runId} has no checkpoint to resume from.`);
      const { epoch } = JSON.parse(fs.readFileSync(latest, 'utf8')) as { epoch: number };
      store.truncateEpochs(runId, epoch);
      store.recordResume(runId, row.epochs_done, epoch);
      store.setStatus(runId, 'running', null);
      const config = store.get(runId).config;
      // The curve up to the checkpoint stays; the epochs after it train again and redraw.
      const kept = ended?.runId === runId ? ended.batches.filter((b) => b.epoch <= epoch) : [];
      launch(runId, config, store.runData(runId), true, null, kept);
      return { runId };
    },

    /**
     * The active run and its batch points so far. A run resumed in this process keeps the points
     * up to its checkpoint; one stopped by an earlier process starts its curve at the resume.
     */
    live() {
      if (!active) return null;
      const status = active.stopping ? 'stopping' : active.started ? 'running' : 'preparing';
      return { runId: active.runId, status, batches: active.batches } as const;
    },

    /** Seconds per image per epoch of `model` here, measured while no run trains (it would skew both). */
    async speed(model: string, batchSize: number) {
      assertIdle();
      return speedTest(parseTrainConfig({ model, batchSize }));
    },

    activeRun(): number | null {
      return active?.runId ?? null;
    },

    /** Resolves when the active run (if any) has ended. */
    async settled(): Promise<void> {
      await active?.done;
    },

    async close(): Promise<void> {
      if (active) {
        store.setStatus(
          active.runId,
          'stopped',
          'The app closed during training; resume continues from the last epoch checkpoint.',
        );
        await active.worker.terminate();
        releaseRun(store.runDir(active.runId));
        active = null;
      }
    },
  };
}

export type RunManager = ReturnType<typeof createRunManager>;
