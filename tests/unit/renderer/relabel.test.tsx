import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImageList, Label } from '../../../app/contract/index.ts';
import { CLASS_NAMES } from '../../../app/contract/index.ts';
import { CLASS_LIST } from '../../../renderer/src/classes.ts';
import { labelForKey } from '../../../renderer/src/store/labels-slice.ts';
import { createFakeClient, makeDetail, makeList, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

/** A catalogue whose labels really change on `labels-set`, with an undo stack like the core's. */
function relabelClient() {
  const list: ImageList = makeList(20);
  const done: { imageId: number; from: Label; to: Label }[][] = [];
  const client = createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': ({ label }) => {
      const keep = list.ids.map((_, i) => !label || list.labels[i] === label);
      return {
        ids: list.ids.filter((_, i) => keep[i]),
        labels: list.labels.filter((_, i) => keep[i]),
        splits: list.splits.filter((_, i) => keep[i]),
      };
    },
    'catalogue-image': ({ id }) => ({
      ...makeDetail(id),
      label: list.labels[list.ids.indexOf(id)] ?? 'exclude',
    }),
    'labels-set': ({ changes }) => {
      const batch = changes.map(({ imageId, label }) => {
        const i = list.ids.indexOf(imageId);
        const from = list.labels[i] ?? 'exclude';
        list.labels[i] = label;
        return { imageId, from, to: label };
      });
      done.push(batch);
      return { changed: batch.length, skipped: 0, skippedIds: [] };
    },
    'labels-undo': () => {
      const batch = done.pop() ?? [];
      for (const c of batch) list.labels[list.ids.indexOf(c.imageId)] = c.from;
      // As the core does: what the undo applied, from the current label back to the old one.
      return { changes: batch.map((c) => ({ imageId: c.imageId, from: c.to, to: c.from })) };
    },
    'labels-redo': () => ({ changes: [] }),
  });
  return { client, list };
}

const item = (id: number) => {
  const found = screen
    .queryAllByTestId('grid-item')
    .find((el) => el.getAttribute('data-image-id') === String(id));
  if (!found) throw new Error(`no grid item ${id}`);
  return found;
};

describe('relabel shortcuts', () => {
  it('maps 1–7 to the classes in class order and x / 0 to exclude', () => {
    expect(CLASS_LIST).toEqual(CLASS_NAMES);
    expect(['1', '2', '3', '4', '5', '6', '7'].map(labelForKey)).toEqual([...CLASS_NAMES]);
    expect([labelForKey('x'), labelForKey('X'), labelForKey('0')]).toEqual([
      'exclude',
      'exclude',
      'exclude',
    ]);
    expect([labelForKey('8'), labelForKey('a'), labelForKey('11')]).toEqual([null, null, null]);
  });

  it.each([
    ['1', 'angry'],
    ['4', 'happy'],
    ['7', 'surprise'],
    ['x', 'exclude'],
  ] as const)('key %s relabels the selected grid image as %s', async (key, label) => {
    const { client } = relabelClient();
    renderApp(client);
    await waitFor(() => expect(screen.queryAllByTestId('grid-item').length).toBe(20));
    const grid = screen.getByTestId('grid');
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key });
    expect(client.requestsTo('labels-set')).toEqual([
      { changes: [{ imageId: 1001, label }], source: 'manual' },
    ]);
    await waitFor(() => expect(item(1001).getAttribute('data-label')).toBe(label));
    const shown = label === 'exclude' ? 'excluded' : label;
    expect(screen.getByTestId('relabel-toast').textContent).toBe(`Image #1001: disgust → ${shown}`);
  });

  it('relabels from the open detail panel and refreshes on catalogue-changed', async () => {
    const { client } = relabelClient();
    renderApp(client);
    await waitFor(() => expect(screen.queryAllByTestId('grid-item').length).toBe(20));
    fireEvent.click(item(1003));
    const detail = await screen.findByTestId('image-detail');
    expect(screen.getByTestId('shortcut-legend').textContent).toContain('1–7');
    fireEvent.keyDown(detail, { key: '6' });
    expect(client.requestsTo('labels-set').at(-1)?.changes).toEqual([
      { imageId: 1003, label: 'sad' },
    ]);
    const before = client.requestsTo('catalogue-list').length;
    act(() => client.emit('catalogue-changed', { reason: 'relabel' }));
    await waitFor(() => expect(client.requestsTo('catalogue-list').length).toBeGreaterThan(before));
    await waitFor(() => expect(item(1003).getAttribute('data-label')).toBe('sad'));
    fireEvent.keyDown(detail, { key: 'ArrowRight' });
    await waitFor(() =>
      expect(screen.getByTestId('image-detail').getAttribute('data-image-id')).toBe('1004'),
    );
  });

  it('Ctrl+Z undoes and Ctrl+Shift+Z / Ctrl+Y redo; typing in a field is left alone', async () => {
    const { client } = relabelClient();
    renderApp(client);
    await waitFor(() => expect(screen.queryAllByTestId('grid-item').length).toBe(20));
    const grid = screen.getByTestId('grid');
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key: '5' });
    await waitFor(() => expect(item(1000).getAttribute('data-label')).toBe('neutral'));

    fireEvent.keyDown(grid, { key: 'z', ctrlKey: true });
    expect(client.requestsTo('labels-undo')).toEqual([{}]);
    await waitFor(() => expect(item(1000).getAttribute('data-label')).toBe('angry'));
    expect(screen.getByTestId('relabel-toast').textContent).toBe('Undid 1 change');

    fireEvent.keyDown(grid, { key: 'Z', ctrlKey: true, shiftKey: true });
    fireEvent.keyDown(grid, { key: 'y', ctrlKey: true });
    expect(client.requestsTo('labels-redo')).toEqual([{}, {}]);
    await waitFor(() =>
      expect(screen.getByTestId('relabel-toast').textContent).toBe('Nothing to redo'),
    );

    fireEvent.keyDown(screen.getByTestId('filter-split'), { key: 'z', ctrlKey: true });
    fireEvent.keyDown(screen.getByTestId('filter-split'), { key: '3' });
    expect(client.requestsTo('labels-undo')).toHaveLength(1);
    expect(client.requestsTo('labels-set')).toHaveLength(1);

    fireEvent.click(screen.getByTestId('undo-button'));
    fireEvent.click(screen.getByTestId('redo-button'));
    expect(client.requestsTo('labels-undo')).toHaveLength(2);
    expect(client.requestsTo('labels-redo')).toHaveLength(3);
  });

  it('selects the next image when a relabel moves the selected one out of the filter', async () => {
    const { client } = relabelClient();
    renderApp(client);
    await screen.findByTestId('filter-label');
    fireEvent.change(screen.getByTestId('filter-label'), { target: { value: 'angry' } });
    // Ids 1000, 1007, 1014 are angry.
    await waitFor(() => expect(screen.queryAllByTestId('grid-item').length).toBe(3));
    fireEvent.click(item(1007));
    await screen.findByTestId('image-detail');
    fireEvent.keyDown(screen.getByTestId('grid'), { key: '4' });
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(1));
    act(() => client.emit('catalogue-changed', { reason: 'relabel' }));
    await waitFor(() => expect(screen.queryAllByTestId('grid-item').length).toBe(2));
    await waitFor(() =>
      expect(screen.getByTestId('image-detail').getAttribute('data-image-id')).toBe('1014'),
    );
    expect(item(1014).getAttribute('aria-selected')).toBe('true');
  });

  it('Ctrl/Shift+click mark several images; a key or a bulk button relabels them all', async () => {
    const { client } = relabelClient();
    renderApp(client);
    await waitFor(() => expect(screen.queryAllByTestId('grid-item').length).toBe(20));
    fireEvent.click(item(1002));
    fireEvent.click(item(1005), { ctrlKey: true });
    fireEvent.click(item(1008), { shiftKey: true });
    expect(screen.getByTestId('bulk-bar').getAttribute('data-count')).toBe('5');
    fireEvent.keyDown(screen.getByTestId('grid'), { key: '2' });
    expect(client.requestsTo('labels-set')).toEqual([
      {
        changes: [1002, 1005, 1006, 1007, 1008].map((imageId) => ({ imageId, label: 'disgust' })),
        source: 'manual',
      },
    ]);
    await waitFor(() => expect(screen.queryByTestId('bulk-bar')).toBeNull());
    expect(screen.getByTestId('relabel-toast').textContent).toBe('5 images relabelled');

    fireEvent.click(item(1010), { ctrlKey: true });
    fireEvent.click(item(1011), { ctrlKey: true });
    fireEvent.click(item(1010), { ctrlKey: true });
    fireEvent.click(item(1012), { ctrlKey: true });
    fireEvent.click(screen.getByTestId('bulk-exclude'));
    expect(client.requestsTo('labels-set')[1]?.changes).toEqual([
      { imageId: 1008, label: 'exclude' },
      { imageId: 1011, label: 'exclude' },
      { imageId: 1012, label: 'exclude' },
    ]);
  });
});
