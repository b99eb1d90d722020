import { createContext, createElement, useContext } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { StudioClient } from '../../../app/contract/index.ts';
import { createCatalogueSlice } from './catalogue-slice.ts';
import type { CatalogueSlice } from './catalogue-slice.ts';
import { createImportSlice } from './import-slice.ts';
import type { ImportSlice } from './import-slice.ts';
import { createPreviewSlice } from './preview-slice.ts';
import type { PreviewSlice } from './preview-slice.ts';
import { createRunsSlice } from './runs-slice.ts';
import type { RunsSlice } from './runs-slice.ts';
import { createTrainingSlice } from './training-slice.ts';
import type { TrainingSlice } from './training-slice.ts';
import { createEvaluationSlice } from './evaluation-slice.ts';
import type { EvaluationSlice } from './evaluation-slice.ts';
import { createExportSlice } from './export-slice.ts';
import type { ExportSlice } from './export-slice.ts';
import { createLabelsSlice } from './labels-slice.ts';
import type { LabelsSlice } from './labels-slice.ts';
import { createUiSlice } from './ui-slice.ts';
import type { UiSlice } from './ui-slice.ts';
import { createCompareSlice } from './compare-slice.ts';
import type { CompareSlice } from './compare-slice.ts';
import { createPredictSlice } from './predict-slice.ts';
import type { PredictSlice } from './predict-slice.ts';
import { createProjectsSlice } from './projects-slice.ts';
import type { ProjectsSlice } from './projects-slice.ts';
import { createImportsSlice } from './imports-slice.ts';
import type { ImportsSlice } from './imports-slice.ts';
import { createCleaningSlice } from './cleaning-slice.ts';
import type { CleaningSlice } from './cleaning-slice.ts';

export type StudioState = CatalogueSlice &
  ImportSlice &
  UiSlice &
  TrainingSlice &
  PreviewSlice &
  RunsSlice &
  LabelsSlice &
  EvaluationSlice &
  ExportSlice &
  CompareSlice &
  PredictSlice &
  ProjectsSlice &
  ImportsSlice &
  CleaningSlice;
export type StudioStore = StoreApi<StudioState>;

export interface StoreDeps {
  client: StudioClient;
  makeJobId: () => string;
  /** How long the augmentation preview waits for the form to settle. */
  previewDebounceMs: number;
}

export function makeJobId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

export function createStudioStore(
  client: StudioClient,
  options: { makeJobId?: () => string; previewDebounceMs?: number } = {},
): StudioStore {
  const deps: StoreDeps = {
    client,
    makeJobId: options.makeJobId ?? makeJobId,
    previewDebounceMs: options.previewDebounceMs ?? 300,
  };
  return createStore<StudioState>()((...args) => ({
    ...createCatalogueSlice(deps)(...args),
    ...createImportSlice(deps)(...args),
    ...createUiSlice(deps)(...args),
    ...createTrainingSlice(deps)(...args),
    ...createPreviewSlice(deps)(...args),
    ...createRunsSlice(deps)(...args),
    ...createLabelsSlice(deps)(...args),
    ...createEvaluationSlice(deps)(...args),
    ...createExportSlice(deps)(...args),
    ...createCompareSlice(deps)(...args),
    ...createPredictSlice(deps)(...args),
    ...createProjectsSlice(deps)(...args),
    ...createImportsSlice(deps)(...args),
    ...createCleaningSlice(deps)(...args),
  }));
}

interface StudioContextValue {
  store: StudioStore;
  client: StudioClient;
}

const StudioContext = createContext<StudioContextValue | null>(null);

export function StudioProvider(props: StudioContextValue & { children: ReactNode }) {
  const { store, client, children } = props;
  return createElement(StudioContext.Provider, { value: { store, client } }, children);
}

function useStudioContext(): StudioContextValue {
  const value = useContext(StudioContext);
  if (!value) throw new Error('useStudio must be used inside <StudioProvider>');
  return value;
}

/** Select the smallest value a component needs; wrap derived arrays in `useShallow`. */
export function useStudio<T>(selector: (state: StudioState) => T): T {
  return useStore(useStudioContext().store, selector);
}

/** For handlers outside render (document shortcuts) that read the latest state. */
export function useStudioStore(): StudioStore {
  return useStudioContext().store;
}

export function useClient(): StudioClient {
  return useStudioContext().client;
}
