import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { deferred, makeRun, makeRunDetail } from './fake-client.ts';
import type { RunSummary } from '../../../app/contract/index.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

const batches = Array.from({ length: 10 }, (_, i) => ({
  epoch: i < 6 ? 1 : 2,
  batch: i < 6 ? i + 1 : i - 5,
  batches: 6,
  loss: 2 - i * 0.1,
  acc: 0.2 + i * 0.02,
  imagesPerSec: 300,
  etaSeconds: 40,
}));

/** The core as a reloaded page finds it: run 7 trains with epochs 3 and batch size 32. */
function midRunClient() {
  const client = trainingClient();
  const running = makeRun(7, { status: 'running', epochsDone: 1, epochs: 3 });
  client.handlers['runs-list'] = () => ({ runs: [running] });
  client.handlers['run-get'] = ({ runId }) => ({
    ...makeRunDetail(runId, { status: 'running', epochsDone: 1, epochs: 3 }),
    config: parseTrainConfig({ epochs: 3, batchSize: 32, learningRate: 0.002 }),
  });
  client.handlers['training-live'] = () => ({
    run: { runId: 7, status: 'running', batches },
  });
  return client;
}

describe('opening the studio while a run trains', () => {
  it('opens on Train with the run’s own settings and its batch curve so far', async () => {
    const client = midRunClient();
    const { store } = renderApp(client);
    await screen.findByTestId('train-page');
    await waitFor(() =>
      expect((screen.getByTestId('train-epochs') as HTMLInputElement).value).toBe('3'),
    );
    expect((screen.getByTestId('train-batch-size') as HTMLInputElement).value).toBe('32');
    expect((screen.getByTestId('train-lr') as HTMLInputElement).value).toBe('0.002');
    await waitFor(() => expect(store.getState().live?.batchPoints).toHaveLength(10));
    const live = store.getState().live;
    expect(live?.batchPoints.map((p) => p.x)).toEqual(
      batches.map((b) => b.epoch - 1 + b.batch / 6),
    );
    expect(live?.epoch).toBe(2);
    expect(live?.status).toBe('running');
    expect(screen.getByTestId('train-epoch').textContent).toBe('2 / 3');
  });

  it('leaves the user where they went if they moved before the runs arrived', async () => {
    const client = midRunClient();
    const gate = deferred<{ runs: RunSummary[] }>();
    client.handlers['runs-list'] = () => gate.promise;
    renderApp(client);
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    gate.resolve({ runs: [makeRun(7, { status: 'running', epochsDone: 1, epochs: 3 })] });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByTestId('train-page')).toBeNull();
    expect(screen.getByTestId('evaluate-page')).toBeTruthy();
  });
});
