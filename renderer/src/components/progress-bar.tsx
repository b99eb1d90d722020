/** The bar itself: a progressbar role with the percentage; data-done/data-total carry raw counts for tests. */
export function ProgressTrack(props: {
  label: string;
  percent: number;
  testId: string;
  valueText?: string;
  done?: number;
  total?: number;
}) {
  return (
    <div
      className="progress-track"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={props.percent}
      aria-valuetext={props.valueText}
      data-testid={props.testId}
      data-done={props.done}
      data-total={props.total}
    >
      <div className="progress-fill" style={{ width: `${props.percent}%` }} />
    </div>
  );
}

/** 0–100, rounded; 0 while the total is unknown. */
export function percentOf(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
}

/** A plain determinate bar with a heading line. */
export function ProgressBar(props: {
  label: string;
  done: number;
  total: number;
  testId: string;
  text?: string;
}) {
  const { done, total } = props;
  const percent = percentOf(done, total);
  return (
    <div className="progress">
      <div className="progress-head">
        <span>{props.text ?? props.label}</span>
        <span>{total > 0 ? `${percent} %` : 'Starting…'}</span>
      </div>
      <ProgressTrack
        label={props.label}
        percent={percent}
        testId={props.testId}
        done={done}
        total={total}
      />
    </div>
  );
}
