import { describe, expect, test } from 'vitest';
import type { RunDetail } from '../../../app/contract/handlers.ts';
import { lrMarks } from '../../../app/report/gather.ts';
import { hyperParameterSection, summarySection } from '../../../app/report/html-sections.ts';
import { lrNote } from '../../../app/report/lr-note.ts';
import { appliedSettings } from '../../../app/runs/applied-settings.ts';
import { parseTrainConfig, type TrainConfigInput } from '../../../app/training/config.ts';

/** A finished run of `recipe` whose stored history holds the rates `lrs`, one per epoch. */
function runOf(
  recipe: Partial<TrainConfigInput>,
  lrs: number[],
  extra: Partial<RunDetail> = {},
): RunDetail {
  const config = parseTrainConfig({ epochs: Math.max(1, lrs.length), ...recipe });
  const history = lrs.map((lr, i) => ({
    epoch: i + 1,
    loss: 1.5 - i * 0.1,
    acc: 0.4,
    valLoss: 1.6,
    valAcc: 0.38,
    lr,
    imagesPerSec: 300,
    seconds: 10,
  }));
  const base = {
    id: 4,
    createdAt: '2026-12-05T07:00:00.000Z',
    status: 'finished' as const,
    model: 'compact-cnn',
    backend: null,
    epochsDone: lrs.length,
    epochs: lrs.length,
    bestValAcc: 0.38,
    bestEpoch: 1,
    seconds: 60,
    message: null,
    trainImages: 100,
    valImages: 20,
    canResume: false,
    hasModel: true,
    parentRunId: null,
    imported: null,
    config,
    history,
    resumes: [],
    ...extra,
  };
  return { ...base, settings: appliedSettings({ ...base, preprocessing: null }) };
}

const COSINE = [0.025, 0.05, 0.0375, 0.0138, 0.0005];

describe('the report shows what applied', () => {
  test('a cosine SGD run: no plateau or step rows, no dashed lines, and the note names cosine', () => {
    const run = runOf(
      {
        optimizer: { name: 'sgd', nesterov: true },
        schedule: { kind: 'cosine', warmupEpochs: 1 },
        learningRate: 0.05,
      },
      COSINE,
    );
    const table = hyperParameterSection(run);
    expect(table).toContain('data-param="optimizer.nesterov"');
    expect(table).toContain('data-param="schedule.finalFraction"');
    expect(table).not.toMatch(/reduceLrOnPlateau|schedule\.step|Plateau/);
    // Warm-up and cosine move the rate every epoch: no epoch is a "lowered" mark.
    const marks = lrMarks(run.history, run.config);
    expect(marks).toEqual([]);
    const note = lrNote(run, marks);
    expect(note).toBe(
      'The learning rate rose over 1 warm-up epoch to 0.05, then followed a cosine schedule down to 0.0005 at the last epoch.',
    );
    expect(note).not.toMatch(/ReduceLROnPlateau|dashed/i);
  });

  test('a plateau run: its cuts are dashed lines, named ReduceLROnPlateau', () => {
    const run = runOf(
      { optimizer: { name: 'adam' }, schedule: { kind: 'plateau' }, learningRate: 0.002 },
      [0.002, 0.002, 0.001],
    );
    const marks = lrMarks(run.history, run.config);
    expect(marks).toEqual([{ epoch: 2, from: 0.002, to: 0.001 }]);
    expect(lrNote(run, marks)).toBe(
      'Dashed lines: ReduceLROnPlateau lowered the learning rate after that epoch (× 0.5 after 3 epochs without improvement in val_loss).',
    );
    expect(hyperParameterSection(run)).toContain('data-param="reduceLrOnPlateau.factor"');
  });

  test('a step run: its steps are dashed lines, named as the step schedule', () => {
    const run = runOf(
      { schedule: { kind: 'step', stepEvery: 2, stepFactor: 0.1 } },
      [0.05, 0.05, 0.005],
    );
    const marks = lrMarks(run.history, run.config);
    expect(marks).toEqual([{ epoch: 2, from: 0.05, to: 0.005 }]);
    expect(lrNote(run, marks)).toBe(
      'Dashed lines: the step schedule multiplied the learning rate by 0.1 after that epoch.',
    );
  });

  test('a constant run says the rate did not change', () => {
    const run = runOf({ schedule: { kind: 'constant' }, learningRate: 0.01 }, [0.01, 0.01]);
    expect(lrNote(run, lrMarks(run.history, run.config))).toBe(
      'The learning rate stayed at 0.01 (constant schedule).',
    );
  });

  test('an imported run: no hyper-parameters, trained elsewhere with its file', () => {
    const run = runOf({ epochs: 1 }, [], {
      epochsDone: 0,
      epochs: 1,
      imported: {
        name: 'mini',
        fileName: 'mini.h5',
        sha256: 'ab'.repeat(32),
        format: 'keras2-h5',
        detail: 'Keras 2.15 HDF5 (.h5)',
        layers: 9,
        params: 12345,
        notes: [],
      },
    });
    const table = hyperParameterSection(run);
    expect(table).not.toContain('data-param');
    expect(table).toContain('Trained elsewhere');
    expect(table).toContain('mini.h5 (Keras 2.15 HDF5 (.h5))');
    expect(summarySection(run)).not.toContain('0 of 1');
    expect(lrNote(run, [])).toBe('Trained elsewhere: FER Studio has no curves for this model.');
  });

  test('a stopped and resumed run says so in its summary', () => {
    const run = runOf({}, [0.05, 0.05, 0.05], {
      resumes: [{ at: '2026-12-05T07:30:00.000Z', stoppedAfter: 2, fromEpoch: 2 }],
    });
    expect(summarySection(run)).toContain(
      '<th scope="row">Stopped and resumed</th><td>stopped after epoch 2, resumed from its checkpoint</td>',
    );
  });
});
