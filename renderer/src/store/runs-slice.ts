import type { StateCreator } from 'zustand';
import type { EventOf, RunDetail, RunSummary } from '../../../app/contract/index.ts';
import { errorMessage } from '../client/index.ts';
import { isActive } from './live-run.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface RunsSlice {
  /** Newest first. */
  runs: RunSummary[] | null;
  runsError: string | null;
  selectedRunId: number | null;
  runDetail: RunDetail | null;
  runDetailError: string | null;
  refreshRuns(): Promise<void>;
  selectRun(runId: number | null): Promise<void>;
  /** Saves a run's name and notes together, then refreshes the list; rejects with the refusal. */
  updateRun(runId: number, name: string, notes: string): Promise<void>;
  /** Deletes a run (rows, model, checkpoints), deselects it and refreshes the list. */
  deleteRun(runId: number): Promise<void>;
}

const newestFirst = (a: RunSummary, b: RunSummary) =>
  b.createdAt.localeCompare(a.createdAt) || b.id - a.id;

export function createRunsSlice(deps: StoreDeps): StateCreator<StudioState, [], [], RunsSlice> {
  let listRequest = 0;
  return (set, get) => ({
    runs: null,
    runsError: null,
    selectedRunId: null,
    runDetail: null,
    runDetailError: null,

    async refreshRuns() {
      const mine = ++listRequest;
      try {
        const { runs } = await deps.client.invoke('runs-list', {});
        if (mine !== listRequest) return;
        set({ runs: [...runs].sort(newestFirst), runsError: null });
        // Opened (or reconnected) while a run trains: follow it.
        const running = runs.find((run) => run.status === 'running');
        if (running && get().live?.runId !== running.id) void get().adoptRun(running.id);
        // Opened or reloaded mid-run: the Train page is where the run is, unless the user moved.
        if (running && !get().pageChosen && get().page === 'dataset') set({ page: 'train' });
        // A reconnect may have missed the live run's last status event.
        const live = get().live;
        const row = live && runs.find((run) => run.id === live.runId);
        if (live && row && row.status !== 'running' && isActive(live.status)) {
          set({ live: { ...live, status: row.status, message: row.message } });
        }
      } catch (error) {
        if (mine === listRequest) set({ runsError: errorMessage(error) });
      }
    },

    async selectRun(runId) {
      set({
        selectedRunId: runId,
        runDetailError: null,
        // A refusal shown for another run (or the Train page) does not belong to this one.
        trainError: null,
        ...(get().runDetail?.id === runId ? {} : { runDetail: null }),
      });
      if (runId === null) return;
      try {
        const detail = await deps.client.invoke('run-get', { runId });
        if (get().selectedRunId === runId) set({ runDetail: detail });
      } catch (error) {
        if (get().selectedRunId === runId) set({ runDetailError: errorMessage(error) });
      }
    },

    async updateRun(runId, name, notes) {
      await deps.client.invoke('run-update', { runId, name, notes });
      await get().refreshRuns();
    },

    async deleteRun(runId) {
      await deps.client.invoke('run-delete', { runId });
      await get().selectRun(null);
      await get().refreshRuns();
    },
  });
}

function patchRun(state: StudioState, runId: number, patch: (run: RunSummary) => RunSummary) {
  if (!state.runs?.some((run) => run.id === runId)) return {};
  return { runs: state.runs.map((run) => (run.id === runId ? patch(run) : run)) };
}

/** Keeps the live run's row current between list refreshes. */
export function applyRunStatus(state: StudioState, event: EventOf<'training-status'>) {
  const status =
    event.status === 'preparing' || event.status === 'stopping' ? 'running' : event.status;
  return patchRun(state, event.runId, (run) => ({
    ...run,
    status,
    message: event.message ?? run.message,
    backend: event.backend ?? run.backend,
  }));
}

export function applyRunEpoch(state: StudioState, event: EventOf<'training-epoch'>) {
  return patchRun(state, event.runId, (run) => {
    const better =
      event.valAcc !== null && (run.bestValAcc === null || event.valAcc > run.bestValAcc);
    return {
      ...run,
      epochsDone: event.epoch,
      seconds: run.seconds + event.seconds,
      ...(better ? { bestValAcc: event.valAcc, bestEpoch: event.epoch } : {}),
    };
  });
}
