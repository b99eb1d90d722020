import { useStudio } from '../store/store.ts';

/** Screen pixels per image pixel, so a crop shows at the original's scale: a smaller window. */
const SCALE = 56 / 48;

/** The first training image and augmented copies of it, refreshed as the settings change. */
export function AugmentPreview() {
  const images = useStudio((s) => s.previewImages);
  const side = useStudio((s) => s.previewSide);
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
              width={Math.round((i === 0 ? 48 : side) * SCALE)}
              height={Math.round((i === 0 ? 48 : side) * SCALE)}
              className="pixelated"
              alt={i === 0 ? 'Original image' : `Augmented sample ${i}`}
            />
            <figcaption>
              {i === 0 ? 'original' : side < 48 && i === 1 ? `${side}×${side} crop` : `#${i}`}
            </figcaption>
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
