import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LabelIssue } from '../../../app/contract/index.ts';
import {
  createFakeClient,
  deferred,
  makeIssues,
  makeList,
  makeRun,
  makeStats,
} from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

function issuesClient() {
  const reply = deferred<{ issues: LabelIssue[]; total: number; method: 'k-fold' }>();
  const client = createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => makeList(20),
    'runs-list': () => ({ runs: [makeRun(1), makeRun(2)] }),
    'label-issues': () => reply.promise,
    'labels-set': ({ changes }) => ({ changed: changes.length, skipped: 0, skippedIds: [] }),
  });
  return { client, reply };
}

const rows = () => screen.queryAllByTestId('issue-row');

async function findIssues() {
  const { client, reply } = issuesClient();
  renderApp(client);
  fireEvent.click(screen.getByTestId('nav-evaluate'));
  await screen.findByTestId('evaluate-run-select');
  fireEvent.click(screen.getByTestId('issues-start'));
  expect(client.requestsTo('label-issues')).toEqual([{ runId: 2, limit: 200 }]);
  act(() =>
    client.emit('evaluation-progress', {
      runId: 2,
      phase: 'cross-validating',
      done: 2,
      total: 4,
      fold: 3,
    }),
  );
  const bar = screen.getByTestId('issues-progress');
  expect(bar.getAttribute('data-done')).toBe('2');
  expect(bar.closest('.progress')?.textContent).toContain('fold 3');
  await act(async () => reply.resolve({ issues: makeIssues(4), total: 4, method: 'k-fold' }));
  await waitFor(() => expect(rows()).toHaveLength(4));
  return client;
}

describe('label issues', () => {
  it('lists issues ranked with given and suggested labels', async () => {
    await findIssues();
    expect(rows().map((r) => r.getAttribute('data-image-id'))).toEqual([
      '5000',
      '5001',
      '5002',
      '5003',
    ]);
    expect(rows().map((r) => r.getAttribute('data-suggested'))).toEqual([
      'happy',
      'neutral',
      'sad',
      'surprise',
    ]);
    expect(rows()[0]?.textContent).toContain('angry');
    // Where each row's probabilities came from: k-fold models or the run's own (held-out) model.
    expect(rows().map((r) => r.getAttribute('data-source'))).toEqual([
      'cross-validation',
      'held-out',
      'cross-validation',
      'held-out',
    ]);
    expect(rows()[0]?.textContent).toContain('k-fold');
    expect(rows()[1]?.textContent).toContain('held-out');
  });

  it('Enter accepts the suggestion with source "suggestion"; digits relabel by hand', async () => {
    const client = await findIssues();
    const list = screen.getByTestId('issue-list');
    fireEvent.keyDown(list, { key: 'Enter' });
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(1));
    expect(client.requestsTo('labels-set')[0]).toEqual({
      changes: [{ imageId: 5000, label: 'happy' }],
      source: 'suggestion',
    });
    await waitFor(() => expect(rows()[1]?.getAttribute('aria-current')).toBe('true'));
    fireEvent.keyDown(list, { key: '2' });
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(2));
    expect(client.requestsTo('labels-set')[1]).toEqual({
      changes: [{ imageId: 5001, label: 'disgust' }],
      source: 'manual',
    });
    await waitFor(() => expect(rows()[2]?.getAttribute('aria-current')).toBe('true'));
    fireEvent.keyDown(list, { key: 'a' });
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(3));
    expect(client.requestsTo('labels-set')[2]?.changes).toEqual([{ imageId: 5002, label: 'sad' }]);
  });

  it('"Accept all shown" sends every undecided suggestion at once', async () => {
    const client = await findIssues();
    fireEvent.keyDown(screen.getByTestId('issue-list'), { key: 'ArrowDown' });
    fireEvent.keyDown(screen.getByTestId('issue-list'), { key: 'x' });
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(1));
    await waitFor(() => expect(screen.getByTestId('issues-accept-all').textContent).toContain('3'));
    await acceptAllConfirmed();
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(2));
    expect(client.requestsTo('labels-set')[1]).toEqual({
      changes: [
        { imageId: 5000, label: 'happy' },
        { imageId: 5002, label: 'sad' },
        { imageId: 5003, label: 'surprise' },
      ],
      source: 'suggestion',
    });
  });
});

describe('bulk accept takes only confident relabels', () => {
  it('leaves "needs a look" and "exclude" out of Accept all, and says how many it left', async () => {
    const { client, reply } = issuesClient();
    renderApp(client);
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    await screen.findByTestId('evaluate-run-select');
    fireEvent.click(screen.getByTestId('issues-start'));
    const issues = makeIssues(4).map((issue, i) => ({
      ...issue,
      action: (['relabel', 'needs-look', 'exclude', 'relabel'] as const)[i] ?? 'relabel',
      source: 'training-dynamics' as const,
    }));
    await act(async () => reply.resolve({ issues, total: 4, method: 'k-fold' }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    expect(rows().map((r) => r.getAttribute('data-action'))).toEqual([
      'relabel',
      'needs-look',
      'exclude',
      'relabel',
    ]);
    expect(rows()[1]?.textContent).toContain('needs a look');
    expect(rows()[0]?.textContent).toContain('training dynamics');
    const button = screen.getByTestId('issues-accept-all');
    expect(button.textContent).toContain('(2)');
    expect(button.getAttribute('title')).toContain('2 shown issues need a look one by one');
    await acceptAllConfirmed();
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(1));
    expect(client.requestsTo('labels-set')[0]?.changes).toEqual([
      { imageId: 5000, label: issues[0]?.suggested },
      { imageId: 5003, label: issues[3]?.suggested },
    ]);
    await waitFor(() =>
      expect(screen.getByTestId('issues-accepted').textContent).toContain('Relabelled 2 images'),
    );
  });

  it('shows the row being decided at 3×, the others as thumbnails', async () => {
    await findIssues();
    const faces = () => screen.getAllByTestId('issue-face').map((f) => f.getAttribute('width'));
    expect(faces()).toEqual(['144', '48', '48', '48']);
    fireEvent.keyDown(screen.getByTestId('issue-list'), { key: 'ArrowDown' });
    await waitFor(() => expect(faces()).toEqual(['48', '144', '48', '48']));
  });
});

describe('label issues follow the catalogue', () => {
  const stateText = () => rows().map((r) => r.querySelector('.issue-state')?.textContent ?? '');
  const acceptAll = () => screen.queryByTestId('issues-accept-all')?.textContent ?? '';

  it('Ctrl+Z after an accept puts the row back and counts it again in "Accept all"', async () => {
    const client = await findIssues();
    client.handlers['labels-undo'] = () => ({
      changes: [{ imageId: 5000, from: 'happy', to: 'angry' }],
    });
    fireEvent.keyDown(screen.getByTestId('issue-list'), { key: 'Enter' });
    await waitFor(() => expect(stateText()[0]).toBe('now happy'));
    expect(acceptAll()).toContain('(3)');
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(client.requestsTo('labels-undo')).toHaveLength(1));
    await waitFor(() => expect(stateText()[0]).toBe(''));
    expect(acceptAll()).toContain('(4)');
  });

  it('undoing "Accept all" reopens every row; redo closes them again', async () => {
    const client = await findIssues();
    const accepted = makeIssues(4).map((i) => ({ imageId: i.id, from: i.label, to: i.suggested }));
    client.handlers['labels-undo'] = () => ({
      changes: accepted.map((c) => ({ imageId: c.imageId, from: c.to, to: c.from })),
    });
    client.handlers['labels-redo'] = () => ({ changes: accepted });
    await acceptAllConfirmed();
    await waitFor(() => expect(stateText().every((s) => s.startsWith('now '))).toBe(true));
    expect(screen.queryByTestId('issues-accept-all')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(stateText()).toEqual(['', '', '', '']));
    expect(acceptAll()).toContain('(4)');
    fireEvent.keyDown(document.body, { key: 'y', ctrlKey: true });
    await waitFor(() => expect(stateText()[3]).toBe('now surprise'));
    expect(screen.queryByTestId('issues-accept-all')).toBeNull();
  });
});

/** Clicks "Accept all shown" and, when the panel asks, confirms. */
async function acceptAllConfirmed() {
  fireEvent.click(screen.getByTestId('issues-accept-all'));
  const confirm = screen.queryByTestId('issues-accept-confirm');
  if (confirm) fireEvent.click(confirm);
}

describe('label issues and relabels made elsewhere', () => {
  it('a list refresh (another window relabelled) updates the rows it covers', async () => {
    const { client, reply } = issuesClient();
    const list = {
      ids: [5000, 5001],
      labels: ['angry', 'disgust'],
      splits: ['train', 'train'],
    } as const;
    let labels: ('angry' | 'disgust' | 'happy')[] = [...list.labels];
    client.handlers['catalogue-list'] = () => ({
      ids: [...list.ids],
      labels: [...labels],
      splits: [...list.splits],
    });
    renderApp(client);
    fireEvent.click(screen.getByTestId('nav-evaluate'));
    await screen.findByTestId('evaluate-run-select');
    fireEvent.click(screen.getByTestId('issues-start'));
    await act(async () => reply.resolve({ issues: makeIssues(4), total: 4, method: 'k-fold' }));
    await waitFor(() => expect(rows()).toHaveLength(4));
    labels = ['happy', 'disgust'];
    act(() => client.emit('catalogue-changed', { reason: 'relabel' }));
    await waitFor(() =>
      expect(rows()[0]?.querySelector('.issue-state')?.textContent).toBe('now happy'),
    );
    expect(screen.getByTestId('issues-accept-all').textContent).toContain('(3)');
  });
});
