import path from 'node:path';
import type Database from 'better-sqlite3';
import { StudioError } from '../contract/errors.ts';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import { selectBackend } from '../engine/backend.ts';
import { parsePreprocessing } from '../preprocessing/index.ts';
import type { RunStore } from '../runs/run-store.ts';
import { requireFullPath } from '../util/full-path.ts';
import { exportCleanDataset } from './dataset.ts';
import { exportModel } from './index.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type ExportHandlers = Pick<Handlers, 'export-model' | 'export-dataset'>;

/** The export slice of the handler map. */
export function createExportHandlers(
  db: Database.Database,
  store: RunStore,
  emit: Emit,
): ExportHandlers {
  return {
    'export-model': async ({ runId, format, out, force }) => {
      requireFullPath(out, 'write');
      const run = store.get(runId);
      if (!run.hasModel) {
        throw new StudioError(
          'bad-request',
          `Run ${runId} has no finished model to export (status: ${run.status}); train or resume it first.`,
        );
      }
      // Converting reads the weights through tfjs; the plain JS backend is enough and never trains here.
      await selectBackend('cpu');
      return exportModel({
        modelDir: path.join(store.runDir(runId), 'model'),
        format,
        out,
        force,
        runInfo: {
          runId,
          model: run.model,
          createdAt: run.createdAt,
          epochsDone: run.epochsDone,
          bestValAccuracy: run.bestValAcc,
          backend: run.backend?.label ?? 'unknown',
          preprocessing: parsePreprocessing(store.row(runId).preprocessing),
        },
        onProgress: (fraction, stage) => emit('export-progress', { target: out, fraction, stage }),
      });
    },
    'export-dataset': async ({ out, force, churn }) =>
      exportCleanDataset(db, requireFullPath(out, 'write'), {
        force,
        churn,
        onProgress: (fraction, stage) => emit('export-progress', { target: out, fraction, stage }),
      }),
  };
}
