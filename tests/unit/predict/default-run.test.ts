import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../app/contract/handlers.ts';
import { pickDefaultRun } from '../../../app/predict/default-run.ts';

const run = (id: number, overrides: Partial<RunSummary> = {}): RunSummary => ({
  id,
  createdAt: '2026-12-01T00:00:00.000Z',
  status: 'finished',
  model: 'seed-cnn',
  backend: null,
  epochsDone: 5,
  epochs: 5,
  bestValAcc: 0.5,
  bestEpoch: 5,
  seconds: 10,
  message: null,
  trainImages: 100,
  valImages: 20,
  canResume: false,
  hasModel: true,
  parentRunId: null,
  imported: null,
  ...overrides,
});

const imported = {
  name: 'from keras',
  fileName: 'net.h5',
  sha256: 'ab',
  format: 'keras2-h5' as const,
  detail: '',
  layers: 3,
  params: 10,
  notes: [],
};

describe('the run Predict uses when none is picked', () => {
  it('is the best trained run, never a newer import', () => {
    // Newest first, as runs-list gives them.
    const runs = [
      run(9, { imported, bestValAcc: null }),
      run(8, { bestValAcc: 0.41 }),
      run(7, { bestValAcc: 0.62, testAccuracy: 0.6 }),
      run(6, { bestValAcc: 0.7, status: 'stopped', hasModel: false }),
    ];
    expect(pickDefaultRun(runs)?.id).toBe(7);
  });

  it('prefers the stored test accuracy, then the newest of equals', () => {
    const runs = [run(3, { bestValAcc: 0.5 }), run(2, { bestValAcc: 0.5 })];
    expect(pickDefaultRun(runs)?.id).toBe(3);
    // Run 2's test accuracy (0.55) counts, not its validation accuracy (0.7).
    const tested = [run(3, { bestValAcc: 0.6 }), run(2, { bestValAcc: 0.7, testAccuracy: 0.55 })];
    expect(pickDefaultRun(tested)?.id).toBe(3);
  });

  it('falls back to a stopped run with a model, then to an import, then to none', () => {
    expect(pickDefaultRun([run(5, { imported }), run(4, { status: 'stopped' })])?.id).toBe(4);
    expect(pickDefaultRun([run(5, { imported })])?.id).toBe(5);
    expect(pickDefaultRun([run(5, { hasModel: false })])).toBeUndefined();
  });
});
