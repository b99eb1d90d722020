import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import {
  createFakeClient,
  deferred,
  makeDetail,
  makeEvaluation,
  makeIssues,
  makeList,
  makeRun,
  makeStats,
} from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayout, renderApp } from './render-app.tsx';

let restoreLayout: () => void = () => {};
beforeEach(() => {
  restoreLayout = fakeLayout(900, 600);
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

function evalClient(): FakeClient {
  return createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => makeList(20),
    'catalogue-image': ({ id }) => makeDetail(id),
    'runs-list': () => ({
      runs: [
        makeRun(1),
        makeRun(2),
        makeRun(3, { status: 'running', hasModel: false }),
        makeRun(4, { status: 'failed', hasModel: false }),
      ],
    }),
    'evaluation-run': ({ runId, split }) => makeEvaluation(runId, split ?? 'test'),
    'evaluation-cell': () => ({ ids: [7001, 7002, 7003], confidences: [0.91, 0.72, 0.55] }),
    'image-predictions': ({ runId }) => ({
      runId,
      role: 'test',
      probabilities: [0.05, 0.05, 0.1, 0.6, 0.1, 0.05, 0.05],
      outOfSample: true,
    }),
    'label-issues': () => ({ issues: makeIssues(5) }),
    'labels-set': ({ changes }) => ({ changed: changes.length }),
  });
}

async function openEvaluate(client: FakeClient) {
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-evaluate'));
  await screen.findByTestId('evaluate-page');
  await screen.findByTestId('evaluate-run-select');
  return view;
}

describe('evaluate page', () => {
  it('defaults to the newest finished run with a model and evaluates the chosen split', async () => {
    const client = evalClient();
    await openEvaluate(client);
    const select = screen.getByTestId('evaluate-run-select') as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('2'));
    expect([...select.options].map((o) => o.value)).toEqual(['2', '1']);

    const reply = deferred<ReturnType<typeof makeEvaluation>>();
    client.handlers['evaluation-run'] = () => reply.promise;
    fireEvent.change(screen.getByTestId('evaluate-split'), { target: { value: 'val' } });
    fireEvent.click(screen.getByTestId('evaluate-start'));
    expect(client.requestsTo('evaluation-run')).toEqual([{ runId: 2, split: 'val' }]);
    act(() =>
      client.emit('evaluation-progress', {
        runId: 2,
        phase: 'predicting',
        done: 30,
        total: 120,
        fold: null,
      }),
    );
    const bar = screen.getByTestId('evaluate-progress');
    expect(bar.getAttribute('aria-valuenow')).toBe('25');
    await act(async () => reply.resolve(makeEvaluation(2, 'val')));
    const accuracy = await screen.findByTestId('evaluate-accuracy');
    expect(Number(accuracy.getAttribute('data-value'))).toBeCloseTo(makeEvaluation(2).accuracy);
    expect(screen.queryByTestId('evaluate-progress')).toBeNull();
    const table = screen.getByTestId('per-class-table');
    const happy = within(table)
      .getAllByRole('row')
      .find((r) => r.getAttribute('data-class') === 'happy');
    expect(happy?.textContent).toContain(String(makeEvaluation(2).perClass.happy.support));
  });

  it('draws rows = true, columns = predicted and opens a cell’s images', async () => {
    const client = evalClient();
    await openEvaluate(client);
    fireEvent.click(screen.getByTestId('evaluate-start'));
    await screen.findByTestId('confusion-matrix');
    const cells = screen.getAllByTestId('confusion-cell');
    expect(cells).toHaveLength(49);
    const evaluation = makeEvaluation(2);
    cells.forEach((cell, i) => {
      const r = Math.floor(i / 7);
      const c = i % 7;
      expect(cell.getAttribute('data-true')).toBe(CLASS_NAMES[r]);
      expect(cell.getAttribute('data-predicted')).toBe(CLASS_NAMES[c]);
      expect(cell.getAttribute('data-count')).toBe(String(evaluation.confusion[r]?.[c]));
    });
    // Row "fear" (index 2), column "happy" (3): 5 of 2+3+30+5+6+7+8 = 61 → 8 % of the row.
    const cell = cells.find(
      (el) =>
        el.getAttribute('data-true') === 'fear' && el.getAttribute('data-predicted') === 'happy',
    );
    if (!cell) throw new Error('no fear→happy cell');
    expect(cell.querySelector('.cell-count')?.textContent).toBe('5');
    expect(cell.querySelector('.cell-share')?.textContent).toBe('8 %');
    fireEvent.click(cell);
    expect(client.requestsTo('evaluation-cell')).toEqual([
      { runId: 2, split: 'test', trueLabel: 'fear', predicted: 'happy' },
    ]);
    const grid = await screen.findByTestId('cell-grid');
    const items = within(grid).getAllByTestId('cell-item');
    expect(items.map((el) => el.getAttribute('data-image-id'))).toEqual(['7001', '7002', '7003']);
    expect(items[0]?.textContent).toContain('91 %');
    await waitFor(() => expect(grid.getAttribute('data-ms')).toMatch(/^\d+$/));

    fireEvent.click(items[1] as HTMLElement);
    const probabilities = await screen.findByTestId('image-probabilities');
    await waitFor(() => expect(probabilities.querySelectorAll('li')).toHaveLength(7));
    expect(client.requestsTo('image-predictions')).toEqual([{ imageId: 7002, runId: 2 }]);
    expect(probabilities.textContent).toContain('test');
    expect(probabilities.querySelector('li.best')?.getAttribute('data-class')).toBe('happy');
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await waitFor(() =>
      expect(screen.getByTestId('image-detail').getAttribute('data-image-id')).toBe('7003'),
    );
    fireEvent.keyDown(grid, { key: '3' });
    expect(client.requestsTo('labels-set')).toEqual([
      { changes: [{ imageId: 7003, label: 'fear' }], source: 'manual' },
    ]);
  });

  it('shows the server’s error code when evaluation is refused', async () => {
    const client = evalClient();
    client.handlers['evaluation-run'] = () => {
      throw new ClientError('not-found', 'Run 2 has no model');
    };
    await openEvaluate(client);
    fireEvent.click(screen.getByTestId('evaluate-start'));
    const error = await screen.findByTestId('evaluate-error');
    expect(error.getAttribute('data-code')).toBe('not-found');
  });
});
