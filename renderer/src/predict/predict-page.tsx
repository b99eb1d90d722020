import { useEffect, useState } from 'react';
import { useStudio, useStudioStore } from '../store/store.ts';
import { toBase64 } from '../store/predict-slice.ts';
import { useRelabelShortcuts } from '../components/relabel-shortcuts.ts';
import { runOptionText } from '../runs/run-label.ts';
import { FaceDetail } from './face-detail.tsx';
import { PhotoList } from './photo-list.tsx';
import { usePredictShortcuts } from './predict-shortcuts.ts';
import { WebcamPanel } from './webcam-panel.tsx';
import './predict.css';

const ACCEPT = '.jpg,.jpeg,.png,.webp,.gif,.tif,.tiff,image/*';

function RunPicker() {
  const runs = useStudio((s) => s.runs);
  const runId = useStudio((s) => s.predictRunId);
  const setRun = useStudio((s) => s.setPredictRun);
  const refresh = useStudio((s) => s.refreshRuns);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const usable = (runs ?? []).filter((r) => r.hasModel);
  if (runs !== null && usable.length === 0)
    return (
      <p className="invalid" data-testid="predict-no-run">
        No run has a saved model yet: train one on the Train page, then come back.
      </p>
    );
  return (
    <label className="inline-field">
      <span>Run</span>
      <select
        value={runId ?? ''}
        data-testid="predict-run"
        onChange={(e) => setRun(e.target.value === '' ? null : Number(e.target.value))}
      >
        <option value="">Best trained run</option>
        {usable.map((r) => (
          <option key={r.id} value={r.id}>
            {runOptionText(r)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function PredictPage() {
  const store = useStudioStore();
  const addPhoto = useStudio((s) => s.addPhoto);
  const [tab, setTab] = useState<'photos' | 'webcam'>('photos');
  const [dragging, setDragging] = useState(false);
  useRelabelShortcuts();
  usePredictShortcuts(store);

  const open = (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      void file
        .arrayBuffer()
        .then((buffer) => addPhoto(file.name, file.type, toBase64(new Uint8Array(buffer))));
    }
  };

  return (
    <div className="page predict" data-testid="predict-page">
      <header className="page-head">
        <h1>Predict</h1>
        <p className="muted">
          Emotions on new photos and a live webcam: every face found, boxed and labelled.
        </p>
      </header>
      <div className="toolbar">
        <RunPicker />
        <span className="spacer" />
        <div role="tablist" className="tabs">
          <button
            role="tab"
            aria-selected={tab === 'photos'}
            data-testid="tab-photos"
            onClick={() => setTab('photos')}
          >
            Photos
          </button>
          <button
            role="tab"
            aria-selected={tab === 'webcam'}
            data-testid="tab-webcam"
            onClick={() => setTab('webcam')}
          >
            Webcam
          </button>
        </div>
      </div>
      <div className="predict-body">
        <div className="predict-main">
          {tab === 'webcam' && <WebcamPanel />}
          <label
            className={`drop-zone${dragging ? ' dragging' : ''}`}
            data-testid="photo-drop"
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              open(e.dataTransfer.files);
            }}
          >
            Drop photos here or <u>open photos</u> (JPEG, PNG, WebP, GIF, TIFF)
            <input
              type="file"
              accept={ACCEPT}
              multiple
              hidden
              data-testid="photo-input"
              onChange={(e) => {
                open(e.target.files);
                e.target.value = '';
              }}
            />
          </label>
          <PhotoList />
        </div>
        <FaceDetail />
      </div>
    </div>
  );
}
