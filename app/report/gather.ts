import type Database from 'better-sqlite3';
import { CLASS_NAMES } from '../contract/classes.ts';
import type { Evaluation, RunDetail } from '../contract/handlers.ts';
import type { RunStore } from '../runs/run-store.ts';
import type { LrMark } from './line-chart.ts';
import {
  classBalance,
  summariseLabelChanges,
  type ClassBalance,
  type LabelChangeSummary,
} from './label-summary.ts';

/** The evaluation channel's handler, so the report shares its queue and stored predictions. */
export type Evaluate = (request: { runId: number; split: 'test' | 'val' }) => Promise<Evaluation>;

export interface ReportData {
  run: RunDetail;
  evaluation: Evaluation | null;
  /** Why there is no evaluation (null when there is one). */
  notEvaluated: string | null;
  labelChanges: LabelChangeSummary;
  balance: ClassBalance;
  lrMarks: LrMark[];
  generatedAt: string;
  /** Also list every relabel, undo and redo (by source), not only the net changes. */
  churn: boolean;
}

/**
 * A cut between epochs e and e + 1 is a mark at e, as the live curve marks it: only ReduceLROnPlateau
 * and the step schedule lower the rate at one epoch; warm-up and cosine move it every epoch.
 */
export function lrMarks(history: RunDetail['history'], config: RunDetail['config']): LrMark[] {
  const kind = config.schedule.kind;
  if (kind !== 'plateau' && kind !== 'step') return [];
  const marks: LrMark[] = [];
  for (let i = 1; i < history.length; i++) {
    const previous = history[i - 1];
    const current = history[i];
    if (
      previous &&
      current &&
      previous.epoch > config.schedule.warmupEpochs &&
      current.lr < previous.lr
    )
      marks.push({ epoch: previous.epoch, from: previous.lr, to: current.lr });
  }
  return marks;
}

/**
 * Everything the report shows. The evaluation comes from the evaluation channel: stored
 * predictions when the run was evaluated before, otherwise it predicts now (in its worker).
 */
export async function gatherReport(
  db: Database.Database,
  store: RunStore,
  evaluate: Evaluate,
  runId: number,
  churn = false,
): Promise<ReportData> {
  const run = store.get(runId);
  const balance = classBalance(db, runId);
  const testImages = CLASS_NAMES.reduce((sum, name) => sum + balance[name].test, 0);
  const split = testImages > 0 ? 'test' : run.valImages > 0 ? 'val' : null;
  const evaluation = split ? await evaluate({ runId, split }) : null;
  return {
    run,
    evaluation,
    notEvaluated: split
      ? null
      : 'Not evaluated: the run has no test or validation images to score.',
    labelChanges: summariseLabelChanges(db, runId, run.createdAt),
    balance,
    lrMarks: lrMarks(run.history, run.config),
    generatedAt: new Date().toISOString(),
    churn,
  };
}
