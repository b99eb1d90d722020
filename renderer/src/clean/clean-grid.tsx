import { memo, useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LabelIssue } from '../../../app/contract/index.ts';
import { gridGeometry } from '../components/image-grid.tsx';
import { formatCount, formatPercent, labelText } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { useImageUrl } from '../client/project-images.ts';
import { useElementSize } from '../use-element-size.ts';
import { cleanKey, REVIEW_GROUP } from './clean-model.ts';
import { useGroupIssues } from './use-visible-issues.ts';

const MOVES = { left: -1, right: 1 } as const;

/** The chosen group's faces, virtualised (only the rows in view are in the DOM). */
export function CleanGrid() {
  const { key, issues } = useGroupIssues();
  const focusId = useStudio((s) => s.cleanFocus);
  const setFocus = useStudio((s) => s.setCleanFocus);
  const relabel = useStudio((s) => s.cleanRelabel);
  const keep = useStudio((s) => s.cleanKeep);
  const weak = useStudio((s) => s.cleanAccuracy?.near ?? true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width } = useElementSize(scrollRef);
  const { columns, cellWidth, rowHeight } = gridGeometry(width, width);
  const found = issues.findIndex((issue) => issue.id === focusId);
  const index = found >= 0 ? found : 0;
  const focused = issues[index];

  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: Math.ceil(issues.length / columns),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
  });
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);
  useEffect(() => {
    if (issues.length > 0)
      virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' });
  }, [index, columns, issues.length, virtualizer]);

  const review = key === REVIEW_GROUP;
  const canAcceptGroup = !review && !weak && issues.length > 0;
  const acceptGroup = () =>
    relabel(
      issues.map((issue) => issue.id),
      'suggested',
    );

  // After a decision the item leaves the grid: focus the one that takes its place.
  const next = () => (issues[index + 1] ?? issues[index - 1])?.id ?? null;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.ctrlKey || event.metaKey || event.altKey || !focused) return;
    if (event.shiftKey && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      if (canAcceptGroup) void acceptGroup();
      return;
    }
    const action = cleanKey(event.key);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'move') {
      const delta =
        action.delta === 'up' || action.delta === 'down'
          ? (action.delta === 'up' ? -1 : 1) * columns
          : MOVES[action.delta];
      const to = issues[Math.min(issues.length - 1, Math.max(0, index + delta))];
      if (to) setFocus(to.id);
      return;
    }
    const after = next();
    const done =
      action.kind === 'keep'
        ? keep([focused.id])
        : relabel([focused.id], action.kind === 'accept' ? 'suggested' : action.label);
    void done.then(() => setFocus(after));
  };

  return (
    <section className="card clean-grid-card" aria-label="Faces">
      <div className="detail-head">
        <h2 className="card-title">
          {formatCount(issues.length)} {issues.length === 1 ? 'face' : 'faces'}
        </h2>
        {!review && (
          <button
            data-testid="clean-accept-group"
            disabled={!canAcceptGroup}
            title={
              weak
                ? 'Off: the run is too close to chance for its suggestions to be evidence'
                : 'Every face in view gets its suggestion, as one edit (Shift+A; Ctrl+Z undoes it whole)'
            }
            onClick={() => void acceptGroup()}
          >
            Accept this group ({formatCount(issues.length)})
          </button>
        )}
      </div>
      <div
        ref={scrollRef}
        className="clean-grid"
        data-testid="clean-grid"
        data-count={issues.length}
        tabIndex={0}
        role="listbox"
        aria-label="Faces in the group"
        aria-activedescendant={focused ? `clean-item-${focused.id}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => (
            <div
              key={row.key}
              className="grid-row"
              role="presentation"
              style={{ transform: `translateY(${row.start}px)`, height: rowHeight }}
            >
              {issues.slice(row.index * columns, (row.index + 1) * columns).map((issue) => (
                <CleanItem
                  key={issue.id}
                  issue={issue}
                  size={cellWidth}
                  focused={issue.id === focused?.id}
                  onFocus={setFocus}
                />
              ))}
            </div>
          ))}
        </div>
      </div>
    </section>
  );
}

const CleanItem = memo(function CleanItem(props: {
  issue: LabelIssue;
  size: number;
  focused: boolean;
  onFocus: (id: number) => void;
}) {
  const imageUrl = useImageUrl();
  const { issue } = props;
  const advice =
    issue.action === 'relabel'
      ? `→ ${issue.suggested}`
      : issue.action === 'exclude'
        ? '→ exclude?'
        : 'needs a look';
  return (
    <div
      id={`clean-item-${issue.id}`}
      className={`grid-item clean-item${props.focused ? ' selected' : ''}`}
      role="option"
      aria-selected={props.focused}
      data-testid="clean-item"
      data-image-id={issue.id}
      data-action={issue.action}
      title={`${labelText(issue.label)} ${advice} · doubt ${formatPercent(issue.doubt, 0)}`}
      onClick={() => props.onFocus(issue.id)}
      style={{ width: props.size }}
    >
      <img
        className="pixelated"
        src={imageUrl(issue.id)}
        alt=""
        width={props.size - 16}
        height={props.size - 16}
        loading="lazy"
        decoding="async"
        draggable={false}
      />
      <span className="grid-label">
        {issue.label} {advice}
      </span>
    </div>
  );
});
