import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { WASM_BACKEND, makeStats, makeTrainingOptions } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

const input = (testId: string) => screen.getByTestId(testId) as HTMLInputElement;
const statusOf = () => screen.getByTestId('train-status').getAttribute('data-status');

async function openTrainPage(client: FakeClient, previewDebounceMs = 300) {
  const view = renderApp(client, { previewDebounceMs });
  fireEvent.click(screen.getByTestId('nav-train'));
  await screen.findByTestId('train-page');
  await waitFor(() => expect(input('train-epochs').value).toBe('30'));
  return view;
}

async function startRun(client: FakeClient) {
  fireEvent.click(screen.getByTestId('train-start'));
  await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
  act(() =>
    client.emit('training-status', {
      runId: 7,
      status: 'running',
      message: null,
      backend: WASM_BACKEND,
    }),
  );
}

const batch = (epoch: number, b: number, loss: number): EventOf<'training-batch'> => ({
  runId: 7,
  epoch,
  batch: b,
  batches: 10,
  loss,
  acc: 0.4,
  imagesPerSec: 321.4,
  etaSeconds: 125,
});

describe('train page', () => {
  it('pre-fills the defaults, and one click on Train sends them', async () => {
    const client = trainingClient();
    await openTrainPage(client);
    expect(input('train-batch-size').value).toBe('64');
    expect(input('train-lr').value).toBe('0.05');
    expect((screen.getByTestId('train-model') as HTMLSelectElement).value).toBe('compact-cnn');
    expect(screen.getByText('Small and fast.')).toBeTruthy();
    const badge = screen.getByTestId('backend-badge');
    expect(badge.getAttribute('data-backend')).toBe('wasm');
    expect(badge.textContent).toContain('WebAssembly (SIMD, 2 threads)');
    expect(badge.textContent).toContain('No CUDA GPU was found.');
    expect(statusOf()).toBe('idle');

    fireEvent.click(screen.getByTestId('train-start'));
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    expect(client.requestsTo('training-start')[0]).toEqual({
      config: makeTrainingOptions().defaults,
    });
  });

  it('sends edited values and refuses invalid ones', async () => {
    const client = trainingClient();
    await openTrainPage(client);
    fireEvent.change(input('train-epochs'), { target: { value: '0' } });
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('From 1 to 1000')).toBeTruthy();
    fireEvent.change(input('train-epochs'), { target: { value: '5' } });
    fireEvent.change(input('train-lr'), { target: { value: '3e-4' } });
    fireEvent.change(screen.getByTestId('train-model'), { target: { value: 'seed-cnn' } });
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    expect(client.requestsTo('training-start')[0]?.config).toMatchObject({
      epochs: 5,
      learningRate: 3e-4,
      model: 'seed-cnn',
      batchSize: 64,
    });
  });

  it('follows the run from events: status, epoch k / N, batches and curves', async () => {
    const client = trainingClient();
    const { store } = await openTrainPage(client);
    await startRun(client);
    expect(statusOf()).toBe('running');
    expect(screen.getByTestId('train-epoch').textContent).toBe('0 / 30');

    act(() => {
      for (let b = 1; b <= 10; b += 1) client.emit('training-batch', batch(1, b, 2 - b / 10));
      client.emit('training-epoch', {
        runId: 7,
        epoch: 1,
        loss: 1.5,
        acc: 0.4,
        valLoss: 1.6,
        valAcc: 0.38,
        lr: 1e-3,
        imagesPerSec: 320,
        seconds: 20,
        lrChange: { from: 1e-3, to: 5e-4 },
      });
      client.emit('training-batch', batch(2, 3, 1.2));
    });
    expect(screen.getByTestId('train-epoch').textContent).toBe('2 / 30');
    expect(screen.getByTestId('train-epoch').getAttribute('data-epoch')).toBe('2');
    expect(screen.getByTestId('train-batch-progress').getAttribute('aria-valuenow')).toBe('30');
    expect(screen.getByTestId('train-page').textContent).toContain('321 images/s');
    expect(screen.getByTestId('train-page').textContent).toContain('2 min 5 s left');
    const loss = screen.getByTestId('loss-chart');
    expect(loss.getAttribute('data-batch-points')).toBe('11');
    expect(loss.getAttribute('data-epoch-points')).toBe('1');
    expect(loss.getAttribute('data-lr-marks')).toBe('1');
    expect(screen.getByTestId('train-lr-now').textContent).toBe(' · epoch 1 trained at 0.001');
    expect(screen.getByTestId('acc-chart').querySelector('svg')).toBeTruthy();
    const live = store.getState().live;
    expect(live?.batchPoints.at(-1)).toMatchObject({ x: 1.3, loss: 1.2 });
    expect(live?.epochPoints).toEqual([
      { epoch: 1, loss: 1.5, acc: 0.4, valLoss: 1.6, valAcc: 0.38, lr: 1e-3 },
    ]);
  });

  it('Stop asks the core to stop the live run', async () => {
    const client = trainingClient();
    await openTrainPage(client);
    await startRun(client);
    fireEvent.click(screen.getByTestId('train-stop'));
    await waitFor(() => expect(client.requestsTo('training-stop')).toEqual([{ runId: 7 }]));
    await waitFor(() => expect(statusOf()).toBe('stopping'));
    act(() =>
      client.emit('training-status', {
        runId: 7,
        status: 'stopped',
        message: 'Stopped after epoch 1.',
        backend: WASM_BACKEND,
      }),
    );
    expect(statusOf()).toBe('stopped');
    expect(screen.queryByTestId('train-stop')).toBeNull();
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(false);
  });

  it('shows why the core refused, and why a run failed', async () => {
    const client = trainingClient();
    client.handlers['training-start'] = () => {
      throw new ClientError('bad-request', 'Cannot train: Only one class (happy) has images.');
    };
    await openTrainPage(client);
    fireEvent.click(screen.getByTestId('train-start'));
    const error = await screen.findByTestId('train-error');
    expect(error.getAttribute('data-code')).toBe('bad-request');
    expect(error.textContent).toContain('Only one class (happy) has images.');

    act(() =>
      client.emit('training-status', {
        runId: 9,
        status: 'failed',
        message: 'Out of memory.',
        backend: null,
      }),
    );
    expect(statusOf()).toBe('failed');
    expect(screen.getByTestId('train-failed').textContent).toContain('Out of memory.');
  });

  it('asks for a new augmentation preview once the values settle', async () => {
    const client = trainingClient();
    await openTrainPage(client, 40);
    const preview = screen.getByTestId('augment-preview');
    await waitFor(() => expect(preview.querySelectorAll('img')).toHaveLength(8));
    expect(client.requestsTo('training-augment-preview')).toHaveLength(1);

    fireEvent.change(input('train-rotation'), { target: { value: '2' } });
    fireEvent.change(input('train-rotation'), { target: { value: '20' } });
    fireEvent.change(input('train-zoom'), { target: { value: '30' } });
    expect(client.requestsTo('training-augment-preview')).toHaveLength(1);
    await waitFor(() => expect(client.requestsTo('training-augment-preview')).toHaveLength(2));
    expect(client.requestsTo('training-augment-preview')[1]).toEqual({
      augmentation: {
        rotationDeg: 20,
        zoom: 0.3,
        shift: 0.1,
        horizontalFlip: true,
        crop: { size: 44, padding: 0 },
      },
      seed: 1,
      count: 7,
    });

    fireEvent.change(input('train-zoom'), { target: { value: '300' } });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(client.requestsTo('training-augment-preview')).toHaveLength(2);

    // Back to the values already shown: nothing to ask.
    fireEvent.change(input('train-zoom'), { target: { value: '30' } });
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(client.requestsTo('training-augment-preview')).toHaveLength(2);
    fireEvent.click(screen.getByText('New samples'));
    await waitFor(() => expect(client.requestsTo('training-augment-preview').at(-1)?.seed).toBe(2));
    await waitFor(() =>
      expect(preview.querySelector('img')?.getAttribute('src')).toBe('data:image/png;base64,2-0'),
    );
  });

  it('the status says which setting keeps Train off, and Ctrl+Enter sends nothing meanwhile', async () => {
    const client = trainingClient();
    await openTrainPage(client);
    expect(statusOf()).toBe('idle');
    fireEvent.change(input('train-epochs'), { target: { value: '0' } });
    expect(statusOf()).toBe('blocked');
    expect(screen.getByTestId('train-status').textContent).toBe(
      'Cannot train yet: fix Epochs (From 1 to 1000).',
    );
    expect(screen.getByTestId('train-page').textContent).not.toContain('press Train');
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    fireEvent.change(input('train-epochs'), { target: { value: '5' } });
    expect(statusOf()).toBe('idle');
    expect(client.requestsTo('training-start')).toEqual([]);
  });

  it('a batch larger than the training set is refused with the number of training images', async () => {
    const client = trainingClient();
    await openTrainPage(client);
    // The fake catalogue's training images, all of them training with no validation share.
    const images = Object.values(makeStats(10).classes).reduce((sum, c) => sum + c.train, 0);
    fireEvent.change(input('train-validation'), { target: { value: '0' } });
    fireEvent.change(input('train-batch-size'), { target: { value: String(images + 1) } });
    expect(statusOf()).toBe('blocked');
    expect(screen.getByTestId('train-status').textContent).toContain(
      `Batch size ${images + 1} is larger than the training set (${images} training images`,
    );
    expect((screen.getByTestId('train-start') as HTMLButtonElement).disabled).toBe(true);
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    fireEvent.change(input('train-batch-size'), { target: { value: String(images) } });
    expect(statusOf()).toBe('idle');
    expect(client.requestsTo('training-start')).toEqual([]);
  });
});
