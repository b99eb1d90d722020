import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { canMakeReadOnly, makeReadOnly } from '../read-only.ts';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StudioError } from '../../../app/contract/errors.ts';
import { exportModel } from '../../../app/export/index.ts';
import { nodeFs, type FileSystem } from '../../../app/training/fs-io.ts';
import { saveModel, tempDir, trainedLike } from './helpers.ts';

let dir: string;
let modelDir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ({ dir, cleanup } = await tempDir());
  const model = trainedLike('compact-cnn');
  modelDir = await saveModel(model, dir);
  model.dispose();
});
afterAll(() => cleanup());

/** A disk that fills up: the write to any temp file lands half its bytes, then fails. */
const fullDisk: FileSystem = {
  ...nodeFs,
  async writeFile(path, data) {
    await nodeFs.writeFile(
      path,
      typeof data === 'string' ? data.slice(0, 10) : data.subarray(0, 10),
    );
    throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  },
};

const fresh = async (name: string) => {
  const d = join(dir, name);
  await mkdir(d, { recursive: true });
  return d;
};

describe('atomic writes', () => {
  test.each(['onnx', 'keras'] as const)(
    '%s: a failing write leaves no target and no temp file',
    async (format) => {
      const outDir = await fresh(`fail-${format}`);
      const out = join(outDir, `m.${format}`);
      const error = await exportModel({ modelDir, format, out, fs: fullDisk }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StudioError);
      expect((error as StudioError).message).toMatch(
        /^Could not write .*m\.(onnx|keras): .*ENOSPC/,
      );
      expect(await readdir(outDir)).toEqual([]);
    },
  );

  test('a failing forced overwrite keeps the old file byte for byte', async () => {
    const outDir = await fresh('keep');
    const out = join(outDir, 'm.onnx');
    await exportModel({ modelDir, format: 'onnx', out });
    const before = await readFile(out);
    await expect(
      exportModel({ modelDir, format: 'onnx', out, force: true, fs: fullDisk }),
    ).rejects.toThrow(/Could not write/);
    expect(Buffer.compare(await readFile(out), before)).toBe(0);
    expect((await readdir(outDir)).sort()).toEqual(['m.onnx', 'm.onnx.preprocessing.json']);
  });

  test('a failing tfjs export keeps an existing folder intact', async () => {
    const outDir = await fresh('keep-tfjs');
    const out = join(outDir, 'web');
    await exportModel({ modelDir, format: 'tfjs', out });
    const before = await readFile(join(out, 'weights.bin'));
    await expect(
      exportModel({ modelDir, format: 'tfjs', out, force: true, fs: fullDisk }),
    ).rejects.toThrow(/Could not write/);
    expect(Buffer.compare(await readFile(join(out, 'weights.bin')), before)).toBe(0);
    expect(await readdir(outDir)).toEqual(['web']);
  });
});

describe('bad input', () => {
  test('an existing target needs force', async () => {
    const outDir = await fresh('exists');
    const out = join(outDir, 'm.keras');
    await writeFile(out, 'old');
    await expect(exportModel({ modelDir, format: 'keras', out })).rejects.toMatchObject({
      code: 'already-exists',
      message: `${out} already exists. Choose another name, or overwrite it.`,
    });
    expect(await readFile(out, 'utf8')).toBe('old');
    await exportModel({ modelDir, format: 'keras', out, force: true });
    expect((await readFile(out)).subarray(0, 2).toString()).toBe('PK');
  });

  test('onnx then keras of one name into one folder do not collide', async () => {
    const outDir = await fresh('both');
    await exportModel({ modelDir, format: 'onnx', out: join(outDir, 'run1.onnx') });
    await exportModel({ modelDir, format: 'keras', out: join(outDir, 'run1.keras') });
    expect((await readdir(outDir)).sort()).toEqual([
      'run1.keras',
      'run1.keras.preprocessing.json',
      'run1.onnx',
      'run1.onnx.preprocessing.json',
    ]);
    const keras = JSON.parse(await readFile(join(outDir, 'run1.keras.preprocessing.json'), 'utf8'));
    expect(keras.format).toBe('keras');
  });

  test('an existing sidecar also counts as an existing target', async () => {
    const outDir = await fresh('sidecar');
    await writeFile(join(outDir, 'm.onnx.preprocessing.json'), '{}');
    await expect(
      exportModel({ modelDir, format: 'onnx', out: join(outDir, 'm.onnx') }),
    ).rejects.toMatchObject({ code: 'already-exists' });
  });

  test('a missing output folder, or a file in its place, is a clear error', async () => {
    await expect(
      exportModel({ modelDir, format: 'onnx', out: join(dir, 'nope', 'm.onnx') }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: `The folder ${join(dir, 'nope')} does not exist. Create it first, or choose another folder.`,
    });
    const file = join(dir, 'a-file');
    await writeFile(file, 'x');
    await expect(
      exportModel({ modelDir, format: 'tfjs', out: join(file, 'web') }),
    ).rejects.toMatchObject({
      code: 'not-a-directory',
      message: `${file} is a file, not a folder.`,
    });
  });

  test.skipIf(!canMakeReadOnly())('a read-only output folder is a clear error', async () => {
    const outDir = await fresh('read-only');
    const undo = makeReadOnly(outDir);
    try {
      await expect(
        exportModel({ modelDir, format: 'onnx', out: join(outDir, 'm.onnx') }),
      ).rejects.toMatchObject({ code: 'read-only', message: /may not write into/ });
    } finally {
      undo?.();
    }
    expect(await readdir(outDir)).toEqual([]);
  });

  test('a missing model folder or a folder without a model is a clear error', async () => {
    const out = join(dir, 'x.onnx');
    await expect(
      exportModel({ modelDir: join(dir, 'missing'), format: 'onnx', out }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^The model folder .* does not exist\.$/),
    });
    const empty = await fresh('empty');
    await expect(
      exportModel({ modelDir: empty, format: 'tfjs', out: join(dir, 'w') }),
    ).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/holds no model \(model.json is missing\)/),
    });
    const junk = await fresh('junk');
    await writeFile(join(junk, 'model.json'), '{"hello": 1}');
    await expect(
      exportModel({ modelDir: junk, format: 'keras', out: join(dir, 'j.keras') }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/is not a TensorFlow.js layers model/),
    });
    const noWeights = await fresh('no-weights');
    await writeFile(join(noWeights, 'model.json'), await readFile(join(modelDir, 'model.json')));
    await expect(exportModel({ modelDir: noWeights, format: 'onnx', out })).rejects.toThrow(
      /weight file weights.bin is missing/,
    );
  });

  test('wrong extension and unknown format are rejected before any work', async () => {
    await expect(
      exportModel({ modelDir, format: 'onnx', out: join(dir, 'm.bin') }),
    ).rejects.toThrow('An ONNX export is one .onnx file: end the file name in .onnx.');
    await expect(
      exportModel({ modelDir, format: 'keras', out: join(dir, 'm.bin') }),
    ).rejects.toThrow(/^A Keras export is one \.keras file/);
    await expect(
      exportModel({ modelDir, format: 'pt' as 'onnx', out: join(dir, 'm.pt') }),
    ).rejects.toMatchObject({ code: 'unsupported' });
  });
});
