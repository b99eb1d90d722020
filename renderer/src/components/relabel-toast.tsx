import { useEffect } from 'react';
import { useStudio } from '../store/store.ts';

const TOAST_MS = 3000;

export function RelabelToast() {
  const toast = useStudio((s) => s.toast);
  const dismiss = useStudio((s) => s.dismissToast);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(dismiss, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  if (!toast) return null;
  return (
    <div
      className={`toast${toast.error ? ' toast-error' : ''}`}
      role="status"
      data-testid="relabel-toast"
    >
      {toast.text}
    </div>
  );
}

export function UndoRedoButtons() {
  const undo = useStudio((s) => s.undoLabels);
  const redo = useStudio((s) => s.redoLabels);
  const canUndo = useStudio((s) => s.undoState?.canUndo ?? true);
  const canRedo = useStudio((s) => s.undoState?.canRedo ?? true);
  return (
    <div className="head-actions">
      <button
        data-testid="undo-button"
        title={canUndo ? 'Undo label change (Ctrl+Z)' : 'No label change to undo'}
        disabled={!canUndo}
        onClick={() => void undo()}
      >
        Undo
      </button>
      <button
        data-testid="redo-button"
        title={canRedo ? 'Redo label change (Ctrl+Shift+Z)' : 'No undone change to redo'}
        disabled={!canRedo}
        onClick={() => void redo()}
      >
        Redo
      </button>
    </div>
  );
}

export function ShortcutLegend() {
  return (
    <dl className="shortcut-legend" data-testid="shortcut-legend">
      <div>
        <dt>1–7</dt>
        <dd>angry · disgust · fear · happy · neutral · sad · surprise</dd>
      </div>
      <div>
        <dt>x / 0</dt>
        <dd>exclude</dd>
      </div>
      <div>
        <dt>← →</dt>
        <dd>previous / next image</dd>
      </div>
      <div>
        <dt>Ctrl+Z</dt>
        <dd>undo · Ctrl+Shift+Z / Ctrl+Y redo</dd>
      </div>
    </dl>
  );
}
