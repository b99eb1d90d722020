import { CLASS_LIST } from '../classes.ts';
import { formatPercent } from '../format.ts';

/** One bar per class in the studio's order; the top class is marked, and the true one if given. */
export function ProbabilityBars(props: {
  probabilities: readonly number[];
  trueLabel?: string | null;
  testId?: string;
}) {
  const { probabilities } = props;
  const best = probabilities.indexOf(Math.max(...probabilities));
  return (
    <ul className="prob-bars" data-testid={props.testId}>
      {CLASS_LIST.map((name, i) => {
        const p = probabilities[i] ?? 0;
        const classes = [name === props.trueLabel ? 'true' : '', i === best ? 'best' : '']
          .filter(Boolean)
          .join(' ');
        return (
          <li key={name} className={classes} data-class={name} data-p={p.toFixed(4)}>
            <span className="prob-name">{name}</span>
            <span className="prob-track">
              <span className="prob-fill" style={{ width: `${p * 100}%` }} />
            </span>
            <span className="prob-value">{formatPercent(p)}</span>
          </li>
        );
      })}
    </ul>
  );
}
