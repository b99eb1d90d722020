import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../../app/training/config.ts';
import {
  draftAugmentation,
  draftFromConfig,
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
