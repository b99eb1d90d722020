import { z } from 'zod';
import { CLASS_NAMES, IMAGE_SIZE, type ClassName } from '../contract/classes.ts';

export const INPUT_RANGES = ['0,1', '-1,1', '0,255'] as const;
export type InputRange = (typeof INPUT_RANGES)[number];

/** The FER-2013 CSV's label order (0 = angry … 6 = neutral), used by models trained from fer2013.csv. */
export const FER2013_CSV_ORDER: readonly ClassName[] = [
  'angry',
  'disgust',
  'fear',
  'happy',
  'sad',
  'surprise',
  'neutral',
];

/**
 * How a run's model sees a stored 48×48 grayscale image, and what its outputs mean. Studio-trained
 * runs have the identity record; an imported model keeps the record it was imported with.
 */
export const preprocessingSchema = z
  .object({
    inputHeight: z.number().int().min(8).max(1024),
    inputWidth: z.number().int().min(8).max(1024),
    /** 3 = the gray value replicated into R, G and B. */
    channels: z.union([z.literal(1), z.literal(3)]),
    range: z.enum(INPUT_RANGES),
    /** Model output index → studio class; `null` = an output the studio ignores. */
    classOrder: z.array(z.enum(CLASS_NAMES).nullable()).min(2).max(1000),
    /** Side of the centre square taken from the 48×48 image before resizing (training crops). */
    centerCrop: z.number().int().min(8).max(IMAGE_SIZE).optional(),
  })
  .superRefine((record, ctx) => {
    const named = record.classOrder.filter((c): c is ClassName => c !== null);
    const repeated = named.filter((c, i) => named.indexOf(c) !== i);
    if (repeated.length > 0)
      ctx.addIssue({
        code: 'custom',
        path: ['classOrder'],
        message: `class ${repeated[0]} is mapped to more than one output`,
      });
    if (named.length === 0)
      ctx.addIssue({ code: 'custom', path: ['classOrder'], message: 'no output maps to a class' });
  });

export type Preprocessing = z.output<typeof preprocessingSchema>;

/** What every studio-trained run uses: 48×48×1 in [0, 1], outputs in CLASS_NAMES order. */
export const IDENTITY_PREPROCESSING: Preprocessing = {
  inputHeight: IMAGE_SIZE,
  inputWidth: IMAGE_SIZE,
  channels: 1,
  range: '0,1',
  classOrder: [...CLASS_NAMES],
};

export function isIdentity(p: Preprocessing): boolean {
  const crop = p.centerCrop ?? IMAGE_SIZE;
  return (
    p.inputHeight === IMAGE_SIZE &&
    p.inputWidth === IMAGE_SIZE &&
    crop === IMAGE_SIZE &&
    p.channels === 1 &&
    p.range === '0,1' &&
    p.classOrder.length === CLASS_NAMES.length &&
    p.classOrder.every((c, i) => c === CLASS_NAMES[i])
  );
}

/** Reads a stored record (catalogue JSON text, or null for a studio-trained run). */
export function parsePreprocessing(text: string | null | undefined): Preprocessing {
  if (!text) return IDENTITY_PREPROCESSING;
  return preprocessingSchema.parse(JSON.parse(text));
}

/**
 * True when the model's input is not the (cropped) grayscale image in [0, 1] at its own size:
 * an imported model's resize, range or RGB. Training then augments the 48×48 image first and
 * converts it with toModelInput.
 */
export function needsConversion(p: Preprocessing): boolean {
  const side = p.centerCrop ?? IMAGE_SIZE;
  return p.range !== '0,1' || p.channels !== 1 || p.inputHeight !== side || p.inputWidth !== side;
}

/** Studio class index → model output index (-1: the model has no output for that class). */
export function outputIndexOfClass(p: Preprocessing): number[] {
  return CLASS_NAMES.map((c) => p.classOrder.indexOf(c));
}
