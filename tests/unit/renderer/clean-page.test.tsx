import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LabelIssue, ResponseOf } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import {
  createFakeClient,
  deferred,
  makeEvaluation,
  makeIssuesPlan,
  makeList,
  makeRun,
  makeStats,
  type FakeHandlers,
} from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest(1400, 900);

const issue = (
  id: number,
  label: LabelIssue['label'],
  suggested: LabelIssue['suggested'],
  action: LabelIssue['action'] = 'relabel',
): LabelIssue => ({
  id,
  label,
  suggested,
  confidence: 0.8,
  selfConfidence: 0.05,
  doubt: 1 - id / 1000,
  action,
  source: 'held-out',
});

const ISSUES = [
  issue(1, 'angry', 'happy'),
  issue(2, 'fear', 'sad'),
  issue(3, 'angry', 'happy'),
  issue(4, 'sad', 'neutral', 'needs-look'),
  issue(5, 'angry', 'happy'),
  issue(6, 'happy', 'happy', 'exclude'),
  issue(7, 'angry', 'happy'),
];

function cleanClient(overrides: FakeHandlers = {}) {
  return createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => makeList(20),
    'runs-list': () => ({ runs: [makeRun(1)] }),
    'label-issues': ({ reading }) => ({
      issues: ISSUES,
      total: ISSUES.length,
      method: 'training-dynamics',
      reading: reading ?? 'people',
    }),
    // Two relabelled since the run plus issue 7 kept: 3 of 9 reviewed.
    'cleaning-status': () => ({ reviewed: 3, total: 9, kept: [7] }),
    'evaluation-run': () => makeEvaluation(1),
    'labels-set': ({ changes }) => ({ changed: changes.length, skipped: 0, skippedIds: [] }),
    'labels-undo-state': () => ({ canUndo: true, canRedo: false }),
    'cleaning-keep': ({ imageIds }) => ({ changed: imageIds.length }),
    ...overrides,
  });
}

async function openClean(client: ReturnType<typeof cleanClient>) {
  renderApp(client);
  fireEvent.click(screen.getByTestId('nav-clean'));
  await waitFor(() =>
    expect((screen.getByTestId('clean-load') as HTMLButtonElement).disabled).toBe(false),
  );
  fireEvent.click(screen.getByTestId('clean-load'));
  await screen.findByTestId('clean-progress');
}

const groups = () =>
  screen.getAllByTestId('clean-group').map((g) => [g.dataset.group, Number(g.dataset.count)]);
const progress = () => screen.getByTestId('clean-progress').textContent;

describe('Clean page', () => {
  it('judges labels as people read them unless the user picks the model alone, and re-ranks', async () => {
    const client = cleanClient();
    await openClean(client);
    expect(screen.getByTestId('clean-reading-note').textContent).toMatch(/how people read/);
    fireEvent.change(screen.getByTestId('clean-reading'), { target: { value: 'model' } });
    await waitFor(() => expect(client.requestsTo('label-issues')).toHaveLength(2));
    expect(client.requestsTo('label-issues')[1]).toEqual({
      runId: 1,
      limit: 50_000,
      reading: 'model',
    });
    await waitFor(() =>
      expect(screen.getByTestId('clean-reading-note').textContent).toMatch(/model’s alone/),
    );
  });

  it('groups by label → suggestion by size, the needs-a-look items apart, kept ones left out', async () => {
    const client = cleanClient();
    await openClean(client);
    expect(client.requestsTo('label-issues')).toEqual([{ runId: 1, limit: 50_000 }]);
    expect(groups()).toEqual([
      ['angry>happy', 3],
      ['fear>sad', 1],
      ['review', 2],
    ]);
    expect(progress()).toContain('3 of 9 reviewed');
    expect(screen.getByTestId('clean-legend').textContent).toMatch(/accept.*keep.*exclude/);
    fireEvent.click(screen.getAllByTestId('clean-group')[2] as HTMLElement);
    expect(screen.getAllByTestId('clean-item').map((i) => i.dataset.action)).toEqual([
      'needs-look',
      'exclude',
    ]);
    expect(screen.queryByTestId('clean-accept-group')).toBeNull();
  });

  it('accepts a group as one edit with provenance, and Ctrl+Z undoes it whole', async () => {
    const undone: ResponseOf<'labels-undo'> = {
      changes: [1, 3, 5].map((imageId) => ({ imageId, from: 'happy', to: 'angry' })),
    };
    const client = cleanClient({ 'labels-undo': () => undone });
    await openClean(client);
    fireEvent.click(screen.getByTestId('clean-accept-group'));
    await waitFor(() => expect(progress()).toContain('6 of 9 reviewed'));
    expect(client.requestsTo('labels-set')).toEqual([
      {
        source: 'suggestion',
        changes: [1, 3, 5].map((imageId) => ({
          imageId,
          label: 'happy',
          expected: 'angry',
          provenance: { runId: 1, suggested: 'happy', doubt: 1 - imageId / 1000 },
        })),
      },
    ]);
    expect(groups()[0]).toEqual(['fear>sad', 1]);
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(progress()).toContain('3 of 9 reviewed'));
    expect(client.requestsTo('labels-undo')).toHaveLength(1);
    expect(groups()[0]).toEqual(['angry>happy', 3]);
  });

  it('keys: K keeps, a digit relabels against the label doubted; a skipped change is reported', async () => {
    const client = cleanClient({
      'labels-set': ({ changes }) => ({
        changed: 0,
        skipped: changes.length,
        skippedIds: changes.map((c) => c.imageId),
      }),
    });
    await openClean(client);
    const grid = screen.getByTestId('clean-grid');
    fireEvent.keyDown(grid, { key: 'k' });
    await waitFor(() =>
      expect(client.requestsTo('cleaning-keep')).toEqual([{ runId: 1, imageIds: [1], keep: true }]),
    );
    await waitFor(() => expect(progress()).toContain('4 of 9 reviewed'));
    fireEvent.keyDown(grid, { key: '4' });
    await waitFor(() => expect(client.requestsTo('labels-set')).toHaveLength(1));
    expect(client.requestsTo('labels-set')[0]?.changes[0]).toMatchObject({
      imageId: 3,
      label: 'neutral',
      expected: 'angry',
    });
    expect((await screen.findByTestId('clean-notice')).textContent).toBe(
      '1 skipped because their label changed meanwhile',
    );
  });

  it('a model near chance gets a warning and no bulk accept', async () => {
    const evaluation = { ...makeEvaluation(1), accuracy: 0.2 };
    await openClean(cleanClient({ 'evaluation-run': () => evaluation }));
    expect(screen.getByTestId('clean-near-chance').textContent).toContain('20.0 %');
    expect((screen.getByTestId('clean-accept-group') as HTMLButtonElement).disabled).toBe(true);
  });

  it('renders only the rows in view of 10,000 issues', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => issue(1000 + i, 'sad', 'fear'));
    for (const [i, item] of many.entries()) item.doubt = 1 - i / 20_000;
    await openClean(
      cleanClient({
        'label-issues': () => ({ issues: many, total: many.length, method: 'training-dynamics' }),
        'cleaning-status': () => ({ reviewed: 0, total: 10_000, kept: [] }),
      }),
    );
    expect(progress()).toContain('0 of 10,000 reviewed');
    const rendered = screen.getAllByTestId('clean-item').length;
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(200);
    act(() => {
      fireEvent.change(screen.getByTestId('clean-doubt'), { target: { value: '0.9' } });
    });
    expect(screen.getByTestId('clean-grid').dataset.count).toBe('2001');
  });

  it('a k-fold search says its cost first, shows fold and time left, and Cancel keeps finished folds', async () => {
    const reply = deferred<ResponseOf<'label-issues'>>();
    let foldsDone = 0;
    const client = cleanClient({
      'label-issues': () => reply.promise,
      'label-issues-plan': () =>
        makeIssuesPlan({ epochs: 5, trainImages: 24_725, estimatedSeconds: 2400, foldsDone }),
      'label-issues-cancel': () => ({ cancelled: true }),
    });
    renderApp(client);
    fireEvent.click(screen.getByTestId('nav-clean'));
    const cost = await screen.findByTestId('clean-cost');
    expect(cost.textContent).toContain('Trains 4 fold models × 5 epochs on 24,725 training images');
    expect(cost.textContent).toContain('about 40 min');
    fireEvent.click(screen.getByTestId('clean-load'));
    act(() =>
      client.emit('evaluation-progress', {
        runId: 1,
        phase: 'cross-validating',
        done: 120,
        total: 1000,
        fold: 1,
      }),
    );
    const bar = await screen.findByTestId('clean-loading');
    await waitFor(() => expect(bar.textContent).toContain('Training fold 1'));
    expect(bar.textContent).toMatch(/left/);
    expect(bar.textContent).toContain('12 %');
    foldsDone = 1;
    fireEvent.keyDown(window, { key: 'Escape' });
    await waitFor(() => expect(client.requestsTo('label-issues-cancel')).toEqual([{ runId: 1 }]));
    await act(async () =>
      reply.reject(new ClientError('cancelled', 'Finding label issues was cancelled.')),
    );
    expect((await screen.findByTestId('clean-cancelled')).textContent).toContain('kept');
    expect(screen.queryByTestId('clean-error')).toBeNull();
    await waitFor(() =>
      expect(screen.getByTestId('clean-cost').textContent).toContain(
        '1 of 4 fold models are kept from a cancelled search; trains the other 3',
      ),
    );
    expect((screen.getByTestId('clean-load') as HTMLButtonElement).disabled).toBe(false);
  });
});
