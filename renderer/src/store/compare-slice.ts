import type { StateCreator } from 'zustand';
import type { ClassName, Evaluation, RunDetail } from '../../../app/contract/index.ts';
import { errorCode, errorMessage } from '../client/index.ts';
import type { EvalError } from './evaluation-slice.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface CompareSide {
  runId: number;
  detail: RunDetail | null;
  evaluation: Evaluation | null;
  error: EvalError | null;
}

export interface CompareSlice {
  /** Runs ticked on the Runs page, in tick order. */
  compareIds: number[];
  /** A is the older run (lower id), B the newer one, so deltas read "B − A" as "what changed". */
  compare: { a: CompareSide; b: CompareSide } | null;
  toggleCompare(runId: number): void;
  startCompare(): Promise<void>;
  closeCompare(): void;
}

const side = (runId: number): CompareSide => ({
  runId,
  detail: null,
  evaluation: null,
  error: null,
});

export function createCompareSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], CompareSlice> {
  // A newer Compare (or Close) makes the answers of an older one stale.
  let request = 0;
  return (set, get) => ({
    compareIds: [],
    compare: null,

    toggleCompare(runId) {
      const ids = get().compareIds;
      set({
        compareIds: ids.includes(runId) ? ids.filter((id) => id !== runId) : [...ids, runId],
      });
    },

    async startCompare() {
      const ids = get().compareIds;
      if (ids.length !== 2) return;
      const [aId, bId] = [...ids].sort((x, y) => x - y) as [number, number];
      const mine = ++request;
      set({ compare: { a: side(aId), b: side(bId) } });
      const load = async (key: 'a' | 'b', runId: number) => {
        const patch = (value: Partial<CompareSide>) => {
          const current = get().compare;
          if (mine !== request || !current) return;
          set({ compare: { ...current, [key]: { ...current[key], ...value } } });
        };
        try {
          const [detail, evaluation] = await Promise.all([
            deps.client.invoke('run-get', { runId }),
            deps.client.invoke('evaluation-run', { runId, split: 'test' }),
          ]);
          patch({ detail, evaluation });
        } catch (error) {
          patch({ error: { code: errorCode(error), message: errorMessage(error) } });
        }
      };
      await Promise.all([load('a', aId), load('b', bId)]);
      // The core stored the test evaluations: the Runs table's test accuracies changed.
      if (mine === request) void get().refreshRuns();
    },

    closeCompare() {
      request += 1;
      set({ compare: null });
    },
  });
}

export interface CompareRow {
  /** A class name, or `accuracy` for the overall row. */
  name: ClassName | 'accuracy';
  a: number;
  b: number;
  delta: number;
}

/** Overall accuracy first, then per-class F1 in class order; delta is B − A. */
export function compareRows(a: Evaluation, b: Evaluation): CompareRow[] {
  const rows: CompareRow[] = [
    { name: 'accuracy', a: a.accuracy, b: b.accuracy, delta: b.accuracy - a.accuracy },
  ];
  for (const name of a.labels) {
    const fa = a.perClass[name].f1;
    const fb = b.perClass[name].f1;
    rows.push({ name, a: fa, b: fb, delta: fb - fa });
  }
  return rows;
}

/** B − A cell by cell, in A's label order (B is re-indexed by name in case its order differs). */
export function confusionDelta(a: Evaluation, b: Evaluation): number[][] {
  const bIndex = (name: ClassName) => {
    const index = b.labels.indexOf(name);
    if (index < 0) throw new Error(`run #${b.runId} has no class "${name}"`);
    return index;
  };
  return a.labels.map((trueLabel, row) =>
    a.labels.map((predicted, col) => {
      const countB = b.confusion[bIndex(trueLabel)]?.[bIndex(predicted)] ?? 0;
      return countB - (a.confusion[row]?.[col] ?? 0);
    }),
  );
}
