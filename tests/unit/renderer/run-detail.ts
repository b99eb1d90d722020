import { fireEvent, screen, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import { makeRun, makeRunDetail } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

/** Run 4 finished with a model; run 5 failed without one. */
export function twoRunsClient(): FakeClient {
  const client = trainingClient();
  const runs = [makeRun(4), makeRun(5, { status: 'failed', hasModel: false })];
  client.handlers['runs-list'] = () => ({ runs });
  client.handlers['run-get'] = ({ runId }) =>
    makeRunDetail(
      runId,
      runs.find((r) => r.id === runId),
    );
  return client;
}

/** Mounts the app and opens a run's detail from the Runs page. */
export async function openRun(client: FakeClient, runId: number) {
  renderApp(client);
  fireEvent.click(screen.getByTestId('nav-runs'));
  await waitFor(() => expect(screen.queryAllByTestId('run-row').length).toBeGreaterThan(0));
  const row = screen
    .getAllByTestId('run-row')
    .find((el) => el.getAttribute('data-run-id') === String(runId));
  fireEvent.click(row as HTMLElement);
  await screen.findByTestId('run-detail');
}

export const typeInto = (testId: string, value: string) =>
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
