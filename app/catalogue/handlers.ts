import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { StudioError } from '../contract/errors.ts';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import { importFolder } from '../importer/import-folder.ts';
import { finishedImportReport } from '../imports/import-history.ts';
import { writeSampleDataset } from '../sample/sample-set.ts';
import { requireFullPath } from '../util/full-path.ts';
import type { Catalogue } from './catalogue.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type CatalogueHandlers = Pick<
  Handlers,
  | 'catalogue-stats'
  | 'catalogue-import'
  | 'catalogue-import-cancel'
  | 'catalogue-sample'
  | 'catalogue-list'
  | 'catalogue-image'
>;

/** The catalogue's slice of the handler map: parse-free, the transports validate before calling. */
export function createCatalogueHandlers(
  catalogue: Catalogue,
  /** The catalogue's own folder (app/project/layout.ts): the sample images are written there. */
  artefactDir: string,
  emit: Emit,
): CatalogueHandlers {
  const jobs = new Map<string, AbortController>();

  async function runImport(
    folder: string,
    options: { testFraction: number; seed: number; jobId?: string | undefined },
  ) {
    if (jobs.size > 0)
      throw new StudioError('busy', 'An import is already running; wait for it or cancel it.');
    const jobId = options.jobId ?? randomUUID();
    const controller = new AbortController();
    jobs.set(jobId, controller);
    try {
      const report = await importFolder(catalogue, {
        folder,
        testFraction: options.testFraction,
        seed: options.seed,
        jobId,
        signal: controller.signal,
        onProgress: (progress) => emit('catalogue-import-progress', progress),
      });
      emit('catalogue-changed', { reason: 'import' });
      return report;
    } finally {
      jobs.delete(jobId);
    }
  }

  return {
    'catalogue-stats': async () => catalogue.stats(),
    'catalogue-import': async ({ folder, testFraction, seed, jobId }) =>
      runImport(requireFullPath(folder, 'read'), { testFraction, seed, jobId }),
    'catalogue-import-cancel': async ({ jobId }) => {
      const job = jobs.get(jobId);
      job?.abort();
      return { cancelled: Boolean(job) };
    },
    'catalogue-sample': async ({ perClass, jobId }) => {
      // Written once per size; the generator is deterministic, so a re-import only finds duplicates.
      const folder = path.join(artefactDir, `sample-${perClass}`);
      if (!fs.existsSync(path.join(folder, '.complete'))) {
        fs.rmSync(folder, { recursive: true, force: true });
        await writeSampleDataset(folder, { perClass, seed: 1 });
        fs.writeFileSync(path.join(folder, '.complete'), '');
      }
      const earlier = finishedImportReport(catalogue.db, folder);
      if (earlier) return { ...earlier, alreadyThere: true };
      return runImport(folder, { testFraction: 0.2, seed: 1, jobId });
    },
    'catalogue-list': async ({ split, label }) => catalogue.list({ split, label }),
    'catalogue-image': async ({ id }) => catalogue.image(id),
  };
}
