import { CLASS_LIST } from '../classes.ts';
import { CLASS_KEYS } from './clean-model.ts';

const ROWS: readonly (readonly [readonly string[], string])[] = [
  [['A'], 'accept the suggestion'],
  [['Shift+A'], 'accept this group (not for needs-a-look)'],
  [['K'], 'keep the label (not offered again)'],
  [['X'], 'exclude the image'],
  ...CLASS_LIST.map((name, i) => [[String(i), CLASS_KEYS[name].toUpperCase()], name] as const),
  [['←↑→↓'], 'move'],
  [['Ctrl+Z'], 'undo the last step (a whole group)'],
];

/** The keys, always on screen. */
export function KeyLegend() {
  return (
    <aside className="card key-legend" aria-label="Keys" data-testid="clean-legend">
      <h2 className="card-title">Keys</h2>
      <dl>
        {ROWS.map(([keys, text]) => (
          <div key={text} className="legend-row">
            <dt>
              {keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}
