import type Database from 'better-sqlite3';
import type { Handlers } from '../contract/handlers.ts';
import { createReviewStore } from './review-store.ts';

type CleaningHandlers = Pick<Handlers, 'cleaning-keep' | 'cleaning-status'>;

/**
 * The cleaning slice of the handler map. `openIssues` is how many doubtful labels of the run are
 * still open (label-issues' total, which already leaves out images relabelled since the run).
 */
export function createCleaningHandlers(
  db: Database.Database,
  openIssues: (runId: number) => Promise<number>,
): CleaningHandlers {
  const reviews = createReviewStore(db);
  return {
    'cleaning-keep': async ({ runId, imageIds, keep }) => ({
      changed: reviews.keep(runId, imageIds, keep),
    }),
    'cleaning-status': async ({ runId }) => {
      const kept = reviews.kept(runId);
      const relabelled = reviews.relabelledSinceRun(runId);
      const total = (await openIssues(runId)) + relabelled;
      return { reviewed: Math.min(total, kept.length + relabelled), total, kept };
    },
  };
}
