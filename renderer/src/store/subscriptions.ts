import type { StudioClient } from '../../../app/contract/index.ts';
import { applyEvalProgress } from './evaluation-slice.ts';
import { applyImportProgress } from './import-slice.ts';
import type { StudioState, StudioStore } from './store.ts';
import type { Project } from './projects-slice.ts';
import { connectTraining } from './training-events.ts';

/** Transport events feed the store from outside React; returns a function that unsubscribes. */
export function connectStore(store: StudioStore, client: StudioClient): () => void {
  const offs = [
    client.on('catalogue-import-progress', (progress) =>
      store.setState((state) => applyImportProgress(state, progress)),
    ),
    client.on('catalogue-changed', ({ reason }) => {
      // A refusal to train ("the dataset is empty") describes the catalogue before this change.
      if (store.getState().trainError) store.setState({ trainError: null });
      refreshCatalogue(store, { keepPosition: reason === 'relabel' });
      // Relabels, import removals and added faces, here or in another window (or the CLI), all
      // sit on the same undo stack.
      void store.getState().refreshUndoState();
    }),
    client.on('evaluation-progress', (progress) =>
      store.setState((state) => applyEvalProgress(state, progress)),
    ),
    client.on('export-progress', (exportProgress) => store.setState({ exportProgress })),
    client.on('project-changed', ({ project }) => reloadForProject(store, project)),
    ...connectTraining(store, client),
  ];
  return () => offs.forEach((off) => off());
}

export function refreshCatalogue(
  store: StudioStore,
  options: { keepPosition?: boolean } = {},
): void {
  const state = store.getState();
  void state.refreshStats();
  void state.refreshList(options);
  // An open detail shows the label and its history, which a relabel or undo just changed.
  if (state.detailOpen && state.selectedId !== null) void state.loadDetail(state.selectedId);
}

/**
 * Another project is open: every page's data belonged to the old catalogue, so the store starts
 * afresh. A running import (the sample opening its own project) keeps its progress bar. When
 * another tab switched, this one says so and loads the new project only when asked.
 */
export function reloadForProject(store: StudioStore, project: Project): void {
  const { connected, importJob, importDialogOpen } = store.getState();
  const closed = closedElsewhere(store.getState(), project);
  // The new project (and its image key) at once, so no thumbnail is asked for under the old key.
  store.setState(
    {
      ...store.getInitialState(),
      connected,
      importJob,
      importDialogOpen,
      project,
      projectClosedElsewhere: closed,
    },
    true,
  );
  if (!closed) loadAll(store);
}

/** The project this tab showed, if the switch to `next` was not asked for here. */
function closedElsewhere(state: StudioState, next: Project): Project | null {
  const shown = state.projectClosedElsewhere ?? state.project;
  const ownSwitch = state.projectSwitching || state.importJob?.kind === 'sample';
  return shown === null || shown.dir === next.dir || ownSwitch ? null : shown;
}

/** After another tab's switch: drop the notice and load the project now open. */
export function showOpenProject(store: StudioStore): void {
  store.setState({ projectClosedElsewhere: null });
  loadAll(store);
}

/** First load, and again after a reconnect (events may have been missed meanwhile). */
export function loadAll(store: StudioStore): void {
  void store.getState().loadAppInfo();
  void store.getState().refreshProjects();
  refreshCatalogue(store);
  void store.getState().refreshRuns();
  void store.getState().refreshUndoState();
}
