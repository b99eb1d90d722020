import { ErrorMessage } from '../components/error-message.tsx';
import { usePicker } from '../components/use-picker.ts';
import { useClient, useStudio } from '../store/store.ts';

/** The model path, typed or (in the desktop app) chosen with the native file picker. */
export function ModelPathField(props: { path: string; onChange: (path: string) => void }) {
  const client = useClient();
  const canPick = useStudio((s) => s.appInfo?.canPickFolder ?? false);
  const picker = usePicker(
    async () => (await client.invoke('dialog-pick-model', {})).path,
    props.onChange,
  );

  return (
    <label className="field">
      <span>Model file or TensorFlow.js folder (on the machine running FER Studio)</span>
      <div className="field-row">
        <input
          data-testid="import-model-path"
          value={props.path}
          onChange={(e) => props.onChange(e.target.value)}
          placeholder="/models/emotion_classifier_final.keras"
          spellCheck={false}
          autoFocus
        />
        {canPick && (
          <button
            type="button"
            data-testid="import-model-browse"
            onClick={() => void picker.browse()}
          >
            Browse…
          </button>
        )}
      </div>
      {picker.error && <ErrorMessage code="internal" message={picker.error} />}
    </label>
  );
}
