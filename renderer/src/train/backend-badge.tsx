import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';

/** The backend the live run uses, else the one a new run would get; the reasons explain why not a faster one. */
export function BackendBadge() {
  const backend = useStudio(
    (s) =>
      (s.live && isActive(s.live.status) ? s.live.backend : null) ??
      s.trainingOptions?.backend ??
      null,
  );
  if (!backend) return null;
  const { reasons } = backend;
  if (reasons.length === 0) {
    return (
      <span className="backend-badge" data-testid="backend-badge" data-backend={backend.name}>
        <span className="backend-label">{backend.label}</span>
      </span>
    );
  }
  return (
    <details className="backend-badge" data-testid="backend-badge" data-backend={backend.name}>
      <summary className="backend-label" title={reasons.join('\n')}>
        {backend.label}
      </summary>
      <div className="backend-reasons" role="note">
        <p>Why not a faster backend:</p>
        <ul className="plain-list">
          {reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      </div>
    </details>
  );
}
