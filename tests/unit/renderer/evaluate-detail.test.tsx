import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import {
  createFakeClient,
  makeDetail,
  makeEvaluation,
  makeList,
  makeRun,
  makeStats,
} from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

describe('evaluate detail and cells', () => {
  it('opening another cell closes the detail of an image from the previous one', async () => {
    const client = createFakeClient({
      'catalogue-stats': () => makeStats(10),
      'catalogue-list': () => makeList(20),
      'catalogue-image': ({ id }) => makeDetail(id),
      'runs-list': () => ({ runs: [makeRun(1)] }),
      'evaluation-run': ({ runId }) => makeEvaluation(runId),
      'evaluation-cell': ({ predicted }) =>
        predicted === 'happy'
          ? { ids: [7001, 7002], confidences: [0.9, 0.8] }
          : { ids: [8001], confidences: [0.7] },
      'image-predictions': ({ runId }) => ({
        runId,
        role: 'test',
        probabilities: null,
        outOfSample: true,
      }),
    });
    renderApp(client);
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    fireEvent.click(await screen.findByTestId('evaluate-start'));
    await screen.findByTestId('confusion-matrix');
    const cell = (predicted: string) =>
      screen
        .getAllByTestId('confusion-cell')
        .find(
          (el) => el.dataset['true'] === 'fear' && el.dataset['predicted'] === predicted,
        ) as HTMLElement;
    fireEvent.click(cell('happy'));
    const grid = await screen.findByTestId('cell-grid');
    await waitFor(() => expect(within(grid).getAllByTestId('cell-item')).toHaveLength(2));
    fireEvent.click(within(grid).getAllByTestId('cell-item')[1] as HTMLElement);
    await screen.findByTestId('image-detail');
    fireEvent.click(cell('sad'));
    await waitFor(() =>
      expect(screen.getByTestId('cell-grid').getAttribute('data-count')).toBe('1'),
    );
    expect(screen.queryByTestId('image-detail')).toBeNull();
  });
});
