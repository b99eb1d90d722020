import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import { recordImportEdit } from './import-edits.ts';
import { listImports, removeImport, restoreImport } from './import-history.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type ImportsHandlers = Pick<Handlers, 'imports-list' | 'imports-remove' | 'imports-restore'>;

/** The import history's slice of the handler map. */
export function createImportsHandlers(db: Database.Database, emit: Emit): ImportsHandlers {
  return {
    'imports-list': async () => ({ imports: listImports(db) }),
    'imports-remove': async ({ importId }) => {
      // One undoable edit, like a relabel: Ctrl+Z brings the images back.
      const images = db.transaction(() => {
        const n = removeImport(db, importId);
        recordImportEdit(db, 'remove-import', importId);
        return n;
      })();
      emit('catalogue-changed', { reason: 'import' });
      return { images };
    },
    'imports-restore': async ({ importId }) => {
      const images = db.transaction(() => {
        const n = restoreImport(db, importId);
        recordImportEdit(db, 'restore-import', importId);
        return n;
      })();
      emit('catalogue-changed', { reason: 'import' });
      return { images };
    },
  };
}
