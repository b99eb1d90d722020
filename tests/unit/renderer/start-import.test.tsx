import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, ImportReport, Stats } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/client-error.ts';
import {
  createFakeClient,
  deferred,
  emptyStats,
  makeList,
  makeReport,
  makeStats,
} from './fake-client.ts';
import { fakeLayout, renderApp } from './render-app.tsx';

const appInfo = (canPickFolder: boolean): AppInfo => ({
  mode: canPickFolder ? 'electron' : 'browser',
  version: '0.1.0',
  catalogPath: '/tmp/c.sqlite',
  dataDir: '/tmp',
  canPickFolder,
});

function emptyCatalogue(canPickFolder = false) {
  const state: { stats: Stats } = { stats: emptyStats() };
  const client = createFakeClient({
    'app-info': () => appInfo(canPickFolder),
    'catalogue-stats': () => state.stats,
    'catalogue-list': () => makeList(state.stats.total),
    'catalogue-import-cancel': () => ({ cancelled: true }),
  });
  return { client, state };
}

let restoreLayout: () => void = () => {};
beforeEach(() => {
  restoreLayout = fakeLayout();
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

async function openDialogAndStart(folder: string) {
  fireEvent.click(await screen.findByTestId('import-folder'));
  fireEvent.change(screen.getByTestId('import-path'), { target: { value: folder } });
  fireEvent.click(screen.getByTestId('import-start'));
}

describe('start screen', () => {
  it('shows when the catalogue is empty, and the dataset page otherwise', async () => {
    const { client, state } = emptyCatalogue();
    renderApp(client);
    expect(await screen.findByTestId('open-sample')).toBeTruthy();
    expect(screen.queryByTestId('grid')).toBeNull();

    state.stats = makeStats(5);
    act(() => client.emit('catalogue-changed', { reason: 'import' }));
    expect(await screen.findByTestId('grid')).toBeTruthy();
    expect(screen.queryByTestId('open-sample')).toBeNull();
  });

  it('opens the sample with a job id and lands on the dataset page', async () => {
    const { client, state } = emptyCatalogue();
    const reply = deferred<ImportReport>();
    client.handlers['catalogue-sample'] = () => reply.promise;
    renderApp(client);
    fireEvent.click(await screen.findByTestId('open-sample'));
    expect(client.requestsTo('catalogue-sample')).toEqual([{ jobId: 'job-1' }]);
    act(() =>
      client.emit('catalogue-import-progress', {
        jobId: 'job-1',
        phase: 'importing',
        done: 21,
        total: 84,
        imagesPerSec: 400,
        etaSeconds: 1,
      }),
    );
    expect(screen.getByTestId('import-progress').getAttribute('aria-valuenow')).toBe('25');
    state.stats = makeStats(60);
    await act(async () => reply.resolve(makeReport()));
    expect(await screen.findByTestId('balance-chart')).toBeTruthy();
  });
});

describe('import dialog', () => {
  it('shows progress for its own job, then the report', async () => {
    const { client } = emptyCatalogue();
    const reply = deferred<ImportReport>();
    client.handlers['catalogue-import'] = () => reply.promise;
    renderApp(client);
    await openDialogAndStart('/data/faces');

    expect(client.requestsTo('catalogue-import')).toEqual([
      { folder: '/data/faces', testFraction: 0.2, jobId: 'job-1' },
    ]);
    const bar = await screen.findByTestId('import-progress');
    expect(bar.getAttribute('aria-valuenow')).toBe('0');
    act(() => {
      client.emit('catalogue-import-progress', {
        jobId: 'job-1',
        phase: 'importing',
        done: 50,
        total: 200,
        imagesPerSec: 1234,
        etaSeconds: 95,
      });
      client.emit('catalogue-import-progress', {
        jobId: 'someone-else',
        phase: 'importing',
        done: 190,
        total: 200,
        imagesPerSec: 1,
        etaSeconds: 1,
      });
    });
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    expect(bar.getAttribute('data-done')).toBe('50');
    expect(screen.getByText(/1,234 images\/s/)).toBeTruthy();
    expect(screen.getByText(/1 min 35 s/)).toBeTruthy();

    await act(async () => reply.resolve(makeReport({ imported: 321, duplicates: 4 })));
    const report = await screen.findByTestId('import-report');
    expect(screen.queryByTestId('import-progress')).toBeNull();
    expect(screen.getByTestId('report-imported').textContent).toBe('321');
    expect(screen.getByTestId('report-duplicates').textContent).toBe('4');
    expect(report.textContent).toContain('happy/broken.png');
    expect(report.textContent).toContain('bad PNG signature');
    expect(screen.getByTestId('report-mapped').textContent).toContain('Anger');
  });

  it('cancels with the same job id it sent', async () => {
    const { client } = emptyCatalogue();
    const reply = deferred<ImportReport>();
    client.handlers['catalogue-import'] = () => reply.promise;
    renderApp(client);
    await openDialogAndStart('/data/big');
    fireEvent.click(await screen.findByTestId('import-cancel'));
    const jobId = client.requestsTo('catalogue-import')[0]?.jobId;
    expect(jobId).toBeTruthy();
    expect(client.requestsTo('catalogue-import-cancel')).toEqual([{ jobId }]);
    expect((screen.getByTestId('import-cancel') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => reply.resolve(makeReport({ cancelled: true, imported: 10 })));
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('Import cancelled');
  });

  it('shows the error code and keeps the form for another try', async () => {
    const { client } = emptyCatalogue();
    client.handlers['catalogue-import'] = () => {
      throw new ClientError('not-a-directory', '/etc/passwd is a file, not a folder');
    };
    renderApp(client);
    await openDialogAndStart('/etc/passwd');
    const error = await screen.findByTestId('import-error');
    expect(error.getAttribute('data-code')).toBe('not-a-directory');
    expect(error.textContent).toContain('That path is not a folder');
    expect(error.textContent).toContain('/etc/passwd is a file, not a folder');
    expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe('/etc/passwd');
    // Correcting the path takes the old error away: it described the path before the change.
    fireEvent.change(screen.getByTestId('import-path'), { target: { value: '/etc/faces' } });
    expect(screen.queryByTestId('import-error')).toBeNull();
  });

  it('refuses a test fraction outside (0, 1) and sends a valid one', async () => {
    const { client } = emptyCatalogue();
    client.handlers['catalogue-import'] = () => makeReport();
    renderApp(client);
    fireEvent.click(await screen.findByTestId('import-folder'));
    fireEvent.change(screen.getByTestId('import-path'), { target: { value: '/d' } });
    const fraction = screen.getByTestId('import-test-fraction');
    const start = screen.getByTestId('import-start') as HTMLButtonElement;
    fireEvent.change(fraction, { target: { value: '1.5' } });
    expect(start.disabled).toBe(true);
    fireEvent.change(fraction, { target: { value: '0.3' } });
    expect(start.disabled).toBe(false);
    fireEvent.click(start);
    await screen.findByTestId('import-report');
    expect(client.requestsTo('catalogue-import')[0]?.testFraction).toBe(0.3);
  });

  it('offers Browse only where a folder picker exists', async () => {
    const { client } = emptyCatalogue(true);
    client.handlers['dialog-pick-folder'] = () => ({ folder: '/picked/faces' });
    renderApp(client);
    await waitFor(() => expect(client.requestsTo('app-info')).toHaveLength(1));
    fireEvent.click(await screen.findByTestId('import-folder'));
    fireEvent.click(await screen.findByTestId('import-browse'));
    await waitFor(() =>
      expect((screen.getByTestId('import-path') as HTMLInputElement).value).toBe('/picked/faces'),
    );

    cleanup();
    renderApp(emptyCatalogue(false).client);
    fireEvent.click(await screen.findByTestId('import-folder'));
    expect(screen.queryByTestId('import-browse')).toBeNull();
  });
});
