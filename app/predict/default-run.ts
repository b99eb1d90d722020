import type { RunSummary } from '../contract/handlers.ts';

/** What a run scored: its stored test accuracy when known, else its best validation accuracy. */
const score = (run: RunSummary) => run.testAccuracy ?? run.bestValAcc ?? 0;

/**
 * The run Predict uses when none is picked: the best finished run trained here, then any trained
 * run with a model, and an imported model only when there is nothing else (it was trained
 * elsewhere, maybe on another input range). `runs` come newest first, so ties go to the newest.
 */
export function pickDefaultRun(runs: readonly RunSummary[]): RunSummary | undefined {
  const usable = runs.filter((r) => r.hasModel);
  const trained = usable.filter((r) => !r.imported);
  const best = (list: RunSummary[]) =>
    list.reduce<RunSummary | undefined>((a, r) => (a && score(a) >= score(r) ? a : r), undefined);
  return best(trained.filter((r) => r.status === 'finished')) ?? best(trained) ?? usable[0];
}
