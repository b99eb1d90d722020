import type { ReactNode } from 'react';
import { ErrorMessage } from './error-message.tsx';
import { ExportProgress } from './export-progress.tsx';
import { isTargetExists } from './use-export-job.ts';
import type { ExportForm } from './use-export-job.ts';

/**
 * The form every export shares: target path, Overwrite, submit. Test ids are `<testId>-out`,
 * `-force` and `-start`; `before`/`after` go inside the form around the fields.
 */
export function ExportTargetFields<T>(props: {
  form: ExportForm<T>;
  testId: string;
  /** aria-label of the path input. */
  label: string;
  placeholder: string | undefined;
  action: string;
  busyAction: string;
  primary?: boolean;
  before?: ReactNode;
  after?: ReactNode;
}) {
  const { form, testId } = props;
  return (
    <form
      className="export-form"
      onSubmit={(event) => {
        event.preventDefault();
        void form.start(form.force);
      }}
    >
      {props.before}
      <input
        type="text"
        data-testid={`${testId}-out`}
        aria-label={props.label}
        placeholder={props.placeholder}
        value={form.out}
        onChange={(event) => form.setOut(event.target.value)}
      />
      <label className="inline-field">
        <input
          type="checkbox"
          data-testid={`${testId}-force`}
          checked={form.force}
          onChange={(event) => form.setForce(event.target.checked)}
        />
        Overwrite
      </label>
      <button
        type="submit"
        className={props.primary ? 'primary' : undefined}
        data-testid={`${testId}-start`}
        disabled={form.running || form.out.trim() === ''}
      >
        {form.running ? props.busyAction : props.action}
      </button>
      {props.after}
    </form>
  );
}

/** Progress while running, `done(result)` once finished, the error (and Overwrite?) on failure. */
export function ExportOutcome<T>(props: {
  form: ExportForm<T>;
  testId: string;
  done?: (result: T) => ReactNode;
}) {
  const { form, testId } = props;
  const { state } = form;
  return (
    <>
      {form.running && <ExportProgress testId={`${testId}-progress`} />}
      {state.kind === 'done' && props.done?.(state.result)}
      {state.kind === 'failed' && (
        <>
          <ErrorMessage code={state.code} message={state.message} testId={`${testId}-error`} />
          {isTargetExists(state) && (
            <button data-testid={`${testId}-overwrite`} onClick={() => void form.start(true)}>
              Overwrite?
            </button>
          )}
        </>
      )}
    </>
  );
}

/** The files an export wrote, e.g. "Exported 2 files" and the list. */
export function ExportedFiles(props: { testId: string; verb: string; files: string[] }) {
  return (
    <div data-testid={`${props.testId}-result`} className="export-result">
      <strong>
        {props.verb} {props.files.length} files
      </strong>
      <ul className="export-files">
        {props.files.map((file) => (
          <li key={file}>{file}</li>
        ))}
      </ul>
    </div>
  );
}
