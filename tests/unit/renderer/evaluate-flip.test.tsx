import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeClient, makeEvaluation, makeList, makeRun, makeStats } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

/** Plain accuracy is makeEvaluation's; flip answers a different, recognisable one. */
function flipClient(): FakeClient {
  return createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => makeList(20),
    'runs-list': () => ({ runs: [makeRun(2)] }),
    'evaluation-run': ({ runId, split, tta }) =>
      tta === 'flip'
        ? { ...makeEvaluation(runId, split ?? 'test'), accuracy: 0.6789, loss: 0.9, tta: 'flip' }
        : makeEvaluation(runId, split ?? 'test'),
  });
}

async function openEvaluate(client: FakeClient) {
  renderApp(client);
  fireEvent.click(screen.getByTestId('nav-evaluate'));
  await screen.findByTestId('evaluate-run-select');
}

describe('evaluate page test-time flip', () => {
  it('is off by default: one plain request, no flip figures', async () => {
    const client = flipClient();
    await openEvaluate(client);
    fireEvent.click(screen.getByTestId('evaluate-start'));
    await screen.findByTestId('evaluate-accuracy');
    expect(client.requestsTo('evaluation-run')).toEqual([{ runId: 2, split: 'test' }]);
    expect(screen.queryByTestId('evaluate-flip-accuracy')).toBeNull();
  });

  it('shows the flip figures beside the plain ones, never in their place', async () => {
    const client = flipClient();
    await openEvaluate(client);
    fireEvent.click(screen.getByTestId('evaluate-start'));
    const plain = await screen.findByTestId('evaluate-accuracy');
    const plainValue = plain.getAttribute('data-value');
    // Turned on after a plain evaluation, the flip figures of the same run and split follow.
    fireEvent.click(screen.getByTestId('evaluate-flip'));
    const flip = await screen.findByTestId('evaluate-flip-accuracy');
    expect(flip.getAttribute('data-value')).toBe('0.6789');
    expect(flip.textContent).toContain('67.9');
    expect(screen.getByTestId('evaluate-accuracy').getAttribute('data-value')).toBe(plainValue);
    expect(plainValue).not.toBe('0.6789');
    expect(screen.getByTestId('evaluate-flip-table').textContent).toContain('0.9000');
    await waitFor(() =>
      expect(client.requestsTo('evaluation-run').at(-1)).toEqual({
        runId: 2,
        split: 'test',
        tta: 'flip',
      }),
    );
    // Off again: the flip figures go, the plain ones stay.
    fireEvent.click(screen.getByTestId('evaluate-flip'));
    expect(screen.queryByTestId('evaluate-flip-accuracy')).toBeNull();
    expect(screen.getByTestId('evaluate-accuracy').getAttribute('data-value')).toBe(plainValue);
  });
});
