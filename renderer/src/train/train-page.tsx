import { useEffect } from 'react';
import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import type { StudioState } from '../store/store.ts';
import { selectTrainBlocker } from './train-readiness.ts';
import { BackendBadge } from './backend-badge.tsx';
import { ResumeButton } from './resume-button.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { TrainSettings } from './train-settings.tsx';
import { TrainingCharts } from './training-charts.tsx';
import { TrainingProgress } from './training-progress.tsx';

const canStart = (s: StudioState) =>
  s.trainDraft !== null &&
  !s.trainStarting &&
  selectTrainBlocker(s) === null &&
  !(s.live && isActive(s.live.status));

export function TrainPage() {
  const loadOptions = useStudio((s) => s.loadTrainingOptions);
  const optionsError = useStudio((s) => s.trainingOptionsError);
  const startTraining = useStudio((s) => s.startTraining);
  const stopTraining = useStudio((s) => s.stopTraining);
  const ready = useStudio(canStart);
  const starting = useStudio((s) => s.trainStarting);
  const active = useStudio((s) => s.live !== null && isActive(s.live.status));
  const stopping = useStudio((s) => s.live?.status === 'stopping');
  const error = useStudio((s) => s.trainError);

  useEffect(() => {
    void loadOptions();
  }, [loadOptions]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      void startTraining();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startTraining]);

  return (
    <div className="page train-page" data-testid="train-page">
      <header className="page-head">
        <div>
          <h1>Train</h1>
          <p className="muted">Train a classifier on the labelled training images.</p>
        </div>
        <div className="head-actions">
          <BackendBadge />
          {active && (
            <button
              data-testid="train-stop"
              onClick={() => void stopTraining()}
              disabled={stopping}
            >
              {stopping ? 'Stopping…' : 'Stop'}
            </button>
          )}
          <ResumeButton />
          <button
            className="primary"
            data-testid="train-start"
            onClick={() => void startTraining()}
            disabled={!ready}
            title="Ctrl+Enter"
          >
            {starting ? 'Starting…' : 'Train'}
          </button>
        </div>
      </header>
      {optionsError && (
        <p className="invalid" role="alert">
          Could not load the training options: {optionsError}
        </p>
      )}
      {error && <ErrorMessage code={error.code} message={error.message} testId="train-error" />}
      <div className="train-layout">
        <TrainSettings />
        <div className="train-main">
          <TrainingProgress />
          <TrainingCharts />
        </div>
      </div>
    </div>
  );
}
