import type { Label } from '../../../app/contract/index.ts';
import type { StudioState, StudioStore } from '../store/store.ts';

/** The image after the selected one in what the page browses: the confusion cell or the grid. */
export function nextImage(state: StudioState): number | null {
  const ids = (state.page === 'evaluate' ? state.cell?.ids : state.list?.ids) ?? [];
  const index = state.selectedId === null ? -1 : ids.indexOf(state.selectedId);
  return index >= 0 ? (ids[index + 1] ?? null) : null;
}

/** Relabels the selected image; with "next image after relabel" on, then selects the next one. */
export async function relabelSelected(store: StudioStore, label: Label): Promise<void> {
  const state = store.getState();
  const id = state.selectedId;
  if (id === null) return;
  // Taken before the relabel: a filtered grid drops the image once the new label lands.
  const next = state.advanceAfterRelabel ? nextImage(state) : null;
  const done = await state.setLabels([{ imageId: id, label }]);
  if (done && next !== null && store.getState().selectedId === id) store.getState().select(next);
}
