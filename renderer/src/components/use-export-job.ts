import { useState } from 'react';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import { useStudio } from '../store/store.ts';

export type ExportState<T> =
  | { kind: 'idle' }
  | { kind: 'running' }
  | { kind: 'done'; result: T }
  | { kind: 'failed'; code: ClientErrorCode; message: string };

/** The core refuses to replace an existing target unless asked. */
export function isTargetExists(state: ExportState<unknown>): boolean {
  return state.kind === 'failed' && state.code === 'already-exists';
}

/** One export at a time per form: start(force) runs `send`, keeping its result or error code. */
export function useExportJob<T>(send: (force: boolean) => Promise<T>) {
  const [state, setState] = useState<ExportState<T>>({ kind: 'idle' });
  const resetProgress = useStudio((s) => s.resetExportProgress);
  /** An error described the target before the form changed; it goes with the change. */
  const clearFailure = () => setState((now) => (now.kind === 'failed' ? { kind: 'idle' } : now));
  const start = async (force: boolean) => {
    resetProgress();
    setState({ kind: 'running' });
    try {
      setState({ kind: 'done', result: await send(force) });
    } catch (error) {
      setState({ kind: 'failed', code: errorCode(error), message: errorMessage(error) });
    }
  };
  return { state, start, clearFailure };
}

/** A path-plus-Overwrite export form: `send` gets the trimmed path and the force flag. */
export function useExportForm<T>(send: (out: string, force: boolean) => Promise<T>) {
  const [out, changeOut] = useState('');
  const [force, changeForce] = useState(false);
  const job = useExportJob((overwrite) => send(out.trim(), overwrite));
  const running = job.state.kind === 'running';
  const setOut = (next: string) => {
    if (next !== out) job.clearFailure();
    changeOut(next);
  };
  const setForce = (next: boolean) => {
    job.clearFailure();
    changeForce(next);
  };
  return { ...job, out, setOut, force, setForce, running };
}

export type ExportForm<T> = ReturnType<typeof useExportForm<T>>;
