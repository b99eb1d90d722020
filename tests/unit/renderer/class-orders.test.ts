import { describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../../../app/contract/index.ts';
import { FER2013_CSV_ORDER } from '../../../app/preprocessing/record.ts';
import { CLASS_LIST, FER2013_CSV_LIST } from '../../../renderer/src/classes.ts';
import { importRequest } from '../../../renderer/src/runs/import-model-dialog.tsx';

// The renderer may not import values from app/, so it keeps copies; these keep them equal.
describe('class orders the import dialog offers', () => {
  it('are the core’s studio and FER-2013 CSV orders', () => {
    expect(CLASS_LIST).toEqual(CLASS_NAMES);
    expect(FER2013_CSV_LIST).toEqual(FER2013_CSV_ORDER);
  });

  it('send the core’s CSV order for the CSV preset and none for the studio order', () => {
    expect(importRequest('/m.keras', '', 'csv', '').classes).toEqual(FER2013_CSV_ORDER);
    expect(importRequest('/m.keras', '', 'studio', '').classes).toBeUndefined();
  });
});
