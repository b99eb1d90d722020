import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import { useClient, useStudio } from '../store/store.ts';
import { useImageUrl } from '../client/project-images.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { CLASS_LIST, FER2013_CSV_LIST } from '../classes.ts';
import { ModelPathField } from './model-path-field.tsx';

type Preview = ResponseOf<'model-import-preview'>;
type Range = '' | '0,1' | '-1,1' | '0,255';

const ORDERS = {
  studio: { title: 'Studio order (alphabetical)', classes: [...CLASS_LIST] as string[] },
  csv: { title: 'FER-2013 CSV order', classes: [...FER2013_CSV_LIST] as string[] },
  custom: { title: 'Custom…', classes: [] as string[] },
} as const;
type Order = keyof typeof ORDERS;

/** The request both preview and import send; `classes` only when not the default order. */
export function importRequest(path: string, range: Range, order: Order, custom: string) {
  const request: { path: string; inputRange?: Exclude<Range, ''>; classes?: string[] } = {
    path: path.trim(),
  };
  if (range) request.inputRange = range;
  if (order === 'csv') request.classes = [...FER2013_CSV_LIST];
  if (order === 'custom')
    request.classes = custom
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
  return request;
}

/**
 * Runs page → "Import model…": a Keras or tfjs model on the machine running FER Studio. Import
 * stays disabled until a preview with the current settings has shown the model's predictions on
 * catalogue images, because a wrong range or class order only shows as bad accuracy.
 */
export function ImportModelDialog(props: { onClose: () => void }) {
  const titleId = useId();
  const client = useClient();
  const refreshRuns = useStudio((s) => s.refreshRuns);
  const selectRun = useStudio((s) => s.selectRun);
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [range, setRange] = useState<Range>('');
  const [order, setOrder] = useState<Order>('studio');
  const [custom, setCustom] = useState('');
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [progress, setProgress] = useState<{ fraction: number; stage: string } | null>(null);
  const [preview, setPreview] = useState<{ key: string; result: Preview } | null>(null);
  const [failure, setError] = useState<{
    code: ClientErrorCode;
    message: string;
    key: string;
  } | null>(null);
  const request = importRequest(path, range, order, custom);
  const key = JSON.stringify(request);
  // An error belongs to the settings it was about: changing them takes it away.
  const error = failure?.key === key ? failure : null;
  const previewed = preview?.key === key ? preview.result : null;
  const { onClose } = props;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && busy === null) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  async function run(kind: 'preview' | 'import') {
    setBusy(kind);
    setError(null);
    setProgress(null);
    const off = client.on('model-import-progress', (event) => {
      if (event.path === request.path) setProgress(event);
    });
    try {
      if (kind === 'preview') {
        setPreview({ key, result: await client.invoke('model-import-preview', request) });
      } else {
        const trimmed = name.trim();
        const { runId } = await client.invoke('model-import', {
          ...request,
          ...(trimmed ? { name: trimmed } : {}),
        });
        await refreshRuns();
        await selectRun(runId);
        onClose();
      }
    } catch (e) {
      setError({ code: errorCode(e), message: errorMessage(e), key });
    } finally {
      off();
      setBusy(null);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (busy !== null || request.path === '') return;
    void run(previewed ? 'import' : 'preview');
  }

  return (
    <div className="overlay">
      <div
        className="dialog import-model"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
      >
        <header className="dialog-head">
          <h2 id={titleId}>Import model</h2>
          <button className="icon" onClick={onClose} disabled={busy !== null} aria-label="Close">
            ×
          </button>
        </header>
        <form className="dialog-body" onSubmit={submit} noValidate>
          <fieldset className="plain" disabled={busy !== null}>
            <ModelPathField path={path} onChange={setPath} />
            <label className="field">
              <span>Input range</span>
              <select
                data-testid="import-model-range"
                value={range}
                onChange={(e) => setRange(e.target.value as Range)}
              >
                <option value="">
                  Automatic: [0, 1], or 0–255 if the model starts with Rescaling
                </option>
                <option value="0,1">[0, 1] (pixel / 255)</option>
                <option value="-1,1">[-1, 1] (pixel / 127.5 − 1)</option>
                <option value="0,255">0–255 (raw pixels)</option>
              </select>
            </label>
            <label className="field">
              <span>Class of each model output, in order</span>
              <select
                data-testid="import-model-order"
                value={order}
                onChange={(e) => setOrder(e.target.value as Order)}
              >
                {Object.entries(ORDERS).map(([id, o]) => (
                  <option key={id} value={id}>
                    {o.title}
                    {o.classes.length ? `: ${o.classes.join(', ')}` : ''}
                  </option>
                ))}
              </select>
            </label>
            {order === 'custom' && (
              <label className="field">
                <span>Classes, comma-separated (“-” ignores an output)</span>
                <input
                  data-testid="import-model-classes"
                  value={custom}
                  onChange={(e) => setCustom(e.target.value)}
                  placeholder={FER2013_CSV_LIST.join(',')}
                  spellCheck={false}
                />
              </label>
            )}
            <label className="field">
              <span>Name (optional)</span>
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                placeholder="file name"
              />
            </label>
          </fieldset>
          {busy && (
            <ProgressBar
              testId="import-model-progress"
              label={busy === 'preview' ? 'Loading the model and predicting' : 'Importing'}
              text={progress?.stage ?? (busy === 'preview' ? 'Loading the model…' : 'Importing…')}
              done={Math.round((progress?.fraction ?? 0) * 100)}
              total={progress ? 100 : 0}
            />
          )}
          {error && (
            <ErrorMessage code={error.code} message={error.message} testId="import-model-error" />
          )}
          {previewed && <PreviewView preview={previewed} />}
          <div className="dialog-actions">
            <button
              type="button"
              data-testid="import-model-preview"
              disabled={busy !== null || request.path === ''}
              onClick={() => void run('preview')}
            >
              Preview predictions
            </button>
            <button
              type="button"
              className="primary"
              data-testid="import-model-save"
              disabled={busy !== null || !previewed}
              title={previewed ? 'Save as a run' : 'Preview first, with these settings'}
              onClick={() => void run('import')}
            >
              Import as a run
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

function PreviewView(props: { preview: Preview }) {
  const { preview } = props;
  const imageUrl = useImageUrl();
  const right = preview.samples.filter((s) => s.predicted === s.label).length;
  return (
    <section className="import-preview" data-testid="import-model-facts" aria-label="Preview">
      <p>
        {preview.detail}: input {preview.inputShape.join('×')} in [{preview.range}],{' '}
        {preview.layers} layers, {preview.params.toLocaleString()} parameters.
      </p>
      {preview.notes.map((note) => (
        <p key={note} className="muted">
          {note}
        </p>
      ))}
      <p data-testid="import-model-accuracy">
        {right} of {preview.samples.length} catalogue images predicted as labelled.
      </p>
      <ul className="import-preview-grid">
        {preview.samples.map((s) => (
          <li
            key={s.imageId}
            className={s.predicted === s.label ? 'right' : 'wrong'}
            data-testid="import-model-sample"
          >
            <img
              src={imageUrl(s.imageId)}
              alt={`image ${s.imageId}, labelled ${s.label}`}
              width={48}
              height={48}
            />
            <span>{s.label}</span>
            <span className="muted">
              → {s.predicted} {Math.round(s.confidence * 100)} %
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
