import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeClient, makeEvaluation, makeList, makeRun, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

describe('evaluate page and newer runs', () => {
  it('keeps showing the evaluated run when a newer run finishes meanwhile', async () => {
    let runs = [makeRun(2), makeRun(1)];
    const client = createFakeClient({
      'catalogue-stats': () => makeStats(10),
      'catalogue-list': () => makeList(20),
      'runs-list': () => ({ runs }),
      'evaluation-run': ({ runId }) => makeEvaluation(runId),
    });
    const { store } = renderApp(client);
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    const select = (await screen.findByTestId('evaluate-run-select')) as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('2'));
    fireEvent.click(screen.getByTestId('evaluate-start'));
    await screen.findByTestId('confusion-matrix');
    runs = [makeRun(3), ...runs];
    await act(async () => store.getState().refreshRuns());
    expect(select.value).toBe('2');
    expect(store.getState().evaluation?.runId).toBe(2);
    expect(screen.getByTestId('confusion-matrix')).toBeTruthy();
  });
});
