import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { RunDetail, RunSummary } from '../../../app/contract/index.ts';
import { appliedSettings } from '../../../app/runs/applied-settings.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import { makeRun, makeRunDetail } from './fake-client.ts';
import { fakeLayoutEachTest, renderApp } from './render-app.tsx';
import { trainingClient } from './training-client.ts';

fakeLayoutEachTest();

const IMPORTED = {
  name: 'mini',
  fileName: 'mini.h5',
  sha256: 'ab'.repeat(32),
  format: 'keras2-h5' as const,
  detail: 'Keras 2.15 HDF5 (.h5)',
  layers: 9,
  params: 12345,
  notes: [],
};

/** What the core sends for `run`: its settings worked out as app/runs does. */
function detailOf(run: RunSummary, recipe: Parameters<typeof parseTrainConfig>[0]): RunDetail {
  const base = makeRunDetail(run.id, run);
  const config = parseTrainConfig(recipe);
  const resumes =
    run.id === 1 ? [{ at: '2026-12-05T08:00:00Z', stoppedAfter: 3, fromEpoch: 3 }] : [];
  const preprocessing = run.imported
    ? {
        inputHeight: 48,
        inputWidth: 48,
        channels: 1 as const,
        range: '0,1' as const,
        classOrder: [
          ...(['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const),
        ],
      }
    : null;
  const settings = appliedSettings({ ...run, config, preprocessing, resumes });
  return { ...base, config, resumes, settings };
}

async function openRun(run: RunSummary, recipe: Parameters<typeof parseTrainConfig>[0]) {
  const client = trainingClient();
  client.handlers['runs-list'] = () => ({ runs: [run] });
  client.handlers['run-get'] = () => detailOf(run, recipe);
  renderApp(client);
  fireEvent.click(screen.getByTestId('nav-runs'));
  await screen.findByTestId('runs-page');
  fireEvent.click(await screen.findByTestId('run-row'));
  await screen.findByTestId('run-config');
  await waitFor(() => expect(screen.getByTestId('run-config').textContent).toContain('Created'));
  return screen.getByTestId('run-config');
}

const fact = (facts: HTMLElement, key: string) =>
  facts.querySelector(`[data-setting="${key}"] dd`)?.textContent ?? null;

describe('a run’s page shows the settings that applied', () => {
  it('a cosine SGD run: optimizer, schedule and warm-up, no plateau; and its stop and resume', async () => {
    const facts = await openRun(makeRun(1, { epochsDone: 6, epochs: 6 }), {
      epochs: 6,
      optimizer: { name: 'sgd', nesterov: true, momentum: 0.9 },
      schedule: { kind: 'cosine', warmupEpochs: 1 },
    });
    expect(fact(facts, 'optimizer')).toBe('SGD with Nesterov momentum 0.9, weight decay 0.0005');
    expect(fact(facts, 'schedule')).toBe('cosine, down to 1 % of the rate at the last epoch');
    expect(fact(facts, 'warmup')).toBe('1 epoch');
    expect(fact(facts, 'resumed')).toBe('stopped after epoch 3, resumed from its checkpoint');
    expect(facts.textContent).not.toMatch(/plateau/i);
    // Cosine moves the rate every epoch; no epoch is drawn as a plateau cut or a step.
    expect(screen.getByTestId('run-loss-chart').getAttribute('data-lr-marks')).toBe('');
  });

  it('an imported run: trained elsewhere, its file and input, no training settings', async () => {
    const facts = await openRun(
      makeRun(2, { imported: IMPORTED, epochsDone: 0, epochs: 1, hasModel: true }),
      {},
    );
    expect(fact(facts, 'trainedElsewhere')).toBe('mini.h5 (Keras 2.15 HDF5 (.h5))');
    expect(fact(facts, 'input')).toBe('48×48 gray, values in [0, 1], 7 outputs');
    for (const word of ['Batch size', 'Learning rate', 'Augmentation', 'Early stopping', 'Seed'])
      expect(facts.textContent).not.toContain(word);
  });
});
