import { describe, expect, test } from 'vitest';
import { parseStoredConfig, parseTrainConfig } from '../../../app/training/config.ts';

describe('trainConfigSchema', () => {
  test('an empty request gets one-click defaults', () => {
    const config = parseTrainConfig({});
    expect(config).toMatchObject({
      model: 'compact-cnn-w24',
      epochs: 48,
      batchSize: 64,
      learningRate: 0.05,
      validationFraction: 0.1,
      classWeighting: 'sqrt-balanced',
      monitor: 'val_loss',
      augmentation: { rotationDeg: 10, horizontalFlip: true, zoom: 0.1, shift: 0.1 },
      earlyStopping: { patience: 6, restoreBest: true },
      reduceLrOnPlateau: { factor: 0.5, patience: 3, minLr: 1e-5 },
    });
  });

  test('partial nested objects keep the other defaults', () => {
    const config = parseTrainConfig({ augmentation: { horizontalFlip: false, rotationDeg: 0 } });
    expect(config.augmentation).toEqual({
      rotationDeg: 0,
      horizontalFlip: false,
      zoom: 0.1,
      shift: 0.1,
      crop: { size: 44, padding: 0 },
    });
  });

  test('the default recipe is the measured one: SGD Nesterov 0.05 with L2 5e-4, cosine after 1 warm-up epoch, 44-px crops, label smoothing 0.1', () => {
    const config = parseTrainConfig({});
    expect(config.optimizer).toEqual({
      name: 'sgd',
      momentum: 0.9,
      nesterov: true,
      weightDecay: 5e-4,
    });
    expect(config.schedule).toMatchObject({ kind: 'cosine', warmupEpochs: 1 });
    expect(config.augmentation.crop).toEqual({ size: 44, padding: 0 });
    expect(config.labelSmoothing).toBe(0.1);
    expect(config.dropout).toBeNull();
    expect(config.recalibrateBatchNorm).toBe(true);
  });

  test('choosing Adam without a rate or weight decay gets Adam’s (1e-3, none); given values stay', () => {
    expect(parseTrainConfig({ optimizer: { name: 'adam' } })).toMatchObject({
      learningRate: 1e-3,
      optimizer: { name: 'adam', weightDecay: 0 },
    });
    expect(
      parseTrainConfig({ learningRate: 0.01, optimizer: { name: 'adam', weightDecay: 1e-4 } }),
    ).toMatchObject({ learningRate: 0.01, optimizer: { name: 'adam', weightDecay: 1e-4 } });
    expect(parseTrainConfig({ optimizer: { name: 'sgd' } })).toMatchObject({
      learningRate: 0.05,
      optimizer: { weightDecay: 5e-4 },
    });
  });

  test('one warm-up epoch by default, except in runs too short for one (a 1-epoch trial works)', () => {
    expect(parseTrainConfig({}).schedule.warmupEpochs).toBe(1);
    expect(parseTrainConfig({ epochs: 5 }).schedule.warmupEpochs).toBe(1);
    expect(parseTrainConfig({ epochs: 4 }).schedule.warmupEpochs).toBe(0);
    expect(parseTrainConfig({ epochs: 1 }).schedule.warmupEpochs).toBe(0);
    expect(
      parseTrainConfig({ epochs: 10, schedule: { warmupEpochs: 3 } }).schedule.warmupEpochs,
    ).toBe(3);
    expect(() => parseTrainConfig({ epochs: 1, schedule: { warmupEpochs: 1 } })).toThrow(/warm-up/);
  });

  test('a config stored before the recipe fields existed reads as what that run trained with', () => {
    // A session-3 run's stored config: no model, optimizer, schedule or crop fields.
    const old = parseStoredConfig({
      epochs: 60,
      batchSize: 64,
      learningRate: 1e-3,
      augmentation: { rotationDeg: 10, horizontalFlip: true, zoom: 0.1, shift: 0.1 },
    });
    expect(old.model).toBe('compact-cnn');
    expect(old.optimizer).toMatchObject({ name: 'adam', weightDecay: 0 });
    expect(old.schedule).toMatchObject({ kind: 'plateau', warmupEpochs: 0 });
    expect(old.augmentation.crop).toEqual({ size: 48, padding: 0 });
    expect(old.recalibrateBatchNorm).toBe(false);
    expect(old.labelSmoothing).toBe(0);
    // A config stored today is read back unchanged.
    const today = parseTrainConfig({});
    expect(parseStoredConfig(JSON.parse(JSON.stringify(today)))).toEqual(today);
  });

  test('bad values are rejected with the field named', () => {
    expect(() => parseTrainConfig({ epochs: 0 })).toThrow(/epochs/);
    expect(() => parseTrainConfig({ validationFraction: 0.9 })).toThrow(/validationFraction/);
    expect(() => parseTrainConfig({ reduceLrOnPlateau: { factor: 1.5 } })).toThrow(
      /reduceLrOnPlateau\.factor/,
    );
  });
});

/** The message of the error parseTrainConfig throws for `input`. */
function refusal(input: Parameters<typeof parseTrainConfig>[0]): string {
  try {
    parseTrainConfig(input);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('The recipe was accepted.');
}

describe('recipes that cannot work are refused before training, saying what to change', () => {
  test('a crop larger than the image', () => {
    const message = refusal({ augmentation: { crop: { size: 52 } } });
    expect(message).toMatch(/random crop \(52 px\) is larger than the 48×48 images/);
    expect(message).toMatch(/at most 48 px/);
    expect(() =>
      parseTrainConfig({ augmentation: { crop: { size: 48, padding: 4 } } }),
    ).not.toThrow();
    expect(() => parseTrainConfig({ augmentation: { crop: { size: 44 } } })).not.toThrow();
  });

  test('a warm-up as long as the run', () => {
    expect(refusal({ epochs: 5, schedule: { warmupEpochs: 5 } })).toMatch(
      /warm-up \(5 epochs\) is not shorter than the run \(5 epochs\).*fewer warm-up epochs or more epochs/,
    );
    expect(() => parseTrainConfig({ epochs: 5, schedule: { warmupEpochs: 4 } })).not.toThrow();
  });

  test('a rate that never decays with early stopping off', () => {
    const off = { earlyStopping: { enabled: false } };
    expect(refusal({ ...off, schedule: { kind: 'constant' } })).toMatch(
      /never decays \(the schedule is constant\) and early stopping is off.*cosine or step/,
    );
    expect(
      refusal({ ...off, schedule: { kind: 'plateau' }, reduceLrOnPlateau: { enabled: false } }),
    ).toMatch(/ReduceLROnPlateau is off/);
    expect(refusal({ ...off, epochs: 10, schedule: { kind: 'step', stepEvery: 10 } })).toMatch(
      /first drop.*falls after the last epoch/,
    );
    expect(refusal({ ...off, schedule: { kind: 'cosine', finalFraction: 1 } })).toMatch(
      /cosine schedule ends at its starting rate/,
    );
    // Each of these decays or can stop, so each is fine.
    expect(() => parseTrainConfig({ ...off, schedule: { kind: 'cosine' } })).not.toThrow();
    expect(() => parseTrainConfig({ ...off })).not.toThrow();
    expect(() => parseTrainConfig({ schedule: { kind: 'constant' } })).not.toThrow();
  });

  test('momentum outside [0, 1)', () => {
    for (const momentum of [1, 1.5, -0.1]) {
      expect(refusal({ optimizer: { name: 'sgd', momentum } })).toMatch(
        new RegExp(`Momentum ${momentum} is outside \\[0, 1\\).*0\\.9`),
      );
    }
    expect(() => parseTrainConfig({ optimizer: { name: 'sgd', momentum: 0 } })).not.toThrow();
  });

  test('several problems are reported together', () => {
    const message = refusal({
      epochs: 3,
      schedule: { warmupEpochs: 3 },
      augmentation: { crop: { size: 60 } },
    });
    expect(message).toMatch(/crop/);
    expect(message).toMatch(/warm-up/);
  });
});
