import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ResponseOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/client-error.ts';
import { createFakeClient, makeList, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

type Entry = ResponseOf<'imports-list'>['imports'][number];

fakeLayoutEachTest();

const entry = (id: number, folder: string, images: number, duplicates: number): Entry => ({
  id,
  folder,
  startedAt: '2026-11-27T02:00:00.000Z',
  finishedAt: '2026-11-27T02:01:00.000Z',
  status: 'done',
  images,
  duplicates,
  usedByRuns: id === 1 ? 2 : 0,
  removedAt: null,
});

function withImports() {
  const state = {
    imports: [
      entry(3, 'predict: me.png', 1, 0),
      entry(2, '/photos/mine', 7, 14),
      entry(1, '/data/fer2013', 21, 0),
    ],
    canUndo: false,
  };
  const client = createFakeClient({
    'app-info': () => ({
      mode: 'browser',
      version: '0.1.0',
      catalogPath: '/c.sqlite',
      dataDir: '/d',
      canPickFolder: false,
    }),
    'catalogue-stats': () => makeStats(28),
    'catalogue-list': () => makeList(28),
    'runs-list': () => ({ runs: [] }),
    'imports-list': () => ({ imports: state.imports }),
    'labels-undo-state': () => ({ canUndo: state.canUndo, canRedo: false }),
    'imports-remove': ({ importId }) => {
      state.imports = state.imports.map((e) =>
        e.id === importId ? { ...e, removedAt: '2026-11-27T03:00:00.000Z' } : e,
      );
      state.canUndo = true;
      return { images: 7 };
    },
    'imports-restore': ({ importId }) => {
      state.imports = state.imports.map((e) => (e.id === importId ? { ...e, removedAt: null } : e));
      return { images: 7 };
    },
  });
  return { client, state };
}

describe('imports on the Dataset page', () => {
  it('lists each import with its folder and counts; remove takes it back and restore undoes it', async () => {
    const { client } = withImports();
    renderApp(client);
    const panel = await screen.findByTestId('imports-panel');
    const undo = screen.getByTestId('undo-button') as HTMLButtonElement;
    await waitFor(() => expect(undo.disabled).toBe(true));
    const [face, ...rows] = within(panel).getAllByTestId('import-entry');
    expect(rows).toHaveLength(2);
    expect(face?.textContent).toContain('1 image added');
    expect(rows[0]?.textContent).toContain('/photos/mine');
    expect(rows[0]?.textContent).toContain('7 images added · 14 duplicates skipped');
    expect(rows[1]?.textContent).toContain('used by 2 runs');

    fireEvent.click(within(rows[0] as HTMLElement).getByTestId('import-remove'));
    // Nothing goes before the person confirms, and the question says how much goes.
    const ask = await within(panel).findByTestId('import-remove-confirm');
    expect(ask.textContent).toContain('7 images');
    expect(ask.textContent).toContain('Ctrl+Z');
    expect(client.requestsTo('imports-remove')).toEqual([]);
    fireEvent.click(within(ask).getByTestId('import-remove-yes'));
    await waitFor(() => expect(client.requestsTo('imports-remove')).toEqual([{ importId: 2 }]));
    act(() => client.emit('catalogue-changed', { reason: 'import' }));
    await waitFor(() => expect(undo.disabled).toBe(false));
    const restore = await within(panel).findByTestId('import-restore');
    expect(within(panel).getAllByTestId('import-entry')[1]?.dataset['removed']).toBe('true');

    fireEvent.click(restore);
    await waitFor(() => expect(client.requestsTo('imports-restore')).toEqual([{ importId: 2 }]));
    await waitFor(() => expect(within(panel).queryByTestId('import-restore')).toBeNull());
  });

  it('says why a removal was refused', async () => {
    const { client } = withImports();
    client.handlers['imports-remove'] = () => {
      throw new ClientError('busy', 'Import 2 is still running; cancel it first.');
    };
    renderApp(client);
    const panel = await screen.findByTestId('imports-panel');
    fireEvent.click(within(panel).getAllByTestId('import-remove')[1] as HTMLElement);
    fireEvent.click(within(panel).getByTestId('import-remove-yes'));
    const error = await screen.findByTestId('imports-error');
    expect(error.textContent).toContain('still running');
    expect(within(panel).getAllByTestId('import-remove')).toHaveLength(3);
  });

  it('Ctrl+Z after a removal says the images came back', async () => {
    const { client } = withImports();
    client.handlers['labels-undo'] = () => ({
      changes: [],
      imports: [{ importId: 2, images: 7, removed: false }],
    });
    renderApp(client);
    await screen.findByTestId('imports-panel');
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    const toast = await screen.findByTestId('relabel-toast');
    expect(toast.textContent).toBe('Undid: import #2 is back (7 images)');
  });
});
