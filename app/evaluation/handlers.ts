import type Database from 'better-sqlite3';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import { createEvaluator, type EvaluatorOptions } from './evaluator.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type EvaluationHandlers = Pick<
  Handlers,
  'evaluation-run' | 'evaluation-cell' | 'image-predictions' | 'label-issues'
>;

/** The evaluation slice of the handler map, plus close() for the studio's shutdown. */
export function createEvaluation(
  db: Database.Database,
  emit: Emit,
  options: EvaluatorOptions = {},
): { handlers: EvaluationHandlers; close: () => Promise<void> } {
  const evaluator = createEvaluator(db, emit, options);
  return {
    handlers: {
      'evaluation-run': ({ runId, split }) => evaluator.evaluate(runId, split),
      'evaluation-cell': async ({ runId, split, trueLabel, predicted }) =>
        evaluator.cell(runId, split, trueLabel, predicted),
      'image-predictions': ({ runId, imageId }) => evaluator.imagePredictions(runId, imageId),
      'label-issues': async ({ runId, limit, folds, epochs }) => ({
        issues: await evaluator.labelIssues(
          runId,
          epochs ? { limit, folds, epochs } : { limit, folds },
        ),
      }),
    },
    close: () => evaluator.close(),
  };
}
