import { useEffect, useRef, useState } from 'react';
import { useStudio } from '../store/store.ts';
import { NewProjectForm, ProjectList, RenameProjectForm } from '../start/project-list.tsx';

/** The open project's name in the nav and the window title; a click opens the project menu. */
export function ProjectMenu() {
  const project = useStudio((s) => s.project);
  const refreshProjects = useStudio((s) => s.refreshProjects);
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const name = project?.name ?? null;

  useEffect(() => {
    document.title = name ? `${name} — FER Studio` : 'FER Studio';
  }, [name]);

  useEffect(() => {
    if (!open) return;
    void refreshProjects();
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    // A click anywhere else closes the menu, as menus do.
    const onDown = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('mousedown', onDown);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('mousedown', onDown);
    };
  }, [open, refreshProjects]);

  return (
    <div className="project-menu" ref={box}>
      <button
        className="project-button"
        data-testid="project-menu"
        aria-expanded={open}
        aria-haspopup="dialog"
        title={project?.dir}
        onClick={() => setOpen(!open)}
      >
        <span className="muted">Project</span>
        <strong data-testid="project-name">{name ?? '…'}</strong>
      </button>
      {open && (
        <div className="project-popover" role="dialog" aria-label="Projects">
          <ProjectList onDone={() => setOpen(false)} />
          <NewProjectForm onDone={() => setOpen(false)} />
          {project && <RenameProjectForm key={project.dir} project={project} />}
        </div>
      )}
    </div>
  );
}
