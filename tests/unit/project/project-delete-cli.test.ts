import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../core/cli-helpers.ts';

let dir: string;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args, '--data-dir', 'data'], { encoding: 'utf8', cwd: dir });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-project-delete-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fer-studio project-delete', () => {
  it('asks for --yes, then deletes the project folder and nothing else', () => {
    const doomed = path.join(dir, 'data', 'projects', 'doomed');
    const kept = path.join(dir, 'data', 'projects', 'kept');
    expect(cli('stats', '--project', doomed).status).toBe(0);
    expect(cli('stats', '--project', kept).status).toBe(0);

    const asked = cli('project-delete', doomed);
    expect(asked.status).toBe(2);
    expect(asked.stderr).toContain('--yes');
    expect(fs.existsSync(path.join(doomed, 'catalogue.sqlite'))).toBe(true);

    const done = cli('project-delete', doomed, '--yes');
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toContain(`Deleted ${doomed}`);
    expect(fs.existsSync(doomed)).toBe(false);
    expect(fs.existsSync(path.join(kept, 'catalogue.sqlite'))).toBe(true);

    const notProject = cli('project-delete', path.join(dir, 'data'), '--yes');
    expect(notProject.status).toBe(1);
    expect(notProject.stderr).toContain('not a FER Studio project folder');
    expect(fs.existsSync(path.join(kept, 'catalogue.sqlite'))).toBe(true);
  });
});
