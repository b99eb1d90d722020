import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { LabelIssue } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import {
  createFakeClient,
  deferred,
  makeIssues,
  makeIssuesPlan,
  makeList,
  makeRun,
  makeStats,
} from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';

fakeLayoutEachTest();

function client(bestValAcc = 0.28) {
  const reply = deferred<{ issues: LabelIssue[]; total: number; method: 'k-fold' }>();
  const fake = createFakeClient({
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': () => makeList(20),
    'runs-list': () => ({ runs: [makeRun(1), makeRun(2, { bestValAcc })] }),
    'label-issues': () => reply.promise,
    'label-issues-plan': () => makeIssuesPlan(),
    'label-issues-cancel': () => ({ cancelled: true }),
    'labels-set': ({ changes }) => ({ changed: changes.length, skipped: 0, skippedIds: [] }),
  });
  return { fake, reply };
}

async function openEvaluate(fake: ReturnType<typeof client>['fake']) {
  renderApp(fake);
  fireEvent.click(screen.getByTestId('nav-evaluate'));
  await screen.findByTestId('evaluate-run-select');
}

describe('label issues: cost, cancel and bulk safety', () => {
  it('says what "Find label issues" will train and about how long before the click', async () => {
    const { fake } = client();
    await openEvaluate(fake);
    const cost = await screen.findByTestId('issues-cost');
    await waitFor(() => expect(cost.textContent).toContain('4 fold models'));
    expect(cost.textContent).toContain('8 epochs');
    expect(cost.textContent).toContain('2,360');
    expect(cost.textContent).toMatch(/about 2 min|about 3 min/);
    expect(cost.textContent).toContain('only their surest suggestions are relabels');
    expect(fake.requestsTo('label-issues-plan')).toEqual([{ runId: 2 }]);
  });

  it('says a run with training dynamics ranks in seconds, without claiming a cross-validation', async () => {
    const { fake } = client();
    fake.handlers['label-issues-plan'] = () =>
      makeIssuesPlan({
        method: 'training-dynamics',
        dynamics: true,
        estimatedSeconds: null,
        ready: true,
      });
    await openEvaluate(fake);
    const cost = await screen.findByTestId('issues-cost');
    await waitFor(() => expect(cost.textContent).toContain('training dynamics'));
    expect(cost.textContent).not.toContain('cross-validation');
    expect(cost.textContent).not.toContain('fold models');
  });

  it('claims no cross-validation for an imported model, which has no training images', async () => {
    const { fake } = client();
    fake.handlers['label-issues-plan'] = () =>
      makeIssuesPlan({ trainImages: 0, estimatedSeconds: 0, ready: true });
    await openEvaluate(fake);
    const cost = await screen.findByTestId('issues-cost');
    await waitFor(() => expect(cost.textContent).toContain('No training images to judge'));
    expect(cost.textContent).not.toContain('cross-validation');
  });

  it('shows time left while it runs, and Cancel ends it without an error', async () => {
    const { fake, reply } = client();
    await openEvaluate(fake);
    fireEvent.click(screen.getByTestId('issues-start'));
    act(() =>
      fake.emit('evaluation-progress', {
        runId: 2,
        phase: 'cross-validating',
        done: 1,
        total: 4,
        fold: 2,
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('issues-progress').closest('.progress')?.textContent).toMatch(
        /left/,
      ),
    );
    fireEvent.click(screen.getByTestId('issues-cancel'));
    await waitFor(() => expect(fake.requestsTo('label-issues-cancel')).toEqual([{ runId: 2 }]));
    // The first fold finished before Cancel: the core kept it, and the plan says so.
    fake.handlers['label-issues-plan'] = () =>
      makeIssuesPlan({ estimatedSeconds: 130, foldsDone: 1 });
    await act(async () =>
      reply.reject(new ClientError('cancelled', 'Finding label issues was cancelled.')),
    );
    await waitFor(() => expect(screen.queryByTestId('issues-progress')).toBeNull());
    expect(screen.queryByTestId('issues-error')).toBeNull();
    expect(screen.getByTestId('issues-cancelled').textContent).toMatch(/cancelled/i);
    expect((screen.getByTestId('issues-start') as HTMLButtonElement).disabled).toBe(false);
    await waitFor(() =>
      expect(screen.getByTestId('issues-cost').textContent).toContain(
        '1 of 4 fold models are kept from a cancelled search; trains the other 3',
      ),
    );
  });

  it('names the run behind the list and warns when its model is weak', async () => {
    const { fake, reply } = client(0.28);
    await openEvaluate(fake);
    fireEvent.click(screen.getByTestId('issues-start'));
    await act(async () => reply.resolve({ issues: makeIssues(4), total: 4, method: 'k-fold' }));
    const source = await screen.findByTestId('issues-source');
    expect(source.textContent).toContain('run #2');
    expect(source.textContent).toContain('28');
    expect(source.getAttribute('data-weak')).toBe('true');
  });

  it('"Accept all shown" asks first, naming the count and the model’s accuracy; Cancel and Esc take it back', async () => {
    const { fake, reply } = client(0.28);
    await openEvaluate(fake);
    fireEvent.click(screen.getByTestId('issues-start'));
    await act(async () => reply.resolve({ issues: makeIssues(4), total: 4, method: 'k-fold' }));
    fireEvent.click(await screen.findByTestId('issues-accept-all'));
    expect(fake.requestsTo('labels-set')).toHaveLength(0);
    const ask = screen.getByTestId('issues-accept-ask');
    expect(ask.textContent).toContain('4 images');
    expect(ask.textContent).toContain('28');
    fireEvent.click(screen.getByTestId('issues-accept-no'));
    expect(screen.queryByTestId('issues-accept-ask')).toBeNull();
    expect(fake.requestsTo('labels-set')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('issues-accept-all'));
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByTestId('issues-accept-ask')).toBeNull();
    expect(fake.requestsTo('labels-set')).toHaveLength(0);
    fireEvent.click(screen.getByTestId('issues-accept-all'));
    fireEvent.click(screen.getByTestId('issues-accept-confirm'));
    await waitFor(() => expect(fake.requestsTo('labels-set')).toHaveLength(1));
    expect(fake.requestsTo('labels-set')[0]?.changes).toHaveLength(4);
  });
});
