import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { deferred, makeRun, makeRunDetail } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest } from './render-app.tsx';
import { openRun, typeInto } from './run-detail.ts';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

/** Runs 4 (evaluated: 61.25 % on test) and 5 (not evaluated), with a server-side list that edits change. */
function editableRuns(): { client: FakeClient; runs: RunSummary[] } {
  const client = trainingClient();
  const runs = [makeRun(5), makeRun(4, { testAccuracy: 0.6125, name: null, notes: '' })];
  client.handlers['runs-list'] = () => ({ runs: [...runs] });
  client.handlers['run-get'] = ({ runId }) =>
    makeRunDetail(
      runId,
      runs.find((r) => r.id === runId),
    );
  client.handlers['run-update'] = ({ runId, name, notes }) => {
    const run = runs.find((r) => r.id === runId) as RunSummary;
    if (name !== undefined) run.name = name.trim() || null;
    if (notes !== undefined) run.notes = notes;
    return { runId };
  };
  client.handlers['run-delete'] = ({ runId }) => {
    runs.splice(
      runs.findIndex((r) => r.id === runId),
      1,
    );
    return { runId, removedFolder: true };
  };
  return { client, runs };
}

const row = (runId: number) =>
  screen.getAllByTestId('run-row').find((el) => el.getAttribute('data-run-id') === String(runId));

describe('runs: test accuracy, name, notes, delete', () => {
  it('shows the stored test accuracy, and a dash for a run not evaluated', async () => {
    const { client } = editableRuns();
    await openRun(client, 4);
    expect(within(row(4) as HTMLElement).getByTestId('run-test-acc').textContent).toBe('61.3 %');
    expect(within(row(5) as HTMLElement).getByTestId('run-test-acc').textContent).toBe('—');
    expect(screen.getByTestId('run-config').textContent).toContain('Test acc61.3 %');
  });

  it('renames and annotates a run; the list and the heading show the name', async () => {
    const { client } = editableRuns();
    await openRun(client, 4);
    const save = (await screen.findByTestId('run-save')) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    typeInto('run-name', 'baseline');
    typeInto('run-notes', 'first try, lr 1e-3');
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await screen.findByTestId('run-saved');
    expect(client.requestsTo('run-update')).toEqual([
      { runId: 4, name: 'baseline', notes: 'first try, lr 1e-3' },
    ]);
    await waitFor(() => expect(row(4)?.textContent).toContain('baseline'));
    expect(screen.getByTestId('run-detail').querySelector('h2')?.textContent).toContain(
      'Run #4 · baseline',
    );
  });

  it('deletes only after confirming, then closes the detail and drops the row', async () => {
    const { client } = editableRuns();
    const reply = deferred<{ runId: number; removedFolder: boolean }>();
    const remove = client.handlers['run-delete'];
    client.handlers['run-delete'] = async (request) => {
      await reply.promise;
      return remove ? remove(request) : { runId: request.runId, removedFolder: true };
    };
    await openRun(client, 4);
    fireEvent.click(screen.getByTestId('run-delete'));
    expect(client.requestsTo('run-delete')).toEqual([]);
    const confirm = screen.getByTestId('run-delete-confirm');
    expect(confirm.textContent).toContain('cannot be undone');
    fireEvent.click(screen.getByTestId('run-delete-no'));
    expect(screen.queryByTestId('run-delete-confirm')).toBeNull();

    fireEvent.click(screen.getByTestId('run-delete'));
    fireEvent.click(screen.getByTestId('run-delete-yes'));
    expect(client.requestsTo('run-delete')).toEqual([{ runId: 4 }]);
    expect((screen.getByTestId('run-delete-yes') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => reply.resolve({ runId: 4, removedFolder: true }));
    await waitFor(() => expect(screen.queryByTestId('run-detail')).toBeNull());
    expect(screen.getAllByTestId('run-row').map((r) => r.getAttribute('data-run-id'))).toEqual([
      '5',
    ]);
  });

  it('a refused delete says why in words and keeps the run', async () => {
    const { client } = editableRuns();
    client.handlers['run-delete'] = () => {
      throw new ClientError('busy', 'Run 4 is training; stop it before deleting it.');
    };
    await openRun(client, 4);
    fireEvent.click(screen.getByTestId('run-delete'));
    fireEvent.click(screen.getByTestId('run-delete-yes'));
    const error = await screen.findByTestId('run-delete-error');
    expect(error.textContent).toContain('Run 4 is training; stop it before deleting it.');
    expect(screen.getByTestId('run-detail')).toBeTruthy();
  });
});
