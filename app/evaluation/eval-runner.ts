import { Worker } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import type { EvalMessage, EvalRequest } from './eval-protocol.ts';

const WORKER_URL = new URL('./eval-worker.ts', import.meta.url);
const PROGRESS_MS = 200;

export type Progress = (done: number, total: number, fold: number | null) => void;

/**
 * Runs one job in a fresh worker thread (batch inference and cross-validation stay off the main
 * thread) and resolves with its probabilities; progress is throttled to one call per 200 ms.
 */
export function runEvalJob(request: EvalRequest, onProgress: Progress): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL);
    let last = 0;
    const end = (settle: () => void) => {
      settle();
      void worker.terminate();
    };
    worker.on('message', (message: EvalMessage) => {
      if (message.type === 'progress') {
        const now = Date.now();
        if (now - last < PROGRESS_MS && message.done < message.total) return;
        last = now;
        onProgress(message.done, message.total, message.fold);
      } else if (message.type === 'result') {
        end(() => resolve(message.probs));
      } else {
        const code = message.reason === 'model-unreadable' ? 'training-failed' : 'internal';
        const text =
          message.reason === 'model-unreadable'
            ? `The saved model cannot be read (${message.message}); retrain the run.`
            : message.message;
        end(() => reject(new StudioError(code, text)));
      }
    });
    worker.once('error', (error) =>
      end(() =>
        reject(new StudioError('internal', `The evaluation worker crashed: ${error.message}`)),
      ),
    );
    const transfer = [request.pixels.buffer as ArrayBuffer];
    worker.postMessage(request, transfer);
  });
}
