import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/classes.ts';

const CLI = path.resolve(import.meta.dirname, '../../../app/cli/main.ts');
let dir: string;
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('fer-studio CLI', () => {
  it('sample → import --json → stats --json', () => {
    const sample = cli('sample', 'faces', '--per-class', '5', '--json');
    expect(sample.status).toBe(0);
    expect(JSON.parse(sample.stdout)).toMatchObject({ files: 35 });

    const imported = cli('import', 'faces', '--catalog', 'c.sqlite', '--json');
    expect(imported.status).toBe(0);
    const report = JSON.parse(imported.stdout);
    expect(report).toMatchObject({ imported: 35, duplicates: 0, skipped: {} });
    expect(Object.keys(report.classes)).toEqual([...CLASS_NAMES]);
    expect(imported.stderr).toMatch(/35\/35/); // progress goes to stderr, never into the JSON

    const stats = cli('stats', '--catalog', 'c.sqlite', '--json');
    expect(stats.status).toBe(0);
    const parsed = JSON.parse(stats.stdout);
    expect(parsed.total).toBe(35);
    expect(parsed.classes).toEqual(report.classes);

    const again = JSON.parse(cli('import', 'faces', '--catalog', 'c.sqlite', '--json').stdout);
    expect(again).toMatchObject({ imported: 0, duplicates: 35 });
  });

  it('prints a clear error and exits non-zero on bad input', () => {
    const missing = cli('import', 'nope', '--catalog', 'c.sqlite', '--json');
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/error \(not-found\): The folder .*nope does not exist/);
    expect(missing.stdout).toBe('');

    fs.writeFileSync(
      path.join(dir, 'list.sqlite'),
      'not a database at all, just some text\n'.repeat(5),
    );
    const notDb = cli('stats', '--catalog', 'list.sqlite');
    expect(notDb.status).toBe(1);
    expect(notDb.stderr).toMatch(/not-a-catalogue/);
    expect(fs.readFileSync(path.join(dir, 'list.sqlite'), 'utf8')).toMatch(/^not a database/);

    expect(cli('stats').status).toBe(2);
    expect(cli('frobnicate').stderr).toMatch(/Unknown command/);
    expect(cli('import', 'faces', '--catalog', 'c.sqlite', '--test-fraction', 'lots').status).toBe(
      2,
    );
    const fraction = cli('import', 'faces', '--catalog', 'c.sqlite', '--test-fraction', '1.5');
    expect(fraction.status).toBe(1);
    expect(fraction.stderr).toMatch(/testFraction/);
  });
});
