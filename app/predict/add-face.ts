import { createHash } from 'node:crypto';
import { encode as encodePng } from 'fast-png';
import { IMAGE_SIZE, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { createLabelStore } from '../labels/label-store.ts';

export interface NewFace {
  /** The photo's name, kept as provenance. */
  file: string;
  box: readonly [number, number, number, number];
  /** 48×48 grayscale, as predicted. */
  crop: Uint8Array;
  label: ClassName;
}

/**
 * Adds a predicted face to the train split. The image is stored as `exclude` and then relabelled
 * to `label` as one manual edit, so labels-undo takes it back out of training exactly like any
 * relabel (and redo puts it back); nothing else in the catalogue changes.
 */
export function addFace(catalogue: Catalogue, face: NewFace): number {
  if (face.crop.length !== PIXELS_PER_IMAGE)
    throw new StudioError(
      'bad-request',
      `A face crop has ${PIXELS_PER_IMAGE} pixels, not ${face.crop.length}.`,
    );
  const original = encodePng({
    width: IMAGE_SIZE,
    height: IMAGE_SIZE,
    data: face.crop,
    channels: 1,
    depth: 8,
  });
  const hash = createHash('sha256').update(original).digest('hex');
  const labels = createLabelStore(catalogue.db);
  const existing = catalogue.db
    .prepare(
      'SELECT i.id, l.label FROM images i JOIN labels l ON l.image_id = i.id WHERE i.hash = ?',
    )
    .get(hash) as { id: number; label: string } | undefined;
  if (existing?.label === 'exclude') {
    // Added before and undone (or excluded): adding it again is one more relabel.
    labels.set([{ imageId: existing.id, label: face.label }], 'manual');
    return existing.id;
  }
  if (existing)
    throw new StudioError(
      'bad-request',
      `This face is already in the catalogue (image ${existing.id}, ${existing.label}).`,
    );
  const [x, y, w, h] = face.box;
  return catalogue.db.transaction(() => {
    const id = catalogue.insertOne(
      `predict: ${face.file}`,
      {
        hash,
        split: 'train',
        label: face.label,
        sourceFile: `${face.file} box ${x},${y},${w},${h}`,
        format: 'png',
        originalWidth: w,
        originalHeight: h,
        resized: true,
        converted: true,
        original,
        pixels: face.crop,
      },
      'exclude',
    );
    labels.set([{ imageId: id, label: face.label }], 'manual');
    return id;
  })();
}
