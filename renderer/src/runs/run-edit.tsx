import { useState } from 'react';
import type { RunSummary } from '../../../app/contract/index.ts';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { useStudio } from '../store/store.ts';

// The contract's limits (app/contract/runs.ts); the renderer imports contract types only.
const RUN_NAME_MAX = 80;
const RUN_NOTES_MAX = 5000;

type Failure = { code: ClientErrorCode; message: string } | null;

const failure = (error: unknown): Failure => ({
  code: errorCode(error),
  message: errorMessage(error),
});

/** "Run #4" or "Run #4 · baseline": every place a run is named uses the same words. */
export function runTitle(run: Pick<RunSummary, 'id' | 'name'>): string {
  return run.name ? `Run #${run.id} · ${run.name}` : `Run #${run.id}`;
}

/** Name and notes of a run, saved together; the runs list picks up the new name. */
export function RunNameNotes(props: { run: Pick<RunSummary, 'id' | 'name' | 'notes'> }) {
  const updateRun = useStudio((s) => s.updateRun);
  const [name, setName] = useState(props.run.name ?? '');
  const [notes, setNotes] = useState(props.run.notes ?? '');
  const [state, setState] = useState<'idle' | 'saving' | 'saved'>('idle');
  const [error, setError] = useState<Failure>(null);
  // The detail is loaded once; what was last saved is the baseline for "changed".
  const [saved, setSaved] = useState({ name: props.run.name ?? '', notes: props.run.notes ?? '' });
  const changed = name !== saved.name || notes !== saved.notes;

  const save = async () => {
    setState('saving');
    setError(null);
    try {
      await updateRun(props.run.id, name, notes);
      setName(name.trim());
      setSaved({ name: name.trim(), notes });
      setState('saved');
    } catch (e) {
      setState('idle');
      setError(failure(e));
    }
  };

  return (
    <form
      className="run-notes"
      aria-label="Name and notes"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label>
        Name
        <input
          type="text"
          data-testid="run-name"
          maxLength={RUN_NAME_MAX}
          placeholder={`Run #${props.run.id}`}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setState('idle');
          }}
        />
      </label>
      <label>
        Notes
        <textarea
          data-testid="run-notes"
          maxLength={RUN_NOTES_MAX}
          rows={3}
          placeholder="What you tried, what you saw"
          value={notes}
          onChange={(event) => {
            setNotes(event.target.value);
            setState('idle');
          }}
        />
      </label>
      <div className="row-actions">
        <button type="submit" data-testid="run-save" disabled={!changed || state === 'saving'}>
          {state === 'saving' ? 'Saving…' : 'Save'}
        </button>
        {state === 'saved' && !changed && (
          <span className="muted" data-testid="run-saved">
            Saved
          </span>
        )}
      </div>
      {error && <ErrorMessage code={error.code} message={error.message} testId="run-save-error" />}
    </form>
  );
}

/** Delete, behind a confirmation that says what goes: the run's rows, model and checkpoints. */
export function DeleteRun(props: { run: Pick<RunSummary, 'id' | 'name'>; training: boolean }) {
  const deleteRun = useStudio((s) => s.deleteRun);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Failure>(null);

  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteRun(props.run.id);
    } catch (e) {
      setBusy(false);
      setError(failure(e));
    }
  };

  if (!confirming)
    return (
      <button
        className="danger"
        data-testid="run-delete"
        disabled={props.training}
        title={props.training ? 'Stop the run before deleting it' : undefined}
        onClick={() => setConfirming(true)}
      >
        Delete…
      </button>
    );
  return (
    <div
      className="confirm"
      role="alertdialog"
      aria-label="Delete run"
      data-testid="run-delete-confirm"
    >
      <p>
        Delete {runTitle(props.run)}? Its model, checkpoints, curves and stored predictions go; this
        cannot be undone. Exports already written elsewhere stay.
      </p>
      <button
        className="danger"
        data-testid="run-delete-yes"
        disabled={busy}
        onClick={() => void remove()}
      >
        {busy ? 'Deleting…' : 'Delete run'}
      </button>
      <button data-testid="run-delete-no" disabled={busy} onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error && (
        <ErrorMessage code={error.code} message={error.message} testId="run-delete-error" />
      )}
    </div>
  );
}
