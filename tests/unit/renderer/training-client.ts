import type { AppInfo } from '../../../app/contract/index.ts';
import {
  createFakeClient,
  makeList,
  makeRunDetail,
  makeStats,
  makeTrainingOptions,
} from './fake-client.ts';

export const info: AppInfo = {
  mode: 'browser',
  version: '0.1.0',
  catalogPath: '/c',
  dataDir: '/d',
  canPickFolder: false,
};

/** A catalogue with images and a core that accepts training; run ids start at 7. */
export function trainingClient() {
  let nextRunId = 7;
  return createFakeClient({
    'app-info': () => info,
    'catalogue-stats': () => makeStats(10),
    'catalogue-list': (filter) => makeList(20, filter),
    'training-options': () => makeTrainingOptions(),
    'training-start': () => ({ runId: nextRunId++ }),
    'training-stop': () => ({ stopped: true }),
    'training-resume': ({ runId }) => ({ runId }),
    'runs-list': () => ({ runs: [] }),
    'run-get': ({ runId }) =>
      makeRunDetail(runId, { status: 'running', epochsDone: 0, epochs: 30 }),
    'training-augment-preview': ({ count = 8, seed = 1 }) => ({
      images: Array.from({ length: count + 1 }, (_, i) => `data:image/png;base64,${seed}-${i}`),
    }),
  });
}
