import { useState } from 'react';
import { formatCount } from '../format.ts';
import { useStudio } from '../store/store.ts';
import type { Project } from '../store/projects-slice.ts';

const plural = (n: number | null, word: string) =>
  n === null ? `its ${word}s` : `${formatCount(n)} ${word}${n === 1 ? '' : 's'}`;

/** Delete, behind a question naming the project and what goes with it (nothing undoes this). */
export function DeleteProject(props: { project: Project; disabled: boolean }) {
  const [asking, setAsking] = useState(false);
  const deleteProject = useStudio((s) => s.deleteProject);
  const { project } = props;
  if (!asking)
    return (
      <button
        className="link project-delete"
        data-testid="project-delete"
        aria-label={`Delete project ${project.name}`}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        Delete…
      </button>
    );
  return (
    <div className="confirm-inline" role="alertdialog" data-testid="project-delete-confirm">
      <p>
        Delete the project “{project.name}” with its {plural(project.images, 'image')} and{' '}
        {plural(project.runs, 'run')}? Its folder ({project.dir}) and every file in it go; this
        cannot be undone.
      </p>
      <button
        className="danger"
        data-testid="project-delete-yes"
        disabled={props.disabled}
        onClick={() => {
          setAsking(false);
          void deleteProject(project.dir);
        }}
      >
        Delete project
      </button>
      <button data-testid="project-delete-no" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </div>
  );
}
