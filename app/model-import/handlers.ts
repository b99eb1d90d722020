import type Database from 'better-sqlite3';
import type { Handlers } from '../contract/handlers.ts';
import type { BackendPreference } from '../engine/backend.ts';
import type { RunStore } from '../runs/run-store.ts';
import { importModelRun, previewImport } from './import-run.ts';

type ModelImportHandlers = Pick<Handlers, 'model-import-preview' | 'model-import'>;

/** The model-import slice of the handler map; the models are opened in a worker thread per request. */
export function createModelImportHandlers(
  db: Database.Database,
  store: RunStore,
  backend: BackendPreference,
): ModelImportHandlers {
  return {
    'model-import-preview': (request) => previewImport(db, request, { backend }),
    'model-import': (request) => importModelRun(db, store, request, { backend }),
  };
}
