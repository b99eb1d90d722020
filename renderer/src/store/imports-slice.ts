import type { StateCreator } from 'zustand';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { errorCode, errorMessage, type ClientErrorCode } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export type ImportEntry = ResponseOf<'imports-list'>['imports'][number];

export interface ImportsSlice {
  /** The open catalogue's imports, newest first; null until loaded. */
  imports: ImportEntry[] | null;
  importsError: { code: ClientErrorCode; message: string } | null;
  /** The import being removed or restored. */
  importsPending: number | null;
  refreshImports(): Promise<void>;
  removeImport(importId: number): Promise<void>;
  restoreImport(importId: number): Promise<void>;
}

export function createImportsSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], ImportsSlice> {
  return (set, get) => {
    async function change(importId: number, channel: 'imports-remove' | 'imports-restore') {
      set({ importsPending: importId, importsError: null });
      try {
        await deps.client.invoke(channel, { importId });
      } catch (error) {
        set({ importsError: { code: errorCode(error), message: errorMessage(error) } });
      } finally {
        set({ importsPending: null });
      }
      // The catalogue-changed event refreshes stats and the grid; the list is ours to refresh.
      await get().refreshImports();
    }
    return {
      imports: null,
      importsError: null,
      importsPending: null,
      async refreshImports() {
        try {
          set({ imports: (await deps.client.invoke('imports-list', {})).imports });
        } catch (error) {
          set({ importsError: { code: errorCode(error), message: errorMessage(error) } });
        }
      },
      removeImport: (importId) => change(importId, 'imports-remove'),
      restoreImport: (importId) => change(importId, 'imports-restore'),
    };
  };
}
