import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import type { RunStore } from '../runs/run-store.ts';
import { requireFullPath } from '../util/full-path.ts';
import { EVALUATING, exportReport } from './export-report.ts';
import type { Evaluate } from './gather.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type ReportHandlers = Pick<Handlers, 'report-export'>;
/** Subscribes to the studio's events; returns the unsubscribe function. */
export type Watch = (listener: (event: EventName, payload: unknown) => void) => () => void;

/**
 * The report slice of the handler map; `evaluate` is the evaluation slice's own handler, whose
 * progress events `watch` relays as the report's "evaluating" stage.
 */
export function createReportHandlers(
  db: Database.Database,
  store: RunStore,
  emit: Emit,
  evaluate: Evaluate,
  watch: Watch,
): ReportHandlers {
  return {
    'report-export': async ({ runId, out, force, churn }) => {
      requireFullPath(out, 'write');
      const onProgress = (fraction: number, stage: string) =>
        emit('export-progress', { target: out, fraction, stage });
      const stop = watch((event, payload) => {
        if (event !== 'evaluation-progress') return;
        const p = payload as EventOf<'evaluation-progress'>;
        if (p.runId !== runId || p.phase !== 'predicting' || p.total === 0) return;
        onProgress(
          EVALUATING.from + (EVALUATING.to - EVALUATING.from) * (p.done / p.total),
          'evaluating',
        );
      });
      try {
        return await exportReport({ db, store, evaluate, runId, out, force, churn, onProgress });
      } finally {
        stop();
      }
    },
  };
}
