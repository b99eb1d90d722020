import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName, ResponseOf, Stats } from '../../../app/contract/handlers.ts';
import { createProjectStudio } from '../../../app/project/project-studio.ts';
import { SAMPLE_NAME } from '../../../app/project/registry.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import type { Studio } from '../../../app/studio.ts';

let dir: string;
let faces: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-projects-'));
  faces = path.join(dir, 'faces');
  await writeSampleDataset(faces, { perClass: 3, seed: 2 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type ProjectList = ResponseOf<'project-list'>;

async function call<T>(studio: Studio, channel: string, payload: unknown = {}): Promise<T> {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}
async function failure(studio: Studio, channel: string, payload: unknown) {
  const reply = await studio.dispatch(channel, payload);
  if (reply.ok) throw new Error(`${channel} unexpectedly succeeded`);
  return reply.error;
}

describe('projects', () => {
  it('create, import, rename, switch and reopen: each project keeps its own images', async () => {
    const dataDir = path.join(dir, 'data-1');
    const studio = createProjectStudio({ dataDir, mode: 'browser' });
    const events: EventName[] = [];
    studio.subscribe((event) => events.push(event));
    const first = await call<ProjectList>(studio, 'project-list');
    expect(first.current).toMatchObject({ name: 'default', images: 0, runs: 0 });

    const fer = await call<ProjectList['current']>(studio, 'project-create', { name: 'FER clean' });
    expect(fer).toMatchObject({ name: 'FER clean', dir: path.join(dataDir, 'projects/fer-clean') });
    expect(events).toContain('project-changed');
    await call(studio, 'catalogue-import', { folder: faces });
    await call(studio, 'project-rename', { dir: fer.dir, name: 'FER cleaned' });

    await call(studio, 'project-open', { dir: path.join(dataDir, 'projects/default') });
    expect((await call<Stats>(studio, 'catalogue-stats')).total).toBe(0);
    const list = await call<ProjectList>(studio, 'project-list');
    expect(list.current.name).toBe('default');
    const listed = list.projects.find((p) => p.dir === fer.dir);
    expect(listed).toMatchObject({ name: 'FER cleaned', images: 21, runs: 0, problem: null });
    expect(list.projects[0]?.name).toBe('default'); // most recently opened first
    await studio.close();

    // A new process starts on the project opened last.
    const again = createProjectStudio({ dataDir, mode: 'browser' });
    expect((await call<ProjectList>(again, 'project-list')).current.name).toBe('default');
    await call(again, 'project-open', { dir: fer.dir });
    expect((await call<Stats>(again, 'catalogue-stats')).total).toBe(21);
    await again.close();
  });

  it('the sample opens as its own project and is never imported into the open one', async () => {
    const dataDir = path.join(dir, 'data-2');
    const studio = createProjectStudio({ dataDir, mode: 'browser' });
    await call(studio, 'catalogue-import', { folder: faces });
    await call(studio, 'catalogue-sample', { perClass: 4 });
    const list = await call<ProjectList>(studio, 'project-list');
    expect(list.current).toMatchObject({ name: SAMPLE_NAME, isSample: true, images: 28 });
    expect(list.projects.find((p) => p.name === 'default')?.images).toBe(21);
    expect(fs.existsSync(path.join(list.current.dir, 'sample-4'))).toBe(true);
    // Nor do real images go into the sample project.
    expect(await failure(studio, 'catalogue-import', { folder: faces })).toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/sample project.*Create a project/),
    });
    expect((await call<Stats>(studio, 'catalogue-stats')).total).toBe(28);
    // Opening the sample again (from another project too) finds it there: no second import.
    await call(studio, 'project-open', { dir: path.join(dataDir, 'projects/default') });
    const again = await call<ResponseOf<'catalogue-sample'>>(studio, 'catalogue-sample', {
      perClass: 4,
    });
    expect(again).toMatchObject({ imported: 28, duplicates: 0, alreadyThere: true });
    const imports = await call<ResponseOf<'imports-list'>>(studio, 'imports-list');
    expect(imports.imports).toHaveLength(1);
    await studio.close();
  });

  it('refuses a second project of the same name, and deletes a closed project with all its files', async () => {
    const dataDir = path.join(dir, 'data-del');
    const studio = createProjectStudio({ dataDir, mode: 'browser' });
    const a = await call<ProjectList['current']>(studio, 'project-create', { name: 'Faces' });
    await call(studio, 'catalogue-import', { folder: faces });
    expect(await failure(studio, 'project-create', { name: ' faces ' })).toMatchObject({
      code: 'bad-request',
      message: 'A project called "Faces" exists already; pick another name.',
    });
    const b = await call<ProjectList['current']>(studio, 'project-create', { name: 'Other' });
    expect(await failure(studio, 'project-rename', { dir: b.dir, name: 'FACES' })).toMatchObject({
      code: 'bad-request',
    });
    // The open project is never deleted.
    expect(await failure(studio, 'project-delete', { dir: b.dir })).toMatchObject({
      code: 'busy',
      message: expect.stringMatching(/open/),
    });
    // A folder that is not a project is not touched.
    fs.mkdirSync(path.join(dataDir, 'keep'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'keep', 'notes.txt'), 'mine');
    expect(
      await failure(studio, 'project-delete', { dir: path.join(dataDir, 'keep') }),
    ).toMatchObject({ code: 'not-a-project' });
    expect(fs.existsSync(path.join(dataDir, 'keep', 'notes.txt'))).toBe(true);

    expect(await call(studio, 'project-delete', { dir: a.dir })).toEqual({ deleted: a.dir });
    expect(fs.existsSync(a.dir)).toBe(false);
    expect(fs.existsSync(b.dir)).toBe(true);
    const list = await call<ProjectList>(studio, 'project-list');
    expect(list.projects.map((p) => p.name)).not.toContain('Faces');
    // Its name is free again.
    await call(studio, 'project-create', { name: 'Faces' });
    await studio.close();
  });

  it('refuses what is not a project, what is outside browser mode, and a newer catalogue', async () => {
    const dataDir = path.join(dir, 'data-3');
    const studio = createProjectStudio({ dataDir, mode: 'browser' });
    await call(studio, 'catalogue-import', { folder: faces });
    const projects = path.join(dataDir, 'projects');

    const notProject = path.join(projects, 'holiday-photos');
    fs.mkdirSync(notProject);
    fs.writeFileSync(path.join(notProject, 'beach.jpg'), 'x');
    expect(await failure(studio, 'project-open', { dir: notProject })).toMatchObject({
      code: 'not-a-project',
      message: expect.stringContaining('not a FER Studio project'),
    });
    expect(
      await failure(studio, 'project-open', { dir: path.join(projects, 'gone') }),
    ).toMatchObject({ code: 'not-found' });
    expect(await failure(studio, 'project-open', { dir: faces })).toMatchObject({
      code: 'forbidden',
    });
    expect(await failure(studio, 'project-rename', { dir: faces, name: 'x' })).toMatchObject({
      code: 'forbidden',
    });

    const newer = path.join(projects, 'from-the-future');
    fs.mkdirSync(newer);
    const db = new Database(path.join(newer, 'catalogue.sqlite'));
    db.pragma('user_version = 999');
    db.close();
    expect(await failure(studio, 'project-open', { dir: newer })).toMatchObject({
      code: 'catalogue-too-new',
    });
    const listed = (await call<ProjectList>(studio, 'project-list')).projects;
    expect(listed.find((p) => p.dir === newer)?.problem).toMatch(/newer FER Studio/);
    // The open project stayed open and whole.
    expect((await call<Stats>(studio, 'catalogue-stats')).total).toBe(21);
    await studio.close();
  });

  it('browser mode returns to the catalogue serve started on, inside its data directory', async () => {
    const dataDir = path.join(dir, 'data-5');
    fs.mkdirSync(dataDir);
    const own = path.join(dataDir, 'own.sqlite');
    const studio = createProjectStudio({ dataDir, mode: 'browser', catalogPath: own });
    await call(studio, 'catalogue-import', { folder: faces });
    await call(studio, 'project-create', { name: 'Other' });
    const list = await call<ProjectList>(studio, 'project-list');
    expect(list.projects.map((p) => p.name)).toEqual(['Other', 'own.sqlite']);
    await call(studio, 'project-open', { dir: own });
    expect((await call<Stats>(studio, 'catalogue-stats')).total).toBe(21);
    await studio.close();
  });

  it('electron mode opens a project folder anywhere and remembers it', async () => {
    const dataDir = path.join(dir, 'data-4');
    const elsewhere = path.join(dir, 'my-projects', 'faces-2026');
    fs.mkdirSync(elsewhere, { recursive: true });
    const studio = createProjectStudio({
      dataDir,
      mode: 'electron',
      catalogPath: path.join(elsewhere, 'catalogue.sqlite'),
    });
    await call(studio, 'catalogue-import', { folder: faces });
    await call(studio, 'project-create', { name: 'Second' });
    await call(studio, 'project-open', { dir: elsewhere });
    const list = await call<ProjectList>(studio, 'project-list');
    expect(list.current.dir).toBe(elsewhere);
    expect(list.projects.map((p) => p.name)).toEqual(['faces-2026', 'Second']);
    await studio.close();
    // Browser mode over the same data directory does not list the outside folder.
    const browser = createProjectStudio({ dataDir, mode: 'browser' });
    const names = (await call<ProjectList>(browser, 'project-list')).projects.map((p) => p.name);
    expect(names).not.toContain('faces-2026');
    await browser.close();
  });
});
