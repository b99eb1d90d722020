import { useState, type KeyboardEvent } from 'react';
import type { Label, LabelIssue } from '../../../app/contract/index.ts';
import { formatCount, formatPercent, labelText } from '../format.ts';
import { currentEvalRun } from '../store/evaluation-slice.ts';
import { labelForKey } from '../store/labels-slice.ts';
import { useStudio } from '../store/store.ts';
import { useImageUrl } from '../client/project-images.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { ProgressBar } from '../components/progress-bar.tsx';
import { SEARCH_CANCELLED, searchProgressText } from '../components/issue-search.ts';
import { AcceptAllButton, IssuesCost, IssuesSource } from './issues-header.tsx';

/** Label suggestions (relabel, needs a look, exclude): Enter / A accepts, 1–7 / x relabel by hand, arrows move. */
export function LabelIssuesPanel() {
  const runId = useStudio(currentEvalRun);
  const issues = useStudio((s) => s.issues);
  const running = useStudio((s) => s.issuesRunning);
  const error = useStudio((s) => s.issuesError);
  const progress = useStudio((s) =>
    s.issuesRunning && s.evalProgress?.runId === currentEvalRun(s) ? s.evalProgress : null,
  );
  const findIssues = useStudio((s) => s.findIssues);
  const cancelIssues = useStudio((s) => s.cancelIssues);
  const cancelled = useStudio((s) => s.issuesCancelled);
  // Counted over the folds' batches only; the predicting phase after them is short.
  const timeLeft = useStudio((s) =>
    s.evalProgress?.phase === 'cross-validating' ? s.issuesTimeLeft : null,
  );
  const setLabels = useStudio((s) => s.setLabels);
  const index = useStudio((s) => s.issueIndex);
  const setIssueIndex = useStudio((s) => s.setIssueIndex);
  // The catalogue's labels, not this panel's memory: an undo reopens a row at once.
  const current = useStudio((s) => s.issueLabels);
  const decidedAs = (issue: LabelIssue): Label | null => {
    const label = current[issue.id] ?? issue.label;
    return label === issue.label ? null : label;
  };

  const decide = async (
    chosen: { imageId: number; label: Label }[],
    source: 'manual' | 'suggestion',
  ) => setLabels(chosen, source);
  const open = (issues ?? []).filter((issue) => decidedAs(issue) === null);
  // What the last bulk accept did, until the next one or a new list.
  const [accepted, setAccepted] = useState<{ n: number; list: LabelIssue[] | null } | null>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLOListElement>) => {
    if (!issues || event.ctrlKey || event.metaKey || event.altKey) return;
    const issue = issues[index];
    const key = event.key;
    if (key === 'ArrowDown' || key === 'ArrowUp') {
      event.preventDefault();
      return setIssueIndex(index + (key === 'ArrowDown' ? 1 : -1));
    }
    if (!issue) return;
    const manual = labelForKey(key);
    const accept = key === 'Enter' || key === 'a' || key === 'A';
    if (!accept && manual === null) return;
    event.preventDefault();
    const label = manual ?? issue.suggested;
    void decide([{ imageId: issue.id, label }], accept ? 'suggestion' : 'manual').then(() =>
      setIssueIndex(index + 1),
    );
  };

  // Only confident relabels are accepted in bulk: "needs a look" and "exclude" go one by one.
  const bulk = open
    .filter((issue) => issue.action === 'relabel')
    .map((issue) => ({ imageId: issue.id, label: issue.suggested }));

  return (
    <section className="card issues" aria-label="Label issues">
      <div className="detail-head">
        <h2 className="card-title">Label issues</h2>
        <div className="head-actions">
          <AcceptAllButton
            changes={bulk}
            held={open.length - bulk.length}
            onAccept={() =>
              void decide(bulk, 'suggestion').then((ok) => {
                if (ok) setAccepted({ n: bulk.length, list: issues });
              })
            }
          />
          {running && (
            <button data-testid="issues-cancel" onClick={() => void cancelIssues()}>
              Cancel
            </button>
          )}
          <button
            data-testid="issues-start"
            disabled={runId === null || running}
            title="Training images: ranked from the run's training dynamics (or k fold models trained for it when the run has none); validation and test images: the run's own model"
            onClick={() => void findIssues()}
          >
            {running ? 'Finding…' : 'Find label issues'}
          </button>
        </div>
      </div>
      {!running && !issues && <IssuesCost />}
      {running && (
        <ProgressBar
          label="Label issue progress"
          testId="issues-progress"
          text={searchProgressText(progress, timeLeft)}
          done={progress?.done ?? 0}
          total={progress?.total ?? 0}
        />
      )}
      {error && <ErrorMessage code={error.code} message={error.message} testId="issues-error" />}
      {cancelled && (
        <p className="muted" data-testid="issues-cancelled">
          {SEARCH_CANCELLED}
        </p>
      )}
      {accepted && accepted.list === issues && (
        <p className="muted" role="status" data-testid="issues-accepted">
          Relabelled {formatCount(accepted.n)} {accepted.n === 1 ? 'image' : 'images'} as suggested.
          Ctrl+Z undoes it.
        </p>
      )}
      {issues && issues.length > 0 && <IssuesSource />}
      {issues && issues.length === 0 && <p className="muted">No likely label issues found.</p>}
      {issues && issues.length > 0 && (
        <ol
          className="issue-list"
          tabIndex={0}
          aria-label="Suggested relabels, most doubtful first"
          data-testid="issue-list"
          onKeyDown={onKeyDown}
        >
          {issues.map((issue, i) => (
            <IssueRow
              key={issue.id}
              issue={issue}
              active={i === index}
              decided={decidedAs(issue)}
              onSelect={() => setIssueIndex(i)}
            />
          ))}
        </ol>
      )}
      <p className="muted shortcut-hint">
        Enter / A accept · 1–7 set a class · x exclude · ↑ ↓ move
      </p>
    </section>
  );
}

const ADVICE: Record<LabelIssue['action'], string> = {
  relabel: 'relabel as',
  'needs-look': 'needs a look, maybe',
  exclude: 'exclude? maybe',
};
const SOURCE_TEXT: Record<LabelIssue['source'], string> = {
  'held-out': 'held-out',
  'cross-validation': 'k-fold',
  'training-dynamics': 'training dynamics',
};
const SOURCE_TITLE: Record<LabelIssue['source'], string> = {
  'held-out': 'A validation or test image: the run’s own model never trained on it',
  'cross-validation':
    'A training image: predicted by a k-fold model that trained on the other folds',
  'training-dynamics':
    'A training image: the mean of what the run predicted for it while training, epoch after epoch',
};

function IssueRow(props: {
  issue: LabelIssue;
  active: boolean;
  decided: Label | null;
  onSelect: () => void;
}) {
  const imageUrl = useImageUrl();
  const { issue } = props;
  return (
    <li
      className={`issue-row${props.active ? ' active' : ''}${props.decided ? ' decided' : ''}`}
      data-testid="issue-row"
      data-image-id={issue.id}
      data-suggested={issue.suggested}
      data-source={issue.source}
      data-action={issue.action}
      aria-current={props.active ? 'true' : undefined}
      onClick={props.onSelect}
    >
      {/* The row being decided shows its face at 3× (144 px): a 48-px thumbnail is too small to judge. */}
      <img
        className="pixelated"
        src={imageUrl(issue.id)}
        alt=""
        width={props.active ? 144 : 48}
        height={props.active ? 144 : 48}
        data-testid="issue-face"
      />
      <span className="issue-id">#{issue.id}</span>
      <span>
        given <strong>{issue.label}</strong> ({formatPercent(issue.selfConfidence, 0)})
      </span>
      <span>
        → {ADVICE[issue.action]} <strong>{issue.suggested}</strong> (
        {formatPercent(issue.confidence, 0)}){' '}
        <span className="muted" title={SOURCE_TITLE[issue.source]}>
          · {SOURCE_TEXT[issue.source]}
        </span>
      </span>
      <span className="issue-state">{props.decided ? `now ${labelText(props.decided)}` : ''}</span>
    </li>
  );
}
