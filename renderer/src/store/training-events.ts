import type { StudioClient } from '../../../app/contract/index.ts';
import { isActive } from './live-run.ts';
import { applyRunEpoch, applyRunStatus } from './runs-slice.ts';
import type { StudioStore } from './store.ts';
import { applyLiveBatch, applyLiveEpoch, applyLiveStatus } from './training-slice.ts';

/** Training events feed the live run and the runs table; returns the unsubscribers. */
export function connectTraining(store: StudioStore, client: StudioClient): (() => void)[] {
  /** A run we did not start here (another window, the CLI): fetch its config and history. */
  function followNew(runId: number): void {
    const state = store.getState();
    if (state.live?.runId !== runId) void state.adoptRun(runId);
    if (!state.runs?.some((run) => run.id === runId)) void state.refreshRuns();
  }

  return [
    client.on('training-status', (event) => {
      followNew(event.runId);
      store.setState((state) => ({
        ...applyLiveStatus(state, event),
        ...applyRunStatus(state, event),
      }));
      if (!isActive(event.status)) {
        // The final summary (best epoch, model, can-resume) comes from the store.
        const state = store.getState();
        void state.refreshRuns();
        if (state.selectedRunId === event.runId) void state.selectRun(event.runId);
      }
    }),
    client.on('training-batch', (event) => {
      followNew(event.runId);
      store.setState((state) => applyLiveBatch(state, event));
    }),
    client.on('training-epoch', (event) => {
      followNew(event.runId);
      store.setState((state) => ({
        ...applyLiveEpoch(state, event),
        ...applyRunEpoch(state, event),
      }));
    }),
  ];
}
