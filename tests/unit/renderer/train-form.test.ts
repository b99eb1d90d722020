import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../../app/training/config.ts';
import {
  draftAugmentation,
  draftFromConfig,
  dropoutError,
  fieldError,
  parseDraft,
} from '../../../renderer/src/train/train-form.ts';

describe('train form draft', () => {
  it('turns a config into text and back without loss', () => {
    const config = parseTrainConfig({
      learningRate: 3e-4,
      validationFraction: 0.07,
      augmentation: { zoom: 0.15, rotationDeg: 12.5 },
      reduceLrOnPlateau: { minLr: 1e-7 },
    });
    const draft = draftFromConfig(config);
    expect(draft.text).toMatchObject({
      learningRate: '0.0003',
      validationFraction: '7',
      zoom: '15',
      lrMin: '1e-7',
    });
    const parsed = parseDraft(draft);
    expect(parsed.valid).toBe(true);
    expect(parsed.config).toEqual(config);
  });

  it('rejects values the core would refuse, naming the rule', () => {
    expect(fieldError('epochs', '0')).toBe('From 1 to 1000');
    expect(fieldError('epochs', '2.5')).toBe('Whole number');
    expect(fieldError('batchSize', '')).toBe('Required');
    expect(fieldError('learningRate', 'fast')).toBe('Not a number');
    expect(fieldError('learningRate', '0')).toMatch(/exclusive/);
    expect(fieldError('lrFactor', '1')).toMatch(/exclusive/);
    expect(fieldError('zoom', '51')).toBe('From 0 to 50');
    expect(fieldError('zoom', '50')).toBeNull();
    const draft = draftFromConfig(parseTrainConfig({}));
    const parsed = parseDraft({
      ...draft,
      text: { ...draft.text, epochs: '0', rotationDeg: '90' },
    });
    expect(parsed.valid).toBe(false);
    expect(Object.keys(parsed.errors).sort()).toEqual(['epochs', 'rotationDeg']);
    expect(draftAugmentation({ ...draft, text: { ...draft.text, rotationDeg: '90' } })).toBeNull();
    expect(
      draftAugmentation({ ...draft, text: { ...draft.text, epochs: '0', shift: '20' } }),
    ).toEqual({
      ...parseTrainConfig({}).augmentation,
      shift: 0.2,
    });
  });
});

describe('recipe options in the train form', () => {
  it('round-trip optimizer, schedule, crop, smoothing, dropout and recalibration', () => {
    const config = parseTrainConfig({
      optimizer: { name: 'sgd', momentum: 0.85, weightDecay: 5e-4 },
      schedule: { kind: 'step', warmupEpochs: 2, stepEvery: 8, stepFactor: 0.2 },
      augmentation: { crop: { size: 44, padding: 2 } },
      labelSmoothing: 0.1,
      dropout: 0.25,
      recalibrateBatchNorm: true,
    });
    const draft = draftFromConfig(config);
    expect(draft).toMatchObject({ optimizer: 'sgd', schedule: 'step', dropout: '0.25' });
    expect(draft.text).toMatchObject({ cropSize: '44', labelSmoothing: '10', warmupEpochs: '2' });
    expect(parseDraft(draft).config).toEqual(config);
  });

  it('an empty dropout means the model’s own; a bad one blocks Train', () => {
    const draft = draftFromConfig(parseTrainConfig({ dropout: 0.4 }));
    expect(parseDraft({ ...draft, dropout: '' }).config.dropout).toBeNull();
    const bad = parseDraft({ ...draft, dropout: '1.5' });
    expect(bad.valid).toBe(false);
    expect(dropoutError('1.5')).toMatch(/0 to 0\.9/);
    expect(fieldError('cropSize', '52')).toBe('From 16 to 48');
    expect(fieldError('stepFactor', '1')).toMatch(/exclusive/);
  });

  it('crop fields belong to the previewed augmentation', () => {
    const draft = draftFromConfig(parseTrainConfig({}));
    expect(draftAugmentation({ ...draft, text: { ...draft.text, cropSize: '40' } })?.crop).toEqual({
      size: 40,
      padding: 0,
    });
    expect(draftAugmentation({ ...draft, text: { ...draft.text, cropSize: '60' } })).toBeNull();
  });
});
