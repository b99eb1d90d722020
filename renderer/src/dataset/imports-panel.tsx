import { useEffect } from 'react';
import { ErrorMessage } from '../components/error-message.tsx';
import { formatCount } from '../format.ts';
import { useStudio } from '../store/store.ts';
import type { ImportEntry } from '../store/imports-slice.ts';
import { DuplicateFiles } from './import-report.tsx';
import { RemoveImport } from './remove-import.tsx';

const when = (iso: string) => new Date(iso).toLocaleString();

function describe(entry: ImportEntry): string {
  const parts = [`${formatCount(entry.images)} image${entry.images === 1 ? '' : 's'} added`];
  if (entry.duplicates > 0) parts.push(`${formatCount(entry.duplicates)} duplicates skipped`);
  if (entry.usedByRuns > 0)
    parts.push(`used by ${entry.usedByRuns} run${entry.usedByRuns === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/**
 * The catalogue's imports. Remove (confirmed, undoable with Ctrl+Z) takes back exactly the images
 * an import added (runs that used them keep their snapshot); Restore undoes it.
 */
export function ImportsPanel() {
  const imports = useStudio((s) => s.imports);
  const error = useStudio((s) => s.importsError);
  const pending = useStudio((s) => s.importsPending);
  const importing = useStudio((s) => s.importJob !== null);
  const refresh = useStudio((s) => s.refreshImports);
  const remove = useStudio((s) => s.removeImport);
  const restore = useStudio((s) => s.restoreImport);
  const total = useStudio((s) => s.stats?.total ?? 0);

  // Also after an import or a removal elsewhere: the stats change with them.
  useEffect(() => {
    void refresh();
  }, [refresh, total, importing]);

  if (imports === null || imports.length === 0) return null;
  return (
    <section className="card imports-panel" aria-label="Imports" data-testid="imports-panel">
      <h2 className="card-title">Imports</h2>
      <ul>
        {imports.map((entry) => (
          <li
            key={entry.id}
            data-testid="import-entry"
            data-removed={entry.removedAt !== null}
            className={entry.removedAt !== null ? 'removed' : undefined}
          >
            <div>
              <strong title={entry.folder}>{entry.folder}</strong>
              <span className="muted">
                {when(entry.startedAt)} · {describe(entry)}
                {entry.removedAt !== null && ` · removed ${when(entry.removedAt)}`}
                {entry.status !== 'done' && ` · ${entry.status}`}
              </span>
              <DuplicateFiles count={entry.duplicates} files={entry.duplicateFiles ?? []} />
            </div>
            {entry.removedAt === null ? (
              <RemoveImport
                entry={entry}
                disabled={pending !== null || importing || entry.status === 'running'}
                onRemove={() => void remove(entry.id)}
              />
            ) : (
              <button
                data-testid="import-restore"
                disabled={pending !== null}
                onClick={() => void restore(entry.id)}
              >
                Restore
              </button>
            )}
          </li>
        ))}
      </ul>
      {error && <ErrorMessage code={error.code} message={error.message} testId="imports-error" />}
    </section>
  );
}
