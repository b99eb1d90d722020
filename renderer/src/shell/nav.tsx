import { useShallow } from 'zustand/react/shallow';
import { isActive } from '../store/live-run.ts';
import { useStudio } from '../store/store.ts';
import type { Page } from '../store/ui-slice.ts';
import { ProjectMenu } from './project-menu.tsx';

const PAGES = [
  { id: 'dataset', title: 'Dataset' },
  { id: 'train', title: 'Train' },
  { id: 'runs', title: 'Runs' },
  { id: 'evaluate', title: 'Evaluate' },
  { id: 'clean', title: 'Clean' },
  { id: 'predict', title: 'Predict' },
] as const satisfies readonly { id: Page; title: string }[];

export function Nav() {
  const page = useStudio((s) => s.page);
  const setPage = useStudio((s) => s.setPage);
  const training = useStudio((s) => s.live !== null && isActive(s.live.status));
  const info = useStudio(useShallow((s) => [s.appInfo?.version, s.appInfo?.mode] as const));
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◐
        </span>
        FER Studio
      </div>
      <ProjectMenu />
      <ul>
        {PAGES.map((entry) => (
          <li key={entry.id}>
            <button
              className="nav-link"
              data-testid={`nav-${entry.id}`}
              aria-current={page === entry.id ? 'page' : undefined}
              onClick={() => setPage(entry.id)}
            >
              {entry.title}
              {entry.id === 'train' && training && (
                <span className="nav-dot" title="Training" aria-label="(training)" />
              )}
            </button>
          </li>
        ))}
      </ul>
      <div className="nav-foot">
        {info[0] ? `v${info[0]}` : ''}
        {info[1] ? ` · ${info[1]}` : ''}
      </div>
    </nav>
  );
}
