import { describe, expect, test } from 'vitest';
import { backendReason, humanDate } from '../../../app/report/html-sections.ts';
import { paramName, paramValue } from '../../../app/report/param-names.ts';

describe('report wording', () => {
  test('a stored resolver message becomes "not installed"; other reasons stay', () => {
    expect(
      backendReason(
        "TensorFlow GPU: @tensorflow/tfjs-node-gpu unavailable (Cannot find package '@tensorflow/tfjs-node-gpu' imported from /home/u/fer/app/engine/backend.ts)",
      ),
    ).toBe('TensorFlow GPU: not installed (the optional package @tensorflow/tfjs-node-gpu)');
    const other = 'TensorFlow GPU: @tensorflow/tfjs-node-gpu loaded but found no usable GPU';
    expect(backendReason(other)).toBe(other);
  });

  test('config keys read as names, unknown ones as split words; values as yes/no', () => {
    expect(paramName('augmentation.rotationDeg')).toBe('Augmentation: rotation (degrees)');
    expect(paramName('fineTune.preprocessing.inputHeight')).toBe(
      'Fine tune: preprocessing: input height',
    );
    expect([
      paramValue('true'),
      paramValue('false'),
      paramValue('null'),
      paramValue('0.1'),
    ]).toEqual(['yes', 'no', 'model default', '0.1']);
  });

  test('dates are written out; text that is not a date is kept', () => {
    expect(humanDate('2026-11-27T02:45:00.000Z')).toMatch(/^\d{1,2} November 2026/);
    expect(humanDate('yesterday')).toBe('yesterday');
  });
});
