import type { StateCreator } from 'zustand';
import type {
  Label,
  LabelIssue,
  LabelReadingName,
  ResponseOf,
} from '../../../app/contract/index.ts';
import { errorCode, errorMessage, type ClientErrorCode } from '../client/index.ts';
import { nearChance } from '../clean/clean-model.ts';
import { describeImport } from './labels-slice.ts';
import type { StoreDeps, StudioState } from './store.ts';

/** What Ctrl+Z takes back on the Clean page: a label edit (the core's undo) or a keep. */
type CleanStep = { kind: 'labels' } | { kind: 'keep'; ids: number[] };

export interface CleaningSlice {
  cleanRunId: number | null;
  /** The run's doubtful labels, most doubtful first, as they were when loaded. */
  cleanIssues: LabelIssue[] | null;
  /** The label each loaded issue carries now (decisions, undo and redo keep it current). */
  cleanLabels: Readonly<Record<number, Label>>;
  /** Issues kept as labelled for this run. */
  cleanKept: Readonly<Record<number, true>>;
  /** Issues whose label changed elsewhere after loading (a decision on them was skipped). */
  cleanGone: Readonly<Record<number, true>>;
  /** Relabelled since the run before this page loaded (reviewed, not in `cleanIssues`). */
  cleanBaseReviewed: number;
  cleanTotal: number;
  cleanLoading: boolean;
  /** When the current search started (performance.now()), for the time left. */
  cleanStartedAt: number | null;
  /** The last search was cancelled (finished folds are kept by the core). */
  cleanCancelled: boolean;
  /** What a search of the selected run will cost, before the click. */
  cleanPlan: (ResponseOf<'label-issues-plan'> & { runId: number }) | null;
  cleanError: { code: ClientErrorCode; message: string } | null;
  /** The run's test accuracy and the share of its commonest class; null until known. */
  cleanAccuracy: { accuracy: number; chance: number; near: boolean } | null;
  cleanMinDoubt: number;
  cleanGroup: string | null;
  cleanFocus: number | null;
  cleanNotice: string | null;
  cleanSteps: readonly CleanStep[];
  /** The user's choice of how labels are judged; null = the studio's default for the run. */
  cleanReading: LabelReadingName | null;
  /** The reading the loaded ranking used (as people read FER-2013's labels, or the model alone). */
  cleanReadingUsed: LabelReadingName;
  loadClean(runId: number): Promise<void>;
  loadCleanPlan(runId: number): Promise<void>;
  /** Ends the running k-fold search of the run being loaded. */
  cancelClean(): Promise<void>;
  /** Changes the reading and ranks the loaded run again with it. */
  setCleanReading(reading: LabelReadingName): Promise<void>;
  setCleanGroup(key: string): void;
  setCleanMinDoubt(value: number): void;
  setCleanFocus(id: number | null): void;
  /** Relabels (accepting when `label` is the suggestion) as one undoable edit. */
  cleanRelabel(ids: readonly number[], label: Label | 'suggested'): Promise<void>;
  cleanKeep(ids: readonly number[]): Promise<void>;
  cleanUndo(): Promise<void>;
}

/** Still a question: its label is the one the ranking doubted and the user has not kept it. */
export function isOpen(
  state: Pick<StudioState, 'cleanLabels' | 'cleanKept' | 'cleanGone'>,
  issue: LabelIssue,
): boolean {
  return (
    !state.cleanKept[issue.id] &&
    !state.cleanGone[issue.id] &&
    (state.cleanLabels[issue.id] ?? issue.label) === issue.label
  );
}

/** What accepting an issue sets: its suggestion, `exclude`, or nothing when it needs a look. */
export function advice(issue: LabelIssue): Label | null {
  if (issue.action === 'relabel') return issue.suggested;
  return issue.action === 'exclude' ? 'exclude' : null;
}

export function cleanReviewed(state: StudioState): number {
  const decided = (state.cleanIssues ?? []).filter((issue) => !isOpen(state, issue)).length;
  return state.cleanBaseReviewed + decided;
}

export function createCleaningSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], CleaningSlice> {
  return (set, get) => ({
    cleanRunId: null,
    cleanIssues: null,
    cleanLabels: {},
    cleanKept: {},
    cleanGone: {},
    cleanBaseReviewed: 0,
    cleanTotal: 0,
    cleanLoading: false,
    cleanStartedAt: null,
    cleanCancelled: false,
    cleanPlan: null,
    cleanError: null,
    cleanAccuracy: null,
    cleanMinDoubt: 0,
    cleanGroup: null,
    cleanFocus: null,
    cleanNotice: null,
    cleanSteps: [],
    cleanReading: null,
    cleanReadingUsed: 'people',

    async setCleanReading(reading) {
      set({ cleanReading: reading });
      const runId = get().cleanRunId;
      if (runId !== null && get().cleanIssues !== null) await get().loadClean(runId);
    },

    async loadClean(runId) {
      set({
        cleanRunId: runId,
        cleanLoading: true,
        cleanError: null,
        cleanIssues: null,
        cleanCancelled: false,
        cleanStartedAt: performance.now(),
      });
      try {
        const reading = get().cleanReading;
        const reply = await deps.client.invoke('label-issues', {
          runId,
          limit: 50_000,
          ...(reading ? { reading } : {}),
        });
        const issues = reply.issues;
        const status = await deps.client.invoke('cleaning-status', { runId });
        const evaluation = await deps.client.invoke('evaluation-run', { runId, split: 'test' });
        if (get().cleanRunId !== runId || get().cleanReading !== reading) return;
        const { chance, near } = nearChance(evaluation);
        set({
          cleanIssues: issues,
          cleanReadingUsed: reply.reading ?? reading ?? 'people',
          cleanLabels: {},
          cleanGone: {},
          cleanKept: Object.fromEntries(status.kept.map((id) => [id, true] as const)),
          cleanBaseReviewed: status.reviewed - status.kept.length,
          cleanTotal: status.total,
          cleanAccuracy: { accuracy: evaluation.accuracy, chance, near },
          cleanGroup: null,
          cleanFocus: null,
          cleanSteps: [],
          cleanNotice: null,
        });
      } catch (error) {
        if (get().cleanRunId !== runId) return;
        if (errorCode(error) === 'cancelled') {
          set({ cleanCancelled: true });
          void get().loadCleanPlan(runId);
        } else set({ cleanError: { code: errorCode(error), message: errorMessage(error) } });
      } finally {
        if (get().cleanRunId === runId) set({ cleanLoading: false });
      }
    },

    async loadCleanPlan(runId) {
      try {
        const plan = await deps.client.invoke('label-issues-plan', { runId });
        if ((get().cleanRunId ?? runId) === runId) set({ cleanPlan: { ...plan, runId } });
      } catch {
        // Without a plan the button still works; only the estimate is missing.
        set({ cleanPlan: null });
      }
    },

    async cancelClean() {
      const runId = get().cleanRunId;
      if (runId === null || !get().cleanLoading) return;
      try {
        await deps.client.invoke('label-issues-cancel', { runId });
      } catch (error) {
        set({ cleanError: { code: errorCode(error), message: errorMessage(error) } });
      }
    },

    setCleanGroup(key) {
      set({ cleanGroup: key, cleanFocus: null });
    },
    setCleanMinDoubt(value) {
      set({ cleanMinDoubt: value });
    },
    setCleanFocus(id) {
      set({ cleanFocus: id });
    },

    async cleanRelabel(ids, label) {
      const state = get();
      const runId = state.cleanRunId;
      const byId = new Map((state.cleanIssues ?? []).map((issue) => [issue.id, issue]));
      const changes = ids.flatMap((id) => {
        const issue = byId.get(id);
        if (!issue || runId === null || !isOpen(state, issue)) return [];
        const to = label === 'suggested' ? advice(issue) : label;
        if (to === null) return [];
        const provenance = { runId, suggested: issue.suggested, doubt: issue.doubt };
        return [{ imageId: id, label: to, expected: issue.label, provenance }];
      });
      if (changes.length === 0) return;
      const accepted = label === 'suggested';
      try {
        const reply = await deps.client.invoke('labels-set', {
          changes,
          source: accepted ? 'suggestion' : 'manual',
        });
        const skipped = new Set(reply.skippedIds);
        set((s) => ({
          cleanLabels: {
            ...s.cleanLabels,
            ...Object.fromEntries(
              changes.filter((c) => !skipped.has(c.imageId)).map((c) => [c.imageId, c.label]),
            ),
          },
          // Their label moved on elsewhere: no longer the question the ranking asked.
          cleanGone: {
            ...s.cleanGone,
            ...Object.fromEntries(reply.skippedIds.map((id) => [id, true])),
          },
          cleanSteps: reply.changed > 0 ? [...s.cleanSteps, { kind: 'labels' }] : s.cleanSteps,
          cleanNotice:
            reply.skipped > 0
              ? `${reply.skipped} skipped because their label changed meanwhile`
              : null,
        }));
        const n = reply.changed;
        get().showToast(`${n} ${n === 1 ? 'image' : 'images'} relabelled`);
        void get().refreshUndoState();
      } catch (error) {
        get().showToast(`Could not relabel: ${errorMessage(error)}`, true);
      }
    },

    async cleanKeep(ids) {
      const runId = get().cleanRunId;
      if (runId === null || ids.length === 0) return;
      try {
        await deps.client.invoke('cleaning-keep', { runId, imageIds: [...ids], keep: true });
        set((s) => ({
          cleanKept: { ...s.cleanKept, ...Object.fromEntries(ids.map((id) => [id, true])) },
          cleanSteps: [...s.cleanSteps, { kind: 'keep', ids: [...ids] }],
        }));
      } catch (error) {
        get().showToast(`Could not keep: ${errorMessage(error)}`, true);
      }
    },

    async cleanUndo() {
      const { cleanSteps, cleanRunId } = get();
      const last = cleanSteps.at(-1);
      try {
        if (last?.kind === 'keep' && cleanRunId !== null) {
          await deps.client.invoke('cleaning-keep', {
            runId: cleanRunId,
            imageIds: last.ids,
            keep: false,
          });
          set((s) => {
            const kept = { ...s.cleanKept };
            for (const id of last.ids) delete kept[id];
            return { cleanKept: kept, cleanSteps: s.cleanSteps.slice(0, -1) };
          });
          return get().showToast(`Undid keeping ${last.ids.length}`);
        }
        const { changes, imports = [] } = await deps.client.invoke('labels-undo', {});
        set((s) => ({
          cleanLabels: {
            ...s.cleanLabels,
            ...Object.fromEntries(changes.map((c) => [c.imageId, c.to])),
          },
          cleanSteps: last ? s.cleanSteps.slice(0, -1) : s.cleanSteps,
        }));
        void get().refreshUndoState();
        // The shared undo stack may also hold an import removal or a face added from Predict.
        if (imports.length > 0)
          return get().showToast(`Undid: ${imports.map(describeImport).join('; ')}`);
        const n = changes.length;
        get().showToast(
          n === 0 ? 'Nothing to undo' : `Undid ${n} ${n === 1 ? 'change' : 'changes'}`,
        );
      } catch (error) {
        get().showToast(`Undo failed: ${errorMessage(error)}`, true);
      }
    },
  });
}
