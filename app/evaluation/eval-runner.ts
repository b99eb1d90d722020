import { Worker } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import type { EvalMessage, EvalRequest } from './eval-protocol.ts';

const WORKER_URL = new URL('./eval-worker.ts', import.meta.url);
const PROGRESS_MS = 200;

export type Progress = (done: number, total: number, fold: number | null) => void;
/** A finished cross-validation fold: positions in the request's images and their probabilities. */
export type FoldDone = (fold: number, indices: Uint32Array, probs: Float32Array) => void;

interface Job {
  /** What the job does, for cancelling one kind of job of one run. */
  kind: Pick<EvalRequest, 'type' | 'seq'>;
  /** Ends the job with `error` and resolves once its worker has exited. */
  cancel(error: StudioError): Promise<void>;
}

/**
 * Runs each job in a fresh worker thread (batch inference and cross-validation stay off the main
 * thread); progress is throttled to one call per 200 ms. close() ends every running job and waits
 * for its worker to exit, so a closing studio never leaves a worker training behind it.
 */
export function createEvalRunner() {
  const running = new Set<Job>();
  let closed = false;

  function run(
    request: EvalRequest,
    onProgress: Progress,
    onFold?: FoldDone,
  ): Promise<Float32Array> {
    if (closed) return Promise.reject(new StudioError('cancelled', 'The studio is closing.'));
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL);
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      let settled = false;
      let last = 0;
      const end = (settle: () => void): Promise<void> => {
        if (!settled) {
          settled = true;
          running.delete(job);
          settle();
          void worker.terminate();
        }
        return exited;
      };
      const kind = { type: request.type, seq: request.seq };
      const job: Job = { kind, cancel: (error) => end(() => reject(error)) };
      running.add(job);
      worker.on('message', (message: EvalMessage) => {
        if (settled) return;
        if (message.type === 'progress') {
          const now = Date.now();
          if (now - last < PROGRESS_MS && message.done < message.total) return;
          last = now;
          onProgress(message.done, message.total, message.fold);
        } else if (message.type === 'fold') {
          try {
            onFold?.(message.fold, message.indices, message.probs);
          } catch (error) {
            const text = error instanceof Error ? error.message : String(error);
            void end(() => reject(new StudioError('internal', `Storing a fold failed: ${text}`)));
          }
        } else if (message.type === 'result') {
          void end(() => resolve(message.probs));
        } else {
          const code = message.reason === 'model-unreadable' ? 'training-failed' : 'internal';
          const text =
            message.reason === 'model-unreadable'
              ? `The saved model cannot be read (${message.message}); retrain the run.`
              : message.message;
          void end(() => reject(new StudioError(code, text)));
        }
      });
      worker.once('error', (error) => {
        void end(() =>
          reject(new StudioError('internal', `The evaluation worker crashed: ${error.message}`)),
        );
      });
      // An exit without a reply (out of memory, killed) must not leave the caller waiting forever.
      worker.once('exit', (code) => {
        void end(() =>
          reject(new StudioError('internal', `The evaluation worker exited (code ${code}).`)),
        );
      });
      worker.postMessage(request, [request.pixels.buffer as ArrayBuffer]);
    });
  }

  return {
    run,
    /** Ends the running jobs `match` picks (their callers get `error`); true when there was one. */
    async cancelWhere(
      match: (kind: Pick<EvalRequest, 'type' | 'seq'>) => boolean,
      error: StudioError,
    ): Promise<boolean> {
      const jobs = [...running].filter((job) => match(job.kind));
      await Promise.all(jobs.map((job) => job.cancel(error)));
      return jobs.length > 0;
    },
    /** Cancels every running job (its caller gets `cancelled`) and waits until the workers exit. */
    async close(): Promise<void> {
      closed = true;
      const error = new StudioError('cancelled', 'The studio closed during evaluation.');
      await Promise.all([...running].map((job) => job.cancel(error)));
    },
  };
}

export type EvalRunner = ReturnType<typeof createEvalRunner>;
