import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../../app/contract/index.ts';
import { errorMessage } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export type Page = 'dataset' | 'train' | 'runs';

export interface UiSlice {
  appInfo: AppInfo | null;
  appError: string | null;
  /** False while the browser-mode socket is reconnecting. */
  connected: boolean;
  page: Page;
  importDialogOpen: boolean;
  selectedId: number | null;
  detailOpen: boolean;
  loadAppInfo(): Promise<void>;
  setPage(page: Page): void;
  openImportDialog(): void;
  closeImportDialog(): void;
  select(id: number | null): void;
  openDetail(id: number): void;
  closeDetail(): void;
}

export function createUiSlice(deps: StoreDeps): StateCreator<StudioState, [], [], UiSlice> {
  return (set, get) => ({
    appInfo: null,
    appError: null,
    connected: true,
    page: 'dataset',
    importDialogOpen: false,
    selectedId: null,
    detailOpen: false,

    async loadAppInfo() {
      try {
        set({ appInfo: await deps.client.invoke('app-info', {}), appError: null });
      } catch (error) {
        set({ appError: errorMessage(error) });
      }
    },

    setPage(page) {
      set({ page });
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
  });
}
