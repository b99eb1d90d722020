import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StudioError } from '../contract/errors.ts';
import type { z } from 'zod';
import type { projectSchema } from '../contract/projects.ts';
import { SCHEMA_VERSION } from '../catalogue/schema.ts';
import { readImageKey } from '../catalogue/catalogue.ts';
import { artefactDirOf, CATALOGUE_FILE } from './layout.ts';
import { PROJECTS_DIR } from './legacy.ts';

export type ProjectInfo = z.output<typeof projectSchema>;

/** A project's name and kind; the folder name is the fallback name. */
export const PROJECT_FILE = 'project.json';
/** The studio-wide list of recently opened catalogues (not part of any project). */
export const RECENTS_FILE = 'recent-projects.json';
export const SAMPLE_PROJECT = 'sample';
export const SAMPLE_NAME = 'Sample — synthetic faces';
const MAX_RECENTS = 12;

interface ProjectFile {
  name?: string;
  sample?: boolean;
}
interface Recent {
  catalogPath: string;
  openedAt: string;
}

export function sampleProjectDir(dataDir: string): string {
  return path.join(dataDir, PROJECTS_DIR, SAMPLE_PROJECT);
}

/** The project folder's catalogue, or the catalogue file itself when `target` names one. */
export function catalogueOf(target: string): string {
  const resolved = path.resolve(target);
  return fs.existsSync(resolved) && fs.statSync(resolved).isFile()
    ? resolved
    : path.join(resolved, CATALOGUE_FILE);
}

function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/** Written beside and renamed over, so a crash never leaves half a file. */
function writeJson(file: string, value: unknown): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, `${JSON.stringify(value, null, 2)}\n`);
  fs.renameSync(temp, file);
}

/**
 * Checks that `dir` can be opened as a project: an existing project, or a new or empty folder
 * (which becomes one). Anything else — a file, a folder of other things — is refused, so the
 * studio never scatters `runs/` into an unrelated folder.
 */
export function assertProjectFolder(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory())
    throw new StudioError('not-a-project', `${dir} is a file, not a project folder.`);
  const entries = fs.readdirSync(dir).filter((name) => !name.startsWith('.'));
  if (entries.length > 0 && !entries.includes(CATALOGUE_FILE))
    throw new StudioError(
      'not-a-project',
      `${dir} is not a FER Studio project (no ${CATALOGUE_FILE} in it, and it is not empty). Choose a project folder, or an empty or new folder for a new project.`,
    );
}

type Counts = Pick<ProjectInfo, 'images' | 'runs' | 'problem' | 'imageKey'>;

function readKey(db: Database.Database): string | null {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'catalogue_identity'")
    .get();
  return table ? readImageKey(db) : null;
}

function counts(catalogPath: string): Counts {
  if (!fs.existsSync(catalogPath)) return { images: 0, runs: 0, problem: null, imageKey: null };
  let db: Database.Database | null = null;
  try {
    db = new Database(catalogPath, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      return {
        images: null,
        runs: null,
        problem: 'Made by a newer FER Studio; update to open it.',
        imageKey: null,
      };
    const count = (table: string) =>
      version === 0
        ? 0
        : ((db?.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number | undefined) ?? 0);
    return {
      images: count('images'),
      runs: version >= 2 ? count('runs') : 0,
      problem: null,
      imageKey: readKey(db),
    };
  } catch (error) {
    return {
      images: null,
      runs: null,
      problem: `Cannot read the catalogue: ${(error as Error).message}`,
      imageKey: null,
    };
  } finally {
    db?.close();
  }
}

export function projectInfo(catalogPath: string, openedAt: string | null = null): ProjectInfo {
  const isProject = path.basename(catalogPath) === CATALOGUE_FILE;
  const dir = isProject ? path.dirname(catalogPath) : catalogPath;
  const file = readJson<ProjectFile>(path.join(artefactDirOf(catalogPath), PROJECT_FILE), {});
  const missing = !fs.existsSync(dir);
  return {
    dir,
    catalogPath,
    name: file.name ?? path.basename(dir),
    openedAt,
    isSample: file.sample === true,
    ...(missing
      ? {
          images: null,
          runs: null,
          problem: 'The folder is gone (moved or deleted).',
          imageKey: null,
        }
      : counts(catalogPath)),
  };
}

/** Sets fields of the catalogue's `project.json` (in its artefact folder), keeping the others. */
export function writeProjectFile(catalogPath: string, file: ProjectFile): void {
  const folder = artefactDirOf(catalogPath);
  fs.mkdirSync(folder, { recursive: true });
  const target = path.join(folder, PROJECT_FILE);
  writeJson(target, { ...readJson<ProjectFile>(target, {}), ...file });
}

/** A free folder under `<dataDir>/projects` for a project called `name`. */
export function newProjectDir(dataDir: string, name: string): string {
  const slug =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'project';
  const base = path.join(dataDir, PROJECTS_DIR, slug);
  let dir = base;
  for (let n = 2; fs.existsSync(dir); n++) dir = `${base}-${n}`;
  return dir;
}

export function readRecents(dataDir: string): Recent[] {
  const list = readJson<unknown>(path.join(dataDir, RECENTS_FILE), []);
  return Array.isArray(list)
    ? list.filter(
        (r): r is Recent =>
          typeof r === 'object' && r !== null && typeof (r as Recent).catalogPath === 'string',
      )
    : [];
}

export function touchRecent(dataDir: string, catalogPath: string): void {
  const rest = readRecents(dataDir).filter((r) => r.catalogPath !== catalogPath);
  writeRecents(
    dataDir,
    [{ catalogPath, openedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENTS),
  );
}

export function writeRecents(dataDir: string, list: readonly Recent[]): void {
  fs.mkdirSync(dataDir, { recursive: true });
  writeJson(path.join(dataDir, RECENTS_FILE), list);
}

/** Refuses a name another listed project has already (case and spaces aside). */
export function assertFreeName(projects: readonly ProjectInfo[], name: string, dir?: string): void {
  const key = (text: string) => text.trim().toLocaleLowerCase();
  const taken = projects.find((p) => key(p.name) === key(name) && p.dir !== dir);
  if (taken)
    throw new StudioError(
      'bad-request',
      `A project called "${taken.name}" exists already; pick another name.`,
    );
}

/** True when `target` lies inside `root` (browser mode opens nothing outside its data directory). */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(path.resolve(root), path.resolve(target));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * The projects under `<dataDir>/projects` plus recently opened ones (only those inside the data
 * directory when `onlyInside`), most recently opened first.
 */
export function listProjects(dataDir: string, onlyInside: boolean): ProjectInfo[] {
  const recents = readRecents(dataDir).filter(
    (r) => !onlyInside || isInside(dataDir, r.catalogPath),
  );
  const seen = new Set(recents.map((r) => r.catalogPath));
  const root = path.join(dataDir, PROJECTS_DIR);
  const folders = fs.existsSync(root)
    ? fs
        .readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, CATALOGUE_FILE)))
        .map((e) => path.join(root, e.name, CATALOGUE_FILE))
        .filter((p) => !seen.has(p))
        .sort()
    : [];
  return [
    ...recents.map((r) => projectInfo(r.catalogPath, r.openedAt)),
    ...folders.map((p) => projectInfo(p)),
  ];
}
