import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../../app/contract/index.ts';
import { errorMessage } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export type Page = 'dataset' | 'train' | 'runs' | 'evaluate' | 'clean' | 'predict';

export interface UiSlice {
  appInfo: AppInfo | null;
  appError: string | null;
  /** False while the browser-mode socket is reconnecting. */
  connected: boolean;
  page: Page;
  /** True once the user picked a page; until then a live run may open the Train page. */
  pageChosen: boolean;
  importDialogOpen: boolean;
  selectedId: number | null;
  detailOpen: boolean;
  /** Images picked with Ctrl/Shift+click for bulk relabelling, in pick order. */
  marked: readonly number[];
  /** After relabelling the selected image, select the next one (the detail panel's option). */
  advanceAfterRelabel: boolean;
  setAdvanceAfterRelabel(on: boolean): void;
  loadAppInfo(): Promise<void>;
  setPage(page: Page): void;
  openImportDialog(): void;
  closeImportDialog(): void;
  select(id: number | null): void;
  openDetail(id: number): void;
  closeDetail(): void;
  /** Ctrl+click toggles one image; Shift+click marks the grid range from the selection. */
  markImage(id: number, mode: 'toggle' | 'range'): void;
  clearMarks(): void;
}

export function createUiSlice(deps: StoreDeps): StateCreator<StudioState, [], [], UiSlice> {
  return (set, get) => ({
    appInfo: null,
    appError: null,
    connected: true,
    page: 'dataset',
    pageChosen: false,
    importDialogOpen: false,
    selectedId: null,
    detailOpen: false,
    marked: [],
    advanceAfterRelabel: false,

    setAdvanceAfterRelabel(on) {
      set({ advanceAfterRelabel: on });
    },

    async loadAppInfo() {
      try {
        set({ appInfo: await deps.client.invoke('app-info', {}), appError: null });
      } catch (error) {
        set({ appError: errorMessage(error) });
      }
    },

    setPage(page) {
      // The detail panel belongs to the page it was opened on (its image, its browse order).
      set({ page, pageChosen: true, ...(page === get().page ? {} : { detailOpen: false }) });
    },

    openImportDialog() {
      get().resetImport();
      set({ importDialogOpen: true });
    },

    closeImportDialog() {
      if (get().importJob) return;
      set({ importDialogOpen: false });
    },

    select(id) {
      set({ selectedId: id });
      // An open detail panel follows the selection, so arrow keys browse details.
      if (id !== null && get().detailOpen) void get().loadDetail(id);
    },

    openDetail(id) {
      set({ selectedId: id, detailOpen: true });
      void get().loadDetail(id);
    },

    closeDetail() {
      set({ detailOpen: false });
    },

    markImage(id, mode) {
      const { marked, selectedId, list } = get();
      // The image selected before the first Ctrl/Shift+click belongs to the set too.
      const base = marked.length === 0 && selectedId !== null ? [selectedId] : [...marked];
      if (mode === 'toggle') {
        const next = base.includes(id) ? base.filter((m) => m !== id) : [...base, id];
        set({ marked: next });
        return get().select(id);
      }
      const ids = list?.ids ?? [];
      const from = ids.indexOf(selectedId ?? id);
      const to = ids.indexOf(id);
      if (from < 0 || to < 0) return;
      const range = ids.slice(Math.min(from, to), Math.max(from, to) + 1);
      set({ marked: [...new Set([...base, ...range])] });
      get().select(id);
    },

    clearMarks() {
      if (get().marked.length > 0) set({ marked: [] });
    },
  });
}
