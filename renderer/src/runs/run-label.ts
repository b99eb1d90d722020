import type { RunSummary } from '../../../app/contract/index.ts';

type Named = Pick<RunSummary, 'id' | 'name' | 'imported'>;

/** "Run #6 · kaggle net": a person's name for the run, else an imported model's own name. */
export function runName(run: Named): string {
  const name = run.name ?? run.imported?.name ?? null;
  return name ? `Run #${run.id} · ${name}` : `Run #${run.id}`;
}

/**
 * A run in a picker. Imported models carry their file, so two imports never read alike and none
 * passes for a run trained here ("#6 · imported" told nothing).
 */
export function runOptionText(run: Named & Pick<RunSummary, 'model' | 'status'>): string {
  if (run.imported) return `${runName(run)} · imported from ${run.imported.fileName}`;
  return `${runName(run)} · ${run.model} · ${run.status}`;
}
