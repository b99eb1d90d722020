/** A plain determinate bar; data-done/data-total carry the raw counts for tests. */
export function ProgressBar(props: {
  label: string;
  done: number;
  total: number;
  testId: string;
  text?: string;
}) {
  const { done, total } = props;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="progress">
      <div className="progress-head">
        <span>{props.text ?? props.label}</span>
        <span>{total > 0 ? `${percent} %` : 'Starting…'}</span>
      </div>
      <div
        className="progress-track"
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid={props.testId}
        data-done={done}
        data-total={total}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
