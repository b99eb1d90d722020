import * as tf from '@tensorflow/tfjs';
import type Database from 'better-sqlite3';
import type { Handlers } from '../contract/handlers.ts';
import { selectBackend } from '../engine/backend.ts';
import type { RunStore } from '../runs/run-store.ts';
import { importModelRun, previewImport } from './import-run.ts';

type ModelImportHandlers = Pick<Handlers, 'model-import-preview' | 'model-import'>;

/**
 * Building a model and predicting a few images needs no training kernels: the plain backend is
 * enough. Its one-time "install tfjs-node" banner would land in the CLI's stderr, so it is marked shown.
 */
async function plainBackend(): Promise<void> {
  await selectBackend('cpu');
  const backend = tf.backend() as unknown as { firstUse?: boolean };
  if ('firstUse' in backend) backend.firstUse = false;
}

/** The model-import slice of the handler map. */
export function createModelImportHandlers(
  db: Database.Database,
  store: RunStore,
): ModelImportHandlers {
  return {
    'model-import-preview': async (request) => {
      await plainBackend();
      return previewImport(db, request);
    },
    'model-import': async (request) => {
      await plainBackend();
      return importModelRun(db, store, request);
    },
  };
}
