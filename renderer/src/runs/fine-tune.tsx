import { useState } from 'react';
import type { FormEvent } from 'react';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import { isActive } from '../store/live-run.ts';
import { useClient, useStudio } from '../store/store.ts';
import { ErrorMessage } from '../components/error-message.tsx';

/** "Train from this run": a new run starting from this run's weights, optionally only its last layers. */
export function FineTuneForm(props: { runId: number }) {
  const client = useClient();
  const adoptRun = useStudio((s) => s.adoptRun);
  const refreshRuns = useStudio((s) => s.refreshRuns);
  const setPage = useStudio((s) => s.setPage);
  const training = useStudio((s) => s.live !== null && isActive(s.live.status));
  const [open, setOpen] = useState(false);
  const [epochs, setEpochs] = useState('10');
  const [freeze, setFreeze] = useState(false);
  const [last, setLast] = useState('2');
  const [rate, setRate] = useState('0.0001');
  const [error, setError] = useState<{ code: ClientErrorCode; message: string } | null>(null);
  const [starting, setStarting] = useState(false);
  const epochCount = Number(epochs);
  const lastCount = Number(last);
  const lr = Number(rate);
  const valid =
    Number.isInteger(epochCount) &&
    epochCount >= 1 &&
    lr > 0 &&
    lr <= 1 &&
    (!freeze || (Number.isInteger(lastCount) && lastCount >= 1));

  async function start(event: FormEvent) {
    event.preventDefault();
    if (!valid || starting) return;
    setStarting(true);
    setError(null);
    try {
      const config = {
        epochs: epochCount,
        learningRate: lr,
        fineTune: { fromRunId: props.runId, trainLastLayers: freeze ? lastCount : null },
      };
      const { runId } = await client.invoke('training-start', { config, parentRunId: props.runId });
      await adoptRun(runId, epochCount);
      void refreshRuns();
      setPage('train');
    } catch (e) {
      setError({ code: errorCode(e), message: errorMessage(e) });
    } finally {
      setStarting(false);
    }
  }

  if (!open)
    return (
      <button
        data-testid="fine-tune-open"
        disabled={training}
        title={training ? 'Another run is training' : 'Start a new run from these weights'}
        onClick={() => setOpen(true)}
      >
        Train from this run…
      </button>
    );
  return (
    <form
      className="fine-tune"
      onSubmit={(e) => void start(e)}
      aria-label="Train from this run"
      noValidate
    >
      <h3>Train from run #{props.runId}</h3>
      <label className="field">
        <span>Epochs</span>
        <input
          data-testid="fine-tune-epochs"
          value={epochs}
          onChange={(e) => setEpochs(e.target.value)}
          inputMode="numeric"
        />
      </label>
      <label className="field">
        <span>Learning rate (small: the weights are already trained)</span>
        <input
          data-testid="fine-tune-lr"
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          inputMode="decimal"
        />
      </label>
      <label className="check">
        <input
          type="checkbox"
          data-testid="fine-tune-freeze"
          checked={freeze}
          onChange={(e) => setFreeze(e.target.checked)}
        />
        Freeze all but the last
        <input
          data-testid="fine-tune-last"
          value={last}
          disabled={!freeze}
          onChange={(e) => setLast(e.target.value)}
          inputMode="numeric"
          size={3}
          aria-label="Layers to train"
        />
        layers with weights
      </label>
      {error && <ErrorMessage code={error.code} message={error.message} testId="fine-tune-error" />}
      <div className="dialog-actions">
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
        <button
          className="primary"
          data-testid="fine-tune-start"
          disabled={!valid || starting || training}
        >
          {starting ? 'Starting…' : 'Start training'}
        </button>
      </div>
    </form>
  );
}
