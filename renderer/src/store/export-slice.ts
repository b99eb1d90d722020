import type { StateCreator } from 'zustand';
import type { EventOf } from '../../../app/contract/index.ts';
import type { StudioState } from './store.ts';

export interface ExportSlice {
  /** The latest `export-progress` event; cleared when an export starts so an old one never shows. */
  exportProgress: EventOf<'export-progress'> | null;
  resetExportProgress(): void;
}

export function createExportSlice(): StateCreator<StudioState, [], [], ExportSlice> {
  return (set) => ({
    exportProgress: null,
    resetExportProgress() {
      set({ exportProgress: null });
    },
  });
}
