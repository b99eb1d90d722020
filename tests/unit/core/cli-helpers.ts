import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

export const CLI = path.resolve(import.meta.dirname, '../../../app/cli/main.ts');

/**
 * A temp folder holding a small imported sample catalogue (`c.sqlite`, data dir `data`), made
 * before the calling file's tests and removed after them. `cli` runs the real CLI in it.
 */
export function sampleCatalogueFolder(prefix: string) {
  const folder = {
    dir: '',
    cli: (...args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args, '--catalog', 'c.sqlite', '--data-dir', 'data'], {
        encoding: 'utf8',
        cwd: folder.dir,
      }),
  };
  beforeAll(() => {
    folder.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    expect(
      spawnSync(process.execPath, [CLI, 'sample', 'faces', '--per-class', '6'], { cwd: folder.dir })
        .status,
    ).toBe(0);
    expect(folder.cli('import', 'faces').status).toBe(0);
  });
  afterAll(() => fs.rmSync(folder.dir, { recursive: true, force: true }));
  return folder;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in `cwd`, spawned asynchronously so its worker threads never block the test runner. */
export function runCli(cwd: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
