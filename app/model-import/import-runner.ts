import { Worker } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import type { ImportJob, ImportReply } from './import-protocol.ts';

const WORKER_URL = new URL('./import-worker.ts', import.meta.url);

export type ImportResult = Extract<ImportReply, { type: 'result' }>;
export type RunImportJob = (
  job: ImportJob,
  onProgress?: (fraction: number, stage: string) => void,
) => Promise<ImportResult>;

/**
 * Opens, predicts and saves a model in a worker thread of its own: building a large model and
 * predicting even a few images takes seconds, which must not stall the core's event loop.
 */
export const runImportJob: RunImportJob = (job, onProgress) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL);
    let settled = false;
    const end = (settle: () => void) => {
      if (settled) return;
      settled = true;
      settle();
      void worker.terminate();
    };
    worker.on('message', (reply: ImportReply) => {
      if (reply.type === 'progress') onProgress?.(reply.fraction, reply.stage);
      else if (reply.type === 'result') end(() => resolve(reply));
      else end(() => reject(new StudioError(reply.code, reply.message)));
    });
    worker.once('error', (error) =>
      end(() => reject(new StudioError('internal', `The import worker crashed: ${error.message}`))),
    );
    worker.once('exit', (code) =>
      end(() => reject(new StudioError('internal', `The import worker exited (code ${code}).`))),
    );
    worker.postMessage(job, [job.pixels.buffer as ArrayBuffer]);
  });
