import * as tf from '@tensorflow/tfjs';
import { createRng, fromState } from '../util/rng.ts';
import { assertTrainingKernels } from '../engine/training-kernels.ts';
import type { TrainConfig, Monitor } from './config.ts';
import { batchCount, disposeBatch, epochOrder, makeBatch, prepareDataset } from './dataset.ts';
import type { PreparedDataset, TrainingData } from './dataset.ts';
import { rate } from './metrics.ts';
import { restoreOptimizerState, setLearningRate } from './optimizer-state.ts';
import { recalibrateBatchNorm } from '../evaluation/batch-norm.ts';
import { PIXELS_PER_IMAGE } from '../contract/classes.ts';
import {
  annealedFrom,
  earlyStoppingStep,
  initialMonitorState,
  plateauStep,
  scheduledLr,
} from './schedulers.ts';
import { evaluate, trainStep } from './step.ts';
import { createDynamics, dynamicsFromEpoch } from './dynamics.ts';

// Callers import train() and its types from here.
export type * from './train-types.ts';
import type {
  EpochMetrics,
  TrainCallbacks,
  TrainOptions,
  TrainResult,
  TrainState,
  TrainStatus,
} from './train-types.ts';

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function effectiveMonitor(config: TrainConfig, prepared: PreparedDataset): Monitor {
  return prepared.validation.length === 0 ? 'loss' : config.monitor;
}

function monitoredValue(m: EpochMetrics, monitor: Monitor): number {
  if (monitor === 'val_loss') return m.valLoss ?? m.loss;
  if (monitor === 'val_acc') return m.valAcc ?? m.acc;
  return m.loss;
}

export function createOptimizer(config: TrainConfig, lr: number): tf.Optimizer {
  const { name, momentum, nesterov } = config.optimizer;
  return name === 'sgd' ? tf.train.momentum(lr, momentum, nesterov) : tf.train.adam(lr);
}

/** The training images' stored pixels, contiguous, for batch-norm recalibration. */
function trainPixels(prepared: PreparedDataset): Uint8Array {
  const { pixels } = prepared.data;
  const out = new Uint8Array(prepared.train.length * PIXELS_PER_IMAGE);
  prepared.train.forEach((i, k) =>
    out.set(
      pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
      k * PIXELS_PER_IMAGE,
    ),
  );
  return out;
}

/**
 * Trains `model` (softmax output over the 7 classes) in place with Adam or SGD and weighted
 * categorical cross-entropy. Knows nothing about IPC or files: progress and checkpoints go to `callbacks`.
 */
export async function train(
  model: tf.LayersModel,
  data: TrainingData,
  config: TrainConfig,
  callbacks: TrainCallbacks = {},
  options: TrainOptions = {},
): Promise<TrainResult> {
  assertTrainingKernels(model);
  const prepared = prepareDataset(data, config);
  const monitor = effectiveMonitor(config, prepared);
  const mode = monitor === 'val_acc' ? 'max' : 'min';
  const resume = options.resume;
  const state: TrainState = resume
    ? structuredClone(resume.state)
    : {
        config,
        epochsDone: 0,
        rngState: createRng(config.seed).state(),
        lr:
          scheduledLr(1, config.epochs, config.learningRate, config.schedule) ??
          config.learningRate,
        monitor,
        history: [],
        earlyStopping: initialMonitorState(),
        plateau: initialMonitorState(),
      };
  state.config = config;
  const rng = fromState(state.rngState);
  const optimizer = createOptimizer(config, state.lr);
  const annealStart = annealedFrom(config.epochs, config.learningRate, config.schedule);
  const warmup = config.schedule.warmupEpochs;
  if (resume) await restoreOptimizerState(optimizer, resume.optimizer);
  let bestWeights: tf.Tensor[] | null = resume?.bestWeights ?? null;
  let lastCheckpointEpoch: number | null = resume ? state.epochsDone : null;
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const batches = batchCount(prepared.train.length, config.batchSize);
  const outputs = prepared.preprocessing.classOrder.length;
  const dynamics = createDynamics(
    data.labels.length,
    outputs,
    resume?.state.dynamics ?? null,
    dynamicsFromEpoch(config.epochs),
  );
  let status: TrainStatus = 'completed';
  let message = '';

  try {
    epochs: while (state.epochsDone < config.epochs) {
      const epoch = state.epochsDone + 1;
      // A resume with more epochs stretches a fixed schedule: take its rate for this epoch.
      const plannedNow = scheduledLr(epoch, config.epochs, config.learningRate, config.schedule);
      if (plannedNow !== null && plannedNow !== state.lr) {
        state.lr = plannedNow;
        setLearningRate(optimizer, plannedNow);
      }
      const order = epochOrder(prepared.train, rng);
      const started = performance.now();
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        if (options.signal?.aborted) {
          status = 'stopped';
          message = `Stopped by request during epoch ${epoch}.`;
          break epochs;
        }
        const batch = makeBatch(prepared, order, b * config.batchSize, config.batchSize, {
          aug: config.augmentation,
          rng,
          weighted: true,
        });
        const dropoutSeed = rng.int(2 ** 31);
        const result = await trainStep(model, optimizer, variables, batch, {
          randomSeed: dropoutSeed,
          labelSmoothing: config.labelSmoothing,
          weightDecay: config.optimizer.weightDecay,
          keepProbabilities: true,
        }).finally(() => disposeBatch(batch));
        if (!result.finite) {
          status = 'nan';
          message =
            `Loss became ${result.loss} at epoch ${epoch}, batch ${b + 1} of ${batches}; ` +
            `that update was not applied. Try a lower learning rate.`;
          break epochs;
        }
        if (result.probs) {
          const indices = order.subarray(b * config.batchSize, b * config.batchSize + batch.size);
          dynamics.add(epoch, indices, result.probs);
          callbacks.onBatchProbabilities?.(epoch, indices, result.probs);
        }
        lossSum += result.loss * batch.size;
        correct += result.acc * batch.size;
        const seen = Math.min((b + 1) * config.batchSize, prepared.train.length);
        callbacks.onBatchEnd?.({
          epoch,
          batch: b + 1,
          batches,
          loss: result.loss,
          acc: result.acc,
          imagesPerSec: rate(seen, (performance.now() - started) / 1000),
        });
        await yieldToEventLoop();
      }
      const trainSeconds = (performance.now() - started) / 1000;
      const val = await evaluate(model, prepared, Math.max(config.batchSize, 128));
      const metrics: EpochMetrics = {
        epoch,
        loss: lossSum / prepared.train.length,
        acc: correct / prepared.train.length,
        valLoss: val?.loss ?? null,
        valAcc: val?.acc ?? null,
        lr: state.lr,
        imagesPerSec: rate(prepared.train.length, trainSeconds),
        seconds: (performance.now() - started) / 1000,
      };
      const value = monitoredValue(metrics, monitor);
      const es = earlyStoppingStep(state.earlyStopping, value, epoch, config.earlyStopping, mode);
      // ReduceLROnPlateau watches only the plateau schedule's own epochs, not its warm-up.
      const plateau =
        config.schedule.kind === 'plateau' && epoch > warmup
          ? plateauStep(state.plateau, value, epoch, state.lr, config.reduceLrOnPlateau, mode)
          : { state: state.plateau, lr: state.lr };
      if (es.improved && config.earlyStopping.restoreBest) {
        tf.dispose(bestWeights ?? []);
        bestWeights = model.getWeights().map((w) => w.clone());
      }
      state.earlyStopping = es.state;
      state.plateau = plateau.state;
      state.history.push(metrics);
      state.epochsDone = epoch;
      state.rngState = rng.state();
      state.dynamics = dynamics.encode();
      // No rate is planned past the last epoch (a resume with more epochs re-plans at its start).
      const planned =
        epoch < config.epochs
          ? scheduledLr(epoch + 1, config.epochs, config.learningRate, config.schedule)
          : null;
      const next = planned ?? plateau.lr;
      if (next !== state.lr) {
        const kind = config.schedule.kind;
        const marked = (kind === 'plateau' || kind === 'step') && epoch > warmup && next < state.lr;
        if (marked) callbacks.onLrChange?.({ epoch, from: state.lr, to: next, reason: kind });
        state.lr = next;
        setLearningRate(optimizer, next);
      }
      await callbacks.onEpochEnd?.(metrics);
      if (callbacks.onCheckpoint) {
        try {
          await callbacks.onCheckpoint({
            epoch,
            model,
            optimizer,
            state,
            improved: es.improved,
            bestWeights,
          });
          lastCheckpointEpoch = epoch;
        } catch (error) {
          status = 'checkpoint-failed';
          const reason = error instanceof Error ? error.message : String(error);
          const kept = lastCheckpointEpoch === null ? 'none' : `epoch ${lastCheckpointEpoch}`;
          message = `Saving the checkpoint of epoch ${epoch} failed (${reason}); the latest checkpoint is still ${kept}.`;
          break;
        }
      }
      // Only epochs of the annealed phase count towards patience (see annealedFrom). The last
      // planned epoch ends the run anyway: that is a completed run, not an early stop.
      if (
        es.stop &&
        epoch < config.epochs &&
        epoch - annealStart + 1 >= config.earlyStopping.patience
      ) {
        status = 'early-stopped';
        message = `Early stop after epoch ${epoch}: ${monitor} did not improve for ${config.earlyStopping.patience} epochs.`;
        break;
      }
    }
  } finally {
    optimizer.dispose();
  }

  const restoredBest = config.earlyStopping.restoreBest && bestWeights !== null;
  if (bestWeights) {
    if (restoredBest) model.setWeights(bestWeights);
    tf.dispose(bestWeights);
  }
  const recalibrated = config.recalibrateBatchNorm && status !== 'nan' && state.history.length > 0;
  if (recalibrated) recalibrateBatchNorm(model, trainPixels(prepared));
  const best = state.earlyStopping;
  if (status === 'completed')
    message = `Trained ${state.epochsDone} ${state.epochsDone === 1 ? 'epoch' : 'epochs'}.`;
  if (recalibrated)
    message += ` Batch-norm statistics recalibrated on ${prepared.train.length} training images.`;
  if (status === 'nan' || status === 'stopped') {
    const kept = lastCheckpointEpoch === null ? 'none' : `epoch ${lastCheckpointEpoch}`;
    message += ` Last good checkpoint: ${kept}.`;
  }
  return {
    status,
    message,
    epochsDone: state.epochsDone,
    history: state.history,
    monitor,
    bestEpoch: best.best === null ? null : best.bestEpoch,
    bestValue: best.best,
    restoredBest,
    lastCheckpointEpoch,
    recalibrated,
    split: { train: prepared.train.length, validation: prepared.validation.length },
    warnings: prepared.warnings,
    dynamics: dynamics.means(),
  };
}
