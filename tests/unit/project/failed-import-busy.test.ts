import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProjectStudio } from '../../../app/project/project-studio.ts';

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-failed-import-'));
  fs.mkdirSync(path.join(dir, 'no-classes/holiday'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'no-classes/holiday/readme.txt'), 'not a face');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a failed import', () => {
  it.each([
    ['a folder without class folders', () => path.join(dir, 'no-classes')],
    ['a missing path', () => path.join(dir, 'nowhere')],
    ['a relative path', () => 'faces/train'],
  ])('from %s leaves no busy flag: creating a project then succeeds', async (_name, folder) => {
    const studio = createProjectStudio({
      dataDir: path.join(dir, `data-${Math.random()}`),
      mode: 'browser',
    });
    try {
      const failed = await studio.dispatch('catalogue-import', { folder: folder(), jobId: 'j' });
      expect(failed.ok).toBe(false);
      const created = await studio.dispatch('project-create', { name: 'Next' });
      expect(created).toMatchObject({ ok: true });
    } finally {
      await studio.close();
    }
  });
});
