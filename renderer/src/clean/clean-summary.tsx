import { formatCount, formatPercent } from '../format.ts';
import { cleanReviewed } from '../store/cleaning-slice.ts';
import { useStudio } from '../store/store.ts';

/** Progress, the doubt filter, and what the page will not do (bulk accepts on a weak model). */
export function CleanSummary() {
  const reviewed = useStudio(cleanReviewed);
  const total = useStudio((s) => s.cleanTotal);
  const accuracy = useStudio((s) => s.cleanAccuracy);
  const notice = useStudio((s) => s.cleanNotice);
  const minDoubt = useStudio((s) => s.cleanMinDoubt);
  const setMinDoubt = useStudio((s) => s.setCleanMinDoubt);
  const reading = useStudio((s) => s.cleanReadingUsed);
  return (
    <div className="clean-summary">
      <div
        className="clean-progress"
        data-testid="clean-progress"
        data-reviewed={reviewed}
        data-total={total}
      >
        <strong>
          {formatCount(reviewed)} of {formatCount(total)}
        </strong>{' '}
        reviewed
        <progress value={reviewed} max={Math.max(1, total)} aria-label="Reviewed" />
      </div>
      <label className="clean-doubt">
        Doubt at least <strong>{formatPercent(minDoubt, 0)}</strong>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={minDoubt}
          data-testid="clean-doubt"
          aria-label="Minimum doubt"
          onChange={(event) => setMinDoubt(Number(event.target.value))}
        />
      </label>
      <p className="muted" data-testid="clean-reading-note">
        {reading === 'people'
          ? 'Doubt weighs the model by how people read FER-2013’s labels: of ten people per fear face, most chose neutral or sad.'
          : 'Doubt is the model’s alone: it learned your labels’ habits, so it misses labels people read differently.'}
      </p>
      {accuracy?.near && (
        <p className="clean-warning" role="alert" data-testid="clean-near-chance">
          This run scores {formatPercent(accuracy.accuracy)} on its test images, close to the{' '}
          {formatPercent(accuracy.chance)} of always guessing its commonest class: its suggestions
          are not evidence. Bulk accepts are off; train a better run before cleaning with it.
        </p>
      )}
      {notice && (
        <p className="clean-notice" role="status" data-testid="clean-notice">
          {notice}
        </p>
      )}
    </div>
  );
}
