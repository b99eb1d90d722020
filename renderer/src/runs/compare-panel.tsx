import type { CompareSide } from '../store/compare-slice.ts';
import { compareRows } from '../store/compare-slice.ts';
import { useStudio } from '../store/store.ts';
import { formatPercent } from '../format.ts';
import { CompareCharts } from './compare-charts.tsx';
import { CompareConfusion } from './compare-confusion.tsx';
import { ErrorMessage } from '../components/error-message.tsx';

/** The Compare button: enabled when exactly two runs are ticked. */
export function CompareButton() {
  const ticked = useStudio((s) => s.compareIds.length);
  const startCompare = useStudio((s) => s.startCompare);
  return (
    <button
      data-testid="compare-start"
      disabled={ticked !== 2}
      title={ticked === 2 ? 'Compare the two ticked runs' : 'Tick exactly two runs to compare'}
      onClick={() => void startCompare()}
    >
      Compare{ticked > 0 ? ` (${ticked}/2)` : ''}
    </button>
  );
}

/** Sits in the row's first cell; the row itself selects the run, so ticking must not. */
export function CompareCheck(props: { runId: number }) {
  const checked = useStudio((s) => s.compareIds.includes(props.runId));
  const toggle = useStudio((s) => s.toggleCompare);
  return (
    <input
      type="checkbox"
      className="compare-check"
      data-testid="compare-check"
      aria-label={`Compare run #${props.runId}`}
      checked={checked}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => event.stopPropagation()}
      onChange={() => toggle(props.runId)}
    />
  );
}

const sign = (delta: number) => (delta > 0 ? '+' : delta < 0 ? '−' : '±');
// Accuracy reads as a percentage and F1 as a score (0.340), as on the Evaluate page.
const formatValue = (name: string, value: number) =>
  name === 'accuracy' ? formatPercent(value) : value.toFixed(3);
const formatDelta = (name: string, delta: number) =>
  name === 'accuracy'
    ? `${sign(delta)}${(Math.abs(delta) * 100).toFixed(1)} pp`
    : `${sign(delta)}${Math.abs(delta).toFixed(3)}`;

function CompareTable(props: { a: CompareSide; b: CompareSide }) {
  const { a, b } = props;
  if (!a.evaluation || !b.evaluation) return null;
  const rows = compareRows(a.evaluation, b.evaluation);
  return (
    <table className="compare-table" data-testid="compare-table">
      <caption className="muted">Test split · accuracy, then F1 per class</caption>
      <thead>
        <tr>
          <th scope="col">Metric</th>
          <th scope="col">Run #{a.runId}</th>
          <th scope="col">Run #{b.runId}</th>
          <th scope="col">
            Δ #{b.runId} − #{a.runId}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name} data-testid="compare-row" data-name={row.name}>
            <th scope="row">{row.name === 'accuracy' ? 'accuracy (overall)' : `F1 ${row.name}`}</th>
            <td data-value={row.a}>{formatValue(row.name, row.a)}</td>
            <td data-value={row.b}>{formatValue(row.name, row.b)}</td>
            <td
              data-testid="compare-delta"
              data-delta={row.delta}
              className={row.delta > 0 ? 'delta-up' : row.delta < 0 ? 'delta-down' : 'delta-flat'}
            >
              {formatDelta(row.name, row.delta)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ComparePanel() {
  const compare = useStudio((s) => s.compare);
  const closeCompare = useStudio((s) => s.closeCompare);
  if (!compare) return null;
  const { a, b } = compare;
  const errors = [a, b].filter((side) => side.error);
  const waiting = [a, b].some((side) => !side.error && !side.evaluation);
  return (
    <section className="card compare-panel" data-testid="compare-panel" aria-busy={waiting}>
      <header className="compare-head">
        <h2>
          Run #{a.runId} vs run #{b.runId}
        </h2>
        <button onClick={closeCompare}>Close</button>
      </header>
      {waiting && (
        <p className="compare-loading muted" role="status" data-testid="compare-loading">
          <span className="spinner" aria-hidden="true" /> Evaluating both runs on the test split…
        </p>
      )}
      {errors.map((side) => (
        <div key={side.runId}>
          <p>Run #{side.runId} could not be evaluated:</p>
          <ErrorMessage
            code={side.error?.code ?? 'internal'}
            message={side.error?.message ?? ''}
            testId="compare-error"
          />
        </div>
      ))}
      {a.detail && b.detail && <CompareCharts a={a.detail} b={b.detail} />}
      <CompareTable a={a} b={b} />
      {a.evaluation && b.evaluation && <CompareConfusion a={a.evaluation} b={b.evaluation} />}
    </section>
  );
}
