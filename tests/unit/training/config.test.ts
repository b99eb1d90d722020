import { describe, expect, test } from 'vitest';
import { parseTrainConfig } from '../../../app/training/config.ts';

describe('trainConfigSchema', () => {
  test('an empty request gets one-click defaults', () => {
    const config = parseTrainConfig({});
    expect(config).toMatchObject({
      epochs: 30,
      batchSize: 64,
      learningRate: 1e-3,
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
      crop: { size: 48, padding: 0 },
    });
  });

  test("today's recipe stays the default: Adam, plateau, no crop, smoothing, dropout override or recalibration", () => {
    const config = parseTrainConfig({});
    expect(config.optimizer).toEqual({
      name: 'adam',
      momentum: 0.9,
      nesterov: true,
      weightDecay: 0,
    });
    expect(config.schedule).toMatchObject({ kind: 'plateau', warmupEpochs: 0 });
    expect(config.labelSmoothing).toBe(0);
    expect(config.dropout).toBeNull();
    expect(config.recalibrateBatchNorm).toBe(false);
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
    expect(refusal({ ...off, reduceLrOnPlateau: { enabled: false } })).toMatch(
      /ReduceLROnPlateau is off/,
    );
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
