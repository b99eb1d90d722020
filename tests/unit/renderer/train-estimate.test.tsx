import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { estimateTraining } from '../../../renderer/src/train/train-estimate.tsx';
import { ClientError } from '../../../renderer/src/client/index.ts';
import {
  WASM_BACKEND,
  deferred,
  makeEvaluation,
  makeRun,
  makeRunDetail,
  makeStats,
} from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

/** Run 4 trained compact-cnn for 1 epoch on 80 + 11 images in 9.1 s: 0.1 s per image per epoch. */
const measured = makeRun(4, { seconds: 9.1, epochsDone: 1, trainImages: 80, valImages: 11 });

async function openTrainPage(client: FakeClient) {
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-train'));
  await screen.findByTestId('train-page');
  await waitFor(() =>
    expect((screen.getByTestId('train-epochs') as HTMLInputElement).value).toBe('30'),
  );
  return view;
}

describe('time estimate before training', () => {
  it('scales the newest same-model run’s speed to the images and epochs asked for', () => {
    // makeStats(10): 10…16 training images per class, 91 in all.
    const estimate = estimateTraining('compact-cnn', 30, [measured], makeStats(10));
    expect(estimate?.seconds).toBeCloseTo(91 * 30 * 0.1, 6);
    expect(estimate?.imagesPerSec).toBeCloseTo(10, 6);
    expect(estimateTraining('seed-cnn', 30, [measured], makeStats(10))).toBeNull();
    const imported = makeRun(5, { ...measured, imported: null, epochsDone: 0, seconds: 0 });
    expect(estimateTraining('compact-cnn', 30, [imported], makeStats(10))).toBeNull();
  });

  it('shows the estimate for the default 30 epochs and follows the form', async () => {
    const client = trainingClient();
    client.handlers['runs-list'] = () => ({ runs: [measured] });
    await openTrainPage(client);
    const line = await screen.findByTestId('train-estimate');
    await waitFor(() =>
      expect(line.textContent).toBe(
        'About 4 min 33 s for 30 epochs at most; early stopping may end it sooner (run #4 trained compact-cnn at 10.0 images/s here).',
      ),
    );
    fireEvent.change(screen.getByTestId('train-epochs'), { target: { value: '10' } });
    expect(line.textContent).toMatch(/^About 1 min 31 s for 10 epochs/);
    fireEvent.change(screen.getByTestId('train-epochs'), { target: { value: '1' } });
    expect(line.textContent).toMatch(/^About 9 s for 1 epoch at most/);
    // No seed-cnn run here, and this core has no speed test: the first epoch will tell.
    fireEvent.change(screen.getByTestId('train-model'), { target: { value: 'seed-cnn' } });
    await waitFor(() =>
      expect(screen.getByTestId('train-estimate').textContent).toMatch(
        /^No time estimate yet for seed-cnn on this machine: the first epoch measures the speed/,
      ),
    );
  });
});

describe('time estimate for a model’s first run', () => {
  it('runs a speed test when no run of the model has trained here, and scales it', async () => {
    const client = trainingClient();
    const reply = deferred<{ secondsPerImageEpoch: number; backend: string }>();
    client.handlers['training-speed'] = () => reply.promise;
    await openTrainPage(client);
    const line = await screen.findByTestId('train-estimate');
    await waitFor(() =>
      expect(line.textContent).toBe('Measuring how fast compact-cnn trains here…'),
    );
    expect(client.requestsTo('training-speed')).toEqual([{ model: 'compact-cnn', batchSize: 64 }]);
    await act(async () =>
      reply.resolve({ secondsPerImageEpoch: 0.05, backend: 'WebAssembly (SIMD, 2 threads)' }),
    );
    // 91 training images × 30 epochs × 0.05 s = 136.5 s.
    expect(line.textContent).toBe(
      'About 2 min 17 s for 30 epochs at most; early stopping may end it sooner (a speed test of compact-cnn here: 20.0 images/s on WebAssembly (SIMD, 2 threads)).',
    );
  });

  it('says the first epoch will tell when the speed test is refused', async () => {
    const client = trainingClient();
    client.handlers['training-speed'] = () => {
      throw new ClientError('busy', 'Run 3 is training; stop it first.');
    };
    await openTrainPage(client);
    await waitFor(() =>
      expect(screen.getByTestId('train-estimate').textContent).toMatch(
        /^No time estimate yet for compact-cnn on this machine/,
      ),
    );
  });
});

describe('next steps after training', () => {
  it('a finished run offers Evaluate and Export, each opening its page on that run', async () => {
    const client = trainingClient();
    client.handlers['evaluation-run'] = ({ runId }) => makeEvaluation(runId);
    client.handlers['run-get'] = ({ runId }) => makeRunDetail(runId);
    const { store } = await openTrainPage(client);
    fireEvent.click(screen.getByTestId('train-start'));
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    const status = (s: 'running' | 'finished') =>
      act(() =>
        client.emit('training-status', {
          runId: 7,
          status: s,
          message: null,
          backend: WASM_BACKEND,
        }),
      );
    status('running');
    expect(screen.queryByTestId('train-next-steps')).toBeNull();
    status('finished');
    fireEvent.click(await screen.findByTestId('next-evaluate'));
    await screen.findByTestId('evaluate-page');
    expect(store.getState().evalRunId).toBe(7);

    fireEvent.click(screen.getByTestId('nav-train'));
    fireEvent.click(await screen.findByTestId('next-export'));
    await screen.findByTestId('runs-page');
    expect(store.getState().selectedRunId).toBe(7);
  });
});
