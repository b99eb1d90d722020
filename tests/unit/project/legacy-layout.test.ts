import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from 'node:util';
import { OPTIONS, openStudio } from '../../../app/cli/args.ts';
import type { RunDetail } from '../../../app/contract/handlers.ts';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import { defaultProjectDir, migrateLegacyLayout } from '../../../app/project/legacy.ts';
import { createProjectStudio } from '../../../app/project/project-studio.ts';
import { createRunStore } from '../../../app/runs/run-store.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

let dir: string;
let sample: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-legacy-'));
  sample = path.join(dir, 'faces');
  await writeSampleDataset(sample, { perClass: 12, seed: 5 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** What studios before projects left: absolute run paths into `<dataDir>/runs`. */
function makeOldLayoutRows(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'catalogue.sqlite'));
  db.prepare(
    `UPDATE runs SET run_dir = ? || '/runs/run-' || id,
       model_path = CASE WHEN model_path IS NULL THEN NULL ELSE ? || '/runs/run-' || id || '/model' END`,
  ).run(dataDir, dataDir);
  db.close();
}

describe('the data directory before projects', () => {
  it('moves into projects/default on first open; a stopped run resumes from its checkpoint', async () => {
    const dataDir = path.join(dir, 'old-studio');
    fs.mkdirSync(dataDir);
    const old = openSession(dir, 'old', {
      catalogPath: path.join(dataDir, 'catalogue.sqlite'),
      dataDir,
    });
    await old.call('catalogue-import', { folder: sample });
    const { runId } = await old.call<{ runId: number }>('training-start', {
      config: { epochs: 2, batchSize: 32, validationFraction: 0.2 },
    });
    await new Promise<void>((resolve) => {
      old.studio.subscribe((event) => {
        if (event === 'training-epoch') resolve();
      });
    });
    await old.call('training-stop', { runId });
    expect((await old.ended(runId)).status).toBe('stopped');
    await old.studio.close();
    makeOldLayoutRows(dataDir);
    fs.mkdirSync(path.join(dataDir, 'sample-150'));
    const checkpoint = fs.readdirSync(path.join(dataDir, 'runs', `run-${runId}`)).sort();
    expect(checkpoint).toContain('latest.json');

    // The CLI without --catalog opens the default project, migrating first.
    const { values } = parseArgs({ args: ['--data-dir', dataDir], options: OPTIONS });
    const studio = openStudio(values, false);
    const project = defaultProjectDir(dataDir);
    expect((await studio.dispatch('app-info', {})).ok).toBe(true);
    await studio.close();
    expect(fs.readdirSync(dataDir).sort()).toEqual(['projects']);
    expect(fs.readdirSync(project).sort()).toEqual(['catalogue.sqlite', 'runs', 'sample-150']);
    expect(fs.readdirSync(path.join(project, 'runs', `run-${runId}`)).sort()).toEqual(checkpoint);

    const s = openSession(dir, 'new', {
      catalogPath: path.join(project, 'catalogue.sqlite'),
      dataDir,
    });
    expect(await s.call<RunDetail>('run-get', { runId })).toMatchObject({
      canResume: true,
      epochsDone: 1,
    });
    await s.call('training-resume', { runId });
    expect((await s.ended(runId)).status).toBe('finished');
    expect(fs.existsSync(path.join(project, 'runs', `run-${runId}`, 'model/model.json'))).toBe(
      true,
    );
    await s.studio.close();
    expect(migrateLegacyLayout(dataDir)).toBeNull(); // done once
  });

  it('a migration cut short after the runs moved finishes on the next start', () => {
    const dataDir = path.join(dir, 'half');
    fs.mkdirSync(dataDir);
    const catalogue = openCatalogue(path.join(dataDir, 'catalogue.sqlite'));
    catalogue.db
      .prepare(
        `INSERT INTO runs (id, created_at, updated_at, status, model, config, run_dir, model_path)
         VALUES (1, 'x', 'x', 'stopped', 'compact-cnn', '{}', ?, NULL)`,
      )
      .run(path.join(dataDir, 'runs', 'run-1'));
    catalogue.close();
    fs.mkdirSync(path.join(dataDir, 'runs', 'run-1'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'runs', 'run-1', 'latest.json'), '{"epoch":1}');
    // The crash: the runs already moved, the catalogue did not.
    const project = defaultProjectDir(dataDir);
    fs.mkdirSync(path.join(project, 'runs'), { recursive: true });
    fs.renameSync(path.join(dataDir, 'runs', 'run-1'), path.join(project, 'runs', 'run-1'));

    expect(migrateLegacyLayout(dataDir)?.project).toBe(project);
    const moved = openCatalogue(path.join(project, 'catalogue.sqlite'));
    const runDir = createRunStore(moved.db).runDir(1);
    moved.close();
    expect(runDir).toBe(path.join(project, 'runs', 'run-1'));
    expect(fs.readFileSync(path.join(runDir, 'latest.json'), 'utf8')).toBe('{"epoch":1}');
    expect(fs.existsSync(path.join(dataDir, 'catalogue.sqlite'))).toBe(false);
  });

  it('the app migrates on start even when it opens another catalogue first, but not the old one by name', async () => {
    const dataDir = path.join(dir, 'serve-data');
    fs.mkdirSync(dataDir);
    openCatalogue(path.join(dataDir, 'catalogue.sqlite')).close();
    const byName = createProjectStudio({
      dataDir,
      mode: 'browser',
      catalogPath: path.join(dataDir, 'catalogue.sqlite'),
    });
    await byName.close();
    expect(fs.existsSync(path.join(dataDir, 'catalogue.sqlite'))).toBe(true);

    const other = path.join(dir, 'elsewhere.sqlite');
    const studio = createProjectStudio({ dataDir, mode: 'electron', catalogPath: other });
    await studio.close();
    expect(fs.existsSync(path.join(dataDir, 'catalogue.sqlite'))).toBe(false);
    expect(fs.existsSync(path.join(defaultProjectDir(dataDir), 'catalogue.sqlite'))).toBe(true);
  });

  it('never overwrites a default project that already has a catalogue', () => {
    const dataDir = path.join(dir, 'both');
    fs.mkdirSync(path.join(defaultProjectDir(dataDir)), { recursive: true });
    openCatalogue(path.join(defaultProjectDir(dataDir), 'catalogue.sqlite')).close();
    openCatalogue(path.join(dataDir, 'catalogue.sqlite')).close();
    expect(migrateLegacyLayout(dataDir)?.project).toBe(`${defaultProjectDir(dataDir)}-2`);
    expect(fs.existsSync(path.join(`${defaultProjectDir(dataDir)}-2`, 'catalogue.sqlite'))).toBe(
      true,
    );
  });
});
