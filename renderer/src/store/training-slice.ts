import type { StateCreator } from 'zustand';
import type { EventOf, TrainingOptions } from '../../../app/contract/index.ts';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import { draftFromConfig, parseDraft, withEpochs, withOptimizer } from '../train/train-form.ts';
import { selectTrainBlocker } from '../train/train-readiness.ts';
import type { NumberField } from '../train/number-fields.ts';
import type { DraftChoices, TrainDraft } from '../train/train-form.ts';
import {
  isActive,
  newLiveRun,
  withBatch,
  withBatchHistory,
  withDetail,
  withEpoch,
  withStatus,
} from './live-run.ts';
import type { LiveRun } from './live-run.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface TrainingFailure {
  code: ClientErrorCode;
  message: string;
}

export interface TrainingSlice {
  trainingOptions: TrainingOptions | null;
  trainingOptionsError: string | null;
  /** The form; null until the options (and so the defaults) arrive. */
  trainDraft: TrainDraft | null;
  trainStarting: boolean;
  /** A refused start, stop or resume. A run that fails while training reports through `live`. */
  trainError: TrainingFailure | null;
  live: LiveRun | null;
  loadTrainingOptions(): Promise<void>;
  setDraftText(field: NumberField, text: string): void;
  setDraftChoice(patch: Partial<DraftChoices>): void;
  resetDraft(): void;
  startTraining(): Promise<void>;
  stopTraining(): Promise<void>;
  /** Resolves true when the core accepted; a refusal lands in `trainError`. */
  resumeRun(runId: number): Promise<boolean>;
  /** Follow a run the core reports (started here, in another window or by the CLI). */
  adoptRun(runId: number, epochs?: number): Promise<void>;
}

export function createTrainingSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], TrainingSlice> {
  return (set, get) => {
    async function loadDetail(runId: number): Promise<void> {
      try {
        const detail = await deps.client.invoke('run-get', { runId });
        const live = get().live;
        if (live?.runId !== runId) return;
        // The locked form shows what this run trains with, not the defaults.
        const active = isActive(live.status) || detail.status === 'running';
        set({
          live: withDetail(live, detail),
          ...(active ? { trainDraft: draftFromConfig(detail.config) } : {}),
        });
      } catch {
        // The charts still fill from events; the total epoch count shows as "?" until then.
      }
    }

    /** The batch curve so far of a run this page did not see start (opened or reloaded mid-run). */
    async function loadBatches(runId: number): Promise<void> {
      try {
        const { run } = await deps.client.invoke('training-live', {});
        const live = get().live;
        if (run?.runId === runId && live?.runId === runId)
          set({ live: withBatchHistory(live, run.batches) });
      } catch {
        // Only the curve's past is missing; new batches still arrive as events.
      }
    }

    const fail = (error: unknown) =>
      set({ trainError: { code: errorCode(error), message: errorMessage(error) } });

    return {
      trainingOptions: null,
      trainingOptionsError: null,
      trainDraft: null,
      trainStarting: false,
      trainError: null,
      live: null,

      async loadTrainingOptions() {
        try {
          const options = await deps.client.invoke('training-options', {});
          set({
            trainingOptions: options,
            trainingOptionsError: null,
            trainDraft: get().trainDraft ?? draftFromConfig(options.defaults),
          });
          get().schedulePreview(0);
        } catch (error) {
          set({ trainingOptionsError: errorMessage(error) });
        }
      },

      setDraftText(field, text) {
        const draft = get().trainDraft;
        if (!draft) return;
        const rules = get().trainingOptions?.dependentDefaults;
        const next =
          field === 'epochs'
            ? withEpochs(draft, text, rules)
            : { ...draft, text: { ...draft.text, [field]: text } };
        set({ trainDraft: next });
        get().schedulePreview();
      },

      setDraftChoice(patch) {
        const draft = get().trainDraft;
        if (!draft) return;
        const rules = get().trainingOptions?.dependentDefaults;
        const { optimizer, ...rest } = patch;
        const switched = optimizer ? withOptimizer(draft, optimizer, rules) : draft;
        set({ trainDraft: { ...switched, ...rest } });
        if (patch.horizontalFlip !== undefined) get().schedulePreview();
      },

      resetDraft() {
        const options = get().trainingOptions;
        if (!options) return;
        set({ trainDraft: draftFromConfig(options.defaults) });
        get().schedulePreview();
      },

      async startTraining() {
        const { trainDraft, trainStarting, live } = get();
        if (!trainDraft || trainStarting || (live && isActive(live.status))) return;
        if (selectTrainBlocker(get()) !== null) return;
        const { config } = parseDraft(trainDraft);
        set({ trainStarting: true, trainError: null });
        try {
          const { runId } = await deps.client.invoke('training-start', { config });
          set({ trainStarting: false });
          await get().adoptRun(runId, config.epochs);
        } catch (error) {
          set({ trainStarting: false });
          fail(error);
        }
        void get().refreshRuns();
      },

      async stopTraining() {
        const live = get().live;
        if (!live || !isActive(live.status) || live.status === 'stopping') return;
        try {
          const { stopped } = await deps.client.invoke('training-stop', { runId: live.runId });
          const now = get().live;
          if (stopped && now?.runId === live.runId && isActive(now.status)) {
            set({ live: { ...now, status: 'stopping' } });
          }
        } catch (error) {
          fail(error);
        }
      },

      async resumeRun(runId) {
        set({ trainError: null });
        try {
          await deps.client.invoke('training-resume', { runId });
        } catch (error) {
          fail(error);
          return false;
        }
        // Epochs after the checkpoint are gone from the history: start the charts from the store,
        // keeping the batch curve up to the checkpoint (the replayed epoch draws the rest again).
        const live = get().live;
        const keep = live?.runId === runId && isActive(live.status) ? live.status : 'preparing';
        const checkpoint = get().runs?.find((run) => run.id === runId)?.epochsDone ?? 0;
        const batchPoints =
          live?.runId === runId ? live.batchPoints.filter((p) => p.x <= checkpoint) : [];
        set({
          live: {
            ...newLiveRun(runId, null),
            status: keep,
            backend: live?.backend ?? null,
            batchPoints,
            ...(batchPoints.length > 0 && live ? { ema: live.ema } : {}),
          },
        });
        // The core keeps the curve up to the checkpoint too: a page that never saw the run train gets it.
        await Promise.all([loadDetail(runId), loadBatches(runId)]);
        void get().refreshRuns();
        return true;
      },

      async adoptRun(runId, epochs) {
        const live = get().live;
        if (live?.runId !== runId) set({ live: newLiveRun(runId, epochs ?? null) });
        else if (live.epochs === null && epochs !== undefined) set({ live: { ...live, epochs } });
        if (epochs === undefined) await Promise.all([loadDetail(runId), loadBatches(runId)]);
      },
    };
  };
}

type StatusEvent = EventOf<'training-status'>;

/** Events for a run other than the live one start following that run. */
function liveFor(state: StudioState, runId: number): LiveRun {
  return state.live?.runId === runId ? state.live : newLiveRun(runId, null);
}

export function applyLiveStatus(state: StudioState, event: StatusEvent) {
  return { live: withStatus(liveFor(state, event.runId), event) };
}

export function applyLiveBatch(state: StudioState, event: EventOf<'training-batch'>) {
  return { live: withBatch(liveFor(state, event.runId), event) };
}

export function applyLiveEpoch(state: StudioState, event: EventOf<'training-epoch'>) {
  return { live: withEpoch(liveFor(state, event.runId), event) };
}
