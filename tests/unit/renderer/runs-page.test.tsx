import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { WASM_BACKEND, makeRun, makeRunDetail } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

function withRuns(runs: RunSummary[]): FakeClient {
  const client = trainingClient();
  client.handlers['runs-list'] = () => ({ runs });
  client.handlers['run-get'] = ({ runId }) => {
    const run = runs.find((r) => r.id === runId);
    if (!run) throw new ClientError('not-found', `No run ${runId}`);
    return makeRunDetail(runId, run);
  };
  return client;
}

const rows = () => screen.queryAllByTestId('run-row');
const row = (id: number) => {
  const found = rows().find((el) => el.getAttribute('data-run-id') === String(id));
  if (!found) throw new Error(`no row for run ${id}`);
  return found;
};

async function openRunsPage(client: FakeClient) {
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-runs'));
  await screen.findByTestId('runs-page');
  await waitFor(() => expect(rows().length).toBeGreaterThan(0));
  return view;
}

describe('runs page', () => {
  it('lists runs newest first with their summary', async () => {
    const client = withRuns([
      makeRun(1),
      makeRun(3, {
        status: 'stopped',
        epochsDone: 2,
        epochs: 10,
        bestValAcc: 0.6234,
        bestEpoch: 2,
      }),
      makeRun(2, { status: 'failed', backend: null, bestValAcc: null, bestEpoch: null }),
    ]);
    await openRunsPage(client);
    expect(rows().map((el) => el.getAttribute('data-run-id'))).toEqual(['3', '2', '1']);
    expect(rows().map((el) => el.getAttribute('data-status'))).toEqual([
      'stopped',
      'failed',
      'finished',
    ]);
    const cells = within(row(3))
      .getAllByRole('cell')
      .map((cell) => cell.textContent);
    expect(cells).toEqual([
      '#3',
      new Date(Date.UTC(2025, 0, 3)).toLocaleString(),
      'compact-cnn',
      'WebAssembly (SIMD, 2 threads)',
      'stopped',
      '2 / 10',
      '62.3 % (epoch 2)',
      '—',
      '1 min 30 s',
    ]);
    expect(within(row(2)).getAllByRole('cell')[3]?.textContent).toBe('—');
  });

  it('an imported run says "imported" where trained runs count epochs', async () => {
    const imported = {
      name: 'emotion_classifier_final',
      fileName: 'emotion_classifier_final.keras',
      sha256: 'ab'.repeat(32),
      format: 'keras3' as const,
      detail: 'Keras 3 archive',
      layers: 12,
      params: 1_270_000,
      notes: [],
    };
    const client = withRuns([makeRun(1), makeRun(2, { epochsDone: 0, epochs: 1, imported })]);
    await openRunsPage(client);
    const cells = (id: number) =>
      within(row(id))
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(cells(2)).toContain('imported');
    expect(cells(2)).not.toContain('0 / 1');
    expect(cells(1)).not.toContain('imported');
  });

  it('shows a run’s curves and config, and Resume continues it on the Train page', async () => {
    const client = withRuns([
      makeRun(1),
      makeRun(2, { status: 'stopped', canResume: true, epochsDone: 3, epochs: 10 }),
    ]);
    const { store } = await openRunsPage(client);
    fireEvent.click(row(1));
    const detail = await screen.findByTestId('run-detail');
    await waitFor(() =>
      expect(screen.getByTestId('run-config').textContent).toContain('Batch size64'),
    );
    expect(screen.queryByTestId('run-resume')).toBeNull();
    const loss = screen.getByTestId('run-loss-chart');
    expect(loss.getAttribute('data-epoch-points')).toBe('3');
    expect(loss.getAttribute('data-lr-marks')).toBe('2');
    expect(detail.getAttribute('aria-label')).toBe('Run 1');

    fireEvent.keyDown(row(2), { key: 'Enter' });
    const resume = await screen.findByTestId('run-resume');
    fireEvent.click(resume);
    await waitFor(() => expect(client.requestsTo('training-resume')).toEqual([{ runId: 2 }]));
    await screen.findByTestId('train-page');
    await waitFor(() => expect(store.getState().live?.epochPoints).toHaveLength(3));
    expect(screen.getByTestId('train-epoch').textContent).toBe('3 / 10');
  });

  it('shows why a resume was refused', async () => {
    const client = withRuns([makeRun(2, { status: 'stopped', canResume: true })]);
    client.handlers['training-resume'] = () => {
      throw new ClientError('busy', 'Run 5 is training; stop it first.');
    };
    await openRunsPage(client);
    fireEvent.click(row(2));
    fireEvent.click(await screen.findByTestId('run-resume'));
    const error = await screen.findByTestId('run-error');
    expect(error.getAttribute('data-code')).toBe('busy');
    expect(error.textContent).toContain('Run 5 is training; stop it first.');
    expect(screen.getByTestId('runs-page')).toBeTruthy();
  });

  it('highlights the running run and updates its row from events', async () => {
    let runs = [
      makeRun(1),
      makeRun(4, { status: 'running', epochsDone: 1, epochs: 10, seconds: 20 }),
    ];
    const client = withRuns(runs);
    client.handlers['runs-list'] = () => ({ runs });
    await openRunsPage(client);
    // Opening the app while a run trains follows that run.
    await waitFor(() => expect(row(4).className).toBe('live'));
    expect(row(1).className).toBe('');

    act(() => {
      client.emit('training-status', {
        runId: 4,
        status: 'running',
        message: null,
        backend: WASM_BACKEND,
      });
      client.emit('training-epoch', {
        runId: 4,
        epoch: 2,
        loss: 1.2,
        acc: 0.5,
        valLoss: 1.3,
        valAcc: 0.71,
        lr: 1e-3,
        imagesPerSec: 300,
        seconds: 25,
        lrChange: null,
      });
    });
    const cells = () =>
      within(row(4))
        .getAllByRole('cell')
        .map((cell) => cell.textContent);
    expect(cells().slice(5)).toEqual(['2 / 10', '71.0 % (epoch 2)', '—', '45 s']);

    runs = [makeRun(1), makeRun(4, { status: 'finished', epochsDone: 2, epochs: 10 })];
    const listed = client.requestsTo('runs-list').length;
    act(() =>
      client.emit('training-status', {
        runId: 4,
        status: 'finished',
        message: 'Done.',
        backend: null,
      }),
    );
    await waitFor(() => expect(row(4).getAttribute('data-status')).toBe('finished'));
    expect(client.requestsTo('runs-list').length).toBeGreaterThan(listed);
    expect(row(4).className).toBe('');
  });

  it('opening a run scrolls its details into view (below the table on a short window)', async () => {
    const client = withRuns([makeRun(1), makeRun(2)]);
    const scrolled: Element[] = [];
    const original = Element.prototype.scrollIntoView;
    Element.prototype.scrollIntoView = function (this: Element) {
      scrolled.push(this);
    };
    try {
      renderApp(client);
      fireEvent.click(screen.getByTestId('nav-runs'));
      await waitFor(() => expect(screen.getAllByTestId('run-row')).toHaveLength(2));
      expect(scrolled).toEqual([]); // arriving on the page moves nothing
      fireEvent.click(screen.getAllByTestId('run-row')[1] as HTMLElement);
      const detail = await screen.findByTestId('run-detail');
      await waitFor(() => expect(scrolled.some((el) => el.contains(detail))).toBe(true));
    } finally {
      Element.prototype.scrollIntoView = original;
    }
  });
});
