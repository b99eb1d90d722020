import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../app/contract/handlers.ts';
import { createProjectStudio } from '../../../app/project/project-studio.ts';
import { startServer } from '../../../app/server/server.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import type { Studio } from '../../../app/studio.ts';

let dir: string;
const token = 'test-token-0123456789abcdefghijkl';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-image-key-'));
  fs.mkdirSync(path.join(dir, 'web'));
  await writeSampleDataset(path.join(dir, 'faces-a'), { perClass: 2, seed: 4 });
  await writeSampleDataset(path.join(dir, 'faces-b'), { perClass: 2, seed: 9 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Project = ResponseOf<'project-open'>;

async function call<T>(studio: Studio, channel: string, payload: unknown = {}): Promise<T> {
  const reply = await studio.dispatch(channel, payload);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}

describe('image URLs name their project', () => {
  it('image 1 of one project is never served under another project key', async () => {
    const dataDir = path.join(dir, 'data');
    const studio = createProjectStudio({ dataDir, mode: 'browser' });
    const server = await startServer({ studio, token, staticDir: path.join(dir, 'web') });
    const image = async (key: string | null, id: number) => {
      const res = await fetch(
        `http://127.0.0.1:${server.port}/api/images/${key}/${id}.png?token=${token}`,
      );
      return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()).toString('hex') };
    };
    try {
      const a = await call<Project>(studio, 'project-create', { name: 'A' });
      await call(studio, 'catalogue-import', { folder: path.join(dir, 'faces-a') });
      const keyA = (await call<{ current: Project }>(studio, 'project-list')).current.imageKey;
      expect(keyA).toMatch(/^[0-9a-f]{32}$/);
      const fromA = await image(keyA, 1);
      expect(fromA.status).toBe(200);

      const b = await call<Project>(studio, 'project-create', { name: 'B' });
      await call(studio, 'catalogue-import', { folder: path.join(dir, 'faces-b') });
      expect(b.imageKey).toMatch(/^[0-9a-f]{32}$/);
      expect(b.imageKey).not.toBe(keyA);
      // Both projects have an image 1; only the open project's key reaches it.
      expect((await image(keyA, 1)).status).toBe(404);
      const fromB = await image(b.imageKey, 1);
      expect(fromB.status).toBe(200);
      expect(fromB.bytes).not.toBe(fromA.bytes);

      const reopened = await call<Project>(studio, 'project-open', { dir: a.dir });
      expect(reopened.imageKey).toBe(keyA);
      expect(await image(keyA, 1)).toEqual(fromA);
      expect((await image(b.imageKey, 1)).status).toBe(404);
      // The old id-only address is gone: it could never say which project it meant.
      const old = await fetch(`http://127.0.0.1:${server.port}/api/images/1.png?token=${token}`);
      expect(old.status).toBe(404);
    } finally {
      await server.close();
      await studio.close();
    }
  });
});
