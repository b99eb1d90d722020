import type { ClassName, Evaluation } from '../../../app/contract/index.ts';
import { CLASS_LIST } from '../classes.ts';
import { formatCount, formatPercent } from '../format.ts';
import { useStudio } from '../store/store.ts';

/** Rows are the true class, columns the predicted one, both in the evaluation's `labels` order. */
export function ConfusionMatrix(props: { evaluation: Evaluation }) {
  const { confusion, labels } = props.evaluation;
  const openCell = useStudio((s) => s.openCell);
  const open = useStudio((s) => (s.cell ? `${s.cell.trueLabel}:${s.cell.predicted}` : null));
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <caption className="muted">Rows: true label ↓ · Columns: predicted label →</caption>
      <thead>
        <tr>
          <th scope="col" className="axis">
            true \ predicted
          </th>
          {labels.map((name) => (
            <th key={name} scope="col" data-axis="predicted">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((trueLabel, row) => {
          const counts = confusion[row] ?? [];
          const rowTotal = counts.reduce((sum, n) => sum + n, 0);
          return (
            <tr key={trueLabel}>
              <th scope="row" data-axis="true">
                {trueLabel}
              </th>
              {labels.map((predicted, col) => {
                const count = counts[col] ?? 0;
                const share = rowTotal > 0 ? count / rowTotal : 0;
                return (
                  <td key={predicted}>
                    <button
                      className={`confusion-cell${row === col ? ' diagonal' : ''}${open === `${trueLabel}:${predicted}` ? ' open' : ''}`}
                      data-testid="confusion-cell"
                      data-true={trueLabel}
                      data-predicted={predicted}
                      data-count={count}
                      style={cellColour(share, row === col)}
                      title={`${count} ${trueLabel} images predicted ${predicted}`}
                      disabled={count === 0}
                      onClick={() => void openCell(trueLabel, predicted)}
                    >
                      <span className="cell-count">{formatCount(count)}</span>
                      <span className="cell-share">{formatPercent(share, 0)}</span>
                    </button>
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Blue on the diagonal (right), red off it (wrong); stronger = larger share of the row. */
function cellColour(share: number, diagonal: boolean) {
  const alpha = Math.min(0.85, share * 1.1);
  const rgb = diagonal ? '59, 91, 219' : '224, 49, 49';
  return {
    background: `rgba(${rgb}, ${alpha.toFixed(3)})`,
    color: alpha > 0.45 ? '#fff' : 'inherit',
  };
}

export function PerClassTable(props: { evaluation: Evaluation }) {
  const { perClass } = props.evaluation;
  return (
    <table className="per-class" data-testid="per-class-table">
      <thead>
        <tr>
          <th scope="col">Class</th>
          <th scope="col">Precision</th>
          <th scope="col">Recall</th>
          <th scope="col">F1</th>
          <th scope="col">Support</th>
        </tr>
      </thead>
      <tbody>
        {CLASS_LIST.map((name: ClassName) => {
          const m = perClass[name];
          return (
            <tr key={name} data-class={name}>
              <th scope="row">{name}</th>
              <td>{formatPercent(m.precision)}</td>
              <td>{formatPercent(m.recall)}</td>
              <td>{m.f1.toFixed(3)}</td>
              <td>{formatCount(m.support)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
