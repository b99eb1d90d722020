import { Worker } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import type { PredictedPhoto } from './predict-image.ts';
import type { PredictReply, PredictRequest } from './predict-protocol.ts';

const WORKER_URL = new URL('./predict-worker.ts', import.meta.url);

type Pending = { resolve: (photo: PredictedPhoto) => void; reject: (error: Error) => void };
export type PredictJob = Omit<PredictRequest, 'type' | 'seq'>;

/**
 * Detection and classification in one long-lived worker thread, started on first use (photos and
 * webcam frames never block the core's event loop). A crashed worker fails its pending requests
 * with a message and the next request starts a fresh one.
 */
export function createPredictRunner() {
  let worker: Worker | null = null;
  let seq = 0;
  let closed = false;
  const pending = new Map<number, Pending>();

  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };

  function start(): Worker {
    const w = new Worker(WORKER_URL);
    w.on('message', (reply: PredictReply) => {
      const p = pending.get(reply.seq);
      if (!p) return;
      pending.delete(reply.seq);
      if (pending.size === 0) w.unref();
      if (reply.type === 'result') p.resolve(reply.photo);
      else if (reply.kind === 'photo')
        p.reject(new StudioError('bad-request', `${reply.code}: ${reply.message}`));
      else if (reply.kind === 'model')
        p.reject(
          new StudioError(
            reply.code === 'bad-request' ? 'bad-request' : 'training-failed',
            reply.message,
          ),
        );
      else p.reject(new StudioError('internal', reply.message));
    });
    w.once('error', (error) => {
      worker = null;
      failAll(new StudioError('internal', `The predict worker crashed: ${error.message}`));
    });
    w.once('exit', (code) => {
      if (worker === w) worker = null;
      failAll(new StudioError('internal', `The predict worker exited (code ${code}).`));
    });
    // An idle worker must not keep a CLI process alive.
    w.unref();
    return w;
  }

  return {
    predict(job: PredictJob): Promise<PredictedPhoto> {
      if (closed) return Promise.reject(new StudioError('cancelled', 'The studio is closing.'));
      worker ??= start();
      const w = worker;
      const request: PredictRequest = { type: 'predict', seq: ++seq, ...job };
      return new Promise((resolve, reject) => {
        pending.set(request.seq, { resolve, reject });
        w.ref();
        w.postMessage(request);
      });
    },
    async close(): Promise<void> {
      closed = true;
      const w = worker;
      worker = null;
      failAll(new StudioError('cancelled', 'The studio is closing.'));
      if (w) await w.terminate();
    },
  };
}

export type PredictRunner = ReturnType<typeof createPredictRunner>;
