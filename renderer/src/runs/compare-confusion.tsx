import type { CSSProperties } from 'react';
import type { Evaluation } from '../../../app/contract/index.ts';
import { confusionDelta } from '../store/compare-slice.ts';

/** Diverging around zero (white): green where B improved on A, red where it got worse. */
function deltaColour(delta: number, scale: number, diagonal: boolean): CSSProperties {
  if (delta === 0 || scale === 0) return {};
  const strength = Math.min(1, Math.abs(delta) / scale);
  // On the diagonal more is better; off it more is worse.
  const good = diagonal ? delta > 0 : delta < 0;
  const rgb = good ? '47, 158, 68' : '224, 49, 49';
  return { background: `rgba(${rgb}, ${(0.12 + 0.68 * strength).toFixed(3)})` };
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** Confusion counts of B minus A; rows true class, columns predicted. */
export function CompareConfusion(props: { a: Evaluation; b: Evaluation }) {
  const { a, b } = props;
  const delta = confusionDelta(a, b);
  const scale = Math.max(0, ...delta.flat().map(Math.abs));
  return (
    <table className="confusion compare-confusion" data-testid="compare-confusion">
      <caption className="muted">
        Run #{b.runId} − run #{a.runId} · rows: true label ↓ · columns: predicted label →
      </caption>
      <thead>
        <tr>
          <th scope="col" className="axis">
            true \ predicted
          </th>
          {a.labels.map((name) => (
            <th key={name} scope="col">
              {name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {a.labels.map((trueLabel, row) => (
          <tr key={trueLabel}>
            <th scope="row">{trueLabel}</th>
            {a.labels.map((predicted, col) => {
              const value = delta[row]?.[col] ?? 0;
              return (
                <td
                  key={predicted}
                  className="delta-cell"
                  data-testid="compare-cell"
                  data-true={trueLabel}
                  data-predicted={predicted}
                  data-delta={value}
                  style={deltaColour(value, scale, row === col)}
                  title={`${trueLabel} predicted ${predicted}: ${signed(value)}`}
                >
                  {signed(value)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
