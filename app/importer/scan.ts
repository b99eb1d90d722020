import fs from 'node:fs/promises';
import path from 'node:path';
import { SPLITS, type ClassName, type Split } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import { classForFolder, IMAGE_EXTENSIONS } from './class-folders.ts';

export interface ScannedFile {
  /** Raw path bytes: file names need not be valid UTF-8. */
  path: Buffer;
  /** Path relative to the imported folder, for people (invalid bytes shown as �). */
  rel: string;
  label: ClassName;
  /** Null when the folder has no train/test level and a split must be drawn. */
  split: Split | null;
}

export interface ScanProblem {
  file: string;
  reason: string;
  detail: string;
}

export interface ScanResult {
  layout: 'folders' | 'fraction';
  files: ScannedFile[];
  problems: ScanProblem[];
  /** Files not even read, by reason. */
  skipped: Record<string, number>;
  mappedFolders: Record<string, ClassName>;
}

const SEP = Buffer.from(path.sep);
const join = (dir: Buffer, name: Buffer) => Buffer.concat([dir, SEP, name]);
const text = (name: Buffer) => name.toString('utf8');

async function listDir(dir: Buffer) {
  const entries = await fs.readdir(dir, { withFileTypes: true, encoding: 'buffer' });
  // Sorted so a seeded split is the same on every machine.
  return entries.sort((a, b) => Buffer.compare(a.name, b.name));
}

async function isDirectory(target: Buffer): Promise<boolean> {
  try {
    return (await fs.stat(target)).isDirectory();
  } catch {
    return false;
  }
}

/** Walks a FER folder: `<root>/train|test/<class>/…` or `<root>/<class>/…`. */
export async function scanFolder(root: string): Promise<ScanResult> {
  let rootStat;
  try {
    rootStat = await fs.stat(root);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('not-found', `The folder ${root} does not exist.`);
    throw new StudioError('bad-request', `Cannot open ${root}: ${(error as Error).message}`);
  }
  if (!rootStat.isDirectory()) {
    throw new StudioError(
      'not-a-directory',
      `${root} is a file, not a folder. Choose the folder that holds train/ and test/ (or the class folders).`,
    );
  }
  const result: ScanResult = {
    layout: 'folders',
    files: [],
    problems: [],
    skipped: {},
    mappedFolders: {},
  };
  const rootBuf = Buffer.from(path.resolve(root));
  const top = await listDir(rootBuf);
  const splitDirs = new Map<Split, Buffer>();
  const classDirs: Buffer[] = [];
  for (const entry of top) {
    const full = join(rootBuf, entry.name);
    if (!(await isDirectory(full))) continue;
    const lower = text(entry.name).toLowerCase();
    if ((SPLITS as readonly string[]).includes(lower)) splitDirs.set(lower as Split, full);
    else classDirs.push(entry.name);
  }
  const walker = createWalker(rootBuf, result);
  if (splitDirs.size > 0) {
    for (const split of SPLITS) {
      const dir = splitDirs.get(split);
      if (!dir) {
        result.problems.push({
          file: `${split}/`,
          reason: 'missing-split-folder',
          detail: `There is no ${split}/ folder; only ${[...splitDirs.keys()].join(', ')} was imported.`,
        });
        continue;
      }
      for (const entry of await listDir(dir)) {
        const full = join(dir, entry.name);
        if (await isDirectory(full)) await walker.classFolder(full, entry.name, split);
      }
    }
    for (const name of classDirs) {
      result.problems.push({
        file: `${text(name)}/`,
        reason: 'unexpected-folder',
        detail: 'Beside train/ and test/, other folders are not imported.',
      });
    }
  } else {
    result.layout = 'fraction';
    if (!classDirs.some((name) => classForFolder(text(name)))) {
      throw new StudioError(
        'bad-request',
        `No FER layout in ${root}: expected train/<class>/ and test/<class>/ folders, or class folders such as angry/ and happy/.`,
      );
    }
    for (const name of classDirs) await walker.classFolder(join(rootBuf, name), name, null);
  }
  return result;
}

/** True when `real` is one of the folders already walked or inside one of them. */
function isInside(real: string, visited: Set<string>): boolean {
  return [...visited].some(
    (dir) => real === dir || real.startsWith(dir + path.sep) || dir.startsWith(real + path.sep),
  );
}

function createWalker(rootBuf: Buffer, result: ScanResult) {
  const rel = (full: Buffer) => text(full.subarray(rootBuf.length + SEP.length));
  const skip = (reason: string, n = 1) => {
    result.skipped[reason] = (result.skipped[reason] ?? 0) + n;
  };

  async function collect(dir: Buffer, visited: Set<string>, out: Buffer[]): Promise<void> {
    visited.add(await fs.realpath(dir, { encoding: 'utf8' }).catch(() => text(dir)));
    let entries;
    try {
      entries = await listDir(dir);
    } catch (error) {
      result.problems.push({
        file: `${rel(dir)}/`,
        reason: 'unreadable',
        detail: (error as Error).message,
      });
      return;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isSymbolicLink() && (await isDirectory(full))) {
        // A linked folder inside a class folder could lead anywhere (`loop -> ..` re-reads other classes).
        result.problems.push({
          file: `${rel(full)}/`,
          reason: isInside(await fs.realpath(full, { encoding: 'utf8' }), visited)
            ? 'symlink-loop'
            : 'symlink-not-followed',
          detail: 'Links to folders inside a class folder are not followed.',
        });
        continue;
      }
      // The directory entry already knows plain files and folders; only links need a stat.
      let stat: { isDirectory(): boolean } = entry;
      try {
        if (!entry.isFile() && !entry.isDirectory()) stat = await fs.stat(full);
      } catch (error) {
        skip('unreadable');
        result.problems.push({
          file: rel(full),
          reason: 'unreadable',
          detail: (error as Error).message,
        });
        continue;
      }
      if (stat.isDirectory()) await collect(full, visited, out);
      else if (IMAGE_EXTENSIONS.has(path.extname(text(entry.name)).toLowerCase())) out.push(full);
      else {
        skip('unsupported-extension');
        result.problems.push({
          file: rel(full),
          reason: 'unsupported-extension',
          detail: `Only ${[...IMAGE_EXTENSIONS].join(' ')} files are imported.`,
        });
      }
    }
  }

  return {
    async classFolder(dir: Buffer, name: Buffer, split: Split | null): Promise<void> {
      const folderName = text(name);
      const label = classForFolder(folderName);
      const files: Buffer[] = [];
      await collect(dir, new Set(), files);
      if (!label) {
        skip('unknown-class', files.length);
        result.problems.push({
          file: `${rel(dir)}/`,
          reason: 'unknown-class',
          detail: `"${folderName}" is not one of angry, disgust, fear, happy, neutral, sad, surprise (${files.length} ${files.length === 1 ? 'file' : 'files'} not imported).`,
        });
        return;
      }
      if (folderName !== label) result.mappedFolders[folderName] = label;
      if (files.length === 0) {
        result.problems.push({
          file: `${rel(dir)}/`,
          reason: 'empty-class-folder',
          detail: 'This class folder holds no images.',
        });
      }
      for (const file of files) result.files.push({ path: file, rel: rel(file), label, split });
    },
  };
}
