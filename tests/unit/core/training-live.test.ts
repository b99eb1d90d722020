import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession } from '../session.ts';

let dir: string;
let sample: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-live-'));
  sample = path.join(dir, 'sample');
  await writeSampleDataset(sample, { perClass: 20, seed: 6 });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Live {
  run: {
    runId: number;
    status: string;
    batches: Omit<EventOf<'training-batch'>, 'runId'>[];
  } | null;
}

describe('training-live', () => {
  it('returns the live run with every batch point sent so far (a reloaded page redraws its curve)', async () => {
    const s = openSession(dir, 'live');
    await s.call('catalogue-import', { folder: sample });
    expect(await s.call<Live>('training-live', {})).toEqual({ run: null });
    const { runId } = await s.call<{ runId: number }>('training-start', {
      config: { epochs: 3, batchSize: 16, validationFraction: 0.2 },
    });
    const ended = s.ended(runId);
    // Wait for the first epoch, then ask as a freshly loaded page would.
    while (!s.events.some((e) => e.event === 'training-epoch'))
      await new Promise((resolve) => setTimeout(resolve, 50));
    const live = await s.call<Live>('training-live', {});
    const sent = s.events
      .filter((e) => e.event === 'training-batch')
      .map((e) => e.payload as EventOf<'training-batch'>);
    expect(live.run?.runId).toBe(runId);
    expect(['running', 'stopping']).toContain(live.run?.status);
    expect(live.run?.batches.length).toBeGreaterThan(0);
    // The same points the events carried, in order (more may have arrived since the snapshot).
    const n = live.run?.batches.length ?? 0;
    expect(live.run?.batches.map((b) => [b.epoch, b.batch, b.loss])).toEqual(
      sent.slice(0, n).map((b) => [b.epoch, b.batch, b.loss]),
    );
    expect((await ended).status).toBe('finished');
    expect(await s.call<Live>('training-live', {})).toEqual({ run: null });
    await s.studio.close();
  });
});
