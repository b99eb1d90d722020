import { useShallow } from 'zustand/react/shallow';
import { useStudio } from '../store/store.ts';

/** Later pages (Train, Runs, Evaluate) join this list when they exist. */
const PAGES = [{ id: 'dataset', title: 'Dataset' }] as const;

export function Nav() {
  const page = useStudio((s) => s.page);
  const info = useStudio(useShallow((s) => [s.appInfo?.version, s.appInfo?.mode] as const));
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◐
        </span>
        FER Studio
      </div>
      <ul>
        {PAGES.map((entry) => (
          <li key={entry.id}>
            <span className="nav-link" aria-current={page === entry.id ? 'page' : undefined}>
              {entry.title}
            </span>
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
