import os from 'node:os';
import { Worker } from 'node:worker_threads';
import 'sharp'; // libvips must be loaded by the main thread before workers use it.
import type { Decoded, SkipReason } from './decode.ts';
import { decodeFile } from './decode-file.ts';

export type FileResult =
  | ({ ok: true; hash: string; original: Uint8Array } & Decoded)
  | { ok: false; reason: SkipReason; detail: string };

export type DecodeRequest = { type: 'decode'; seq: number; paths: Uint8Array[] };
export type DecodeResponse = { type: 'decoded'; seq: number; results: FileResult[] };

export interface DecodePool {
  /** Reads, hashes and decodes files on worker threads; results are in the order of `paths`. */
  decode(paths: readonly Uint8Array[]): Promise<FileResult[]>;
  close(): Promise<void>;
}

export function createDecodePool(size = Math.min(4, os.availableParallelism())): DecodePool {
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(new URL('./decode-worker.ts', import.meta.url));
    worker.unref();
    return {
      worker,
      pending: new Map<
        number,
        { resolve: (r: FileResult[]) => void; reject: (e: Error) => void }
      >(),
    };
  });
  let seq = 0;
  let failure: Error | null = null;
  for (const entry of workers) {
    entry.worker.on('message', (message: DecodeResponse) => {
      entry.pending.get(message.seq)?.resolve(message.results);
      entry.pending.delete(message.seq);
    });
    const fail = (error: Error) => {
      failure = error;
      for (const { reject } of entry.pending.values()) reject(error);
      entry.pending.clear();
    };
    entry.worker.on('error', fail);
    entry.worker.on('exit', (code) => {
      if (entry.pending.size > 0) fail(new Error(`A decode worker stopped (exit code ${code}).`));
    });
  }
  return {
    decode(paths) {
      if (failure) return Promise.reject(failure);
      // The least busy worker keeps both cores fed when one gets a slow (libvips) batch.
      const entry = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = ++seq;
      return new Promise((resolve, reject) => {
        entry.pending.set(id, { resolve, reject });
        const request: DecodeRequest = { type: 'decode', seq: id, paths: [...paths] };
        entry.worker.postMessage(request);
      });
    },
    async close() {
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}

/** Small imports decode on this thread: starting worker threads costs more than the work. */
export function createInlinePool(): DecodePool {
  return {
    async decode(paths) {
      const results: FileResult[] = [];
      for (const path of paths) results.push(await decodeFile(path));
      return results;
    },
    async close() {},
  };
}
