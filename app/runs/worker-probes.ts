import { Worker } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import type { BackendInfo, TrainingOptions } from '../contract/handlers.ts';
import type { TrainConfig } from '../training/config.ts';
import type { BackendPreference, WorkerMessage, WorkerRequest } from './worker-protocol.ts';

/**
 * Starting training workers, and the two short questions asked of one: which backend and models
 * are here (probed once), and how fast a model trains here (measured once per model and batch size).
 */
export function createWorkerProbes(workerUrl: URL, backendPreference: BackendPreference) {
  let probed: Promise<Omit<TrainingOptions, 'defaults' | 'dependentDefaults'>> | null = null;

  function spawn(request: WorkerRequest, onMessage: (message: WorkerMessage) => void): Worker {
    const worker = new Worker(workerUrl);
    worker.on('message', onMessage);
    const transfer =
      request.type === 'train'
        ? [request.pixels.buffer as ArrayBuffer, request.labels.buffer as ArrayBuffer]
        : [];
    worker.postMessage(request, transfer);
    return worker;
  }

  function probe(): Promise<Omit<TrainingOptions, 'defaults' | 'dependentDefaults'>> {
    probed ??= new Promise((resolve, reject) => {
      const worker = spawn({ type: 'probe', seq: 1, backend: backendPreference }, (message) => {
        if (message.type === 'probed')
          resolve({
            models: message.models,
            defaultModel: message.defaultModel,
            backend: message.backend,
          });
        if (message.type === 'error') reject(new StudioError('training-failed', message.message));
        void worker.terminate();
      });
      worker.once('error', (error) => reject(new StudioError('training-failed', error.message)));
    });
    probed.catch(() => {
      probed = null;
    });
    return probed;
  }

  const speeds = new Map<string, Promise<{ secondsPerImageEpoch: number; backend: BackendInfo }>>();

  /** One timed epoch on random faces per model and batch size, in a worker of its own; cached. */
  function speedTest(config: TrainConfig) {
    const key = `${config.model}/${config.batchSize}`;
    let measured = speeds.get(key);
    if (!measured) {
      measured = new Promise((resolve, reject) => {
        const request = { type: 'speed', seq: 1, backend: backendPreference, config } as const;
        const worker = spawn(request, (message) => {
          if (message.type === 'speed')
            resolve({
              secondsPerImageEpoch: message.secondsPerImageEpoch,
              backend: message.backend,
            });
          if (message.type === 'error') reject(new StudioError('training-failed', message.message));
          if (message.type === 'speed' || message.type === 'error') void worker.terminate();
        });
        worker.once('error', (error) => reject(new StudioError('training-failed', error.message)));
      });
      speeds.set(key, measured);
      measured.catch(() => speeds.delete(key));
    }
    return measured;
  }

  return { spawn, probe, speedTest };
}
