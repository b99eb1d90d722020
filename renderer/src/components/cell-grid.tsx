import { useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { formatPercent } from '../format.ts';
import { useClient, useStudio } from '../store/store.ts';

/** The images of the open confusion cell, most confident first; `data-ms` = click → grid painted. */
export function CellGrid() {
  const client = useClient();
  const cell = useStudio((s) => s.cell);
  const selectedId = useStudio((s) => s.selectedId);
  const openDetail = useStudio((s) => s.openDetail);
  const ref = useRef<HTMLDivElement>(null);
  const msRef = useRef<HTMLSpanElement>(null);

  // Written straight to the DOM: the measurement must not cause another render.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || !cell?.ids) return;
    const ms = Math.round(performance.now() - cell.clickedAt);
    element.dataset.ms = String(ms);
    if (msRef.current) msRef.current.textContent = `${ms} ms`;
  }, [cell]);

  if (!cell) return null;
  const ids = cell.ids ?? [];
  const onKeyDown = (event: KeyboardEvent) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const index = selectedId === null ? -1 : ids.indexOf(selectedId);
    const next = ids[index < 0 ? 0 : index + step];
    if (next !== undefined) openDetail(next);
  };
  return (
    <section className="card cell-card" aria-label="Confusion cell images">
      <h2 className="card-title">
        True <strong>{cell.trueLabel}</strong>, predicted <strong>{cell.predicted}</strong>
        {cell.ids && ` · ${cell.ids.length} images · `}
        <span className="muted" ref={msRef} />
      </h2>
      {cell.error && <p className="invalid">{cell.error}</p>}
      {!cell.ids && !cell.error && <p className="muted">Loading…</p>}
      {cell.ids && (
        <div
          ref={ref}
          className="cell-grid"
          data-testid="cell-grid"
          data-count={cell.ids.length}
          role="listbox"
          tabIndex={0}
          onKeyDown={onKeyDown}
          aria-label="Images in this cell"
        >
          {cell.ids.map((id, i) => (
            <div
              key={id}
              className={`grid-item${id === selectedId ? ' selected' : ''}`}
              role="option"
              aria-selected={id === selectedId}
              data-testid="cell-item"
              data-image-id={id}
              onClick={() => openDetail(id)}
            >
              <img
                className="pixelated"
                src={client.imageUrl(id)}
                alt=""
                width={72}
                height={72}
                loading="lazy"
                decoding="async"
                draggable={false}
              />
              <span className="grid-label">{formatPercent(cell.confidences[i] ?? null, 0)}</span>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
