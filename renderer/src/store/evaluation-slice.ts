import type { StateCreator } from 'zustand';
import { secondsLeft } from '../components/issue-search.ts';
import type {
  ClassName,
  EventOf,
  Evaluation,
  ImageList,
  Label,
  LabelIssue,
  ResponseOf,
} from '../../../app/contract/index.ts';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export type EvalSplit = 'test' | 'val';

export interface EvalError {
  code: ClientErrorCode;
  message: string;
}

export interface ConfusionCell {
  runId: number;
  trueLabel: ClassName;
  predicted: ClassName;
  /** performance.now() at the click, so the grid can report click → images time. */
  clickedAt: number;
  ids: number[] | null;
  confidences: number[];
  error: string | null;
}

export type IssuesPlan = ResponseOf<'label-issues-plan'> & { runId: number };

export interface EvaluationSlice {
  /** The run the Evaluate page (and the detail's probability bars) look at; null = newest usable. */
  evalRunId: number | null;
  evalSplit: EvalSplit;
  evaluation: Evaluation | null;
  /** Also score with test-time flip (mean of each image's and its mirror's prediction). */
  evalFlip: boolean;
  /** The flip figures of the same run and split, shown beside `evaluation`, never merged into it. */
  flipEvaluation: Evaluation | null;
  evaluating: boolean;
  evalProgress: EventOf<'evaluation-progress'> | null;
  evalError: EvalError | null;
  cell: ConfusionCell | null;
  issues: LabelIssue[] | null;
  /** The catalogue's label of each listed issue now; relabels, undo and redo keep it current. */
  issueLabels: Readonly<Record<number, Label>>;
  issuesRunning: boolean;
  /** The run whose models produced `issues` (the selection may have moved on since). */
  issuesRunId: number | null;
  /** performance.now() when the search started, for the time left. */
  issuesStartedAt: number | null;
  issuesCancelled: boolean;
  /** Seconds left while the folds train, from the progress so far; null before the first step. */
  issuesTimeLeft: number | null;
  /** What a search on the current run will cost, asked before the click. */
  issuesPlan: IssuesPlan | null;
  issuesError: EvalError | null;
  issueIndex: number;
  setEvalRun(runId: number | null): void;
  setEvalSplit(split: EvalSplit): void;
  runEvaluation(): Promise<void>;
  /** Shows the figures already stored for the current run and split (Compare, the CLI), if any. */
  loadStoredEvaluation(): Promise<void>;
  setEvalFlip(on: boolean): void;
  openCell(trueLabel: ClassName, predicted: ClassName): Promise<void>;
  findIssues(limit?: number): Promise<void>;
  cancelIssues(): Promise<void>;
  loadIssuesPlan(): Promise<void>;
  setIssueIndex(index: number): void;
}

/** Newest finished run with a saved model, else the newest with any model. */
export function defaultEvalRun(state: StudioState): number | null {
  const runs = state.runs ?? [];
  const usable =
    runs.find((r) => r.hasModel && r.status === 'finished') ?? runs.find((r) => r.hasModel);
  return usable?.id ?? null;
}

export function currentEvalRun(state: StudioState): number | null {
  return state.evalRunId ?? defaultEvalRun(state);
}

/** An imported model (or a run trained without a validation split) has no validation images. */
export function hasValidation(state: StudioState, runId: number | null): boolean {
  const run = state.runs?.find((r) => r.id === runId);
  return run ? !run.imported && run.valImages > 0 : true;
}

const toEvalError = (error: unknown): EvalError => ({
  code: errorCode(error),
  message: errorMessage(error),
});

export function createEvaluationSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], EvaluationSlice> {
  // Only the newest request of each kind may write its answer.
  let evalRequest = 0;
  let cellRequest = 0;
  return (set, get) => ({
    evalRunId: null,
    evalSplit: 'test',
    evaluation: null,
    evalFlip: false,
    flipEvaluation: null,
    evaluating: false,
    evalProgress: null,
    evalError: null,
    cell: null,
    issues: null,
    issueLabels: {},
    issuesRunning: false,
    issuesRunId: null,
    issuesStartedAt: null,
    issuesCancelled: false,
    issuesTimeLeft: null,
    issuesPlan: null,
    issuesError: null,
    issueIndex: 0,

    setEvalRun(runId) {
      if (runId === get().evalRunId) return;
      evalRequest += 1;
      set({
        evalRunId: runId,
        ...(hasValidation(get(), runId) ? {} : { evalSplit: 'test' as const }),
        evaluation: null,
        flipEvaluation: null,
        evalError: null,
        cell: null,
        issues: null,
        issueLabels: {},
        evaluating: false,
      });
    },

    setEvalSplit(split) {
      if (split === get().evalSplit) return;
      evalRequest += 1;
      set({
        evalSplit: split,
        evaluation: null,
        flipEvaluation: null,
        evalError: null,
        cell: null,
        evaluating: false,
      });
    },

    async runEvaluation() {
      const runId = currentEvalRun(get());
      if (runId === null) return;
      const mine = ++evalRequest;
      const split = get().evalSplit;
      set({
        // Pinned from now on: a newer run finishing must not slide the page onto another run.
        evalRunId: runId,
        evaluating: true,
        evalError: null,
        evalProgress: null,
        cell: null,
        flipEvaluation: null,
      });
      try {
        const evaluation = await deps.client.invoke('evaluation-run', { runId, split });
        // A test evaluation is stored as the run's test accuracy (the Runs table shows it).
        if (split === 'test') void get().refreshRuns();
        if (mine !== evalRequest) return;
        if (!get().evalFlip) {
          set({ evaluation, evaluating: false });
          return;
        }
        set({ evaluation });
        const flipEvaluation = await deps.client.invoke('evaluation-run', {
          runId,
          split,
          tta: 'flip',
        });
        if (mine === evalRequest) set({ flipEvaluation, evaluating: false });
      } catch (error) {
        if (mine === evalRequest) set({ evalError: toEvalError(error), evaluating: false });
      }
    },

    async loadStoredEvaluation() {
      const runId = currentEvalRun(get());
      if (runId === null || get().evaluation || get().evaluating) return;
      const mine = evalRequest;
      const split = get().evalSplit;
      try {
        const { evaluation } = await deps.client.invoke('evaluation-stored', { runId, split });
        // Only if nothing moved meanwhile (another run, split or an Evaluate press).
        if (evaluation && mine === evalRequest && currentEvalRun(get()) === runId)
          set({ evaluation });
      } catch {
        // Nothing stored to show: Evaluate computes it.
      }
    },

    setEvalFlip(on) {
      set({ evalFlip: on, flipEvaluation: on ? get().flipEvaluation : null });
      // Turned on after a plain evaluation: score the flip figures of the same run and split.
      if (on && get().evaluation && !get().evaluating) void get().runEvaluation();
    },

    async openCell(trueLabel, predicted) {
      const evaluation = get().evaluation;
      if (!evaluation) return;
      const mine = ++cellRequest;
      const { runId, split } = evaluation;
      const clickedAt = performance.now();
      set({
        cell: { runId, trueLabel, predicted, clickedAt, ids: null, confidences: [], error: null },
        // The open image belonged to the previous cell.
        detailOpen: false,
      });
      try {
        const answer = await deps.client.invoke('evaluation-cell', {
          runId,
          split,
          trueLabel,
          predicted,
        });
        const cell = get().cell;
        if (mine === cellRequest && cell) set({ cell: { ...cell, ...answer } });
      } catch (error) {
        const cell = get().cell;
        if (mine === cellRequest && cell) set({ cell: { ...cell, error: errorMessage(error) } });
      }
    },

    async findIssues(limit = 200) {
      const runId = currentEvalRun(get());
      if (runId === null || get().issuesRunning) return;
      set({
        evalRunId: runId,
        issuesRunning: true,
        issuesError: null,
        issuesCancelled: false,
        evalProgress: null,
        issuesStartedAt: performance.now(),
        issuesTimeLeft: null,
      });
      try {
        const { issues } = await deps.client.invoke('label-issues', { runId, limit });
        const issueLabels = Object.fromEntries(issues.map((issue) => [issue.id, issue.label]));
        set({ issues, issueLabels, issuesRunId: runId, issueIndex: 0, issuesRunning: false });
        // The cross-validation is stored now: a second search costs seconds.
        void get().loadIssuesPlan();
      } catch (error) {
        const cancelled = errorCode(error) === 'cancelled';
        set({
          issuesError: cancelled ? null : toEvalError(error),
          issuesCancelled: cancelled,
          issuesRunning: false,
        });
        // Finished folds were stored: the estimate now covers only the rest.
        if (cancelled) void get().loadIssuesPlan();
      }
    },

    async cancelIssues() {
      const runId = currentEvalRun(get());
      if (runId === null || !get().issuesRunning) return;
      try {
        await deps.client.invoke('label-issues-cancel', { runId });
      } catch (error) {
        set({ issuesError: toEvalError(error) });
      }
    },

    async loadIssuesPlan() {
      const runId = currentEvalRun(get());
      if (runId === null) return set({ issuesPlan: null });
      try {
        const plan = await deps.client.invoke('label-issues-plan', { runId });
        if (currentEvalRun(get()) === runId) set({ issuesPlan: { ...plan, runId } });
      } catch {
        // Without a plan the button still works; only the estimate is missing.
        if (currentEvalRun(get()) === runId) set({ issuesPlan: null });
      }
    },

    setIssueIndex(index) {
      const count = get().issues?.length ?? 0;
      set({ issueIndex: Math.max(0, Math.min(count - 1, index)) });
    },
  });
}

/** A progress event; while folds train for label issues it also updates the time left. */
export function applyEvalProgress(
  state: StudioState,
  progress: EventOf<'evaluation-progress'>,
): Partial<StudioState> {
  const left = state.issuesRunning ? secondsLeft(state.issuesStartedAt, progress) : null;
  return left === null
    ? { evalProgress: progress }
    : { evalProgress: progress, issuesTimeLeft: left };
}

/** A fresh image list is the catalogue's word: issue rows it covers take its labels. */
export function syncIssueLabels(state: StudioState, list: ImageList): Partial<StudioState> {
  if (!state.issues || state.issues.length === 0) return {};
  const at = new Map(list.ids.map((id, i) => [id, i]));
  let changed = false;
  const issueLabels = { ...state.issueLabels };
  for (const issue of state.issues) {
    const i = at.get(issue.id);
    const label = i === undefined ? undefined : list.labels[i];
    if (label !== undefined && issueLabels[issue.id] !== label) {
      issueLabels[issue.id] = label;
      changed = true;
    }
  }
  return changed ? { issueLabels } : {};
}
