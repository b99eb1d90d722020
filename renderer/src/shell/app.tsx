import { isCatalogueEmpty } from '../store/catalogue-slice.ts';
import { useStudio } from '../store/store.ts';
import { DatasetPage } from '../dataset/dataset-page.tsx';
import { ImportDialog } from '../dataset/import-dialog.tsx';
import { EvaluatePage } from '../evaluate/evaluate-page.tsx';
import { CleanPage } from '../clean/clean-page.tsx';
import { PredictPage } from '../predict/predict-page.tsx';
import { Nav } from './nav.tsx';
import { ProjectChangedBanner } from './project-changed-banner.tsx';
import { RelabelToast } from '../components/relabel-toast.tsx';
import { RunsPage } from '../runs/runs-page.tsx';
import { StartScreen } from '../start/start-screen.tsx';
import { TrainPage } from '../train/train-page.tsx';

export function App() {
  const connected = useStudio((s) => s.connected);
  const dialogOpen = useStudio((s) => s.importDialogOpen);
  const closedElsewhere = useStudio((s) => s.projectClosedElsewhere !== null);
  return (
    <div className="app">
      <Nav />
      <main className="main">
        {!connected && (
          <div className="banner" role="status">
            Connection lost — reconnecting…
          </div>
        )}
        {closedElsewhere ? <ProjectChangedBanner /> : <Content />}
      </main>
      {dialogOpen && <ImportDialog />}
      <RelabelToast />
    </div>
  );
}

function Content() {
  const page = useStudio((s) => s.page);
  if (page === 'train') return <TrainPage />;
  if (page === 'runs') return <RunsPage />;
  if (page === 'evaluate') return <EvaluatePage />;
  if (page === 'clean') return <CleanPage />;
  if (page === 'predict') return <PredictPage />;
  return <DatasetContent />;
}

function DatasetContent() {
  const view = useStudio((s) =>
    s.stats === null ? 'loading' : isCatalogueEmpty(s.stats) ? 'empty' : 'dataset',
  );
  const statsError = useStudio((s) => s.statsError);
  if (view === 'loading') {
    return statsError ? (
      <p className="invalid centered" role="alert">
        Could not reach the catalogue: {statsError}
      </p>
    ) : (
      <p className="muted centered">Loading…</p>
    );
  }
  return view === 'empty' ? <StartScreen /> : <DatasetPage />;
}
