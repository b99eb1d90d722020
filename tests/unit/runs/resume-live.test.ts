import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, ResponseOf, RunDetail } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

type Live = ResponseOf<'training-live'>;
type Batch = EventOf<'training-batch'>;

let dir: string;
let sample: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-resume-live-'));
  sample = path.join(dir, 'sample');
  await writeSampleDataset(sample, { perClass: 20, seed: 8 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const key = (b: Omit<Batch, 'runId'>) => [b.epoch, b.batch, b.loss];

describe('a stopped and resumed run', () => {
  it('keeps its batch curve from before the stop for a page reloaded after the resume, and records the resume', async () => {
    const s = openSession(dir, 'resume-live');
    await s.call('catalogue-import', { folder: sample });
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { epochs: 3, batchSize: 16, validationFraction: 0.2 },
    });
    const stopped = s.ended(runId);
    while (!s.events.some((e) => e.event === 'training-epoch'))
      await new Promise((resolve) => setTimeout(resolve, 20));
    await s.call('training-stop', { runId });
    expect((await stopped).status).toBe('stopped');
    const before = await s.call<RunDetail>('run-get', { runId });
    expect(before.resumes).toEqual([]);
    const checkpoint = before.epochsDone;
    const sentBeforeStop = s.events
      .filter((e) => e.event === 'training-batch')
      .map((e) => e.payload as Batch)
      .filter((b) => b.epoch <= checkpoint);
    expect(sentBeforeStop.length).toBeGreaterThan(0);

    // As a page reloaded just after the resume asks: the first new batch has arrived.
    const seen = s.events.length;
    const ended = s.ended(runId);
    await s.call('training-resume', { runId });
    let live: Live | null = null;
    while (!live) {
      if (s.events.slice(seen).some((e) => e.event === 'training-batch'))
        live = await s.call<Live>('training-live', {});
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(live.run?.runId).toBe(runId);
    const batches = live.run?.batches ?? [];
    expect(batches.slice(0, sentBeforeStop.length).map(key)).toEqual(sentBeforeStop.map(key));
    // Nothing from after the checkpoint survives: the resumed epochs draw themselves again.
    const afterStop = batches.slice(sentBeforeStop.length);
    expect(afterStop.length).toBeGreaterThan(0);
    expect(afterStop.every((b) => b.epoch > checkpoint)).toBe(true);

    expect((await ended).status).toBe('finished');
    const after = await s.call<RunDetail>('run-get', { runId });
    expect(after.resumes).toEqual([
      { at: expect.any(String), stoppedAfter: checkpoint, fromEpoch: checkpoint },
    ]);
    expect(after.settings.find((x) => x.key === 'resumed')?.value).toBe(
      `stopped after epoch ${checkpoint}, resumed from its checkpoint`,
    );
    await s.studio.close();
  }, 120_000);
});
