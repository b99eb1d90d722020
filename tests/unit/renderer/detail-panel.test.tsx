import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImageList } from '../../../app/contract/index.ts';
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

function detailClient() {
  const list: ImageList = makeList(20);
  return createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => list,
    'catalogue-image': ({ id }) => ({
      ...makeDetail(id),
      label: list.labels[list.ids.indexOf(id)] ?? 'exclude',
    }),
    'runs-list': () => ({ runs: [makeRun(1)] }),
    'evaluation-run': ({ runId }) => makeEvaluation(runId),
    'labels-set': ({ changes }) => {
      for (const c of changes) list.labels[list.ids.indexOf(c.imageId)] = c.label;
      return { changed: changes.length, skipped: 0, skippedIds: [] };
    },
  });
}

const item = (id: number) =>
  screen
    .getAllByTestId('grid-item')
    .find((el) => el.getAttribute('data-image-id') === String(id)) as HTMLElement;
const detailId = () => screen.queryByTestId('image-detail')?.getAttribute('data-image-id');

async function openDetailOf(id: number) {
  const client = detailClient();
  const view = renderApp(client);
  await waitFor(() => expect(screen.queryAllByTestId('grid-item')).toHaveLength(20));
  fireEvent.click(item(id));
  await screen.findByTestId('detail-class-buttons');
  return { client, ...view };
}

describe('image detail panel', () => {
  it('stays on its page: an image picked on Dataset is not shown on Evaluate', async () => {
    await openDetailOf(1003);
    expect(detailId()).toBe('1003');
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    await screen.findByTestId('evaluate-page');
    expect(screen.queryByTestId('image-detail')).toBeNull();
    fireEvent.click(screen.getByTestId('nav-dataset'));
    await screen.findByTestId('dataset-page');
    expect(screen.queryByTestId('image-detail')).toBeNull();
  });

  it('relabels with a click on a class button; the current label is pressed', async () => {
    const { client } = await openDetailOf(1003);
    const buttons = screen.getByTestId('detail-class-buttons');
    // Image 1003 is labelled "happy" (the fourth class).
    await waitFor(() =>
      expect(buttons.querySelector('[aria-pressed="true"]')?.getAttribute('data-label')).toBe(
        'happy',
      ),
    );
    fireEvent.click(buttons.querySelector('[data-label="sad"]') as HTMLElement);
    await waitFor(() =>
      expect(client.requestsTo('labels-set')).toEqual([
        { changes: [{ imageId: 1003, label: 'sad' }], source: 'manual' },
      ]),
    );
    await waitFor(() =>
      expect(buttons.querySelector('[aria-pressed="true"]')?.getAttribute('data-label')).toBe(
        'sad',
      ),
    );
    expect(detailId()).toBe('1003');
  });

  it('moves to the next image after a relabel when asked to, by button and by key', async () => {
    const { client } = await openDetailOf(1003);
    const advance = screen.getByTestId('detail-advance') as HTMLInputElement;
    expect(advance.checked).toBe(false);
    fireEvent.click(advance);
    expect(advance.checked).toBe(true);
    fireEvent.click(
      screen.getByTestId('detail-class-buttons').querySelector('[data-label="sad"]') as HTMLElement,
    );
    await waitFor(() => expect(detailId()).toBe('1004'));
    fireEvent.keyDown(screen.getByTestId('image-detail'), { key: '1' });
    await waitFor(() => expect(detailId()).toBe('1005'));
    expect(client.requestsTo('labels-set').map((r) => r.changes)).toEqual([
      [{ imageId: 1003, label: 'sad' }],
      [{ imageId: 1004, label: 'angry' }],
    ]);
  });

  it('keeps the relabel keys working with focus left on the "Next image" checkbox', async () => {
    const { client } = await openDetailOf(1003);
    const advance = screen.getByTestId('detail-advance') as HTMLInputElement;
    advance.focus();
    fireEvent.click(advance);
    fireEvent.keyDown(advance, { key: '5' });
    await waitFor(() =>
      expect(client.requestsTo('labels-set')).toEqual([
        { changes: [{ imageId: 1003, label: 'neutral' }], source: 'manual' },
      ]),
    );
    await waitFor(() => expect(detailId()).toBe('1004'));
  });
});
