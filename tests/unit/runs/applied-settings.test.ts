import { describe, expect, it } from 'vitest';
import {
  appliedParams,
  appliedSettings,
  type AppliedInput,
} from '../../../app/runs/applied-settings.ts';
import { parseTrainConfig } from '../../../app/training/config.ts';
import type { TrainConfigInput } from '../../../app/training/config.ts';

function trained(config: Partial<TrainConfigInput>, extra: Partial<AppliedInput> = {}) {
  return {
    config: parseTrainConfig(config),
    imported: null,
    preprocessing: null,
    resumes: [],
    ...extra,
  } satisfies AppliedInput;
}

const settingsOf = (input: AppliedInput) =>
  Object.fromEntries(appliedSettings(input).map((s) => [s.key, s.value]));
const paramKeys = (input: AppliedInput) => appliedParams(input).map(([key]) => key);

describe('the settings that applied to a run', () => {
  it('a cosine SGD-Nesterov run names its optimizer, schedule and warm-up, and no plateau', () => {
    const run = trained({
      epochs: 30,
      learningRate: 0.05,
      optimizer: { name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      schedule: { kind: 'cosine', warmupEpochs: 2, finalFraction: 0.01 },
    });
    const s = settingsOf(run);
    expect(s.optimizer).toBe('SGD with Nesterov momentum 0.9, weight decay 0.0005');
    expect(s.schedule).toBe('cosine, down to 1 % of the rate at the last epoch');
    expect(s.warmup).toBe('2 epochs');
    expect(s.learningRate).toBe('0.05');
    expect(Object.keys(s)).not.toContain('plateau');
    expect(JSON.stringify(appliedSettings(run))).not.toMatch(/plateau/i);
    const keys = paramKeys(run);
    expect(keys).toEqual(expect.arrayContaining(['optimizer.nesterov', 'schedule.finalFraction']));
    expect(keys.filter((k) => k.startsWith('reduceLrOnPlateau'))).toEqual([]);
    expect(keys).not.toContain('schedule.stepEvery');
    expect(keys).not.toContain('schedule.stepFactor');
  });

  it('the plateau schedule shows its plateau settings, and Adam no momentum', () => {
    const run = trained({
      optimizer: { name: 'adam' },
      schedule: { kind: 'plateau', warmupEpochs: 0 },
      reduceLrOnPlateau: { factor: 0.5, patience: 3, minLr: 1e-5 },
    });
    const s = settingsOf(run);
    expect(s.optimizer).toBe('Adam');
    expect(s.schedule).toBe(
      'lower on a plateau: × 0.5 after 3 epochs without improvement in val_loss, not below 0.00001',
    );
    expect(s).not.toHaveProperty('warmup');
    const keys = paramKeys(run);
    expect(keys).toEqual(expect.arrayContaining(['reduceLrOnPlateau.factor', 'monitor']));
    expect(keys).not.toContain('optimizer.momentum');
    expect(keys).not.toContain('optimizer.nesterov');
    expect(keys).not.toContain('schedule.finalFraction');
  });

  it('a plateau schedule with lowering off trains at a constant rate, and says so', () => {
    const s = settingsOf(
      trained({ schedule: { kind: 'plateau' }, reduceLrOnPlateau: { enabled: false } }),
    );
    expect(s.schedule).toBe('constant (lowering on a plateau was off)');
  });

  it('a step schedule names its step; early stopping off shows no patience', () => {
    const run = trained({
      schedule: { kind: 'step', stepEvery: 10, stepFactor: 0.1 },
      earlyStopping: { enabled: false },
    });
    const s = settingsOf(run);
    expect(s.schedule).toBe('× 0.1 every 10 epochs');
    expect(s.earlyStopping).toBe('off');
    expect(paramKeys(run)).not.toContain('earlyStopping.patience');
    expect(paramKeys(run)).toContain('schedule.stepFactor');
  });

  it('an imported run shows no training settings, only where it came from and its input', () => {
    const run: AppliedInput = {
      config: parseTrainConfig({}),
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
      preprocessing: {
        inputHeight: 64,
        inputWidth: 64,
        channels: 3,
        range: '-1,1',
        classOrder: ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'],
      },
      resumes: [],
    };
    const s = settingsOf(run);
    expect(s).toEqual({
      trainedElsewhere: 'mini.h5 (Keras 2.15 HDF5 (.h5))',
      input: '64×64 RGB (the gray image in all three channels), values in [-1, 1], 7 outputs',
    });
    expect(appliedParams(run)).toEqual([]);
  });

  it('says when a run was stopped and resumed', () => {
    const once = trained(
      { epochs: 6 },
      { resumes: [{ at: '2026-12-05T08:00:00.000Z', stoppedAfter: 3, fromEpoch: 2 }] },
    );
    expect(settingsOf(once).resumed).toBe(
      'stopped after epoch 3, resumed from the checkpoint of epoch 2',
    );
    const twice = trained(
      { epochs: 6 },
      {
        resumes: [
          { at: '2026-12-05T08:00:00.000Z', stoppedAfter: 2, fromEpoch: 2 },
          { at: '2026-12-05T08:10:00.000Z', stoppedAfter: 4, fromEpoch: 4 },
        ],
      },
    );
    expect(settingsOf(twice).resumed).toBe(
      'stopped after epoch 2, resumed from its checkpoint; stopped after epoch 4, resumed from its checkpoint',
    );
    expect(settingsOf(trained({}))).not.toHaveProperty('resumed');
  });
});
