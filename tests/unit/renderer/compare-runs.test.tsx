import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Evaluation, RunSummary } from '../../../app/contract/index.ts';
import { CLASS_NAMES } from '../../../app/contract/index.ts';
import { ClientError } from '../../../renderer/src/client/index.ts';
import { formatPercent } from '../../../renderer/src/format.ts';
import { deferred, makeEvaluation, makeRun, makeRunDetail } from './fake-client.ts';
import type { FakeClient } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

/** Run 2 is run 1 with one more correct `happy` and one fewer `fear`→`sad`, and different F1s. */
function craftedPair(): Record<number, Evaluation> {
  const a = makeEvaluation(1);
  const b = makeEvaluation(2);
  b.confusion = a.confusion.map((row) => [...row]);
  const happy = CLASS_NAMES.indexOf('happy');
  const fear = CLASS_NAMES.indexOf('fear');
  const sad = CLASS_NAMES.indexOf('sad');
  (b.confusion[happy] as number[])[happy] = (a.confusion[happy]?.[happy] ?? 0) + 5;
  (b.confusion[fear] as number[])[sad] = (a.confusion[fear]?.[sad] ?? 0) - 3;
  b.accuracy = a.accuracy + 0.125;
  b.perClass = { ...a.perClass, angry: { ...a.perClass.angry, f1: a.perClass.angry.f1 - 0.25 } };
  b.perClass.happy = { ...a.perClass.happy, f1: 0.9 };
  return { 1: a, 2: b };
}

function compareClient(runs: RunSummary[], evaluations: Record<number, Evaluation>): FakeClient {
  const client = trainingClient();
  client.handlers['runs-list'] = () => ({ runs });
  client.handlers['run-get'] = ({ runId }) => {
    const run = runs.find((r) => r.id === runId);
    if (!run) throw new ClientError('not-found', `No run ${runId}`);
    return makeRunDetail(runId, run);
  };
  client.handlers['evaluation-run'] = ({ runId }) => {
    const evaluation = evaluations[runId];
    if (!evaluation) throw new ClientError('unsupported', `Run ${runId} has no model`);
    return evaluation;
  };
  return client;
}

const checkFor = (id: number) => {
  const row = screen
    .getAllByTestId('run-row')
    .find((el) => el.getAttribute('data-run-id') === String(id));
  if (!row) throw new Error(`no row for run ${id}`);
  return within(row).getByTestId('compare-check');
};

async function openRunsPage(client: FakeClient) {
  const view = renderApp(client);
  fireEvent.click(screen.getByTestId('nav-runs'));
  await waitFor(() => expect(screen.getAllByTestId('run-row').length).toBeGreaterThan(0));
  return view;
}

describe('compare runs', () => {
  it('needs exactly two ticked runs and asks for both test evaluations', async () => {
    const client = compareClient([makeRun(1), makeRun(2), makeRun(3)], craftedPair());
    const { store } = await openRunsPage(client);
    const start = screen.getByTestId('compare-start') as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    fireEvent.click(checkFor(2));
    expect(start.disabled).toBe(true);
    fireEvent.click(checkFor(1));
    expect(start.disabled).toBe(false);
    // Ticking is not selecting: the detail panel stays closed.
    expect(store.getState().selectedRunId).toBeNull();
    fireEvent.click(checkFor(3));
    expect(start.disabled).toBe(true);
    fireEvent.click(checkFor(3));

    fireEvent.click(start);
    await screen.findByTestId('compare-table');
    const asked = client.requestsTo('evaluation-run');
    expect(asked).toHaveLength(2);
    expect(asked).toEqual(
      expect.arrayContaining([
        { runId: 1, split: 'test' },
        { runId: 2, split: 'test' },
      ]),
    );
    const charts = screen.getByTestId('compare-chart-loss');
    expect(charts.getAttribute('data-epochs')).toBe('3');
    expect(charts.querySelector('figcaption')?.textContent).toBe('Training loss');
    // F1 reads as on the Evaluate page (0.340), accuracy stays a percentage.
    const f1 = screen.getAllByTestId('compare-row').find((r) => r.dataset['name'] === 'happy');
    const [, cellA] = [...(f1?.querySelectorAll('td') ?? [])];
    expect(f1?.querySelector('td')?.textContent).toMatch(/^\d\.\d{3}$/);
    expect(cellA?.textContent).toMatch(/^\d\.\d{3}$/);
    expect(f1?.querySelector('[data-testid="compare-delta"]')?.textContent).toMatch(
      /^[+−±]\d\.\d{3}$/,
    );
    const accuracy = screen.getAllByTestId('compare-row')[0];
    expect(accuracy?.querySelector('td')?.textContent).toMatch(/%$/);
    expect(within(screen.getByTestId('compare-panel')).getAllByText('run #1').length).toBe(2);
  });

  it('shows a spinner while waiting and the delta table as B − A', async () => {
    const evaluations = craftedPair();
    const client = compareClient([makeRun(1), makeRun(2)], evaluations);
    const gate = deferred<Evaluation>();
    client.handlers['evaluation-run'] = ({ runId }) =>
      runId === 2 ? gate.promise : (evaluations[1] as Evaluation);
    await openRunsPage(client);
    fireEvent.click(checkFor(2));
    fireEvent.click(checkFor(1));
    fireEvent.click(screen.getByTestId('compare-start'));
    await screen.findByTestId('compare-loading');
    expect(screen.queryByTestId('compare-table')).toBeNull();
    gate.resolve(evaluations[2] as Evaluation);
    await screen.findByTestId('compare-table');
    expect(screen.queryByTestId('compare-loading')).toBeNull();

    const a = evaluations[1] as Evaluation;
    const b = evaluations[2] as Evaluation;
    const rows = screen.getAllByTestId('compare-row');
    expect(rows.map((r) => r.getAttribute('data-name'))).toEqual(['accuracy', ...CLASS_NAMES]);
    const delta = (name: string) => {
      const row = rows.find((r) => r.getAttribute('data-name') === name);
      if (!row) throw new Error(`no row ${name}`);
      return within(row).getByTestId('compare-delta');
    };
    expect(Number(delta('accuracy').getAttribute('data-delta'))).toBeCloseTo(0.125, 10);
    expect(delta('accuracy').className).toBe('delta-up');
    expect(delta('accuracy').textContent).toBe('+12.5 pp');
    expect(Number(delta('angry').getAttribute('data-delta'))).toBeCloseTo(-0.25, 10);
    expect(delta('angry').className).toBe('delta-down');
    expect(Number(delta('happy').getAttribute('data-delta'))).toBeCloseTo(
      0.9 - a.perClass.happy.f1,
      10,
    );
    expect(Number(delta('fear').getAttribute('data-delta'))).toBe(0);
    expect(b.perClass.fear.f1).toBe(a.perClass.fear.f1);
  });

  it('shows the confusion difference B − A cell by cell', async () => {
    const client = compareClient([makeRun(1), makeRun(2)], craftedPair());
    await openRunsPage(client);
    // Tick the newer run first: A is still the older one.
    fireEvent.click(checkFor(2));
    fireEvent.click(checkFor(1));
    fireEvent.click(screen.getByTestId('compare-start'));
    const matrix = await screen.findByTestId('compare-confusion');
    const cells = within(matrix).getAllByTestId('compare-cell');
    expect(cells).toHaveLength(49);
    const nonZero = cells
      .filter((c) => c.getAttribute('data-delta') !== '0')
      .map((c) => [c.dataset['true'], c.dataset['predicted'], Number(c.dataset['delta'])]);
    expect(nonZero).toEqual([
      ['fear', 'sad', -3],
      ['happy', 'happy', 5],
    ]);
  });

  it('shows the error code of a run that cannot be evaluated', async () => {
    const evaluations = craftedPair();
    delete evaluations[2];
    const client = compareClient([makeRun(1), makeRun(2)], evaluations);
    await openRunsPage(client);
    fireEvent.click(checkFor(1));
    fireEvent.click(checkFor(2));
    fireEvent.click(screen.getByTestId('compare-start'));
    const error = await screen.findByTestId('compare-error');
    expect(error.getAttribute('data-code')).toBe('unsupported');
    expect(error.textContent).toContain('Run 2 has no model');
    expect(screen.queryByTestId('compare-table')).toBeNull();
    expect(screen.queryByTestId('compare-loading')).toBeNull();
  });

  it('the test accuracies Compare computed reach the Runs table without Refresh', async () => {
    const runs = [makeRun(1, { testAccuracy: null }), makeRun(2, { testAccuracy: null })];
    const evaluations = craftedPair();
    const client = compareClient(runs, evaluations);
    // As the core does: an evaluation is stored, so the run's summary carries its accuracy.
    client.handlers['evaluation-run'] = ({ runId }) => {
      const evaluation = evaluations[runId] as Evaluation;
      const index = runs.findIndex((r) => r.id === runId);
      runs[index] = { ...(runs[index] as RunSummary), testAccuracy: evaluation.accuracy };
      return evaluation;
    };
    await openRunsPage(client);
    const cells = () => screen.getAllByTestId('run-test-acc').map((c) => c.textContent);
    expect(cells()).toEqual(['—', '—']);
    fireEvent.click(checkFor(1));
    fireEvent.click(checkFor(2));
    fireEvent.click(screen.getByTestId('compare-start'));
    await screen.findByTestId('compare-table');
    await waitFor(() =>
      expect(cells().sort()).toEqual(
        [
          formatPercent(evaluations[1]?.accuracy ?? null),
          formatPercent(evaluations[2]?.accuracy ?? null),
        ].sort(),
      ),
    );
  });
});
