import type Database from 'better-sqlite3';
import { CLASS_NAMES, type ClassName, type Label, type Split } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { ImageDetail, ImageList, Stats } from '../contract/handlers.ts';
import { openDatabase } from './schema.ts';

/** One decoded image ready to be stored. */
export interface NewImage {
  hash: string;
  split: Split;
  label: ClassName;
  sourceFile: string;
  format: string;
  originalWidth: number;
  originalHeight: number;
  resized: boolean;
  converted: boolean;
  original: Uint8Array;
  pixels: Uint8Array;
}

export type ClassCounts = Stats['classes'];

export function emptyClassCounts(): ClassCounts {
  return Object.fromEntries(
    CLASS_NAMES.map((name) => [name, { train: 0, test: 0 }]),
  ) as ClassCounts;
}

interface ImageRow {
  id: number;
  label: Label;
  original_label: ClassName;
  split: Split;
  folder: string;
  source_file: string;
  format: string;
  original_width: number;
  original_height: number;
  resized: number;
  converted: number;
  hash: string;
  imported_at: string;
}

/** The catalogue's image key (every opened catalogue has one: the migration makes it). */
export function readImageKey(db: Database.Database): string {
  return db
    .prepare('SELECT image_key FROM catalogue_identity WHERE one = 1')
    .pluck()
    .get() as string;
}

export type Catalogue = ReturnType<typeof openCatalogue>;

/** The SQLite image catalogue: images with their decoded pixels, labels and label history. */
export function openCatalogue(path: string) {
  const db: Database.Database = openDatabase(path);
  const insertImage = db.prepare(
    `INSERT INTO images (hash, split, original_label, import_id, source_file, format, original_width,
       original_height, resized, converted, original, pixels, imported_at)
     VALUES (@hash, @split, @label, @importId, @sourceFile, @format, @originalWidth, @originalHeight,
       @resized, @converted, @original, @pixels, @at)`,
  );
  const insertLabel = db.prepare(
    'INSERT INTO labels (image_id, label, changed_at) VALUES (?, ?, ?)',
  );
  const insertHistory = db.prepare(
    `INSERT INTO label_history (image_id, from_label, to_label, at, source) VALUES (?, NULL, ?, ?, 'import')`,
  );

  const insertBatch = db.transaction((importId: number, images: readonly NewImage[]) => {
    const at = new Date().toISOString();
    for (const image of images) {
      const { lastInsertRowid } = insertImage.run({
        ...image,
        importId,
        resized: image.resized ? 1 : 0,
        converted: image.converted ? 1 : 0,
        original: Buffer.from(
          image.original.buffer,
          image.original.byteOffset,
          image.original.byteLength,
        ),
        pixels: Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength),
        at,
      });
      insertLabel.run(lastInsertRowid, image.label, at);
      insertHistory.run(lastInsertRowid, image.label, at);
    }
  });

  return {
    path,
    db,

    stats(): Stats {
      const classes = emptyClassCounts();
      let total = 0;
      let excluded = 0;
      const rows = db
        .prepare(
          `SELECT i.split AS split, l.label AS label, count(*) AS n
           FROM images i JOIN labels l ON l.image_id = i.id GROUP BY i.split, l.label`,
        )
        .all() as { split: Split; label: Label; n: number }[];
      for (const row of rows) {
        if (row.label === 'exclude') {
          excluded += row.n;
          continue;
        }
        classes[row.label][row.split] += row.n;
        total += row.n;
      }
      return { classes, total, excluded };
    },

    allHashes(): Set<string> {
      const hashes = new Set<string>();
      for (const row of db.prepare('SELECT hash FROM images').iterate() as Iterable<{
        hash: string;
      }>) {
        hashes.add(row.hash);
      }
      return hashes;
    },

    beginImport(folder: string): number {
      const result = db
        .prepare(`INSERT INTO imports (folder, started_at, status) VALUES (?, ?, 'running')`)
        .run(folder, new Date().toISOString());
      return Number(result.lastInsertRowid);
    },

    finishImport(importId: number, status: 'done' | 'cancelled' | 'failed', report: unknown): void {
      db.prepare('UPDATE imports SET finished_at = ?, status = ?, report = ? WHERE id = ?').run(
        new Date().toISOString(),
        status,
        JSON.stringify(report),
        importId,
      );
    },

    /**
     * Bulk mode for an import: WAL auto-checkpoints (every ~4 MB) more than halve the insert rate,
     * so they wait until the import ends; the WAL keeps every committed batch durable meanwhile.
     */
    bulkWrites<T>(work: () => Promise<T>): Promise<T> {
      db.pragma('wal_autocheckpoint = 0');
      return work().finally(() => {
        db.pragma('wal_autocheckpoint = 1000');
        db.pragma('wal_checkpoint(PASSIVE)');
      });
    },

    /** One transaction per batch: a crash or cancel never leaves half-written rows. */
    insertBatch(importId: number, images: readonly NewImage[]): void {
      insertBatch(importId, images);
    },

    /**
     * One image from outside an import (a face added from the Predict page), recorded as an import
     * of `origin` so its provenance shows like any other; its current label starts as `label`.
     */
    insertOne(origin: string, image: NewImage, label: Label): number {
      return db.transaction(() => {
        const at = new Date().toISOString();
        const importId = Number(
          db
            .prepare(
              `INSERT INTO imports (folder, started_at, finished_at, status, report) VALUES (?, ?, ?, 'done', '{}')`,
            )
            .run(origin, at, at).lastInsertRowid,
        );
        const id = Number(
          insertImage.run({
            ...image,
            importId,
            resized: image.resized ? 1 : 0,
            converted: image.converted ? 1 : 0,
            original: Buffer.from(image.original),
            pixels: Buffer.from(image.pixels),
            at,
          }).lastInsertRowid,
        );
        insertLabel.run(id, label, at);
        insertHistory.run(id, label, at);
        return id;
      })();
    },

    list(filter: { split?: Split | undefined; label?: Label | undefined }): ImageList {
      const where: string[] = [];
      const params: string[] = [];
      if (filter.split) {
        where.push('i.split = ?');
        params.push(filter.split);
      }
      if (filter.label) {
        where.push('l.label = ?');
        params.push(filter.label);
      }
      const rows = db
        .prepare(
          `SELECT i.id AS id, l.label AS label, i.split AS split FROM images i
           JOIN labels l ON l.image_id = i.id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY i.id`,
        )
        .raw()
        .all(...params) as [number, Label, Split][];
      return {
        ids: rows.map((row) => row[0]),
        labels: rows.map((row) => row[1]),
        splits: rows.map((row) => row[2]),
      };
    },

    image(id: number): ImageDetail {
      const row = db
        .prepare(
          `SELECT i.id, l.label, i.original_label, i.split, m.folder, i.source_file, i.format,
             i.original_width, i.original_height, i.resized, i.converted, i.hash, i.imported_at
           FROM images i JOIN labels l ON l.image_id = i.id JOIN imports m ON m.id = i.import_id
           WHERE i.id = ?`,
        )
        .get(id) as ImageRow | undefined;
      if (!row) throw new StudioError('not-found', `No image with id ${id} in the catalogue.`);
      const history = db
        .prepare(
          `SELECT from_label AS "from", to_label AS "to", at, source FROM label_history
           WHERE image_id = ? ORDER BY id`,
        )
        .all(id) as ImageDetail['history'];
      return {
        id: row.id,
        label: row.label,
        originalLabel: row.original_label,
        split: row.split,
        folder: row.folder,
        file: row.source_file,
        format: row.format,
        originalWidth: row.original_width,
        originalHeight: row.original_height,
        resized: row.resized === 1,
        converted: row.converted === 1,
        hash: row.hash,
        importedAt: row.imported_at,
        history,
      };
    },

    /** The catalogue's random key (see the catalogue_identity migration); image URLs carry it. */
    imageKey: readImageKey(db),

    pixels(id: number): Uint8Array {
      const row = db.prepare('SELECT pixels FROM images WHERE id = ?').get(id) as
        { pixels: Buffer } | undefined;
      if (!row) throw new StudioError('not-found', `No image with id ${id} in the catalogue.`);
      return new Uint8Array(row.pixels.buffer, row.pixels.byteOffset, row.pixels.byteLength);
    },

    close(): void {
      db.close();
    },
  };
}
