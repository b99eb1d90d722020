import { useState } from 'react';
import { errorMessage } from '../client/index.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { useClient, useStudio } from '../store/store.ts';

/** The model path, typed or (in the desktop app) chosen with the native file picker. */
export function ModelPathField(props: { path: string; onChange: (path: string) => void }) {
  const client = useClient();
  const canPick = useStudio((s) => s.appInfo?.canPickFolder ?? false);
  const [pickError, setPickError] = useState<string | null>(null);
  const { onChange } = props;

  async function browse() {
    setPickError(null);
    try {
      const picked = await client.invoke('dialog-pick-model', {});
      if (picked.path) onChange(picked.path);
    } catch (error) {
      setPickError(errorMessage(error));
    }
  }

  return (
    <label className="field">
      <span>Model file or TensorFlow.js folder (on the machine running FER Studio)</span>
      <div className="field-row">
        <input
          data-testid="import-model-path"
          value={props.path}
          onChange={(e) => onChange(e.target.value)}
          placeholder="/models/emotion_classifier_final.keras"
          spellCheck={false}
          autoFocus
        />
        {canPick && (
          <button type="button" data-testid="import-model-browse" onClick={() => void browse()}>
            Browse…
          </button>
        )}
      </div>
      {pickError && <ErrorMessage code="internal" message={pickError} />}
    </label>
  );
}
