import { useEffect } from 'react';
import { labelForKey } from '../store/labels-slice.ts';
import { relabelSelected } from './relabel-advance.ts';
import type { StudioStore } from '../store/store.ts';
import { useStudioStore } from '../store/store.ts';

/** Inputs that take no typed text: a digit typed while one has focus is still a relabel. */
const KEYLESS_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range']);

/** Typing in a field keeps its own keys (a Ctrl+Z there undoes text, not labels). */
function isTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !KEYLESS_INPUTS.has(target.type);
  return target.isContentEditable || ['SELECT', 'TEXTAREA'].includes(target.tagName);
}

/** Returns true when the key was a relabel, undo or redo shortcut and was acted on. */
export function handleRelabelKey(store: StudioStore, event: KeyboardEvent): boolean {
  if (event.defaultPrevented || event.altKey || isTextField(event.target)) return false;
  const state = store.getState();
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (mod && ((key === 'z' && event.shiftKey) || key === 'y')) {
    void state.redoLabels();
    return true;
  }
  if (mod && key === 'z') {
    void state.undoLabels();
    return true;
  }
  if (mod) return false;
  const label = labelForKey(event.key);
  if (label === null) return false;
  // A multi-selection takes the key; otherwise the selected image does.
  if (state.marked.length > 0) {
    void state.setLabels(state.marked.map((imageId) => ({ imageId, label })));
    return true;
  }
  if (state.selectedId === null) return false;
  void relabelSelected(store, label);
  return true;
}

/** 1–7 / x relabel the selected image and Ctrl+Z / Ctrl+Shift+Z / Ctrl+Y undo and redo, while mounted. */
export function useRelabelShortcuts(): void {
  const store = useStudioStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (handleRelabelKey(store, event)) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [store]);
}
