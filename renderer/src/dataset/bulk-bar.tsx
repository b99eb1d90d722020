import { CLASS_LIST } from '../classes.ts';
import type { LabelChange } from '../store/labels-slice.ts';
import { useStudio } from '../store/store.ts';

/** Shown while several images are marked: one click relabels or excludes them all. */
export function BulkBar() {
  const marked = useStudio((s) => s.marked);
  const setLabels = useStudio((s) => s.setLabels);
  const clearMarks = useStudio((s) => s.clearMarks);
  if (marked.length === 0) return null;
  const apply = (label: LabelChange['label']) =>
    void setLabels(marked.map((imageId) => ({ imageId, label })));
  return (
    <div className="toolbar bulk-bar" data-testid="bulk-bar" data-count={marked.length}>
      <strong>{marked.length} selected</strong>
      {CLASS_LIST.map((name, i) => (
        <button
          key={name}
          data-testid={`bulk-label-${name}`}
          title={`Key ${i + 1}`}
          onClick={() => apply(name)}
        >
          {name}
        </button>
      ))}
      <button data-testid="bulk-exclude" title="Key x" onClick={() => apply('exclude')}>
        Exclude
      </button>
      <button className="link" data-testid="bulk-clear" onClick={clearMarks}>
        Clear selection
      </button>
    </div>
  );
}
