import { join } from 'node:path';
import type { RunDetail } from '../../../app/contract/handlers.ts';
import { writeSampleDataset } from '../../../app/sample/sample-set.ts';
import { openSession, type Session } from '../session.ts';
import { tempDir } from './helpers.ts';

export interface ReportRun {
  dir: string;
  /** The studio over `<dir>/report.sqlite`. */
  s: Session;
  runId: number;
  run: RunDetail;
  exportTo(out: string, force?: boolean): Promise<{ files: string[] }>;
  close(): Promise<void>;
}

/**
 * The sample set in a fresh catalogue and one 3-epoch compact-cnn run on it, for the report tests.
 * minDelta 100: no epoch counts as better, so the rate is halved after epoch 2.
 */
export async function trainReportRun(): Promise<ReportRun> {
  const { dir, cleanup } = await tempDir('fer-report-');
  await writeSampleDataset(join(dir, 'sample'), { perClass: 10, seed: 3 });
  const s = openSession(dir, 'report');
  await s.call('catalogue-import', { folder: join(dir, 'sample') });
  const runId = await s.train({
    model: 'compact-cnn',
    epochs: 3,
    batchSize: 32,
    learningRate: 0.002,
    validationFraction: 0.2,
    optimizer: { name: 'adam' },
    schedule: { kind: 'plateau' },
    reduceLrOnPlateau: { patience: 1, minDelta: 100 },
  });
  const run = await s.call<RunDetail>('run-get', { runId });
  return {
    dir,
    s,
    runId,
    run,
    exportTo: (out, force = false) =>
      s.call<{ files: string[] }>('report-export', { runId, out, force }),
    async close() {
      await s.studio.close();
      await cleanup();
    },
  };
}
