import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
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
import { fakeLayoutEachTest, fakeScrolling, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

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
    'label-issues': () => ({ issues: makeIssues(5), total: 5, method: 'k-fold' as const }),
    'labels-set': ({ changes }) => ({ changed: changes.length, skipped: 0, skippedIds: [] }),
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
    let grid = await screen.findByTestId('cell-grid');
    let items = within(grid).getAllByTestId('cell-item');
    expect(items.map((el) => el.getAttribute('data-image-id'))).toEqual(['7001', '7002', '7003']);
    expect(items[0]?.textContent).toContain('91 %');
    await waitFor(() => expect(grid.getAttribute('data-ms')).toMatch(/^\d+$/));
    // The timing is click → painted, once: time spent on another page does not add to it.
    const measured = grid.getAttribute('data-ms');
    fireEvent.click(screen.getByTestId('nav-dataset'));
    const now = performance.now();
    const clock = vi.spyOn(performance, 'now').mockReturnValue(now + 165_000);
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    grid = await screen.findByTestId('cell-grid');
    expect(grid.getAttribute('data-ms')).toBe(measured);
    clock.mockRestore();
    items = within(grid).getAllByTestId('cell-item');

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

  it('renders only the visible rows of a 5,000-image cell and keeps keys working in it', async () => {
    const client = evalClient();
    const ids = Array.from({ length: 5000 }, (_, i) => 9000 + i);
    client.handlers['evaluation-cell'] = () => ({
      ids,
      confidences: ids.map((_, i) => 1 - i / 5000),
    });
    await openEvaluate(client);
    fireEvent.click(screen.getByTestId('evaluate-start'));
    await screen.findByTestId('confusion-matrix');
    fireEvent.click(screen.getAllByTestId('confusion-cell')[1] as HTMLElement);
    const grid = await screen.findByTestId('cell-grid');
    const shown = () =>
      within(grid)
        .queryAllByTestId('cell-item')
        .map((el) => Number(el.getAttribute('data-image-id')));
    await waitFor(() => expect(shown().length).toBeGreaterThan(0));
    expect(grid.getAttribute('data-count')).toBe('5000');
    // 900 px wide → 10 columns of ≥ 84 px; 600 px high → a few rows plus overscan.
    expect(shown().length).toBeLessThan(150);
    expect(shown()[0]).toBe(9000);

    const requested = fakeScrolling(grid);
    const detailId = () => screen.getByTestId('image-detail').getAttribute('data-image-id');
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    await waitFor(() => expect(detailId()).toBe('9000'));
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    await waitFor(() => expect(detailId()).toBe('9010'));
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(detailId()).toBe(String(9000 + 4999)));
    // The last of 500 rows of 104 px sits at the bottom of the 600 px viewport.
    await waitFor(() => expect(requested.at(-1)).toBe(500 * 104 - 600));
    await waitFor(() => expect(shown()).toContain(9000 + 4999));
    expect(shown().length).toBeLessThan(150);
    const last = within(grid)
      .getAllByTestId('cell-item')
      .find((el) => el.getAttribute('data-image-id') === String(9000 + 4999));
    expect(last?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(grid, { key: 'x' });
    expect(client.requestsTo('labels-set')).toEqual([
      { changes: [{ imageId: 9000 + 4999, label: 'exclude' }], source: 'manual' },
    ]);
    fireEvent.keyDown(grid, { key: 'z', ctrlKey: true });
    expect(client.requestsTo('labels-undo')).toEqual([{}]);
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

  it('offers no validation split for an imported run, shows stored figures at once, and keeps them on an error', async () => {
    const client = evalClient();
    const imported = {
      name: 'kaggle net',
      fileName: 'fer.h5',
      sha256: 'ab',
      format: 'keras2-h5' as const,
      detail: '',
      layers: 3,
      params: 10,
      notes: [],
    };
    client.handlers['runs-list'] = () => ({
      runs: [makeRun(6, { imported, valImages: 0, bestValAcc: null }), makeRun(2)],
    });
    client.handlers['evaluation-stored'] = ({ runId, split }) => ({
      evaluation: runId === 2 && split === 'test' ? makeEvaluation(2, 'test') : null,
    });
    await openEvaluate(client);
    const select = screen.getByTestId('evaluate-run-select') as HTMLSelectElement;
    const split = screen.getByTestId('evaluate-split') as HTMLSelectElement;
    await waitFor(() => expect(select.value).toBe('6'));
    expect([...split.options].map((o) => o.value)).toEqual(['test']);
    expect(screen.queryByTestId('evaluate-accuracy')).toBeNull();

    // Figures already stored (by Compare, say) show without pressing Evaluate.
    fireEvent.change(select, { target: { value: '2' } });
    await screen.findByTestId('evaluate-accuracy');
    expect(client.requestsTo('evaluation-run')).toEqual([]);
    expect([...split.options].map((o) => o.value)).toEqual(['test', 'val']);

    client.handlers['evaluation-run'] = () => {
      throw new ClientError('internal', 'The worker stopped.');
    };
    fireEvent.click(screen.getByTestId('evaluate-start'));
    await screen.findByTestId('evaluate-error');
    expect(screen.getByTestId('evaluate-accuracy')).toBeTruthy();
  });
});
