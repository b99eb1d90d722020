import { describe, expect, test } from 'vitest';
import { findModel } from '../../../models/index.ts';
import { isModelVariant } from '../../../models/names.ts';

const convWidths = (name: string): number[] => {
  const model = findModel(name)!.build();
  const widths = model.layers
    .filter((l) => l.getClassName() === 'Conv2D')
    .map((l) => Number(l.getConfig()['filters']));
  model.dispose();
  return widths;
};

describe('model variants named by width', () => {
  test('compact-cnn-w24 widens every block by 24/16; the default stays 16', () => {
    expect(convWidths('compact-cnn')).toEqual([16, 32, 64, 64, 128, 128]);
    expect(convWidths('compact-cnn-w24')).toEqual([24, 48, 96, 96, 192, 192]);
  });

  test('widths outside 8–64 and malformed names are unknown models', () => {
    for (const name of [
      'compact-cnn-w7',
      'compact-cnn-w65',
      'compact-cnn-w024',
      'compact-cnn-w',
      'xception-fer-w0',
    ])
      expect(findModel(name), name).toBeUndefined();
    expect(isModelVariant('compact-cnn-w64')).toBe(true);
    expect(isModelVariant('xception-fer-w2d3')).toBe(true);
  });
});
