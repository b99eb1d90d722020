/**
 * Run by close.test.ts as its own Node process: starts a long cross-validation, closes the studio
 * at its first progress event, prints what happened, and then does nothing. The process can only
 * exit by itself if close() left no evaluation worker running.
 */
import { createStudio } from '../../../app/studio.ts';

const [catalogPath, dataDir, runId] = process.argv.slice(2);
if (!catalogPath || !dataDir || !runId)
  throw new Error('usage: close-child.ts CATALOG DATA_DIR RUN');
const studio = createStudio({ catalogPath, dataDir, mode: 'browser' });
let progressEvents = 0;
let firstProgress: () => void = () => {};
const started = new Promise<void>((resolve) => (firstProgress = resolve));
studio.subscribe((event) => {
  if (event !== 'evaluation-progress') return;
  progressEvents++;
  firstProgress();
});
// 200 epochs per fold: far longer than the test waits, so only close() can end it.
const reply = studio.dispatch('label-issues', { runId: Number(runId), folds: 2, epochs: 200 });
await started;
const closing = performance.now();
await studio.close();
const closeMs = performance.now() - closing;
const eventsAtClose = progressEvents;
const answer = await reply;
await new Promise((resolve) => setTimeout(resolve, 1000));
console.log(
  JSON.stringify({
    answer,
    closeMs,
    eventsAtClose,
    eventsAfterClose: progressEvents - eventsAtClose,
  }),
);
