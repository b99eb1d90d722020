import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../contract/classes.ts';
import { selectBackend } from '../engine/backend.ts';
import { DEFAULT_MODEL, MODELS, findModel } from '../../models/index.ts';
import { checkpointTo, resumeTraining } from '../training/checkpoint.ts';
import { fileIoHandler } from '../training/fs-io.ts';
import { loadForFineTune } from '../model-import/fine-tune.ts';
import { buildSeeded, modelBuildConfig } from '../training/model-input.ts';
import { train, type TrainCallbacks, type TrainResult } from '../training/train.ts';
import { measureTrainingSpeed } from '../training/speed.ts';
import type { ModelDescription, WorkerMessage, WorkerRequest } from './worker-protocol.ts';

const port = parentPort;
if (!port) throw new Error('train-worker.ts runs as a worker thread.');
const post = (message: WorkerMessage) => port.postMessage(message);
let controller: AbortController | null = null;

function describeModels(): ModelDescription[] {
  return Object.values(MODELS).map((entry) => {
    const model = entry.build();
    const description = {
      name: entry.name,
      description: entry.description,
      parameters: model.countParams(),
    };
    model.dispose();
    return description;
  });
}

/** Out-of-memory surfaces as several engine-specific errors; say it the same way for all. */
function explain(error: unknown, batchSize: number): string {
  const message = error instanceof Error ? error.message : String(error);
  if (
    /out of memory|allocation failed|Cannot enlarge memory|Invalid typed array length|Array buffer allocation/i.test(
      message,
    )
  ) {
    return `Out of memory with batch size ${batchSize}: lower the batch size and try again. (${message})`;
  }
  return message;
}

/** Saves the final model next to the checkpoints; renamed into place so a crash never leaves half a model. */
async function saveFinalModel(model: tf.LayersModel, runDir: string): Promise<string> {
  const target = path.join(runDir, 'model');
  const temp = path.join(runDir, `.model-${process.pid}-${Date.now()}`);
  await model.save(fileIoHandler(temp));
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(temp, target);
  return target;
}

async function runTraining(request: Extract<WorkerRequest, { type: 'train' }>): Promise<void> {
  const { seq } = request;
  const backend = await selectBackend(request.backend);
  post({ type: 'backend', seq, backend });
  controller = new AbortController();
  const callbacks: TrainCallbacks = {
    onBatchEnd: (info) => post({ type: 'batch', seq, info }),
    onEpochEnd: (metrics) => post({ type: 'epoch', seq, metrics }),
    onLrChange: (change) => post({ type: 'lr-change', seq, change }),
  };
  const data = { pixels: request.pixels, labels: request.labels, ids: request.ids };
  let model: tf.LayersModel;
  let result: TrainResult;
  if (request.resume) {
    const resumed = await resumeTraining(request.runDir, data, callbacks, {
      signal: controller.signal,
      config: { epochs: request.config.epochs },
    });
    model = resumed.model;
    result = resumed;
  } else {
    if (request.initialModel) {
      model = await loadForFineTune(
        request.initialModel,
        request.config.fineTune?.trainLastLayers ?? null,
      );
    } else {
      const entry = findModel(request.config.model);
      if (!entry)
        throw new Error(
          `Unknown model "${request.config.model}". Known: ${Object.keys(MODELS).join(', ')}.`,
        );
      model = buildSeeded(entry.build, request.config);
    }
    result = await train(
      model,
      data,
      request.config,
      { ...callbacks, onCheckpoint: checkpointTo(request.runDir) },
      { signal: controller.signal },
    );
  }
  const modelDir =
    result.epochsDone > 0 && result.status !== 'nan'
      ? await saveFinalModel(model, request.runDir)
      : null;
  model.dispose();
  const { probs, epochs } = result.dynamics;
  post({
    type: 'done',
    seq,
    status: result.status,
    message: result.message,
    epochsDone: result.epochsDone,
    modelDir,
    // A fine-tuned import may have its own class order; its training images are not ranked.
    dynamics:
      probs.length === request.ids.length * CLASS_NAMES.length && !request.initialModel
        ? { ids: request.ids, probs, epochs }
        : null,
  });
}

async function measureSpeed(request: Extract<WorkerRequest, { type: 'speed' }>): Promise<void> {
  const backend = await selectBackend(request.backend);
  const entry = findModel(request.config.model);
  if (!entry) throw new Error(`Unknown model "${request.config.model}".`);
  const model = entry.build(modelBuildConfig(request.config));
  try {
    const { secondsPerImageEpoch } = await measureTrainingSpeed(model, request.config);
    post({ type: 'speed', seq: request.seq, backend, secondsPerImageEpoch });
  } finally {
    model.dispose();
  }
}

port.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'probe':
      selectBackend(request.backend)
        .then((backend) =>
          post({
            type: 'probed',
            seq: request.seq,
            backend,
            models: describeModels(),
            defaultModel: DEFAULT_MODEL,
          }),
        )
        .catch((error: unknown) =>
          post({ type: 'error', seq: request.seq, message: explain(error, 0) }),
        );
      break;
    case 'train':
      runTraining(request).catch((error: unknown) =>
        post({
          type: 'error',
          seq: request.seq,
          message: explain(error, request.config.batchSize),
        }),
      );
      break;
    case 'speed':
      measureSpeed(request).catch((error: unknown) =>
        post({
          type: 'error',
          seq: request.seq,
          message: explain(error, request.config.batchSize),
        }),
      );
      break;
    case 'stop':
      controller?.abort();
      break;
  }
});
