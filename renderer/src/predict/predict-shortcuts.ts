import { useEffect } from 'react';
import { CLASS_LIST } from '../classes.ts';
import type { StudioStore } from '../store/store.ts';

/** 1–7 add the selected face as that class; ←/→ move between faces across photos. */
export function handlePredictKey(store: StudioStore, event: KeyboardEvent): boolean {
  const target = event.target;
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return false;
  if (target instanceof HTMLElement && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName))
    return false;
  const state = store.getState();
  const faces = state.photos.flatMap((p) =>
    (p.result?.faces ?? []).map((_, face) => ({ photo: p.key, face })),
  );
  const at = faces.findIndex(
    (f) => f.photo === state.selectedFace?.photo && f.face === state.selectedFace.face,
  );
  if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    const next =
      faces[at < 0 ? 0 : (at + (event.key === 'ArrowRight' ? 1 : faces.length - 1)) % faces.length];
    if (next) state.selectFace(next);
    return next !== undefined;
  }
  const label = /^[1-7]$/.test(event.key) ? CLASS_LIST[Number(event.key) - 1] : undefined;
  if (!label || !state.selectedFace) return false;
  void state.addFaceToCatalogue(state.selectedFace, label);
  return true;
}

export function usePredictShortcuts(store: StudioStore): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (handlePredictKey(store, event)) event.preventDefault();
    };
    // Capture: the relabel shortcuts would read 1–7 as relabelling the Dataset page's selection.
    document.addEventListener('keydown', onKeyDown, { capture: true });
    return () => document.removeEventListener('keydown', onKeyDown, { capture: true });
  }, [store]);
}
