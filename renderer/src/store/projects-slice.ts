import type { StateCreator } from 'zustand';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { errorCode, errorMessage, type ClientErrorCode } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export type Project = ResponseOf<'project-open'>;

export interface ProjectsSlice {
  /** The open project; null until the first list arrives. */
  project: Project | null;
  /** Known projects, most recently opened first (browser mode: only under its data directory). */
  projects: Project[] | null;
  projectError: { code: ClientErrorCode; message: string } | null;
  /** True while the core opens another project. */
  projectSwitching: boolean;
  /**
   * Another tab or window opened this project (the core holds one at a time): the project this
   * tab showed, until the user chooses to load the new one.
   */
  projectClosedElsewhere: Project | null;
  refreshProjects(): Promise<void>;
  /** The switch functions resolve false when refused; `projectError` then says why. */
  openProject(dir: string): Promise<boolean>;
  /** Electron: a project folder from the native picker (one outside the data directory, too). */
  openProjectFolder(): Promise<boolean>;
  createProject(name: string): Promise<boolean>;
  renameProject(dir: string, name: string): Promise<boolean>;
  /** Deletes a project folder (never the open one); false when refused, `projectError` says why. */
  deleteProject(dir: string): Promise<boolean>;
}

export function createProjectsSlice(
  deps: StoreDeps,
): StateCreator<StudioState, [], [], ProjectsSlice> {
  return (set, get) => {
    /** A switch: on success the core's project-changed event reloads every page. */
    async function attempt(work: () => Promise<unknown>): Promise<boolean> {
      set({ projectSwitching: true, projectError: null });
      try {
        await work();
        await get().refreshProjects();
        return true;
      } catch (error) {
        set({ projectError: { code: errorCode(error), message: errorMessage(error) } });
        return false;
      } finally {
        set({ projectSwitching: false });
      }
    }
    return {
      project: null,
      projects: null,
      projectError: null,
      projectSwitching: false,
      projectClosedElsewhere: null,

      async refreshProjects() {
        try {
          const { current, projects } = await deps.client.invoke('project-list', {});
          set({ project: current, projects });
        } catch (error) {
          set({ projectError: { code: errorCode(error), message: errorMessage(error) } });
        }
      },

      openProject: (dir) => attempt(() => deps.client.invoke('project-open', { dir })),
      openProjectFolder: () =>
        attempt(async () => {
          const { folder } = await deps.client.invoke('dialog-pick-folder', {});
          if (folder !== null) await deps.client.invoke('project-open', { dir: folder });
        }),
      createProject: (name) => attempt(() => deps.client.invoke('project-create', { name })),
      renameProject: (dir, name) =>
        attempt(() => deps.client.invoke('project-rename', { dir, name })),
      async deleteProject(dir) {
        set({ projectError: null });
        try {
          await deps.client.invoke('project-delete', { dir });
          await get().refreshProjects();
          return true;
        } catch (error) {
          set({ projectError: { code: errorCode(error), message: errorMessage(error) } });
          return false;
        }
      },
    };
  };
}
