import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import type { StudioState } from '../store/store.ts';

/**
 * The run on this page (or, after a restart, the newest run) when it stopped before its last
 * epoch and has a checkpoint to go on from.
 */
const resumable = (s: StudioState): number | null => {
  const live = s.live;
  if (live && isActive(live.status)) return null;
  const run = live ? s.runs?.find((r) => r.id === live.runId) : s.runs?.[0];
  return run?.canResume ? run.id : null;
};

/** Resume beside Train, so a stopped run can go on from here as well as from the Runs page. */
export function ResumeButton() {
  const runId = useStudio(resumable);
  const resumeRun = useStudio((s) => s.resumeRun);
  if (runId === null) return null;
  return (
    <button
      data-testid="train-resume"
      title="Continue from the last saved epoch with the same settings"
      onClick={() => void resumeRun(runId)}
    >
      Resume run #{runId}
    </button>
  );
}
