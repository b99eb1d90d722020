import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import type { BackendPreference } from '../engine/backend.ts';
import type { RunStore } from '../runs/run-store.ts';
import { requireFullPath } from '../util/full-path.ts';
import { importModelRun, previewImport } from './import-run.ts';

type ModelImportHandlers = Pick<Handlers, 'model-import-preview' | 'model-import'>;
type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;

/** The model-import slice of the handler map; the models are opened in a worker thread per request. */
export function createModelImportHandlers(
  db: Database.Database,
  store: RunStore,
  backend: BackendPreference,
  emit: Emit,
): ModelImportHandlers {
  const options = (path: string) => ({
    backend,
    onProgress: (fraction: number, stage: string) =>
      emit('model-import-progress', { path, fraction, stage }),
  });
  return {
    // A window's relative path would be looked for in the core's working folder, as for every form.
    'model-import-preview': async (request) => {
      requireFullPath(request.path, 'read');
      return previewImport(db, request, options(request.path));
    },
    'model-import': async (request) => {
      requireFullPath(request.path, 'read');
      return importModelRun(db, store, request, options(request.path));
    },
  };
}
