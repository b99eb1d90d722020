import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeRun } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

/** Epoch 1's 6 batches, as the core kept them before the stop (its checkpoint is epoch 1). */
const kept = Array.from({ length: 6 }, (_, i) => ({
  epoch: 1,
  batch: i + 1,
  batches: 6,
  loss: 2 - i * 0.1,
  acc: 0.2 + i * 0.02,
  imagesPerSec: 300,
  etaSeconds: 40,
}));

describe('resuming a run in a page that did not see it train', () => {
  it('asks the core for the curve it kept, so the batches before the stop come back', async () => {
    const client = trainingClient();
    client.handlers['runs-list'] = () => ({
      runs: [makeRun(7, { status: 'stopped', canResume: true, epochsDone: 1, epochs: 3 })],
    });
    client.handlers['training-live'] = () => ({
      run: { runId: 7, status: 'running', batches: kept },
    });
    const { store } = renderApp(client);
    await waitFor(() => expect(store.getState().runs).toHaveLength(1));
    expect(store.getState().live).toBeNull();
    expect(await store.getState().resumeRun(7)).toBe(true);
    await waitFor(() => expect(store.getState().live?.batchPoints).toHaveLength(6));
    expect(store.getState().live?.batchPoints.at(-1)?.x).toBe(1);
  });
});
