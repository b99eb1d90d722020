import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import { AugmentPreview } from './augment-preview.tsx';
import { CheckField, ModelField, NumberInput, WeightingField } from './train-fields.tsx';

export function TrainSettings() {
  const ready = useStudio((s) => s.trainDraft !== null);
  const locked = useStudio((s) => s.live !== null && isActive(s.live.status));
  const earlyStopping = useStudio((s) => s.trainDraft?.earlyStopping ?? false);
  const reduceLr = useStudio((s) => s.trainDraft?.reduceLr ?? false);
  const resetDraft = useStudio((s) => s.resetDraft);
  if (!ready) {
    return (
      <section className="card train-settings">
        <p className="muted">Loading the training options…</p>
      </section>
    );
  }
  return (
    <form
      className="card train-settings"
      aria-label="Training settings"
      onSubmit={(event) => event.preventDefault()}
    >
      <fieldset className="plain" disabled={locked}>
        <ModelField />
        <div className="field-grid">
          <NumberInput field="epochs" label="Epochs" testId="train-epochs" />
          <NumberInput field="batchSize" label="Batch size" testId="train-batch-size" />
          <NumberInput field="learningRate" label="Learning rate" testId="train-lr" />
          <NumberInput
            field="validationFraction"
            label="Validation"
            unit="%"
            testId="train-validation"
          />
        </div>
        <h3 className="section-title">Augmentation</h3>
        <div className="field-grid">
          <NumberInput field="rotationDeg" label="Rotation ±" unit="°" testId="train-rotation" />
          <NumberInput field="zoom" label="Zoom ±" unit="%" testId="train-zoom" />
          <NumberInput field="shift" label="Shift ±" unit="%" testId="train-shift" />
          <CheckField choice="horizontalFlip" testId="train-flip">
            Mirror left–right
          </CheckField>
        </div>
        <AugmentPreview />
        <WeightingField />
        <details className="advanced">
          <summary>Advanced</summary>
          <div className="advanced-body">
            <CheckField choice="earlyStopping" testId="train-early-stopping">
              Stop early when validation loss stops improving
            </CheckField>
            {earlyStopping && (
              <div className="field-grid">
                <NumberInput field="esPatience" label="Patience" unit="epochs" />
              </div>
            )}
            <CheckField choice="reduceLr" testId="train-reduce-lr">
              Lower the learning rate on a plateau
            </CheckField>
            {reduceLr && (
              <div className="field-grid">
                <NumberInput field="lrFactor" label="Factor" hint="new rate = rate × factor" />
                <NumberInput field="lrPatience" label="Patience" unit="epochs" />
                <NumberInput field="lrMin" label="Minimum rate" />
              </div>
            )}
          </div>
        </details>
        <div>
          <button type="button" className="link" onClick={resetDraft}>
            Reset to defaults
          </button>
        </div>
      </fieldset>
    </form>
  );
}
