import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import { redoStep, undoStep, type StepResult } from '../imports/import-edits.ts';
import { createLabelStore, type AppliedChange } from './label-store.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type LabelHandlers = Pick<
  Handlers,
  'labels-set' | 'labels-undo' | 'labels-redo' | 'labels-undo-state'
>;

/** The relabelling slice of the handler map; every effective change announces `catalogue-changed`. */
export function createLabelHandlers(db: Database.Database, emit: Emit): LabelHandlers {
  const store = createLabelStore(db);
  const announce = (changes: AppliedChange[]) => {
    if (changes.length > 0) emit('catalogue-changed', { reason: 'relabel' });
    return changes;
  };
  // Undo and redo also take back (or restore) imports: removals and faces added from Predict.
  const announceStep = ({ changes, imports }: StepResult) => {
    if (imports.length > 0) emit('catalogue-changed', { reason: 'import' });
    return { changes: announce(changes), ...(imports.length > 0 ? { imports } : {}) };
  };
  return {
    'labels-set': async ({ changes, source }) => {
      const { applied, skippedIds } = store.set(changes, source);
      return { changed: announce(applied).length, skipped: skippedIds.length, skippedIds };
    },
    'labels-undo': async () => announceStep(undoStep(db, store)),
    'labels-redo': async () => announceStep(redoStep(db, store)),
    'labels-undo-state': async () => store.undoState(),
  };
}
