import { useEffect, useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { usePicker } from '../components/use-picker.ts';
import { useClient, useStudio } from '../store/store.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { ImportProgressBar } from './import-progress.tsx';
import { ImportReportView } from './import-report.tsx';

export function parseTestFraction(text: string): number | null {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) && value > 0 && value < 1 ? value : null;
}

export function ImportDialog() {
  const titleId = useId();
  const job = useStudio((s) => s.importJob);
  const report = useStudio((s) => s.importReport);
  const error = useStudio((s) => s.importError);
  const close = useStudio((s) => s.closeImportDialog);
  const cancel = useStudio((s) => s.cancelImport);
  const resetImport = useStudio((s) => s.resetImport);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [close]);

  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <header className="dialog-head">
          <h2 id={titleId}>{job?.kind === 'sample' ? 'Sample dataset' : 'Import folder'}</h2>
          <button className="icon" onClick={close} disabled={job !== null} aria-label="Close">
            ×
          </button>
        </header>
        {report && !job ? (
          <div className="dialog-body">
            <ImportReportView report={report} />
            <div className="dialog-actions">
              <button onClick={resetImport}>Import another folder</button>
              <button className="primary" onClick={close}>
                Done
              </button>
            </div>
          </div>
        ) : (
          <ImportForm running={job !== null}>
            {job && (
              <>
                <ImportProgressBar progress={job.progress} cancelling={job.cancelling} />
                <div className="dialog-actions">
                  <button
                    type="button"
                    data-testid="import-cancel"
                    onClick={() => void cancel()}
                    disabled={job.cancelling}
                  >
                    Cancel import
                  </button>
                </div>
              </>
            )}
            {error && !job && (
              <ErrorMessage code={error.code} message={error.message} testId="import-error" />
            )}
          </ImportForm>
        )}
      </div>
    </div>
  );
}

/** Stays mounted while the import runs, so the path is still there after an error. */
function ImportForm(props: { running: boolean; children: ReactNode }) {
  const client = useClient();
  const canPick = useStudio((s) => s.appInfo?.canPickFolder ?? false);
  const browserMode = useStudio((s) => s.appInfo?.mode === 'browser');
  const startImport = useStudio((s) => s.startImport);
  const resetImport = useStudio((s) => s.resetImport);
  const [folder, changeFolder] = useState('');
  const [fractionText, changeFraction] = useState('0.2');
  // An error described the input before this change; it goes with the change.
  const setFolder = (next: string) => {
    resetImport();
    changeFolder(next);
  };
  const setFractionText = (next: string) => {
    resetImport();
    changeFraction(next);
  };
  const fraction = parseTestFraction(fractionText);
  const valid = folder.trim() !== '' && fraction !== null;

  const picker = usePicker(
    async () => (await client.invoke('dialog-pick-folder', {})).folder,
    setFolder,
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (valid && !props.running) void startImport(folder.trim(), fraction);
  }

  return (
    // Validation is ours: the browser's step check would reject fractions such as 0.33.
    <form className="dialog-body" onSubmit={submit} noValidate>
      <fieldset className="plain" disabled={props.running}>
        <label className="field">
          <span>Folder</span>
          <div className="field-row">
            <input
              data-testid="import-path"
              value={folder}
              onChange={(event) => setFolder(event.target.value)}
              placeholder="/data/fer2013"
              spellCheck={false}
              autoFocus
            />
            {canPick && (
              <button
                type="button"
                data-testid="import-browse"
                onClick={() => void picker.browse()}
              >
                Browse…
              </button>
            )}
          </div>
          <small className="muted">
            {browserMode ? 'The full path of a folder on the machine running FER Studio. ' : ''}
            Class folders (angry, disgust, …) directly, or under train/ and test/.
          </small>
        </label>
        <label className="field">
          <span>Test fraction</span>
          <input
            data-testid="import-test-fraction"
            type="number"
            inputMode="decimal"
            min={0.05}
            max={0.95}
            step={0.05}
            value={fractionText}
            onChange={(event) => setFractionText(event.target.value)}
            aria-invalid={fraction === null}
          />
          <small className={fraction === null ? 'invalid' : 'muted'}>
            {fraction === null
              ? 'Enter a number between 0 and 1.'
              : 'Used only when the folder has no train/ and test/ level.'}
          </small>
        </label>
      </fieldset>
      {picker.error && <ErrorMessage code="internal" message={picker.error} />}
      {props.children}
      {!props.running && (
        <div className="dialog-actions">
          <button type="submit" className="primary" data-testid="import-start" disabled={!valid}>
            Start import
          </button>
        </div>
      )}
    </form>
  );
}
