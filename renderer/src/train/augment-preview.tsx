import { useStudio } from '../store/store.ts';

/** The first training image and augmented copies of it, refreshed as the settings change. */
export function AugmentPreview() {
  const images = useStudio((s) => s.previewImages);
  const loading = useStudio((s) => s.previewLoading);
  const error = useStudio((s) => s.previewError);
  const newSamples = useStudio((s) => s.newPreviewSamples);
  return (
    <div className="augment-preview" data-testid="augment-preview" aria-busy={loading}>
      <div className="preview-strip" aria-label="Augmented samples">
        {images.map((src, i) => (
          <figure key={i} className={i === 0 ? 'original' : undefined}>
            <img
              src={src}
              width={56}
              height={56}
              className="pixelated"
              alt={i === 0 ? 'Original image' : `Augmented sample ${i}`}
            />
            <figcaption>{i === 0 ? 'original' : `#${i}`}</figcaption>
          </figure>
        ))}
        {images.length === 0 && !error && <span className="muted">Loading samples…</span>}
      </div>
      <div className="preview-foot">
        {error ? <small className="invalid">{error}</small> : <span />}
        <button type="button" className="link" onClick={newSamples} disabled={loading}>
          New samples
        </button>
      </div>
    </div>
  );
}
