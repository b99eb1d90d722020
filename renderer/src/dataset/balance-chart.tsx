import { useRef } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { BarShapeProps } from 'recharts';
import type { ClassName, Split, Stats } from '../../../app/contract/index.ts';
import { CLASS_LIST, SPLIT_LIST } from '../classes.ts';
import { formatCount } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { useElementSize } from '../use-element-size.ts';

export const SPLIT_COLORS: Record<Split, string> = { train: '#4263eb', test: '#f08c00' };

export function BalanceChart() {
  const stats = useStudio((s) => s.stats);
  const filter = useStudio((s) => s.filter);
  const setFilter = useStudio((s) => s.setFilter);
  const boxRef = useRef<HTMLDivElement>(null);
  // The box's height comes from CSS: shorter in short windows, so the grid keeps its rows.
  const { width, height } = useElementSize(boxRef);
  if (!stats) return null;
  const data = CLASS_LIST.map((name) => ({ name, ...stats.classes[name] }));

  // Called by recharts as a function (not mounted as a component), once per bar.
  const renderBar = (split: Split) =>
    function renderShape(props: BarShapeProps) {
      const name = CLASS_LIST[props.index];
      if (!name || props.height <= 0) return null;
      const shown =
        (filter.label === 'all' || filter.label === name) &&
        (filter.split === 'all' || filter.split === split);
      const active = shown && filter.label === name;
      const dimmed = !shown;
      return (
        <rect
          x={props.x}
          y={props.y}
          width={props.width}
          height={props.height}
          rx={2}
          fill={SPLIT_COLORS[split]}
          fillOpacity={dimmed ? 0.35 : 1}
          stroke={active ? '#1b1f24' : 'none'}
          strokeWidth={active ? 2 : 0}
          className="chart-bar"
          data-testid={`bar-${split}-${name}`}
          onClick={() => setFilter({ split, label: name })}
        >
          <title>{`${name}, ${split}: ${formatCount(stats.classes[name][split])} — click to show`}</title>
        </rect>
      );
    };

  return (
    <div className="chart-box" ref={boxRef} data-testid="balance-chart">
      {width > 0 && height > 0 && (
        <BarChart width={width} height={height} data={data} barGap={2} barCategoryGap="22%">
          <CartesianGrid vertical={false} stroke="#e6e8eb" />
          <XAxis dataKey="name" tickLine={false} axisLine={{ stroke: '#ced4da' }} />
          <YAxis allowDecimals={false} tickLine={false} axisLine={false} width={48} />
          <Tooltip cursor={{ fill: 'rgba(66, 99, 235, 0.06)' }} isAnimationActive={false} />
          <Legend iconType="square" itemSorter={null} />
          {SPLIT_LIST.map((split) => (
            <Bar
              key={split}
              dataKey={split}
              name={split}
              fill={SPLIT_COLORS[split]}
              shape={renderBar(split)}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      )}
      <BalanceTable stats={stats} />
    </div>
  );
}

/** The same counts as a table, for screen readers and tests. */
function BalanceTable(props: { stats: Stats }) {
  return (
    <table className="visually-hidden" data-testid="balance-table">
      <caption>Images per class and split</caption>
      <thead>
        <tr>
          <th scope="col">Class</th>
          {SPLIT_LIST.map((split) => (
            <th scope="col" key={split}>
              {split}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {CLASS_LIST.map((name: ClassName) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            {SPLIT_LIST.map((split) => (
              <td key={split} data-testid={`count-${split}-${name}`}>
                {props.stats.classes[name][split]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
