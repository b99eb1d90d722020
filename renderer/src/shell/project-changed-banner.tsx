import { useStudio, useStudioStore } from '../store/store.ts';
import { showOpenProject } from '../store/subscriptions.ts';

/**
 * Another tab or window opened a project (the studio has one open at a time): this tab's page
 * belonged to the closed one, so it gives way to a notice until the user loads the open project.
 */
export function ProjectChangedBanner() {
  const store = useStudioStore();
  const closed = useStudio((s) => s.projectClosedElsewhere);
  const open = useStudio((s) => s.project?.name ?? '');
  if (!closed) return null;
  return (
    <div className="banner project-changed" role="alert" data-testid="project-changed-elsewhere">
      <p>
        “{closed.name}” was closed: another tab or window opened the project “{open}” (FER Studio
        keeps one project open at a time).
      </p>
      <button
        className="primary"
        data-testid="project-changed-reload"
        onClick={() => showOpenProject(store)}
      >
        Reload with “{open}”
      </button>
    </div>
  );
}
