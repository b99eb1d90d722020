import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../contract/errors.ts';
import type { EventName, EventOf, Handlers, ResponseOf } from '../contract/handlers.ts';
import { createStudio, type Studio, type StudioListener } from '../studio.ts';
import type { BackendPreference } from '../runs/worker-protocol.ts';
import { CATALOGUE_FILE } from './layout.ts';
import { defaultProjectDir, migrateLegacyLayout } from './legacy.ts';
import { deleteProject } from './delete-project.ts';
import {
  assertFreeName,
  catalogueOf,
  isInside,
  listProjects,
  newProjectDir,
  projectInfo,
  readRecents,
  sampleProjectDir,
  SAMPLE_NAME,
  touchRecent,
  writeProjectFile,
  type ProjectInfo,
} from './registry.ts';

export interface ProjectStudioOptions {
  /** Holds `projects/` and the recent list. */
  dataDir: string;
  mode: 'electron' | 'browser';
  /** The catalogue to open first; default: the most recent project still there, else `projects/default`. */
  catalogPath?: string;
  overrides?: Partial<Handlers>;
  backend?: BackendPreference;
  /** List and open only projects under `<dataDir>/projects`; default: in browser mode. */
  onlyUnderDataDir?: boolean;
}

type ProjectHandlers = Pick<
  Handlers,
  'project-list' | 'project-open' | 'project-create' | 'project-rename' | 'project-delete'
>;

function firstCatalogue(dataDir: string, chosen: string | undefined): string {
  // The old layout moves into projects/default, unless it is the catalogue asked for by name.
  if (chosen === undefined || path.resolve(chosen) !== path.join(dataDir, CATALOGUE_FILE))
    migrateLegacyLayout(dataDir);
  if (chosen !== undefined) return path.resolve(chosen);
  const recent = readRecents(dataDir).find((r) => fs.existsSync(r.catalogPath));
  return recent?.catalogPath ?? path.join(defaultProjectDir(dataDir), CATALOGUE_FILE);
}

/**
 * The studio with projects: one open catalogue at a time behind the same `Studio` interface, so
 * IPC, the browser server and the CLI keep one contract. Switching opens the new catalogue before
 * closing the old one, so a project that cannot open leaves the current one untouched.
 */
export function createProjectStudio(options: ProjectStudioOptions): Studio {
  const { dataDir, mode } = options;
  const onlyInside = options.onlyUnderDataDir ?? mode === 'browser';
  const listeners = new Set<StudioListener>();
  let training: number | null = null;
  let importing = false;

  const track: StudioListener = (event, payload) => {
    if (event === 'training-status') {
      const status = payload as { runId: number; status: string };
      training = ['finished', 'stopped', 'failed'].includes(status.status) ? null : status.runId;
    }
    if (event === 'catalogue-import-progress')
      importing = (payload as { phase: string }).phase !== 'done';
  };

  function assertIdle(): void {
    if (training !== null)
      throw new StudioError(
        'busy',
        `Run ${training} is training in this project; stop it (it stays resumable) before switching.`,
      );
    if (importing)
      throw new StudioError('busy', 'An import is running; wait for it or cancel it first.');
  }

  /** Browser mode: only catalogues inside the data directory (its projects, or the one serve started on). */
  function checkAllowed(catalogPath: string): void {
    if (onlyInside && !isInside(dataDir, catalogPath))
      throw new StudioError(
        'forbidden',
        `Browser mode opens projects under its data directory (${dataDir}) only.`,
      );
  }

  const projectHandlers: ProjectHandlers = {
    'project-list': async () => ({
      current: projectInfo(current.catalogPath, null),
      projects: listProjects(dataDir, onlyInside),
    }),
    'project-open': async ({ dir }) => {
      const target = path.resolve(dir);
      const catalogPath = catalogueOf(target);
      checkAllowed(catalogPath);
      if (!fs.existsSync(catalogPath))
        throw new StudioError(
          fs.existsSync(target) ? 'not-a-project' : 'not-found',
          fs.existsSync(target)
            ? `${target} is not a FER Studio project (it has no ${CATALOGUE_FILE}).`
            : `${target} does not exist (moved or deleted?).`,
        );
      return switchTo(catalogPath);
    },
    'project-create': async ({ name }) => {
      assertFreeName(listProjects(dataDir, onlyInside), name);
      const dir = newProjectDir(dataDir, name);
      const catalogPath = path.join(dir, CATALOGUE_FILE);
      assertIdle();
      writeProjectFile(catalogPath, { name });
      return switchTo(catalogPath);
    },
    'project-rename': async ({ dir, name }) => {
      const target = path.resolve(dir);
      const catalogPath = catalogueOf(target);
      // The open project may be renamed wherever it is (serve may have been started on it).
      if (catalogPath !== current.catalogPath) checkAllowed(catalogPath);
      if (!fs.existsSync(catalogPath))
        throw new StudioError('not-a-project', `${target} is not a FER Studio project.`);
      assertFreeName(listProjects(dataDir, onlyInside), name, projectInfo(catalogPath).dir);
      writeProjectFile(catalogPath, { name });
      const info = projectInfo(catalogPath);
      if (catalogPath === current.catalogPath) emitAll('project-changed', { project: info });
      return info;
    },
    'project-delete': async ({ dir }) => {
      const target = path.resolve(dir);
      checkAllowed(path.join(target, CATALOGUE_FILE));
      return { deleted: deleteProject(dataDir, target, current.catalogPath).dir };
    },
  };

  /** Outside the sample project, "Open sample dataset" opens the sample project and imports there. */
  const openSample: Handlers['catalogue-sample'] = async (request) => {
    const catalogPath = path.join(sampleProjectDir(dataDir), CATALOGUE_FILE);
    if (!fs.existsSync(catalogPath))
      writeProjectFile(catalogPath, { name: SAMPLE_NAME, sample: true });
    await switchTo(catalogPath);
    const reply = await current.studio.dispatch('catalogue-sample', request);
    if (!reply.ok) throw new StudioError(reply.error.code, reply.error.message);
    return reply.result as ResponseOf<'catalogue-sample'>;
  };

  /** The sample project holds only the synthetic faces: real images never mix into it either. */
  const refuseSampleImport: Handlers['catalogue-import'] = async () => {
    throw new StudioError(
      'bad-request',
      `This is the sample project ("${SAMPLE_NAME}"): it holds only the synthetic faces. Create a project for your own images (project menu → New project) and import there.`,
    );
  };

  function emitAll<E extends EventName>(event: E, payload: EventOf<E>): void {
    for (const listener of listeners) listener(event, payload);
  }

  function open(catalogPath: string): { catalogPath: string; studio: Studio; off: () => void } {
    // A project's folder is made with it; a bare catalogue file's folder must exist.
    if (path.basename(catalogPath) === CATALOGUE_FILE)
      fs.mkdirSync(path.dirname(catalogPath), { recursive: true });
    const isSample = projectInfo(catalogPath).isSample;
    const studio = createStudio({
      catalogPath,
      dataDir,
      mode,
      ...(options.backend ? { backend: options.backend } : {}),
      overrides: {
        ...options.overrides,
        ...projectHandlers,
        ...(isSample
          ? { 'catalogue-import': refuseSampleImport }
          : { 'catalogue-sample': openSample }),
      },
    });
    const off = studio.subscribe((event, payload) => {
      track(event, payload);
      emitAll(event, payload);
    });
    touchRecent(dataDir, catalogPath);
    return { catalogPath, studio, off };
  }

  async function switchTo(catalogPath: string): Promise<ProjectInfo> {
    if (catalogPath !== current.catalogPath) {
      assertIdle();
      const next = open(catalogPath);
      const previous = current;
      current = next;
      previous.off();
      await previous.studio.close();
    }
    const info = projectInfo(catalogPath, new Date().toISOString());
    emitAll('project-changed', { project: info });
    return info;
  }

  let current = open(firstCatalogue(dataDir, options.catalogPath));

  function missing(): { code: 'not-found'; message: string } | null {
    if (fs.existsSync(current.catalogPath)) return null;
    return {
      code: 'not-found',
      message: `The open project's catalogue ${current.catalogPath} was moved or deleted, so nothing more is written to it. Open it from where it is now, or another project, from the project menu.`,
    };
  }

  return {
    // A stable map: each channel goes to whichever catalogue is open when it is called.
    handlers: new Proxy({} as Handlers, {
      get: (_target, channel: string) => current.studio.handlers[channel as keyof Handlers],
    }),
    async dispatch(channel, payload) {
      // A folder moved or deleted while open: SQLite would go on writing to the unlinked file.
      const gone = !channel.startsWith('project-') && channel !== 'app-info' && missing();
      if (gone) return { ok: false, error: gone };
      try {
        return await current.studio.dispatch(channel, payload);
      } finally {
        // An import's request settles when it is over; one that failed sends no 'done' event.
        if (channel === 'catalogue-import' || channel === 'catalogue-sample') importing = false;
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    imagePng: (imageKey, id) => current.studio.imagePng(imageKey, id),
    async close() {
      current.off();
      listeners.clear();
      await current.studio.close();
    },
  };
}
