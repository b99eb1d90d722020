import { useState } from 'react';
import type { ClassName } from '../../../app/contract/index.ts';
import { CLASS_LIST } from '../classes.ts';
import { formatPercent } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { UndoRedoButtons } from '../components/relabel-toast.tsx';
import { CropCanvas } from './crop-canvas.tsx';
import { ProbabilityBars } from '../components/probability-bars.tsx';

/** The selected face: its crop, the 7 probabilities and "Add to catalogue as …". */
export function FaceDetail() {
  const selected = useStudio((s) => s.selectedFace);
  const photo = useStudio((s) => s.photos.find((p) => p.key === s.selectedFace?.photo) ?? null);
  const added = useStudio((s) =>
    s.selectedFace ? s.addedFaces[`${s.selectedFace.photo}:${s.selectedFace.face}`] : undefined,
  );
  const addFace = useStudio((s) => s.addFaceToCatalogue);
  const trainCount = useStudio((s) =>
    s.stats ? Object.values(s.stats.classes).reduce((sum, c) => sum + c.train, 0) : null,
  );
  const face = selected ? photo?.result?.faces[selected.face] : undefined;
  const [label, setLabel] = useState<ClassName | null>(null);
  if (!selected || !photo || !face)
    return (
      <aside className="card face-detail muted" data-testid="face-detail">
        Click a face to see its probabilities and the crop the model saw.
      </aside>
    );
  const chosen = label ?? face.label;
  return (
    <aside className="card face-detail" data-testid="face-detail">
      <h3>
        Face {selected.face + 1} · {photo.file}
      </h3>
      <div className="face-detail-body">
        <CropCanvas crop={face.crop} />
        <ProbabilityBars probabilities={face.probabilities} testId="face-probabilities" />
      </div>
      <p className="muted">
        Box [{face.box.join(', ')}]
        {face.score === null ? ' · whole image' : ` · detector ${formatPercent(face.score, 0)}`}
      </p>
      <div className="toolbar">
        <label className="inline-field">
          <span>Add to catalogue as</span>
          <select
            value={chosen}
            onChange={(e) => setLabel(e.target.value as ClassName)}
            data-testid="add-face-label"
          >
            {CLASS_LIST.map((name, i) => (
              <option key={name} value={name}>
                {i + 1} · {name}
              </option>
            ))}
          </select>
        </label>
        <button
          className="primary"
          data-testid="add-face"
          onClick={() => void addFace(selected, chosen)}
        >
          Add to training set
        </button>
        {added !== undefined && (
          <span className="muted" data-testid="added-face">
            added as image #{added}
          </span>
        )}
        <UndoRedoButtons />
      </div>
      <p className="muted" data-testid="predict-train-count" data-count={trainCount ?? ''}>
        Training set: {trainCount ?? '…'} images
      </p>
      <p className="muted small">
        Keys: 1–7 add the selected face as that class · ←/→ next face · Ctrl+Z undo
      </p>
    </aside>
  );
}
