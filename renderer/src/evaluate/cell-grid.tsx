import { useEffect, useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatPercent } from '../format.ts';
import type { ConfusionCell } from '../store/evaluation-slice.ts';
import { useStudio } from '../store/store.ts';
import { useImageUrl } from '../client/project-images.ts';
import { useElementSize } from '../use-element-size.ts';
import { moveIndex } from '../components/image-grid.tsx';

/** Narrowest column: a 72 px thumbnail plus padding; columns share any width left over. */
const MIN_ITEM_WIDTH = 84;
const ROW_HEIGHT = 104;

const paintedMs = new WeakMap<ConfusionCell, number>();

/** The images of the open confusion cell, most confident first; `data-ms` = click → grid painted. */
export function CellGrid() {
  const cell = useStudio((s) => s.cell);
  const msRef = useRef<HTMLSpanElement>(null);
  if (!cell) return null;
  return (
    <section className="card cell-card" aria-label="Confusion cell images">
      <h2 className="card-title">
        True <strong>{cell.trueLabel}</strong>, predicted <strong>{cell.predicted}</strong>
        {cell.ids && ` · ${cell.ids.length} images · `}
        <span className="muted" ref={msRef} />
      </h2>
      {cell.error && <p className="invalid">{cell.error}</p>}
      {!cell.ids && !cell.error && <p className="muted">Loading…</p>}
      {cell.ids && <CellImages cell={cell} ids={cell.ids} msRef={msRef} />}
    </section>
  );
}

/**
 * Only the rows in view (plus a few) are in the DOM, so a cell of thousands of images opens as
 * fast as a small one. Arrows move through the cell (and open each image), Home/End/PageUp/PageDown
 * jump; 1–7, x and Ctrl+Z are the page's relabel shortcuts acting on the selected image.
 */
function CellImages(props: {
  cell: ConfusionCell;
  ids: readonly number[];
  msRef: RefObject<HTMLSpanElement | null>;
}) {
  const { cell, ids, msRef } = props;
  const imageUrl = useImageUrl();
  const selectedId = useStudio((s) => s.selectedId);
  const openDetail = useStudio((s) => s.openDetail);
  const scrollRef = useRef<HTMLDivElement>(null);
  const { width, height } = useElementSize(scrollRef);
  // .grid-row indents its items by 4 px.
  const columns = Math.max(1, Math.floor((width - 4) / MIN_ITEM_WIDTH));
  const itemWidth = width > 0 ? Math.floor((width - 4) / columns) : MIN_ITEM_WIDTH;
  const rows = Math.ceil(ids.length / columns);

  // The app does not use the React Compiler; the virtualizer re-renders this component itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 2,
  });

  // Written straight to the DOM: the measurement must not cause another render.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    // Measured once per opened cell: a grid mounted again (back from another page) keeps it.
    const ms = paintedMs.get(cell) ?? Math.round(performance.now() - cell.clickedAt);
    paintedMs.set(cell, ms);
    element.dataset.ms = String(ms);
    if (msRef.current) msRef.current.textContent = `${ms} ms`;
  }, [cell, msRef]);

  // Keep the selection in view as arrows (here or in the detail panel) move it.
  useEffect(() => {
    const index = selectedId === null ? -1 : ids.indexOf(selectedId);
    if (index >= 0) virtualizer.scrollToIndex(Math.floor(index / columns), { align: 'auto' });
  }, [ids, selectedId, columns, virtualizer]);

  const onKeyDown = (event: KeyboardEvent) => {
    const index = selectedId === null ? -1 : ids.indexOf(selectedId);
    const pageRows = Math.max(1, Math.floor(height / ROW_HEIGHT));
    const next = moveIndex(event.key, index, ids.length, columns, pageRows);
    if (next === null) return;
    event.preventDefault();
    const id = ids[next];
    if (id !== undefined && id !== selectedId) openDetail(id);
  };

  return (
    <div
      ref={scrollRef}
      className="cell-grid"
      data-testid="cell-grid"
      data-count={ids.length}
      role="listbox"
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label="Images in this cell"
      aria-activedescendant={selectedId === null ? undefined : `cell-item-${selectedId}`}
    >
      <div className="grid-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((row) => {
          const items = [];
          const end = Math.min((row.index + 1) * columns, ids.length);
          for (let i = row.index * columns; i < end; i++) {
            const id = ids[i];
            if (id === undefined) continue;
            items.push(
              <div
                key={id}
                id={`cell-item-${id}`}
                className={`grid-item${id === selectedId ? ' selected' : ''}`}
                role="option"
                aria-selected={id === selectedId}
                data-testid="cell-item"
                data-image-id={id}
                onClick={() => openDetail(id)}
                style={{ width: itemWidth }}
              >
                <img
                  className="pixelated"
                  src={imageUrl(id)}
                  alt=""
                  width={72}
                  height={72}
                  decoding="async"
                  draggable={false}
                />
                <span className="grid-label">{formatPercent(cell.confidences[i] ?? null, 0)}</span>
              </div>,
            );
          }
          return (
            <div
              key={row.key}
              className="grid-row"
              role="presentation"
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
            >
              {items}
            </div>
          );
        })}
      </div>
    </div>
  );
}
