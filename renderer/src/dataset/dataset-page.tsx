import { formatCount } from '../format.ts';
import { useStudio } from '../store/store.ts';
import { BalanceChart } from './balance-chart.tsx';
import { BulkBar } from './bulk-bar.tsx';
import { ExportDataset } from './export-dataset.tsx';
import { ImportsPanel } from './imports-panel.tsx';
import { Filters } from './filters.tsx';
import { ImageDetailPanel } from '../components/image-detail.tsx';
import { ImageGrid } from '../components/image-grid.tsx';
import { UndoRedoButtons } from '../components/relabel-toast.tsx';
import { useRelabelShortcuts } from '../components/relabel-shortcuts.ts';

export function DatasetPage() {
  const total = useStudio((s) => s.stats?.total ?? 0);
  const excluded = useStudio((s) => s.stats?.excluded ?? 0);
  const listError = useStudio((s) => s.listError);
  const detailOpen = useStudio((s) => s.detailOpen);
  const busy = useStudio((s) => s.importJob !== null);
  const openImportDialog = useStudio((s) => s.openImportDialog);
  const inSample = useStudio((s) => s.project?.isSample ?? false);
  useRelabelShortcuts();
  return (
    <div className="dataset" data-testid="dataset-page">
      <header className="page-head">
        <div>
          <h1>Dataset</h1>
          <p className="muted">
            {formatCount(total)} labelled images · {formatCount(excluded)} excluded
          </p>
        </div>
        <div className="head-actions">
          <UndoRedoButtons />
          <button
            data-testid="import-folder"
            onClick={openImportDialog}
            disabled={busy || inSample}
            title={
              inSample
                ? 'The sample project holds only the synthetic faces: create a project for your own images.'
                : undefined
            }
          >
            Import folder…
          </button>
        </div>
      </header>
      <ExportDataset />
      {/* Side by side, so the imports list does not take rows from the grid. */}
      <div className="dataset-overview">
        <section className="card" aria-label="Class balance">
          <h2 className="card-title">Class balance</h2>
          <BalanceChart />
        </section>
        <ImportsPanel />
      </div>
      <Filters />
      <BulkBar />
      {listError && (
        <p className="invalid" role="alert">
          Could not load the images: {listError}
        </p>
      )}
      <div className="grid-area">
        <ImageGrid />
        {detailOpen && <ImageDetailPanel />}
      </div>
    </div>
  );
}
