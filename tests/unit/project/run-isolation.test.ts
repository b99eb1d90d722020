import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';

let dir: string;
let sample: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-isolation-'));
  sample = path.join(dir, 'faces');
  await writeSampleDataset(sample, { perClass: 12, seed: 5 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Full 48×48 input (no crop), so the exported models take the probe batch below as it is.
const tiny = {
  epochs: 1,
  batchSize: 32,
  validationFraction: 0.2,
  augmentation: { crop: { size: 48 } },
};

/** The ONNX export's class probabilities for 16 fixed images (the reproduction). */
async function exportedPredictions(s: Session, runId: number, out: string): Promise<number[]> {
  await s.call('export-model', { runId, format: 'onnx', out, force: true });
  const session = await ort.InferenceSession.create(out);
  const pixels = Float32Array.from({ length: 16 * 48 * 48 }, (_, i) => ((i * 7919) % 256) / 255);
  const result = await session.run({ input: new ort.Tensor('float32', pixels, [16, 48, 48, 1]) });
  await session.release();
  return Array.from((result['probabilities'] as ort.Tensor).data as Float32Array);
}

describe('every run belongs to one catalogue', () => {
  it('run 1 of two catalogues sharing one data directory keeps its own model', async () => {
    const dataDir = path.join(dir, 'shared-data');
    const a = openSession(dir, 'a', { catalogPath: path.join(dir, 'a.sqlite'), dataDir });
    await a.call('catalogue-import', { folder: sample });
    const runA = await a.train({ ...tiny, seed: 1 });
    const aBefore = await exportedPredictions(a, runA, path.join(dir, 'a-before.onnx'));
    await a.studio.close();

    const b = openSession(dir, 'b', { catalogPath: path.join(dir, 'b.sqlite'), dataDir });
    await b.call('catalogue-import', { folder: sample });
    const runB = await b.train({ ...tiny, seed: 2 });
    expect(runB).toBe(runA); // both are "run 1": the ids collide, the folders must not
    const bModel = await exportedPredictions(b, runB, path.join(dir, 'b.onnx'));
    await b.studio.close();

    const again = openSession(dir, 'a', { catalogPath: path.join(dir, 'a.sqlite'), dataDir });
    const aAfter = await exportedPredictions(again, runA, path.join(dir, 'a-after.onnx'));
    await again.studio.close();

    expect(aAfter).toEqual(aBefore);
    expect(Math.max(...bModel.map((p, i) => Math.abs(p - (aBefore[i] as number))))).toBeGreaterThan(
      1e-4,
    );
    // Nothing of either catalogue is written into the shared data directory.
    expect(fs.existsSync(path.join(dataDir, 'runs'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'a.sqlite.studio/runs/run-1/model/model.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'b.sqlite.studio/runs/run-1/model/model.json'))).toBe(true);
  });

  it('a moved project folder resumes its run from the checkpoint it carried along', async () => {
    const first = path.join(dir, 'project-here');
    const dataDir = path.join(dir, 'data-2');
    fs.mkdirSync(first);
    let s = openSession(dir, 'p', { catalogPath: path.join(first, 'catalogue.sqlite'), dataDir });
    await s.call('catalogue-import', { folder: sample });
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { ...tiny, epochs: 2 },
    });
    await new Promise<void>((resolve) => {
      s.studio.subscribe((event) => {
        if (event === 'training-epoch') resolve();
      });
    });
    await s.call('training-stop', { runId });
    expect((await s.ended(runId)).status).toBe('stopped');
    await s.studio.close();

    const moved = path.join(dir, 'elsewhere', 'project-moved');
    fs.mkdirSync(path.dirname(moved));
    fs.renameSync(first, moved);
    s = openSession(dir, 'p', { catalogPath: path.join(moved, 'catalogue.sqlite'), dataDir });
    const before = await s.call<RunDetail>('run-get', { runId });
    expect(before).toMatchObject({ canResume: true, epochsDone: 1 });
    await s.call('training-resume', { runId });
    expect((await s.ended(runId)).status).toBe('finished');
    const after = await s.call<RunDetail>('run-get', { runId });
    expect(after.history.map((h) => h.epoch)).toEqual([1, 2]);
    expect(after.hasModel).toBe(true);
    expect(fs.existsSync(path.join(moved, 'runs', `run-${runId}`, 'model/model.json'))).toBe(true);
    expect(fs.existsSync(first)).toBe(false);
    await s.studio.close();
  });
});
