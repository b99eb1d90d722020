// FER-2013 splits for the accuracy bench: the catalogue's labelled pixels of a split, and subsets.
import { openCatalogue } from '../app/catalogue/catalogue.ts';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../app/contract/classes.ts';
import type { TrainingData } from '../app/training/dataset.ts';

/** Rows of (pixels, label) for a split, excluded images left out, in id order. */
export function readSplit(catalogPath: string, split: 'train' | 'test'): TrainingData {
  const catalogue = openCatalogue(catalogPath);
  const rows = catalogue.db
    .prepare(
      `SELECT i.pixels, l.label FROM images i JOIN labels l ON l.image_id = i.id
       WHERE i.split = ? AND l.label != 'exclude' ORDER BY i.id`,
    )
    .raw()
    .all(split) as [Buffer, string][];
  catalogue.close();
  const pixels = new Uint8Array(rows.length * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(rows.length);
  rows.forEach(([bytes, label], i) => {
    pixels.set(bytes, i * PIXELS_PER_IMAGE);
    labels[i] = CLASS_NAMES.indexOf(label as (typeof CLASS_NAMES)[number]);
  });
  return { pixels, labels };
}

export function subset(data: TrainingData, indices: ArrayLike<number>): TrainingData {
  const pixels = new Uint8Array(indices.length * PIXELS_PER_IMAGE);
  const labels = new Uint8Array(indices.length);
  Array.from(indices).forEach((i, k) => {
    pixels.set(
      data.pixels.subarray(i * PIXELS_PER_IMAGE, (i + 1) * PIXELS_PER_IMAGE),
      k * PIXELS_PER_IMAGE,
    );
    labels[k] = data.labels[i] ?? 0;
  });
  return { pixels, labels };
}
