import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireFullPath } from '../../../app/util/full-path.ts';
import { openSession, type Session } from '../session.ts';
import { tempDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
let s: Session;
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('fer-full-path-'));
  s = openSession(dir, 'paths');
});
afterAll(() => cleanup());

describe('paths from a window must be full paths', () => {
  test('relative export, report and import paths are refused in words, nothing is written', async () => {
    const cases = [
      ['export-model', { runId: 1, format: 'onnx', out: 'run1.onnx' }, 'run1.onnx'],
      ['export-dataset', { out: 'cleaned' }, 'cleaned'],
      ['report-export', { runId: 1, out: 'run1-report' }, 'run1-report'],
    ] as const;
    for (const [channel, request, name] of cases) {
      const error = await s.failure(channel, request);
      expect(error.code).toBe('not-a-full-path');
      expect(error.message).toBe(
        `"${name}" is not a full path. Type the whole path, starting with / (or a drive letter such as C:\\ on Windows); a partial path would land in the folder FER Studio was started from (${process.cwd()}).`,
      );
      expect(existsSync(join(process.cwd(), name))).toBe(false);
    }
    const imported = await s.failure('catalogue-import', { folder: 'fer2013/train' });
    expect(imported.message).toMatch(/^"fer2013\/train" is not a full path\. .*be looked for in/);
  });

  test('a relative model path is refused in the same words, by preview and by import', async () => {
    for (const channel of ['model-import-preview', 'model-import'] as const) {
      const error = await s.failure(channel, { path: 'models/emotion.keras' });
      expect(error.code).toBe('not-a-full-path');
      expect(error.message).toMatch(
        /^"models\/emotion\.keras" is not a full path\. .*be looked for in/,
      );
    }
  });

  test('full paths pass unchanged; ~ is not expanded, so it is not a full path', () => {
    expect(requireFullPath('/srv/out/run1.onnx', 'write')).toBe('/srv/out/run1.onnx');
    expect(() => requireFullPath('~/exports/run1.onnx', 'write')).toThrow(/not a full path/);
    expect(() => requireFullPath('./run1.onnx', 'write')).toThrow(/not a full path/);
  });
});
