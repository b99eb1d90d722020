/** Class order everywhere (charts, CLI, model outputs, exports): alphabetical, as Keras' directory iterator orders FER folders. */
export const CLASS_NAMES = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'neutral',
  'sad',
  'surprise',
] as const;
export type ClassName = (typeof CLASS_NAMES)[number];

/** A label is a class or `exclude` (not a face / unusable); excluded images never train or evaluate. */
export const EXCLUDE = 'exclude' as const;
export type Label = ClassName | typeof EXCLUDE;

export const SPLITS = ['train', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const IMAGE_SIZE = 48;
export const PIXELS_PER_IMAGE = IMAGE_SIZE * IMAGE_SIZE;

export function isClassName(value: string): value is ClassName {
  return (CLASS_NAMES as readonly string[]).includes(value);
}

export function classIndex(name: ClassName): number {
  return CLASS_NAMES.indexOf(name);
}
