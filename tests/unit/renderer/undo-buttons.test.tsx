import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeClient, makeList, makeStats } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe('undo and redo buttons', () => {
  it('are disabled while there is nothing to undo or redo, and follow every change', async () => {
    let state = { canUndo: false, canRedo: false };
    const client = createFakeClient({
      'catalogue-stats': () => makeStats(10),
      'catalogue-list': () => makeList(20),
      'labels-undo-state': () => state,
      'labels-set': ({ changes }) => {
        state = { canUndo: true, canRedo: false };
        return { changed: changes.length, skipped: 0, skippedIds: [] };
      },
      'labels-undo': () => {
        state = { canUndo: false, canRedo: true };
        return { changes: [{ imageId: 1000, from: 'disgust', to: 'angry' }] };
      },
    });
    renderApp(client);
    await waitFor(() => expect(screen.queryAllByTestId('grid-item')).toHaveLength(20));
    await waitFor(() => expect(button('undo-button').disabled).toBe(true));
    expect(button('redo-button').disabled).toBe(true);

    fireEvent.click(screen.getAllByTestId('grid-item')[0] as HTMLElement);
    fireEvent.keyDown(document.body, { key: '2' });
    await waitFor(() => expect(button('undo-button').disabled).toBe(false));
    expect(button('redo-button').disabled).toBe(true);

    fireEvent.click(button('undo-button'));
    await waitFor(() => expect(button('redo-button').disabled).toBe(false));
    expect(button('undo-button').disabled).toBe(true);

    // Another window relabelled: the core's word counts.
    state = { canUndo: true, canRedo: false };
    act(() => client.emit('catalogue-changed', { reason: 'relabel' }));
    await waitFor(() => expect(button('undo-button').disabled).toBe(false));
    expect(button('redo-button').disabled).toBe(true);
  });
});
