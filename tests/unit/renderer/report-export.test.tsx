import { act, fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RequestOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { deferred } from './fake-client.ts';
import { fakeLayoutEachTest } from './render-app.tsx';
import { openRun, twoRunsClient, typeInto } from './run-detail.ts';

fakeLayoutEachTest();

describe('training report export', () => {
  it('writes the report into a typed folder, shows progress and lists the files', async () => {
    const client = twoRunsClient();
    const reply = deferred<{ files: string[] }>();
    client.handlers['report-export'] = () => reply.promise;
    await openRun(client, 4);
    const out = (await screen.findByTestId('report-out')) as HTMLInputElement;
    expect(out.placeholder).toContain('run-4-report');
    expect((screen.getByTestId('report-start') as HTMLButtonElement).disabled).toBe(true);
    typeInto('report-out', ' /srv/reports/run-4 ');
    fireEvent.click(screen.getByTestId('report-start'));
    expect(client.requestsTo('report-export')).toEqual([
      { runId: 4, out: '/srv/reports/run-4', force: false, churn: false },
    ]);
    expect((screen.getByTestId('report-start') as HTMLButtonElement).disabled).toBe(true);
    act(() =>
      client.emit('export-progress', {
        target: '/srv/reports/run-4',
        fraction: 0.6,
        stage: 'charts',
      }),
    );
    expect(screen.getByTestId('report-progress').getAttribute('aria-valuenow')).toBe('60');
    await act(async () =>
      reply.resolve({
        files: ['/srv/reports/run-4/report.html', '/srv/reports/run-4/charts/loss.png'],
      }),
    );
    const result = await screen.findByTestId('report-result');
    expect(result.querySelectorAll('li')).toHaveLength(2);
    expect(result.textContent).toContain('report.html');
    expect(screen.queryByTestId('report-progress')).toBeNull();
  });

  it('shows the error and offers Overwrite? when the folder exists', async () => {
    const client = twoRunsClient();
    client.handlers['report-export'] = (request: RequestOf<'report-export'>) => {
      if (!request.force)
        throw new ClientError(
          'already-exists',
          '/srv/r already exists. Choose another name, or overwrite it.',
        );
      return { files: ['/srv/r/report.html'] };
    };
    await openRun(client, 4);
    typeInto('report-out', '/srv/r');
    fireEvent.click(screen.getByTestId('report-start'));
    const error = await screen.findByTestId('report-error');
    expect(error.getAttribute('data-code')).toBe('already-exists');
    expect(error.textContent).toBe(
      'Already exists/srv/r already exists. Choose another name, or overwrite it.',
    );
    fireEvent.click(screen.getByTestId('report-overwrite'));
    await screen.findByTestId('report-result');
    expect(client.requestsTo('report-export').map((r) => r.force)).toEqual([false, true]);
  });

  it('asks for every label change (churn) only when ticked', async () => {
    const client = twoRunsClient();
    client.handlers['report-export'] = () => ({ files: ['/srv/r/report.html'] });
    await openRun(client, 4);
    typeInto('report-out', '/srv/r');
    fireEvent.click(screen.getByTestId('report-churn'));
    fireEvent.click(screen.getByTestId('report-start'));
    await screen.findByTestId('report-result');
    expect(client.requestsTo('report-export')).toEqual([
      { runId: 4, out: '/srv/r', force: false, churn: true },
    ]);
    expect(screen.queryByTestId('report-error')).toBeNull();
  });

  it('does not offer a report for a run without a model', async () => {
    const client = twoRunsClient();
    await openRun(client, 5);
    await screen.findByTestId('run-config');
    expect(screen.queryByTestId('report-out')).toBeNull();
  });
});
