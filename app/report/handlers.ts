import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import type { RunStore } from '../runs/run-store.ts';
import { exportReport } from './export-report.ts';
import type { Evaluate } from './gather.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type ReportHandlers = Pick<Handlers, 'report-export'>;

/** The report slice of the handler map; `evaluate` is the evaluation slice's own handler. */
export function createReportHandlers(
  db: Database.Database,
  store: RunStore,
  emit: Emit,
  evaluate: Evaluate,
): ReportHandlers {
  return {
    'report-export': ({ runId, out, force }) =>
      exportReport({
        db,
        store,
        evaluate,
        runId,
        out,
        force,
        onProgress: (fraction, stage) => emit('export-progress', { target: out, fraction, stage }),
      }),
  };
}
