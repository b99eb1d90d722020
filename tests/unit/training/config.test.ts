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
    });
  });

  test('bad values are rejected with the field named', () => {
    expect(() => parseTrainConfig({ epochs: 0 })).toThrow(/epochs/);
    expect(() => parseTrainConfig({ validationFraction: 0.9 })).toThrow(/validationFraction/);
    expect(() => parseTrainConfig({ reduceLrOnPlateau: { factor: 1.5 } })).toThrow(
      /reduceLrOnPlateau\.factor/,
    );
  });
});
