import { formatCount } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { REVIEW_GROUP } from './clean-model.ts';
import { useGroupIssues, useGroups } from './use-visible-issues.ts';

/** Label → suggestion groups by size; the needs-a-look / exclude section apart, below them. */
export function GroupList() {
  const groups = useGroups();
  const { key: current } = useGroupIssues();
  const choose = useStudio((s) => s.setCleanGroup);
  const relabel = groups.filter((g) => g.key !== REVIEW_GROUP);
  const review = groups.find((g) => g.key === REVIEW_GROUP);
  const button = (key: string, text: string, count: number) => (
    <li key={key}>
      <button
        className="clean-group"
        data-testid="clean-group"
        data-group={key}
        data-count={count}
        aria-current={key === current ? 'true' : undefined}
        onClick={() => choose(key)}
      >
        <span>{text}</span>
        <span className="clean-count">{formatCount(count)}</span>
      </button>
    </li>
  );
  return (
    <nav className="card clean-groups" aria-label="Groups">
      <h2 className="card-title">Suggested relabels</h2>
      {relabel.length === 0 && <p className="muted">None open.</p>}
      <ul>{relabel.map((g) => button(g.key, `${g.label} → ${g.suggested}`, g.count))}</ul>
      <h2 className="card-title">Needs a look or exclude</h2>
      <p className="muted small">No class is convincing here: one at a time, no bulk accept.</p>
      {review ? (
        <ul>{button(review.key, 'Look one by one', review.count)}</ul>
      ) : (
        <p className="muted">None open.</p>
      )}
    </nav>
  );
}
