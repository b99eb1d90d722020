import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AppInfo, ImageList } from '../../../app/contract/index.ts';
import { CLASS_NAMES } from '../../../app/contract/index.ts';
import { createFakeClient, makeDetail, makeList, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, fakeScrolling, renderApp } from './render-app.tsx';

const info: AppInfo = {
  mode: 'browser',
  version: '0.1.0',
  catalogPath: '/c',
  dataDir: '/d',
  canPickFolder: false,
};

const project = {
  dir: '/data/projects/p',
  catalogPath: '/data/projects/p/catalogue.sqlite',
  name: 'P',
  images: 0,
  runs: 0,
  openedAt: null,
  isSample: false,
  problem: null,
  imageKey: 'f'.repeat(32),
};

function catalogue(imageCount: number) {
  const stats = makeStats(100, 3);
  return createFakeClient({
    'app-info': () => info,
    'catalogue-stats': () => stats,
    'catalogue-list': (filter) => makeList(imageCount, filter),
    'catalogue-image': ({ id }) => makeDetail(id),
    'project-list': () => ({ current: project, projects: [project] }),
  });
}

const items = () => screen.queryAllByTestId('grid-item');
const itemIds = () => items().map((el) => Number(el.getAttribute('data-image-id')));

fakeLayoutEachTest();

describe('dataset page', () => {
  it('shows the class balance per split in an accessible table', async () => {
    renderApp(catalogue(50));
    await screen.findByTestId('balance-chart');
    const stats = makeStats(100, 3);
    for (const name of CLASS_NAMES) {
      expect(screen.getByTestId(`count-train-${name}`).textContent).toBe(
        String(stats.classes[name].train),
      );
      expect(screen.getByTestId(`count-test-${name}`).textContent).toBe(
        String(stats.classes[name].test),
      );
    }
  });

  it('filters the grid to a class and split when a bar is clicked', async () => {
    const client = catalogue(700);
    renderApp(client);
    await waitFor(() =>
      expect(screen.getByTestId('grid-count').getAttribute('data-count')).toBe('700'),
    );
    fireEvent.click(await screen.findByTestId('bar-test-happy'));
    expect(client.requestsTo('catalogue-list').at(-1)).toEqual({ split: 'test', label: 'happy' });
    const expected = makeList(700, { split: 'test', label: 'happy' }).ids.length;
    await waitFor(() =>
      expect(screen.getByTestId('grid-count').getAttribute('data-count')).toBe(String(expected)),
    );
    expect((screen.getByTestId('filter-split') as HTMLSelectElement).value).toBe('test');
    expect((screen.getByTestId('filter-label') as HTMLSelectElement).value).toBe('happy');
    expect(items().length).toBe(expected);
  });

  it('asks for the chosen split and label from the filter controls', async () => {
    const client = catalogue(100);
    renderApp(client);
    await screen.findByTestId('filter-split');
    fireEvent.change(screen.getByTestId('filter-split'), { target: { value: 'train' } });
    fireEvent.change(screen.getByTestId('filter-label'), { target: { value: 'exclude' } });
    expect(client.requestsTo('catalogue-list').slice(-2)).toEqual([
      { split: 'train' },
      { split: 'train', label: 'exclude' },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId('grid-count').getAttribute('data-count')).toBe('0'),
    );
  });

  it('renders only a window of 35,000 images and moves it on scroll', async () => {
    renderApp(catalogue(35_000));
    await waitFor(() => expect(items().length).toBeGreaterThan(0));
    expect(screen.getByTestId('grid-count').textContent).toBe('35,000');
    const first = itemIds();
    // 900 px wide → 8 columns; 600 px high → a handful of rows plus overscan.
    expect(first.length).toBeLessThan(200);
    expect(first[0]).toBe(1000);

    const grid = screen.getByTestId('grid');
    await act(async () => {
      grid.scrollTop = 136 * 2000;
      grid.dispatchEvent(new Event('scroll'));
    });
    await waitFor(() => expect(Math.min(...itemIds())).toBeGreaterThan(1000 + 8 * 1990));
    expect(items().length).toBeLessThan(200);
  });

  it('scrolls the selection into view when a key moves it far away', async () => {
    renderApp(catalogue(35_000));
    await waitFor(() => expect(items().length).toBeGreaterThan(0));
    const grid = screen.getByTestId('grid');
    const requested = fakeScrolling(grid);
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(requested.length).toBeGreaterThan(0));
    // The last row (4,375 rows of 8) sits at the bottom of a 600 px viewport.
    expect(requested.at(-1)).toBe(4375 * 136 - 600);
    await waitFor(() => expect(itemIds()).toContain(1000 + 34_999));
    const last = items().find((el) => el.getAttribute('data-image-id') === String(1000 + 34_999));
    expect(last?.getAttribute('aria-selected')).toBe('true');
  });

  it('moves the selection with the arrow keys, opens detail with Enter and closes it with Escape', async () => {
    const client = catalogue(100);
    renderApp(client);
    await waitFor(() => expect(items().length).toBeGreaterThan(0));
    const grid = screen.getByTestId('grid');
    const selected = () =>
      screen
        .queryAllByTestId('grid-item')
        .filter((el) => el.getAttribute('aria-selected') === 'true')
        .map((el) => Number(el.getAttribute('data-image-id')));

    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    expect(selected()).toEqual([1000]);
    fireEvent.keyDown(grid, { key: 'ArrowRight' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(selected()).toEqual([1001 + 8]);
    fireEvent.keyDown(grid, { key: 'ArrowLeft' });
    expect(selected()).toEqual([1008]);
    expect(grid.getAttribute('aria-activedescendant')).toBe('grid-item-1008');

    fireEvent.keyDown(grid, { key: 'Enter' });
    const detail = await screen.findByTestId('image-detail');
    await waitFor(() => expect(detail.textContent).toContain('hash-1008'));
    expect(client.requestsTo('catalogue-image')).toEqual([{ id: 1008 }]);
    expect(detail.textContent).toContain('64 × 64');
    expect(detail.querySelector('img')?.getAttribute('src')).toBe(
      `fake-image://${project.imageKey}/1008.png`,
    );

    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    await waitFor(() =>
      expect(screen.getByTestId('image-detail').textContent).toContain('hash-1000'),
    );

    fireEvent.keyDown(grid, { key: 'Escape' });
    expect(screen.queryByTestId('image-detail')).toBeNull();
  });

  it('opens an image on click and refreshes when the catalogue changes', async () => {
    let list: ImageList = makeList(20);
    const client = catalogue(20);
    client.handlers['catalogue-list'] = () => list;
    renderApp(client);
    await waitFor(() => expect(items()).toHaveLength(20));
    const item = items()[3];
    if (!item) throw new Error('no fourth item');
    fireEvent.click(item);
    await screen.findByTestId('image-detail');

    list = makeList(30);
    act(() => client.emit('catalogue-changed', { reason: 'import' }));
    await waitFor(() => expect(items()).toHaveLength(30));
    expect(screen.getByTestId('image-detail')).toBeTruthy();
  });
});
