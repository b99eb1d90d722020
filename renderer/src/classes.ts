import type { ClassName, Label, Split } from '../../app/contract/index.ts';

/** A copy of the contract's class order (values may not be imported from app/); a unit test keeps them equal. */
export const CLASS_LIST = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'neutral',
  'sad',
  'surprise',
] as const satisfies readonly ClassName[];

/** A copy of the FER-2013 CSV's label order (app/preprocessing/record.ts), kept equal by a unit test. */
export const FER2013_CSV_LIST = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
] as const satisfies readonly ClassName[];

export const SPLIT_LIST = ['train', 'test'] as const satisfies readonly Split[];

export const LABEL_LIST: readonly Label[] = [...CLASS_LIST, 'exclude'];

export function isLabel(value: string): value is Label {
  return (LABEL_LIST as readonly string[]).includes(value);
}

export function isSplit(value: string): value is Split {
  return (SPLIT_LIST as readonly string[]).includes(value);
}
