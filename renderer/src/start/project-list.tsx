import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { ErrorMessage } from '../components/error-message.tsx';
import { useStudio } from '../store/store.ts';
import type { Project } from '../store/projects-slice.ts';
import { DeleteProject } from './delete-project.tsx';

const count = (n: number | null, one: string) =>
  n === null ? `? ${one}s` : `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`;

/** Recent projects with their image and run counts; a click opens one. */
export function ProjectList(props: { onDone?: () => void }) {
  const { projects, current, switching, error } = useStudio(
    useShallow((s) => ({
      projects: s.projects,
      current: s.project?.dir ?? null,
      switching: s.projectSwitching,
      error: s.projectError,
    })),
  );
  const openProject = useStudio((s) => s.openProject);
  const openProjectFolder = useStudio((s) => s.openProjectFolder);
  const canPick = useStudio((s) => s.appInfo?.canPickFolder ?? false);
  if (projects === null) return <p className="muted">Loading projects…</p>;
  return (
    <div className="project-list">
      <ul aria-label="Projects" data-testid="project-list">
        {projects.map((p) => (
          <li key={p.dir}>
            <button
              className="project-item"
              data-testid="project-item"
              aria-current={p.dir === current ? 'true' : undefined}
              disabled={switching || p.dir === current || p.problem !== null}
              title={p.dir}
              onClick={() => void openProject(p.dir).then((ok) => ok && props.onDone?.())}
            >
              <strong>{p.name}</strong>
              <span className="muted">
                {p.problem ?? `${count(p.images, 'image')} · ${count(p.runs, 'run')}`}
              </span>
            </button>
            {p.dir !== current && p.problem === null && (
              <DeleteProject project={p} disabled={switching} />
            )}
          </li>
        ))}
      </ul>
      {canPick && (
        <button
          data-testid="open-project-folder"
          disabled={switching}
          onClick={() => void openProjectFolder().then((ok) => ok && props.onDone?.())}
        >
          Open project folder…
        </button>
      )}
      {error && <ErrorMessage code={error.code} message={error.message} testId="project-error" />}
    </div>
  );
}

/** Name → a new empty project, opened at once. */
export function NewProjectForm(props: { onDone?: () => void }) {
  const [name, setName] = useState('');
  const switching = useStudio((s) => s.projectSwitching);
  const createProject = useStudio((s) => s.createProject);
  return (
    <form
      className="project-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === '') return;
        void createProject(name.trim()).then((ok) => ok && props.onDone?.());
      }}
    >
      <input
        aria-label="New project name"
        data-testid="new-project-name"
        placeholder="New project name"
        value={name}
        maxLength={80}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" data-testid="create-project" disabled={switching || !name.trim()}>
        Create project
      </button>
    </form>
  );
}

/** Renames the open project (its folder stays where it is). */
export function RenameProjectForm(props: { project: Project; onDone?: () => void }) {
  const [name, setName] = useState(props.project.name);
  const renameProject = useStudio((s) => s.renameProject);
  return (
    <form
      className="project-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (name.trim() === '') return;
        void renameProject(props.project.dir, name.trim()).then((ok) => ok && props.onDone?.());
      }}
    >
      <input
        aria-label="Project name"
        data-testid="rename-project-name"
        value={name}
        maxLength={80}
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" data-testid="rename-project" disabled={!name.trim()}>
        Rename
      </button>
    </form>
  );
}
