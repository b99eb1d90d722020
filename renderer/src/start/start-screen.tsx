import { useStudio } from '../store/store.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { ImportProgressBar } from '../dataset/import-progress.tsx';
import { NewProjectForm, ProjectList } from './project-list.tsx';
import { ImportsPanel } from '../dataset/imports-panel.tsx';

export function StartScreen() {
  const job = useStudio((s) => s.importJob);
  const error = useStudio((s) => s.importError);
  const dialogOpen = useStudio((s) => s.importDialogOpen);
  const startSample = useStudio((s) => s.startSample);
  const openImportDialog = useStudio((s) => s.openImportDialog);
  const busy = job !== null;
  return (
    <section className="start" data-testid="start-screen">
      <h1>Welcome to FER Studio</h1>
      <p className="muted">
        This project is empty. Open the built-in sample to look around, or import a folder of face
        images sorted into class folders (angry, disgust, fear, happy, neutral, sad, surprise).
      </p>
      <div className="start-actions">
        <button
          className="primary big"
          data-testid="open-sample"
          onClick={() => void startSample()}
          disabled={busy}
        >
          Open sample dataset
        </button>
        <button
          className="big"
          data-testid="import-folder"
          onClick={openImportDialog}
          disabled={busy}
        >
          Import folder…
        </button>
      </div>
      {job?.kind === 'sample' && !dialogOpen && (
        <ImportProgressBar progress={job.progress} cancelling={job.cancelling} />
      )}
      {error && !dialogOpen && (
        <ErrorMessage code={error.code} message={error.message} testId="import-error" />
      )}
      {/* Every import removed: they can be restored from here. */}
      <ImportsPanel />
      <section className="start-projects" aria-label="Projects">
        <h2>Projects</h2>
        <p className="muted">
          Each project keeps its own images, runs and models. The sample opens as its own project.
        </p>
        <ProjectList />
        <NewProjectForm />
      </section>
    </section>
  );
}
