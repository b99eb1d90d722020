import type { StateCreator } from 'zustand';
import type { Label } from '../../../app/contract/index.ts';
import { CLASS_LIST } from '../classes.ts';
import { errorMessage } from '../client/index.ts';
import { formatCount, labelText } from '../format.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface LabelChange {
  imageId: number;
  label: Label;
}

export interface Toast {
  /** Changes on every toast, so a repeated message still restarts its timer. */
  id: number;
  text: string;
  error: boolean;
}

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

export interface LabelsSlice {
  toast: Toast | null;
  /** What the core's undo stack holds; null until known (the buttons then stay enabled). */
  undoState: UndoState | null;
  refreshUndoState(): Promise<void>;
  setLabels(changes: LabelChange[], source?: 'manual' | 'suggestion'): Promise<boolean>;
  undoLabels(): Promise<void>;
  redoLabels(): Promise<void>;
  showToast(text: string, error?: boolean): void;
  dismissToast(): void;
}

/** 1–7 pick a class in class order; x or 0 excludes; anything else is not a label key. */
export function labelForKey(key: string): Label | null {
  if (key === 'x' || key === 'X' || key === '0') return 'exclude';
  const index = Number(key) - 1;
  return /^[1-7]$/.test(key) ? (CLASS_LIST[index] ?? null) : null;
}

/** The label the UI currently shows for an image, wherever it is loaded. */
export function knownLabel(state: StudioState, imageId: number): Label | null {
  if (state.detail?.id === imageId) return state.detail.label;
  const index = state.list?.ids.indexOf(imageId) ?? -1;
  const fromList = index >= 0 ? state.list?.labels[index] : undefined;
  if (fromList) return fromList;
  return state.issueLabels[imageId] ?? null;
}

/** Shows the new labels at once; the `catalogue-changed` refresh that follows confirms them. */
function patchLabels(state: StudioState, changes: LabelChange[]): Partial<StudioState> {
  const byId = new Map(changes.map((change) => [change.imageId, change.label]));
  const patch: Partial<StudioState> = {};
  if (state.list && state.list.ids.some((id) => byId.has(id))) {
    const labels = state.list.ids.map(
      (id, i) => byId.get(id) ?? state.list?.labels[i] ?? 'exclude',
    );
    patch.list = { ...state.list, labels };
  }
  if (state.issues?.some((issue) => byId.has(issue.id))) {
    const issueLabels = { ...state.issueLabels };
    for (const issue of state.issues) {
      const label = byId.get(issue.id);
      if (label) issueLabels[issue.id] = label;
    }
    patch.issueLabels = issueLabels;
  }
  const detailLabel = state.detail ? byId.get(state.detail.id) : undefined;
  if (state.detail && detailLabel) patch.detail = { ...state.detail, label: detailLabel };
  return patch;
}

function describe(changes: { imageId: number; from: Label | null; to: Label }[]): string {
  const [only] = changes;
  if (changes.length === 1 && only) {
    const from = only.from ? `${labelText(only.from)} → ` : '';
    return `Image #${only.imageId}: ${from}${labelText(only.to)}`;
  }
  return `${changes.length} images relabelled`;
}

function withoutImages(
  added: Readonly<Record<string, number>>,
  changes: readonly { imageId: number }[],
): Record<string, number> {
  const ids = new Set(changes.map((c) => c.imageId));
  return Object.fromEntries(Object.entries(added).filter(([, id]) => !ids.has(id)));
}

/** "import #3 is out (120 images)": what an undo or redo did to an import. */
export function describeImport(step: {
  importId: number;
  images: number;
  removed: boolean;
}): string {
  const images = `${formatCount(step.images)} ${step.images === 1 ? 'image' : 'images'}`;
  return `import #${step.importId} ${step.removed ? 'is out' : 'is back'} (${images})`;
}

export function createLabelsSlice(deps: StoreDeps): StateCreator<StudioState, [], [], LabelsSlice> {
  let toastId = 0;
  return (set, get) => {
    const step = async (channel: 'labels-undo' | 'labels-redo') => {
      const undo = channel === 'labels-undo';
      const verb = undo ? 'Undid' : 'Redid';
      try {
        const { changes, imports = [] } = await deps.client.invoke(channel, {});
        if (imports.length > 0) {
          void get().refreshUndoState();
          return get().showToast(`${verb}: ${imports.map(describeImport).join('; ')}`);
        }
        if (changes.length === 0) return get().showToast(`Nothing to ${undo ? 'undo' : 'redo'}`);
        // The core reports what it applied: `to` is the label now, for undo and redo alike.
        const restored = changes.map((c) => ({ imageId: c.imageId, label: c.to }));
        set((state) => ({
          ...patchLabels(state, restored),
          // An undone added face is no longer "added as image #…".
          ...(undo ? { addedFaces: withoutImages(state.addedFaces, restored) } : {}),
        }));
        void get().refreshUndoState();
        const n = changes.length;
        get().showToast(`${verb} ${n} ${n === 1 ? 'change' : 'changes'}`);
      } catch (error) {
        get().showToast(`${verb} failed: ${errorMessage(error)}`, true);
      }
    };

    return {
      toast: null,
      undoState: null,

      async refreshUndoState() {
        try {
          set({ undoState: await deps.client.invoke('labels-undo-state', {}) });
        } catch {
          // Unknown: the buttons stay enabled and an empty undo says "Nothing to undo".
          set({ undoState: null });
        }
      },

      async setLabels(changes, source = 'manual') {
        if (changes.length === 0) return false;
        const state = get();
        const described = changes.map((c) => ({
          imageId: c.imageId,
          from: knownLabel(state, c.imageId),
          to: c.label,
        }));
        try {
          await deps.client.invoke('labels-set', { changes, source });
          // A bulk change is done with its multi-selection.
          set((current) => ({
            ...patchLabels(current, changes),
            ...(changes.length > 1 ? { marked: [] } : {}),
          }));
          get().showToast(describe(described));
          void get().refreshUndoState();
          return true;
        } catch (error) {
          get().showToast(`Could not relabel: ${errorMessage(error)}`, true);
          return false;
        }
      },

      undoLabels: () => step('labels-undo'),
      redoLabels: () => step('labels-redo'),

      showToast(text, error = false) {
        set({ toast: { id: ++toastId, text, error } });
      },

      dismissToast() {
        set({ toast: null });
      },
    };
  };
}
