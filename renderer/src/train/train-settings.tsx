import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import { AugmentPreview } from './augment-preview.tsx';
import {
  CheckField,
  DropoutField,
  ModelField,
  NumberInput,
  OptimizerField,
  ScheduleField,
  WeightingField,
} from './train-fields.tsx';

export function TrainSettings() {
  const ready = useStudio((s) => s.trainDraft !== null);
  const locked = useStudio((s) => s.live !== null && isActive(s.live.status));
  const earlyStopping = useStudio((s) => s.trainDraft?.earlyStopping ?? false);
  const reduceLr = useStudio((s) => s.trainDraft?.reduceLr ?? false);
  const optimizer = useStudio((s) => s.trainDraft?.optimizer ?? 'adam');
  const schedule = useStudio((s) => s.trainDraft?.schedule ?? 'plateau');
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
          <NumberInput
            field="cropSize"
            label="Random crop"
            unit="px"
            hint="Below 48 the model takes crops; predictions use the centre crop"
            testId="train-crop"
          />
          <NumberInput
            field="cropPadding"
            label="Crop padding"
            unit="px"
            hint="Edge pixels added before cropping"
            testId="train-crop-padding"
          />
        </div>
        <AugmentPreview />
        <WeightingField />
        <details className="advanced">
          <summary>Advanced</summary>
          <div className="advanced-body">
            <div className="field-grid">
              <OptimizerField />
              {optimizer === 'sgd' && (
                <NumberInput field="momentum" label="Momentum" hint="In [0, 1); 0.9 is usual" />
              )}
              <NumberInput
                field="weightDecay"
                label="Weight decay"
                hint="L2 on kernels, added to the gradient"
                testId="train-weight-decay"
              />
            </div>
            <div className="field-grid">
              <ScheduleField />
              <NumberInput
                field="warmupEpochs"
                label="Warm-up"
                unit="epochs"
                hint="Rate rises linearly to its peak"
                testId="train-warmup"
              />
              {schedule === 'step' && (
                <>
                  <NumberInput field="stepEvery" label="Step every" unit="epochs" />
                  <NumberInput field="stepFactor" label="Step factor" hint="rate × factor" />
                </>
              )}
            </div>
            <div className="field-grid">
              <NumberInput
                field="labelSmoothing"
                label="Label smoothing"
                unit="%"
                hint="Share of each target spread over all classes"
                testId="train-label-smoothing"
              />
              <DropoutField />
              <NumberInput
                field="seed"
                label="Seed"
                hint="The same recipe and seed train to the same weights"
                testId="train-seed"
              />
            </div>
            <CheckField choice="recalibrateBatchNorm" testId="train-recalibrate-bn">
              Recalibrate batch-norm statistics on the training images after training
            </CheckField>
            <CheckField choice="earlyStopping" testId="train-early-stopping">
              Stop early when validation loss stops improving
            </CheckField>
            {earlyStopping && (
              <div className="field-grid">
                <NumberInput field="esPatience" label="Patience" unit="epochs" />
              </div>
            )}
            {schedule === 'plateau' && (
              <CheckField choice="reduceLr" testId="train-reduce-lr">
                Lower the learning rate on a plateau
              </CheckField>
            )}
            {schedule === 'plateau' && reduceLr && (
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
