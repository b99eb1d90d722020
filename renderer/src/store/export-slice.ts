import type { StateCreator } from 'zustand';
import type { EventOf, RequestOf, ResponseOf } from '../../../app/contract/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface ExportSlice {
  /** The latest `export-progress` event; cleared when an export starts so an old one never shows. */
  exportProgress: EventOf<'export-progress'> | null;
  resetExportProgress(): void;
  /** A run's model as tfjs, ONNX or Keras, written on the core's machine. */
  exportModel(request: RequestOf<'export-model'>): Promise<ResponseOf<'export-model'>>;
  /** A run's training report folder, written on the core's machine. */
  exportReport(request: RequestOf<'report-export'>): Promise<ResponseOf<'report-export'>>;
  /** The current labels as a FER folder tree, written on the core's machine. */
  exportDataset(request: RequestOf<'export-dataset'>): Promise<ResponseOf<'export-dataset'>>;
}

export function createExportSlice(deps: StoreDeps): StateCreator<StudioState, [], [], ExportSlice> {
  return (set) => ({
    exportProgress: null,
    resetExportProgress() {
      set({ exportProgress: null });
    },
    exportModel: (request) => deps.client.invoke('export-model', request),
    exportReport: (request) => deps.client.invoke('report-export', request),
    exportDataset: (request) => deps.client.invoke('export-dataset', request),
  });
}
