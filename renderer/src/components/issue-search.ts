import type { ResponseOf } from '../../../app/contract/index.ts';
import { formatCount, formatDuration } from '../format.ts';

/** Why a k-fold list has fewer relabels than a dynamics one (app/evaluation/suggestions.ts). */
const FOLDS_ARE_UNSURE =
  'Short fold models are less sure than a whole run, so only their surest suggestions are relabels; the rest ask for a look.';

/** After Cancel: the core stored every fold that finished (app/evaluation/evaluator.ts). */
export const SEARCH_CANCELLED =
  'Cancelled; fold models that had finished are kept, and the next search goes on from there.';

/** "about 3 min": an estimate should not read more precise than it is. */
function roughDuration(seconds: number): string {
  if (seconds < 60) return 'under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "Trains 4 fold models", or what is left of them after a cancelled search. */
function trainsText(plan: { folds: number; foldsDone: number }): string {
  if (plan.foldsDone === 0) return `Trains ${plan.folds} fold models`;
  const left = plan.folds - plan.foldsDone;
  return `${formatCount(plan.foldsDone)} of ${plan.folds} fold models are kept from a cancelled search; trains the other ${left}`;
}

/** Before the click: what a label-issue search of the run trains and for how long. */
export function searchCostText(plan: ResponseOf<'label-issues-plan'>): string {
  if (plan.ready)
    return plan.trainImages === 0
      ? 'No training images to judge (an imported or fine-tuned model): its held-out images are ranked by its own predictions, in seconds.'
      : plan.method === 'training-dynamics'
        ? 'This run recorded its training dynamics: ranking takes seconds, no extra training.'
        : `The cross-validation of this run is stored: ranking takes seconds. ${FOLDS_ARE_UNSURE}`;
  const time =
    plan.estimatedSeconds === null
      ? ' (this takes minutes).'
      : ` — ${roughDuration(plan.estimatedSeconds)} at this run's speed.`;
  return `${trainsText(plan)} × ${plan.epochs} epochs on ${formatCount(plan.trainImages)} training images${time} ${FOLDS_ARE_UNSURE}`;
}

/** While it runs: which fold trains, and about how long is left. */
export function searchProgressText(
  progress: { phase: string; fold: number | null } | null,
  secondsLeft: number | null,
): string {
  const what = !progress
    ? 'Starting…'
    : progress.phase === 'cross-validating'
      ? `Training fold ${progress.fold ?? '?'}…`
      : 'Predicting…';
  return secondsLeft === null ? what : `${what} · about ${formatDuration(secondsLeft)} left`;
}

/** Seconds left from the share done so far; null before the first batch. */
export function secondsLeft(
  startedAt: number | null,
  progress: { phase: string; done: number; total: number } | null,
): number | null {
  if (
    startedAt === null ||
    !progress ||
    progress.phase !== 'cross-validating' ||
    progress.done <= 0
  )
    return null;
  const elapsed = (performance.now() - startedAt) / 1000;
  return (elapsed * (progress.total - progress.done)) / progress.done;
}
