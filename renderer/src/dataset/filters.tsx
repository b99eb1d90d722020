import type { ChangeEvent } from 'react';
import { LABEL_LIST, SPLIT_LIST, isLabel, isSplit } from '../classes.ts';
import { formatCount, labelText } from '../format.ts';
import { ALL_IMAGES } from '../store/catalogue-slice.ts';
import { useStudio } from '../store/store.ts';

export function Filters() {
  const split = useStudio((s) => s.filter.split);
  const label = useStudio((s) => s.filter.label);
  const setFilter = useStudio((s) => s.setFilter);
  const count = useStudio((s) => s.list?.ids.length ?? 0);
  const loading = useStudio((s) => s.listLoading);
  const filtered = split !== 'all' || label !== 'all';

  const onSplit = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value;
    setFilter({ split: isSplit(value) ? value : 'all' });
  };
  const onLabel = (event: ChangeEvent<HTMLSelectElement>) => {
    const value = event.target.value;
    setFilter({ label: isLabel(value) ? value : 'all' });
  };

  return (
    <div className="toolbar">
      <label className="inline-field">
        <span>Split</span>
        <select data-testid="filter-split" value={split} onChange={onSplit}>
          <option value="all">All splits</option>
          {SPLIT_LIST.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </label>
      <label className="inline-field">
        <span>Label</span>
        <select data-testid="filter-label" value={label} onChange={onLabel}>
          <option value="all">All labels</option>
          {LABEL_LIST.map((value) => (
            <option key={value} value={value}>
              {labelText(value)}
            </option>
          ))}
        </select>
      </label>
      {filtered && (
        <button className="link" onClick={() => setFilter(ALL_IMAGES)}>
          Clear filter
        </button>
      )}
      <span className="spacer" />
      <span className="muted" aria-live="polite">
        <span data-testid="grid-count" data-count={count}>
          {formatCount(count)}
        </span>{' '}
        {count === 1 ? 'image' : 'images'}
        {loading ? ' · loading…' : ''}
      </span>
    </div>
  );
}
