import { memo, useCallback, useEffect, useRef } from 'react';
import type { KeyboardEvent, MouseEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Label } from '../../../app/contract/index.ts';
import { labelText } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { useImageUrl } from '../client/project-images.ts';
import { useElementSize } from '../use-element-size.ts';

export const CELL_WIDTH = 112;
export const CELL_HEIGHT = 136;
/** Below this a tile's face is too small to judge; only then do the columns change. */
const MIN_CELL_WIDTH = 60;
/** A tile's height beyond its width: padding and the label line. */
const LABEL_SPACE = CELL_HEIGHT - CELL_WIDTH;

/**
 * Columns follow the grid area, not the grid: when the detail panel opens beside it the tiles
 * shrink and every image keeps its row and column (the clicked one does not jump).
 */
export function gridGeometry(areaWidth: number, gridWidth: number) {
  let columns = Math.max(1, Math.floor(areaWidth / CELL_WIDTH));
  const usable = Math.max(0, gridWidth - 4);
  if (usable / columns < MIN_CELL_WIDTH) columns = Math.max(1, Math.floor(usable / MIN_CELL_WIDTH));
  const cellWidth = Math.max(MIN_CELL_WIDTH, Math.min(CELL_WIDTH, Math.floor(usable / columns)));
  return { columns, cellWidth, rowHeight: cellWidth + LABEL_SPACE };
}
const EMPTY: readonly number[] = [];
const NO_LABELS: readonly Label[] = [];

/** Where an arrow key moves the selection in a grid of `count` cells, `columns` wide. */
export function moveIndex(
  key: string,
  index: number,
  count: number,
  columns: number,
  pageRows: number,
): number | null {
  if (count === 0) return null;
  const step: Record<string, number> = {
    ArrowRight: 1,
    ArrowLeft: -1,
    ArrowDown: columns,
    ArrowUp: -columns,
    PageDown: columns * pageRows,
    PageUp: -columns * pageRows,
  };
  if (key === 'End') return count - 1;
  if (key === 'Home') return 0;
  const delta = step[key];
  if (delta === undefined) return null;
  // With nothing selected yet, any movement starts at the first image.
  if (index < 0) return 0;
  const next = index + delta;
  if (next >= 0 && next < count) return next;
  if (key === 'PageUp' || key === 'PageDown') return next < 0 ? 0 : count - 1;
  // Down from the row above a short last row lands on its last cell; otherwise stay put.
  const lastRow = Math.floor((count - 1) / columns);
  if (key === 'ArrowDown' && Math.floor(index / columns) < lastRow) return count - 1;
  return index;
}

export function ImageGrid() {
  const ids = useStudio((s) => s.list?.ids ?? EMPTY);
  const labels = useStudio((s) => s.list?.labels ?? NO_LABELS);
  const selectedId = useStudio((s) => s.selectedId);
  const loading = useStudio((s) => s.listLoading);
  const select = useStudio((s) => s.select);
  const openDetail = useStudio((s) => s.openDetail);
  const closeDetail = useStudio((s) => s.closeDetail);
  const clearMarks = useStudio((s) => s.clearMarks);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(scrollRef);
  const area = useElementSize(scrollRef, 'parent');
  const { columns, cellWidth, rowHeight } = gridGeometry(area.width || width, width);
  const rows = Math.ceil(ids.length / columns);

  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 3,
  });
  // Tiles shrink or grow with the detail panel: re-measure the rows at their new height.
  useEffect(() => virtualizer.measure(), [rowHeight, virtualizer]);

  const onKeyDown = useCallback(
    (event: KeyboardEvent<HTMLDivElement>) => {
      if (event.key === 'Escape') {
        clearMarks();
        return closeDetail();
      }
      const index = selectedId === null ? -1 : ids.indexOf(selectedId);
      if (event.key === 'Enter') {
        if (selectedId !== null) openDetail(selectedId);
        return;
      }
      const pageRows = Math.max(1, Math.floor(height / rowHeight));
      const next = moveIndex(event.key, index, ids.length, columns, pageRows);
      if (next === null) return;
      event.preventDefault();
      const id = ids[next];
      if (id === undefined) return;
      select(id);
    },
    [ids, selectedId, columns, height, rowHeight, select, openDetail, closeDetail, clearMarks],
  );

  // Keep the selection in view as it moves and when the detail panel changes the column count.
  useEffect(() => {
    const index = selectedId === null ? -1 : ids.indexOf(selectedId);
    if (index >= 0) virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' });
  }, [ids, selectedId, columns, rowHeight, virtualizer]);

  if (ids.length === 0) {
    return (
      <div className="grid grid-empty" ref={scrollRef} data-testid="grid">
        <p className="muted">No images match this filter.</p>
      </div>
    );
  }

  return (
    <div
      ref={scrollRef}
      className="grid"
      data-testid="grid"
      tabIndex={0}
      role="listbox"
      aria-label="Images"
      aria-busy={loading}
      aria-activedescendant={selectedId === null ? undefined : `grid-item-${selectedId}`}
      onKeyDown={onKeyDown}
    >
      <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const start = row.index * columns;
          const cells = [];
          for (let i = start; i < Math.min(start + columns, ids.length); i += 1) {
            const id = ids[i];
            const label = labels[i];
            if (id !== undefined && label !== undefined) {
              cells.push(<GridItem key={id} id={id} label={label} size={cellWidth} />);
            }
          }
          return (
            <div
              key={row.key}
              className="grid-row"
              role="presentation"
              style={{ transform: `translateY(${row.start}px)`, height: rowHeight }}
            >
              {cells}
            </div>
          );
        })}
      </div>
    </div>
  );
}

const GridItem = memo(function GridItem(props: { id: number; label: Label; size: number }) {
  const imageUrl = useImageUrl();
  const selected = useStudio((s) => s.selectedId === props.id);
  const marked = useStudio((s) => s.marked.includes(props.id));
  const openDetail = useStudio((s) => s.openDetail);
  const markImage = useStudio((s) => s.markImage);
  const clearMarks = useStudio((s) => s.clearMarks);
  const onClick = (event: MouseEvent) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) {
      return markImage(props.id, event.shiftKey ? 'range' : 'toggle');
    }
    clearMarks();
    openDetail(props.id);
  };
  return (
    <div
      id={`grid-item-${props.id}`}
      className={`grid-item${selected ? ' selected' : ''}${marked ? ' marked' : ''}${props.label === 'exclude' ? ' excluded' : ''}`}
      role="option"
      aria-selected={selected}
      data-marked={marked || undefined}
      data-testid="grid-item"
      data-image-id={props.id}
      data-label={props.label}
      onClick={onClick}
      style={{ width: props.size }}
    >
      <img
        className="pixelated"
        src={imageUrl(props.id)}
        alt=""
        width={props.size - 16}
        height={props.size - 16}
        loading="lazy"
        decoding="async"
        draggable={false}
      />
      <span className="grid-label">{labelText(props.label)}</span>
    </div>
  );
});
