import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf, RunDetail, Stats } from '../../../app/contract/handlers.ts';
import { openCatalogue } from '../../../app/catalogue/catalogue.ts';
import { createProjectStudio } from '../../../app/project/project-studio.ts';
import { OWNER_FILE } from '../../../app/runs/run-owner.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

const ROOT = path.resolve(import.meta.dirname, '../../..');
let dir: string;
let faces: string;
let more: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-project-bad-'));
  faces = path.join(dir, 'faces');
  more = path.join(dir, 'more');
  await writeSampleDataset(faces, { perClass: 10, seed: 3 });
  await writeSampleDataset(more, { perClass: 2, seed: 8 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** chattr +i makes a folder unwritable even for root (CI runs as root); absent or unsupported → skip. */
function canMakeImmutable(): boolean {
  const probe = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-chattr-'));
  const set = spawnSync('chattr', ['+i', probe]);
  spawnSync('chattr', ['-i', probe]);
  fs.rmSync(probe, { recursive: true, force: true });
  return set.status === 0;
}

describe('opening projects that cannot be used', () => {
  it('a catalogue in a folder that does not exist: a clear not-found', () => {
    expect(() => openCatalogue(path.join(dir, 'nowhere', 'catalogue.sqlite'))).toThrow(
      expect.objectContaining({
        code: 'not-found',
        message: expect.stringMatching(/does not exist/),
      }),
    );
  });

  it.skipIf(!canMakeImmutable())(
    'a project on a read-only disk is refused with a reason, and nothing in it changes',
    () => {
      const project = path.join(dir, 'read-only');
      fs.mkdirSync(project);
      openCatalogue(path.join(project, 'catalogue.sqlite')).close();
      const before = fs.readFileSync(path.join(project, 'catalogue.sqlite'));
      const file = path.join(project, 'catalogue.sqlite');
      spawnSync('chattr', ['+i', file, project]);
      try {
        expect(() => openCatalogue(file)).toThrow(
          expect.objectContaining({ code: 'read-only', message: expect.stringMatching(/copy/) }),
        );
        const cli = spawnSync(
          process.execPath,
          [path.join(ROOT, 'app/cli/main.ts'), 'stats', '--project', project],
          { cwd: ROOT, encoding: 'utf8' },
        );
        expect(cli.status).toBe(1);
        expect(cli.stderr.trim()).toMatch(/^error \(read-only\): .*cannot be written/);
        expect(cli.stderr).not.toMatch(/\n\s+at /); // no stack trace
      } finally {
        spawnSync('chattr', ['-i', file, project]);
      }
      expect(fs.readFileSync(file).equals(before)).toBe(true);
    },
  );

  it('the CLI refuses a folder that is not a project', () => {
    const photos = path.join(dir, 'photos');
    fs.mkdirSync(photos);
    fs.writeFileSync(path.join(photos, 'cat.jpg'), 'x');
    const cli = spawnSync(
      process.execPath,
      [path.join(ROOT, 'app/cli/main.ts'), 'stats', '--project', photos],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(cli.status).toBe(1);
    expect(cli.stderr).toMatch(/error \(not-a-project\): .*photos is not a FER Studio project/);
    expect(fs.readdirSync(photos)).toEqual(['cat.jpg']);
  });

  it('a project folder deleted while open: requests say so instead of writing into the void', async () => {
    const dataDir = path.join(dir, 'data-deleted');
    const studio = createProjectStudio({ dataDir, mode: 'browser' });
    const created = await studio.dispatch('project-create', { name: 'Doomed' });
    expect(created.ok).toBe(true);
    await studio.dispatch('catalogue-import', { folder: more });
    fs.rmSync(path.join(dataDir, 'projects', 'doomed'), { recursive: true });

    const reply = await studio.dispatch('catalogue-stats', {});
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: expect.stringMatching(/moved or deleted/) },
    });
    const list = await studio.dispatch('project-list', {});
    expect(list.ok && (list.result as ResponseOf<'project-list'>).current.problem).toMatch(/gone/);
    // Another project still opens.
    const other = await studio.dispatch('project-open', {
      dir: path.join(dataDir, 'projects', 'default'),
    });
    expect(other.ok).toBe(true);
    expect(await studio.dispatch('catalogue-stats', {})).toMatchObject({ ok: true });
    await studio.close();
  });
});

describe('two studio processes on one project (both work: SQLite WAL)', () => {
  it("the second neither steals the first's live run nor blocks its own work", async () => {
    const catalogPath = path.join(dir, 'shared', 'catalogue.sqlite');
    fs.mkdirSync(path.dirname(catalogPath));
    const a = openSession(dir, 'a', { catalogPath, dataDir: path.join(dir, 'data-a') });
    await a.call('catalogue-import', { folder: faces });
    const { runId } = await a.call<{ runId: number }>('training-start', {
      config: { epochs: 3, batchSize: 32, validationFraction: 0.2 },
    });

    // A real second process (the CLI) opening the project leaves the live run alone.
    const runs = JSON.parse(
      execFileSync(
        process.execPath,
        [path.join(ROOT, 'app/cli/main.ts'), 'runs', '--catalog', catalogPath, '--json'],
        { cwd: ROOT, encoding: 'utf8' },
      ),
    ) as { id: number; status: string }[];
    expect(runs.find((r) => r.id === runId)?.status).toBe('running');
    const b = openSession(dir, 'b', { catalogPath, dataDir: path.join(dir, 'data-b') });
    expect((await b.call<RunDetail>('run-get', { runId })).status).toBe('running');
    expect(await b.failure('training-resume', { runId })).toMatchObject({
      code: 'busy',
      message: expect.stringMatching(/another FER Studio/),
    });
    await b.call('catalogue-import', { folder: more }); // writes while A trains
    expect((await a.ended(runId)).status).toBe('finished');
    expect((await b.call<RunDetail>('run-get', { runId })).status).toBe('finished');
    expect((await a.call<Stats>('catalogue-stats', {})).total).toBe(84);
    await b.studio.close();
    await a.studio.close();
  });

  it('a run left running by a process that died becomes resumable', async () => {
    const catalogPath = path.join(dir, 'crashed', 'catalogue.sqlite');
    fs.mkdirSync(path.dirname(catalogPath));
    const s = openSession(dir, 'c', { catalogPath, dataDir: path.join(dir, 'data-c') });
    await s.call('catalogue-import', { folder: more });
    const runId = await s.train({ epochs: 1, batchSize: 4, validationFraction: 0.2 });
    await s.studio.close();
    // What a crash leaves: status running, the owner file of a process that no longer exists.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const runDir = path.join(path.dirname(catalogPath), 'runs', `run-${runId}`);
    fs.writeFileSync(path.join(runDir, OWNER_FILE), String(dead));
    const db = openCatalogue(catalogPath).db;
    db.prepare(`UPDATE runs SET status = 'running' WHERE id = ?`).run(runId);
    db.close();

    const after = openSession(dir, 'c2', { catalogPath, dataDir: path.join(dir, 'data-c') });
    const run = await after.call<RunDetail>('run-get', { runId });
    expect(run.status).toBe('stopped');
    expect(run.message).toMatch(/Interrupted/);
    await after.studio.close();
  });
});
