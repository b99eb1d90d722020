import { useState } from 'react';
import { useStudio } from '../store/store.ts';
import type { PredictPhoto } from '../store/predict-slice.ts';
import { runName } from '../runs/run-label.ts';
import { FaceBoxes } from './face-boxes.tsx';

/** Which run's model gave these faces their labels (the picker's default names no run). */
function PredictedBy(props: { runId: number }) {
  const run = useStudio((s) => s.runs?.find((r) => r.id === props.runId));
  return (
    <span className="muted" data-testid="photo-run">
      by {run ? runName(run) : `Run #${props.runId}`}
    </span>
  );
}

function PhotoCard(props: { photo: PredictPhoto }) {
  const { photo } = props;
  const selected = useStudio((s) =>
    s.selectedFace?.photo === photo.key ? s.selectedFace.face : null,
  );
  const selectFace = useStudio((s) => s.selectFace);
  const again = useStudio((s) => s.predictPhotoAgain);
  const remove = useStudio((s) => s.removePhoto);
  const result = photo.result;
  const [broken, setBroken] = useState(false);
  return (
    <li
      className="card photo-card"
      data-testid="photo-card"
      data-file={photo.file}
      data-status={photo.status}
    >
      <div className="photo-head">
        <strong>{photo.file}</strong>
        <span className="muted">
          {result
            ? `${result.width}×${result.height} · ${result.faces.length} face${result.faces.length === 1 ? '' : 's'}`
            : ''}
          {result && result.frames > 1 ? ' · first frame of an animation' : ''}
          {photo.status === 'predicting' ? 'Finding faces…' : ''}
        </span>
        {result && <PredictedBy runId={result.runId} />}
        <span className="spacer" />
        <button
          className="link"
          onClick={() => remove(photo.key)}
          aria-label={`Remove ${photo.file}`}
        >
          ✕
        </button>
      </div>
      {photo.error ? (
        <p className="invalid" role="alert" data-testid="photo-error">
          {photo.error}
        </p>
      ) : (
        <div className="photo-frame">
          {broken && result ? (
            // Chromium cannot show TIFF: a blank frame of the photo's shape still carries the boxes.
            <div
              className="photo-placeholder"
              style={{
                aspectRatio: `${result.width} / ${result.height}`,
                width: Math.min(result.width, 800),
              }}
            >
              No preview of {result.format.toUpperCase()} here; the faces are still listed.
            </div>
          ) : (
            <img src={photo.url} alt={photo.file} onError={() => setBroken(true)} />
          )}
          {result && (
            <FaceBoxes
              result={result}
              selected={selected}
              onSelect={(face) => selectFace({ photo: photo.key, face })}
              testId="photo-boxes"
            />
          )}
        </div>
      )}
      {result && result.faces.length === 0 && (
        <p data-testid="no-face">
          No face found.{' '}
          <button data-testid="use-whole-image" onClick={() => void again(photo.key, false)}>
            Use the whole image
          </button>
        </p>
      )}
    </li>
  );
}

export function PhotoList() {
  const photos = useStudio((s) => s.photos);
  if (photos.length === 0) return null;
  return (
    <ul className="photo-list" data-testid="photo-list">
      {photos.map((photo) => (
        <PhotoCard key={photo.key} photo={photo} />
      ))}
    </ul>
  );
}
