import type { StateCreator } from 'zustand';
import type { ImageDetail, ImageList, Label, Split, Stats } from '../../../app/contract/index.ts';
import { errorMessage } from '../client/index.ts';
import { syncIssueLabels } from './evaluation-slice.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface ListFilter {
  split: Split | 'all';
  label: Label | 'all';
}

export interface CatalogueSlice {
  stats: Stats | null;
  statsError: string | null;
  filter: ListFilter;
  /** The images matching `filter`, columnar as the contract sends them. */
  list: ImageList | null;
  listLoading: boolean;
  listError: string | null;
  detail: ImageDetail | null;
  detailError: string | null;
  refreshStats(): Promise<void>;
  /** keepPosition: a relabel moved the selected image out of the filter; select its successor. */
  refreshList(options?: { keepPosition?: boolean }): Promise<void>;
  setFilter(patch: Partial<ListFilter>): void;
  loadDetail(id: number): Promise<void>;
}

export const ALL_IMAGES: ListFilter = { split: 'all', label: 'all' };

export function isCatalogueEmpty(stats: Stats): boolean {
  return stats.total + stats.excluded === 0;
}

export function createCatalogueSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], CatalogueSlice> {
  // Only the newest list request may write, so a slow reply never overwrites a newer filter.
  let listRequest = 0;
  return (set, get) => ({
    stats: null,
    statsError: null,
    filter: ALL_IMAGES,
    list: null,
    listLoading: false,
    listError: null,
    detail: null,
    detailError: null,

    async refreshStats() {
      try {
        const stats = await deps.client.invoke('catalogue-stats', {});
        set({ stats, statsError: null });
      } catch (error) {
        set({ statsError: errorMessage(error) });
      }
    },

    async refreshList(options = {}) {
      const request = ++listRequest;
      const { split, label } = get().filter;
      set({ listLoading: true });
      try {
        const list = await deps.client.invoke('catalogue-list', {
          ...(split === 'all' ? {} : { split }),
          ...(label === 'all' ? {} : { label }),
        });
        if (request !== listRequest) return;
        const { selectedId, list: old } = get();
        const keepSelection = selectedId !== null && list.ids.includes(selectedId);
        const oldIndex = selectedId === null ? -1 : (old?.ids.indexOf(selectedId) ?? -1);
        const successor =
          options.keepPosition && !keepSelection && oldIndex >= 0
            ? list.ids[Math.min(oldIndex, list.ids.length - 1)]
            : undefined;
        set({
          list,
          ...syncIssueLabels(get(), list),
          listLoading: false,
          listError: null,
          ...(keepSelection || successor !== undefined
            ? {}
            : { selectedId: null, detailOpen: false }),
        });
        if (successor !== undefined) get().select(successor);
      } catch (error) {
        if (request !== listRequest) return;
        set({ listLoading: false, listError: errorMessage(error) });
      }
    },

    setFilter(patch) {
      const filter = { ...get().filter, ...patch };
      const current = get().filter;
      if (filter.split === current.split && filter.label === current.label) return;
      set({ filter, marked: [] });
      void get().refreshList();
    },

    async loadDetail(id) {
      set({ detailError: null, ...(get().detail?.id === id ? {} : { detail: null }) });
      try {
        const detail = await deps.client.invoke('catalogue-image', { id });
        if (get().selectedId === id) set({ detail });
      } catch (error) {
        if (get().selectedId === id) set({ detailError: errorMessage(error) });
      }
    },
  });
}
