import { basename, extname, join, resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { CLASS_NAMES, SPLITS, isClassName } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { nodeFs, type FileSystem } from '../training/fs-io.ts';
import { checkTargets, writeDirAtomic } from './atomic.ts';

export const LABEL_CHANGES_FILE = 'label-changes.csv';

export interface DatasetExportOptions {
  force?: boolean;
  /** label-changes.csv lists every relabel, undo and redo instead of each image's net change. */
  churn?: boolean;
  onProgress?: (fraction: number, stage: string) => void;
  fs?: FileSystem;
}

export interface DatasetExportResult {
  /** Images written (excluded ones are left out). */
  images: number;
  excluded: number;
  /** Rows in label-changes.csv: images whose label differs from import (every history row with churn). */
  changes: number;
}

interface ImageRow {
  id: number;
  split: string;
  source_file: string;
  format: string;
  original: Buffer;
  label: string;
}

const PAGE = 500;
const FORMAT_EXTENSIONS: Record<string, string> = { jpeg: '.jpg', png: '.png' };

/** `<id>_<original name>`, keeping the original bytes' real extension. */
function exportName(row: Pick<ImageRow, 'id' | 'source_file' | 'format'>): string {
  const name = basename(row.source_file.replaceAll('\\', '/'));
  const ext = extname(name).toLowerCase();
  const known = ext === '.jpeg' || ext === '.jpg' || ext === '.png' || ext === `.${row.format}`;
  return `${row.id}_${name}${known ? '' : (FORMAT_EXTENSIONS[row.format] ?? `.${row.format}`)}`;
}

function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Writes the catalogue's current labels as a FER folder tree `<out>/<split>/<class>/<id>_<name>`
 * from each image's original bytes, plus label-changes.csv: each image whose label now differs from
 * its import label (a relabel later undone is no change), or with `churn` every history row; an
 * accepted suggestion also names the run that suggested it, the class it suggested and its doubt.
 */
export async function exportCleanDataset(
  db: Database.Database,
  out: string,
  options: DatasetExportOptions = {},
): Promise<DatasetExportResult> {
  const { force = false, fs = nodeFs } = options;
  const report = options.onProgress ?? (() => undefined);
  const target = resolve(out);
  await checkTargets([target], force);
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const total = count(`SELECT count(*) AS n FROM labels WHERE label != 'exclude'`);
  const excluded = count(`SELECT count(*) AS n FROM labels WHERE label = 'exclude'`);
  // Keyset pages, not one open iterator: the connection stays usable between awaits.
  const page = db.prepare(
    `SELECT i.id, i.split, i.source_file, i.format, i.original, l.label
     FROM images i JOIN labels l ON l.image_id = i.id
     WHERE l.label != 'exclude' AND i.id > ? ORDER BY i.id LIMIT ${PAGE}`,
  );
  const changes = db
    .prepare(
      options.churn
        ? `SELECT h.image_id, h.from_label, h.to_label, h.at, h.source, i.split, i.source_file,
             i.format, l.label AS current, h.source_run, h.suggested, h.doubt
           FROM label_history h JOIN images i ON i.id = h.image_id JOIN labels l ON l.image_id = i.id
           WHERE h.source != 'import' ORDER BY h.id`
        : `SELECT i.id AS image_id, i.original_label AS from_label, l.label AS to_label,
             l.changed_at AS at, i.split, i.source_file, i.format, l.label AS current,
             h.source, h.source_run, h.suggested, h.doubt
           FROM images i JOIN labels l ON l.image_id = i.id
           LEFT JOIN label_history h ON h.id =
             (SELECT max(id) FROM label_history WHERE image_id = i.id)
           WHERE i.original_label != l.label ORDER BY i.id`,
    )
    .all() as (Pick<ImageRow, 'split' | 'source_file' | 'format'> & {
    image_id: number;
    from_label: string | null;
    to_label: string;
    at: string;
    source: string;
    current: string;
    source_run: number | null;
    suggested: string | null;
    doubt: number | null;
  })[];

  let written = 0;
  await writeDirAtomic(
    target,
    async (dir) => {
      for (const split of SPLITS)
        for (const name of CLASS_NAMES) await fs.mkdir(join(dir, split, name), { recursive: true });
      report(0, 'images');
      for (let last = 0; ;) {
        const rows = page.all(last) as ImageRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          // Labels and splits become folder names: only the known ones may.
          if (!isClassName(row.label) || !(SPLITS as readonly string[]).includes(row.split))
            throw new StudioError(
              'bad-request',
              `Image ${row.id} has an unknown split or label (${row.split} / ${row.label}), which cannot become a folder name.`,
            );
          await fs.writeFile(join(dir, row.split, row.label, exportName(row)), row.original);
          written++;
        }
        last = (rows.at(-1) as ImageRow).id;
        report(total ? (0.95 * written) / total : 0.95, 'images');
      }
      const lines = [
        'image_id,file,original_label,new_label,when,source,suggested_by_run,suggested,doubt',
      ];
      for (const c of changes) {
        const file =
          c.current === 'exclude'
            ? c.source_file
            : `${c.split}/${c.current}/${exportName({ id: c.image_id, source_file: c.source_file, format: c.format })}`;
        lines.push(
          [
            c.image_id,
            file,
            c.from_label,
            c.to_label,
            c.at,
            c.source,
            c.source_run,
            c.suggested,
            c.doubt === null ? null : c.doubt.toFixed(3),
          ]
            .map(csvField)
            .join(','),
        );
      }
      await fs.writeFile(join(dir, LABEL_CHANGES_FILE), `${lines.join('\n')}\n`);
    },
    fs,
  );
  report(1, 'done');
  return { images: written, excluded, changes: changes.length };
}
