import { createHash } from 'node:crypto';
import { encode as encodePng } from 'fast-png';
import { IMAGE_SIZE, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { tagAddedFace } from '../imports/import-edits.ts';
import { restoreImport } from '../imports/import-history.ts';
import { createLabelStore } from '../labels/label-store.ts';

interface ExistingFace {
  id: number;
  import_id: number;
  label: string | null;
  removed_at: string | null;
}

const importIdOf = (catalogue: Catalogue, imageId: number) =>
  catalogue.db.prepare('SELECT import_id FROM images WHERE id = ?').pluck().get(imageId) as number;

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
 * to `label` as one edit that labels-undo takes back with its import (nothing of it stays: no
 * excluded image, no label change) and labels-redo puts back.
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
      `SELECT i.id, i.import_id, l.label, m.removed_at FROM images i JOIN imports m ON m.id = i.import_id
       LEFT JOIN labels l ON l.image_id = i.id WHERE i.hash = ?`,
    )
    .get(hash) as ExistingFace | undefined;
  if (existing?.removed_at) {
    // Added before and undone: its import comes back and the face gets the new label, one edit.
    return catalogue.db.transaction(() => {
      restoreImport(catalogue.db, existing.import_id);
      labels.set([{ imageId: existing.id, label: face.label }], 'manual');
      tagAddedFace(catalogue.db, existing.import_id);
      return existing.id;
    })();
  }
  if (existing?.label === 'exclude') {
    // Excluded by hand: adding it again is one more relabel.
    labels.set([{ imageId: existing.id, label: face.label }], 'manual');
    return existing.id;
  }
  if (existing)
    throw new StudioError(
      'bad-request',
      `This face is already in the catalogue (image ${existing.id}, ${existing.label ?? 'removed'}).`,
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
    // Undo then takes its import away too, so nothing of it is left behind.
    tagAddedFace(catalogue.db, importIdOf(catalogue, id));
    return id;
  })();
}
