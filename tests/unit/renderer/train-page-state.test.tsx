import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { WASM_BACKEND, emptyStats, makeRun, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

const trainButton = () => screen.getByTestId('train-start') as HTMLButtonElement;

async function openTrain(client: ReturnType<typeof trainingClient>) {
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-train'));
  await screen.findByTestId('train-page');
  await waitFor(() => expect(screen.queryByTestId('train-epochs')).not.toBeNull());
  return view;
}

describe('train page and the catalogue', () => {
  it('on an empty catalogue says what is missing and keeps Train disabled', async () => {
    const client = trainingClient();
    client.handlers['catalogue-stats'] = () => emptyStats();
    await openTrain(client);
    await waitFor(() =>
      expect(screen.getByTestId('train-status').getAttribute('data-status')).toBe('blocked'),
    );
    expect(screen.getByTestId('train-status').closest('p')?.textContent).toMatch(
      /no labelled images/i,
    );
    expect(screen.queryByText(/Ready\./)).toBeNull();
    expect(trainButton().disabled).toBe(true);
    fireEvent.keyDown(window, { key: 'Enter', ctrlKey: true });
    expect(client.requestsTo('training-start')).toHaveLength(0);
  });

  it('one class with images is not trainable either', async () => {
    const client = trainingClient();
    const one = emptyStats();
    one.classes.happy = { train: 40, test: 10 };
    one.total = 50;
    client.handlers['catalogue-stats'] = () => one;
    await openTrain(client);
    await waitFor(() => expect(screen.getByTestId('train-status').textContent).toMatch(/class/));
    expect(trainButton().disabled).toBe(true);
  });

  it('an old refusal goes away once images are imported, and Train is enabled', async () => {
    const client = trainingClient();
    let stats = emptyStats();
    client.handlers['catalogue-stats'] = () => stats;
    client.handlers['training-start'] = () => {
      throw new ClientError('bad-request', 'Cannot train: The dataset is empty.');
    };
    const { store } = await openTrain(client);
    // A refusal can come from a catalogue that emptied while the page showed images.
    act(() => store.setState({ stats: makeStats(10) }));
    fireEvent.click(trainButton());
    await screen.findByTestId('train-error');
    stats = makeStats(10);
    act(() => client.emit('catalogue-changed', { reason: 'import' }));
    await waitFor(() => expect(screen.queryByTestId('train-error')).toBeNull());
    expect(screen.getByTestId('train-status').getAttribute('data-status')).toBe('idle');
    expect(trainButton().disabled).toBe(false);
  });
});

const status = (runId: number, value: 'running' | 'stopped') => ({
  runId,
  status: value,
  message: value === 'stopped' ? 'Stopped after epoch 2.' : null,
  backend: WASM_BACKEND,
});

describe('train page during and after a run', () => {
  it('locks every field of the form while a run trains, text fields included', async () => {
    const client = trainingClient();
    await openTrain(client);
    fireEvent.click(trainButton());
    await waitFor(() => expect(client.requestsTo('training-start')).toHaveLength(1));
    act(() => client.emit('training-status', status(7, 'running')));
    const form = screen.getByRole('form', { name: 'Training settings' });
    const fields = [...form.querySelectorAll('input, select')] as HTMLInputElement[];
    expect(fields.length).toBeGreaterThan(5);
    await waitFor(() =>
      expect(fields.filter((f) => !f.disabled).map((f) => f.dataset['testid'])).toEqual([]),
    );
    act(() => client.emit('training-status', status(7, 'stopped')));
    await waitFor(() =>
      expect((screen.getByTestId('train-epochs') as HTMLInputElement).disabled).toBe(false),
    );
  });

  it('offers Resume for a stopped run that can continue, and resumes it', async () => {
    const client = trainingClient();
    let runs = [makeRun(7, { status: 'running', epochsDone: 1, epochs: 5 })];
    client.handlers['runs-list'] = () => ({ runs });
    await openTrain(client);
    act(() => client.emit('training-status', status(7, 'running')));
    expect(screen.queryByTestId('train-resume')).toBeNull();
    runs = [makeRun(7, { status: 'stopped', canResume: true, epochsDone: 2, epochs: 5 })];
    act(() => client.emit('training-status', status(7, 'stopped')));
    const resume = await screen.findByTestId('train-resume');
    expect(resume.textContent).toContain('#7');
    fireEvent.click(resume);
    await waitFor(() => expect(client.requestsTo('training-resume')).toEqual([{ runId: 7 }]));
  });

  it('offers no Resume for a finished run', async () => {
    const client = trainingClient();
    client.handlers['runs-list'] = () => ({ runs: [makeRun(7, { status: 'finished' })] });
    await openTrain(client);
    act(() => client.emit('training-status', { ...status(7, 'running'), status: 'finished' }));
    await waitFor(() =>
      expect(screen.getByTestId('train-status').getAttribute('data-status')).toBe('finished'),
    );
    expect(screen.queryByTestId('train-resume')).toBeNull();
  });
});

describe('resuming from the Train page', () => {
  it('keeps the batch curve up to the checkpoint; the replayed epoch replaces the rest', async () => {
    const client = trainingClient();
    let runs = [makeRun(7, { status: 'running', epochsDone: 1, epochs: 3 })];
    client.handlers['runs-list'] = () => ({ runs });
    const { store } = await openTrain(client);
    const batch = (epoch: number, b: number) => ({
      runId: 7,
      epoch,
      batch: b,
      batches: 4,
      loss: 2 - epoch * 0.1 - b * 0.01,
      acc: 0.3,
      imagesPerSec: 100,
      etaSeconds: 10,
    });
    act(() => {
      client.emit('training-status', status(7, 'running'));
      for (let b = 1; b <= 4; b += 1) client.emit('training-batch', batch(1, b));
      for (let b = 1; b <= 2; b += 1) client.emit('training-batch', batch(2, b));
    });
    runs = [makeRun(7, { status: 'stopped', canResume: true, epochsDone: 1, epochs: 3 })];
    act(() => client.emit('training-status', status(7, 'stopped')));
    client.handlers['training-resume'] = ({ runId }) => {
      runs = [makeRun(7, { status: 'running', epochsDone: 1, epochs: 3 })];
      return { runId };
    };
    fireEvent.click(await screen.findByTestId('train-resume'));
    await waitFor(() => expect(client.requestsTo('training-resume')).toHaveLength(1));
    await waitFor(() => expect(store.getState().live?.status).not.toBe('stopped'));
    const xs = () => store.getState().live?.batchPoints.map((p) => p.x) ?? [];
    expect(xs().filter((x) => x <= 1)).toEqual([0.25, 0.5, 0.75, 1]);
    act(() => client.emit('training-batch', batch(2, 1)));
    expect(xs()).toEqual([0.25, 0.5, 0.75, 1, 1.25]);
  });
});

describe('Resume after a restart', () => {
  it('offers Resume for the newest run when it stopped resumably, with no live run on the page', async () => {
    const client = trainingClient();
    client.handlers['runs-list'] = () => ({
      runs: [
        makeRun(5, { status: 'stopped', canResume: true, epochsDone: 2, epochs: 5 }),
        makeRun(4),
      ],
    });
    await openTrain(client);
    const resume = await screen.findByTestId('train-resume');
    expect(resume.textContent).toContain('#5');
  });
});
