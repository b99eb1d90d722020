import type { StateCreator } from 'zustand';
import type { ImportProgress, ImportReport } from '../../../app/contract/index.ts';
import { errorCode, errorMessage } from '../client/index.ts';
import type { ClientErrorCode } from '../client/index.ts';
import type { StoreDeps, StudioState } from './store.ts';

export interface ImportJob {
  /** Made here and sent with the request, so Cancel works before the reply arrives. */
  jobId: string;
  kind: 'folder' | 'sample';
  progress: ImportProgress | null;
  cancelling: boolean;
}

export interface ImportFailure {
  code: ClientErrorCode;
  message: string;
}

export interface ImportSlice {
  importJob: ImportJob | null;
  importReport: ImportReport | null;
  importError: ImportFailure | null;
  startImport(folder: string, testFraction: number): Promise<void>;
  startSample(): Promise<void>;
  cancelImport(): Promise<void>;
  resetImport(): void;
}

export function createImportSlice(deps: StoreDeps): StateCreator<StudioState, [], [], ImportSlice> {
  return (set, get) => {
    async function run(kind: ImportJob['kind'], call: (jobId: string) => Promise<ImportReport>) {
      if (get().importJob) return;
      const jobId = deps.makeJobId();
      set({
        importJob: { jobId, kind, progress: null, cancelling: false },
        importReport: null,
        importError: null,
      });
      try {
        const report = await call(jobId);
        set({ importJob: null, importReport: report });
      } catch (error) {
        set({
          importJob: null,
          importError: { code: errorCode(error), message: errorMessage(error) },
        });
      }
      // The catalogue-changed event refreshes too; asking here covers a missed event.
      void get().refreshStats();
      void get().refreshList();
    }

    return {
      importJob: null,
      importReport: null,
      importError: null,

      startImport(folder, testFraction) {
        return run('folder', (jobId) =>
          deps.client.invoke('catalogue-import', { folder, testFraction, jobId }),
        );
      },

      startSample() {
        return run('sample', (jobId) => deps.client.invoke('catalogue-sample', { jobId }));
      },

      async cancelImport() {
        const job = get().importJob;
        if (!job || job.cancelling) return;
        set({ importJob: { ...job, cancelling: true } });
        try {
          await deps.client.invoke('catalogue-import-cancel', { jobId: job.jobId });
        } catch (error) {
          set({ importError: { code: errorCode(error), message: errorMessage(error) } });
        }
      },

      resetImport() {
        if (get().importJob) return;
        set({ importReport: null, importError: null });
      },
    };
  };
}

/** Progress events for other jobs (another window, the CLI) are ignored. */
export function applyImportProgress(state: StudioState, progress: ImportProgress) {
  const job = state.importJob;
  if (!job || job.jobId !== progress.jobId) return {};
  return { importJob: { ...job, progress } };
}
