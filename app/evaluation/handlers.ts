import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import { createEvaluator, type EvaluatorOptions } from './evaluator.ts';
import { createLabelIssuesPlanner } from './label-issues-plan.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type EvaluationHandlers = Pick<
  Handlers,
  | 'evaluation-run'
  | 'evaluation-stored'
  | 'evaluation-cell'
  | 'image-predictions'
  | 'label-issues'
  | 'label-issues-plan'
  | 'label-issues-cancel'
>;

/** The evaluation slice of the handler map, plus close() for the studio's shutdown. */
export function createEvaluation(
  db: Database.Database,
  emit: Emit,
  options: EvaluatorOptions = {},
): { handlers: EvaluationHandlers; close: () => Promise<void> } {
  const evaluator = createEvaluator(db, emit, options);
  const plan = createLabelIssuesPlanner(db);
  return {
    handlers: {
      'evaluation-run': ({ runId, split, tta }) => evaluator.evaluate(runId, split, tta),
      'evaluation-stored': async ({ runId, split }) => ({
        evaluation: evaluator.stored(runId, split),
      }),
      'evaluation-cell': async ({ runId, split, trueLabel, predicted }) =>
        evaluator.cell(runId, split, trueLabel, predicted),
      'image-predictions': ({ runId, imageId }) => evaluator.imagePredictions(runId, imageId),
      'label-issues': ({ runId, limit, folds, epochs, method, reading }) =>
        evaluator.labelIssues(runId, {
          limit,
          folds,
          ...(reading ? { reading } : {}),
          ...(epochs ? { epochs } : {}),
          ...(method ? { method } : {}),
        }),
      'label-issues-plan': async ({ runId, folds, epochs, method }) =>
        plan(runId, folds, epochs ?? options.cvEpochs, method),
      'label-issues-cancel': async ({ runId }) => ({
        cancelled: await evaluator.cancelCrossValidation(runId),
      }),
    },
    close: () => evaluator.close(),
  };
}
