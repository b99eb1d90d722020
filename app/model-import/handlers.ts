import type Database from 'better-sqlite3';
import type { Handlers } from '../contract/handlers.ts';
import { selectBackend } from '../engine/backend.ts';
import type { RunStore } from '../runs/run-store.ts';
import { importModelRun, previewImport } from './import-run.ts';

type ModelImportHandlers = Pick<Handlers, 'model-import-preview' | 'model-import'>;

/** The model-import slice of the handler map. */
export function createModelImportHandlers(
  db: Database.Database,
  store: RunStore,
): ModelImportHandlers {
  return {
    'model-import-preview': async (request) => {
      // Building and predicting a few images needs no training kernels: the plain backend is enough.
      await selectBackend('cpu');
      return previewImport(db, request);
    },
    'model-import': async (request) => {
      await selectBackend('cpu');
      return importModelRun(db, store, request);
    },
  };
}
