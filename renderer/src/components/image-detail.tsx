import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import type { ImageDetail } from '../../../app/contract/index.ts';
import { formatDate, labelText } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { useImageUrl } from '../client/project-images.ts';
import { ImageProbabilities } from './image-probabilities.tsx';
import { ShortcutLegend } from './relabel-toast.tsx';
import { DetailClassButtons } from './detail-class-buttons.tsx';

const EMPTY: readonly number[] = [];

/** `browseIds`: what the arrow keys step through (the confusion cell's images); default the grid's. */
export function ImageDetailPanel(props: { browseIds?: readonly number[] }) {
  const imageUrl = useImageUrl();
  const listIds = useStudio((s) => s.list?.ids ?? EMPTY);
  const browseIds = props.browseIds ?? listIds;
  const select = useStudio((s) => s.select);
  const id = useStudio((s) => s.selectedId);
  const detail = useStudio((s) => s.detail);
  const error = useStudio((s) => s.detailError);
  const closeDetail = useStudio((s) => s.closeDetail);
  const ref = useRef<HTMLElement>(null);
  // Opened below the fold (Evaluate's cell images sit under the matrix): bring its head into view.
  const shown = id !== null;
  useEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (box && (box.top < 0 || box.top > window.innerHeight - 240))
      ref.current?.scrollIntoView({ block: 'start' });
  }, [shown]);
  if (id === null) return null;
  const current = detail?.id === id ? detail : null;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') return closeDetail();
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    if (step === undefined) return;
    const next = browseIds[browseIds.indexOf(id) + step];
    event.preventDefault();
    if (next !== undefined) select(next);
  };

  return (
    <aside
      ref={ref}
      className="detail"
      data-testid="image-detail"
      data-image-id={id}
      aria-label="Image detail"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="detail-head">
        <h2>Image #{id}</h2>
        <button className="icon" onClick={closeDetail} aria-label="Close detail">
          ×
        </button>
      </header>
      <img
        className="pixelated detail-image"
        src={imageUrl(id)}
        alt={current ? `Face labelled ${labelText(current.label)}` : ''}
        width={288}
        height={288}
      />
      {error ? (
        <p className="invalid" role="alert">
          {error}
        </p>
      ) : current ? (
        <>
          <DetailClassButtons current={current.label} />
          <ShortcutLegend />
          <ImageProbabilities imageId={id} trueLabel={current.label} />
          <DetailFields detail={current} />
        </>
      ) : (
        <p className="muted">Loading…</p>
      )}
    </aside>
  );
}

function DetailFields(props: { detail: ImageDetail }) {
  const d = props.detail;
  const rows: [string, string][] = [
    ['Label', labelText(d.label)],
    ['Original label', d.originalLabel],
    ['Split', d.split],
    ['Folder', d.folder],
    ['File', d.file],
    ['Format', d.format],
    ['Original size', `${d.originalWidth} × ${d.originalHeight}`],
    ['Resized', d.resized ? 'yes' : 'no'],
    ['Converted to gray', d.converted ? 'yes' : 'no'],
    ['Imported', formatDate(d.importedAt)],
  ];
  return (
    <>
      <dl className="detail-fields">
        {rows.map(([name, value]) => (
          <div key={name}>
            <dt>{name}</dt>
            <dd title={value}>{value}</dd>
          </div>
        ))}
        <div>
          <dt>Content hash</dt>
          <dd className="hash" title={d.hash}>
            {d.hash}
          </dd>
        </div>
      </dl>
      <h3>Label history</h3>
      {d.history.length === 0 ? (
        <p className="muted">No changes.</p>
      ) : (
        <ol className="history" data-testid="label-history">
          {d.history.map((change, i) => (
            <li key={i}>
              {change.from ? `${labelText(change.from)} → ` : ''}
              <strong>{labelText(change.to)}</strong>{' '}
              <span className="muted">
                · {change.source} · {formatDate(change.at)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
