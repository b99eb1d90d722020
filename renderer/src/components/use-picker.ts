import { useState } from 'react';
import { errorMessage } from '../client/index.ts';

/** A native picker behind a Browse… button: the chosen path goes to `onPicked`, a failure to `error`. */
export function usePicker(pick: () => Promise<string | null>, onPicked: (path: string) => void) {
  const [error, setError] = useState<string | null>(null);
  async function browse() {
    setError(null);
    try {
      const picked = await pick();
      if (picked) onPicked(picked);
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return { browse, error };
}
