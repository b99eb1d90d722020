import { useId } from 'react';
import type { ReactNode } from 'react';
import { formatParameters } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { dropoutError, fieldError } from './train-form.ts';
import { selectFormLocked } from './train-readiness.ts';
import type { DraftChoices } from './train-form.ts';
import type { ClassWeighting, NumberField, OptimizerName, ScheduleKind } from './number-fields.ts';

export function NumberInput(props: {
  field: NumberField;
  label: string;
  unit?: string;
  hint?: string;
  testId?: string;
}) {
  const text = useStudio((s) => s.trainDraft?.text[props.field] ?? '');
  const setText = useStudio((s) => s.setDraftText);
  const locked = useStudio(selectFormLocked);
  const error = fieldError(props.field, text);
  const noteId = useId();
  const note = error ?? props.hint;
  return (
    <label className="field">
      <span>{props.label}</span>
      <span className="with-unit">
        <input
          type="text"
          inputMode="decimal"
          value={text}
          disabled={locked}
          aria-invalid={error ? true : undefined}
          aria-describedby={note ? noteId : undefined}
          data-testid={props.testId}
          onChange={(event) => setText(props.field, event.target.value)}
        />
        {props.unit && <span className="unit">{props.unit}</span>}
      </span>
      {note && (
        <small id={noteId} className={error ? 'invalid' : 'muted'}>
          {note}
        </small>
      )}
    </label>
  );
}

type Toggle = 'horizontalFlip' | 'earlyStopping' | 'reduceLr' | 'recalibrateBatchNorm';

export function CheckField(props: { choice: Toggle; children: ReactNode; testId?: string }) {
  const checked = useStudio((s) => s.trainDraft?.[props.choice] ?? false);
  const setChoice = useStudio((s) => s.setDraftChoice);
  const locked = useStudio(selectFormLocked);
  return (
    <label className="check-field">
      <input
        type="checkbox"
        checked={checked}
        disabled={locked}
        data-testid={props.testId}
        onChange={(event) =>
          setChoice({ [props.choice]: event.target.checked } as Partial<DraftChoices>)
        }
      />
      <span>{props.children}</span>
    </label>
  );
}

export function ModelField() {
  const models = useStudio((s) => s.trainingOptions?.models);
  const model = useStudio((s) => s.trainDraft?.model ?? '');
  const setChoice = useStudio((s) => s.setDraftChoice);
  const locked = useStudio(selectFormLocked);
  const chosen = models?.find((m) => m.name === model);
  return (
    <label className="field">
      <span>Model</span>
      <select
        data-testid="train-model"
        value={model}
        disabled={locked}
        onChange={(event) => setChoice({ model: event.target.value })}
      >
        {models?.map((m) => (
          <option key={m.name} value={m.name}>
            {m.name} ({formatParameters(m.parameters)} parameters)
          </option>
        ))}
      </select>
      {chosen && <small className="muted">{chosen.description}</small>}
    </label>
  );
}

const WEIGHTINGS: { value: ClassWeighting; title: string; hint: string }[] = [
  {
    value: 'none',
    title: 'None',
    hint: 'Every image counts the same. Rare classes such as disgust are mostly missed.',
  },
  {
    value: 'sqrt-balanced',
    title: 'Square-root balanced',
    hint: 'A class counts more the rarer it is, by the square root (disgust, ~16× rarer than happy in FER-2013, gets ~4×). Lifts rare-class recall at little cost in accuracy.',
  },
  {
    value: 'balanced',
    title: 'Balanced',
    hint: 'Every class counts equally in total, so a rare image can weigh ~16× a common one. Training gets noisy and tends to over-predict the rare classes.',
  },
];

export function WeightingField() {
  const value = useStudio((s) => s.trainDraft?.classWeighting ?? 'sqrt-balanced');
  const setChoice = useStudio((s) => s.setDraftChoice);
  const locked = useStudio(selectFormLocked);
  const chosen = WEIGHTINGS.find((w) => w.value === value);
  return (
    <label className="field">
      <span>Class weighting</span>
      <select
        data-testid="train-class-weighting"
        value={value}
        disabled={locked}
        onChange={(event) => {
          const next = WEIGHTINGS.find((w) => w.value === event.target.value);
          if (next) setChoice({ classWeighting: next.value });
        }}
      >
        {WEIGHTINGS.map((w) => (
          <option key={w.value} value={w.value}>
            {w.title}
          </option>
        ))}
      </select>
      {chosen && <small className="muted">{chosen.hint}</small>}
    </label>
  );
}

interface Choice<T extends string> {
  value: T;
  title: string;
  hint: string;
}

const OPTIMIZERS: Choice<OptimizerName>[] = [
  {
    value: 'adam',
    title: 'Adam',
    hint: 'Adapts each weight’s step; forgiving of the learning rate (1e-3).',
  },
  {
    value: 'sgd',
    title: 'SGD with Nesterov momentum',
    hint: 'Beat Adam by 1–2 points on FER-2013 in Khaireddin & Chen 2021; wants a larger rate (0.05) and a decaying schedule.',
  },
];

const SCHEDULES: Choice<ScheduleKind>[] = [
  {
    value: 'plateau',
    title: 'Lower on a plateau',
    hint: 'Cuts the rate when validation loss stops improving (the settings below).',
  },
  {
    value: 'cosine',
    title: 'Cosine',
    hint: 'Falls smoothly from the rate to 1 % of it at the last epoch. Early stopping waits for the low-rate end.',
  },
  {
    value: 'step',
    title: 'Step',
    hint: 'Multiplies the rate by a factor every few epochs. Early stopping waits for the low-rate end.',
  },
  { value: 'constant', title: 'Constant', hint: 'The same rate throughout.' },
];

function ChoiceField<T extends string>(props: {
  label: string;
  choice: 'optimizer' | 'schedule';
  choices: Choice<T>[];
  testId: string;
}) {
  const value = useStudio((s) => s.trainDraft?.[props.choice] ?? '');
  const setChoice = useStudio((s) => s.setDraftChoice);
  const locked = useStudio(selectFormLocked);
  const chosen = props.choices.find((c) => c.value === value);
  return (
    <label className="field">
      <span>{props.label}</span>
      <select
        data-testid={props.testId}
        value={value}
        disabled={locked}
        onChange={(event) =>
          setChoice({ [props.choice]: event.target.value } as Partial<DraftChoices>)
        }
      >
        {props.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.title}
          </option>
        ))}
      </select>
      {chosen && <small className="muted">{chosen.hint}</small>}
    </label>
  );
}

export const OptimizerField = () => (
  <ChoiceField label="Optimizer" choice="optimizer" choices={OPTIMIZERS} testId="train-optimizer" />
);

export const ScheduleField = () => (
  <ChoiceField
    label="Learning-rate schedule"
    choice="schedule"
    choices={SCHEDULES}
    testId="train-schedule"
  />
);

/** Empty means the model's own dropout, so this is not one of the always-numeric fields. */
export function DropoutField() {
  const text = useStudio((s) => s.trainDraft?.dropout ?? '');
  const setChoice = useStudio((s) => s.setDraftChoice);
  const locked = useStudio(selectFormLocked);
  const error = dropoutError(text);
  const noteId = useId();
  return (
    <label className="field">
      <span>Dropout</span>
      <input
        type="text"
        inputMode="decimal"
        value={text}
        placeholder="model’s own"
        disabled={locked}
        aria-invalid={error ? true : undefined}
        aria-describedby={noteId}
        data-testid="train-dropout"
        onChange={(event) => setChoice({ dropout: event.target.value })}
      />
      <small id={noteId} className={error ? 'invalid' : 'muted'}>
        {error ?? 'Rate before the classifier; empty keeps the model’s default.'}
      </small>
    </label>
  );
}
