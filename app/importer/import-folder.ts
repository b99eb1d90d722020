import { CLASS_NAMES, type ClassName, type Split } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { ImportProgress, ImportReport } from '../contract/handlers.ts';
import type { Catalogue, NewImage } from '../catalogue/catalogue.ts';
import { createRng } from '../util/rng.ts';
import { createDecodePool, createInlinePool, type DecodePool } from './decode-pool.ts';
import { scanFolder, type ScannedFile } from './scan.ts';

export interface ImportOptions {
  folder: string;
  testFraction: number;
  seed: number;
  jobId: string;
  signal?: AbortSignal | undefined;
  onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Shared by callers that import often; otherwise one is made for this import. */
  pool?: DecodePool | undefined;
}

const CHUNK = 128;
const MAX_PROBLEMS = 500;
const MAX_DUPLICATES_LISTED = 1000;
const PROGRESS_MS = 100;
/** Below this many files, worker start-up costs more than it saves. */
const INLINE_BELOW = 1000;

/** Seeded stratified split for folders without train/test: each class keeps the test fraction. */
export function assignSplits(files: ScannedFile[], testFraction: number, seed: number): void {
  const rng = createRng(seed);
  for (const label of CLASS_NAMES) {
    const group = rng.shuffle(files.filter((file) => file.label === label && file.split === null));
    const testCount = Math.round(group.length * testFraction);
    group.forEach((file, i) => {
      file.split = i < testCount ? 'test' : 'train';
    });
  }
}

export function importFolder(catalogue: Catalogue, options: ImportOptions): Promise<ImportReport> {
  return catalogue.bulkWrites(() => runImport(catalogue, options));
}

async function runImport(catalogue: Catalogue, options: ImportOptions): Promise<ImportReport> {
  const started = performance.now();
  const progress = (phase: ImportProgress['phase'], done: number, total: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    options.onProgress?.({
      jobId: options.jobId,
      phase,
      done,
      total,
      imagesPerSec: rate,
      etaSeconds: rate > 0 && phase === 'importing' ? (total - done) / rate : null,
    });
  };
  progress('scanning', 0, 0);
  const scan = await scanFolder(options.folder);
  if (scan.layout === 'fraction') assignSplits(scan.files, options.testFraction, options.seed);

  const skipped = { ...scan.skipped };
  const problems = [...scan.problems];
  const addProblem = (file: string, reason: string, detail: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
    if (problems.length < MAX_PROBLEMS) problems.push({ file, reason, detail });
  };
  const known = catalogue.allHashes();
  const importId = catalogue.beginImport(options.folder);
  const pool =
    options.pool ?? (scan.files.length < INLINE_BELOW ? createInlinePool() : createDecodePool());
  let imported = 0;
  let duplicates = 0;
  const duplicateHashes: { file: string; hash: string }[] = [];
  let resized = 0;
  let converted = 0;
  let done = 0;
  let lastProgress = 0;
  let status: 'done' | 'cancelled' | 'failed' = 'done';

  const chunks: ScannedFile[][] = [];
  for (let i = 0; i < scan.files.length; i += CHUNK) chunks.push(scan.files.slice(i, i + CHUNK));
  const inFlight: Promise<Awaited<ReturnType<DecodePool['decode']>>>[] = [];
  const launch = (k: number) => {
    const chunk = chunks[k];
    if (chunk) inFlight.push(pool.decode(chunk.map((file) => file.path)));
  };
  // Two chunks per core in flight keeps the workers busy while this thread writes SQLite.
  const depth = 4;
  try {
    for (let k = 0; k < depth; k++) launch(k);
    for (let k = 0; k < chunks.length; k++) {
      if (options.signal?.aborted) {
        status = 'cancelled';
        break;
      }
      const results = await (inFlight.shift() as Promise<
        Awaited<ReturnType<DecodePool['decode']>>
      >);
      launch(k + depth);
      const chunk = chunks[k] as ScannedFile[];
      const batch: NewImage[] = [];
      results.forEach((result, i) => {
        const file = chunk[i] as ScannedFile;
        if (!result.ok) return addProblem(file.rel, result.reason, result.detail);
        if (known.has(result.hash)) {
          duplicates++;
          if (duplicateHashes.length < MAX_DUPLICATES_LISTED)
            duplicateHashes.push({ file: file.rel, hash: result.hash });
          return;
        }
        known.add(result.hash);
        if (result.resized) resized++;
        if (result.converted) converted++;
        batch.push({
          hash: result.hash,
          split: file.split as Split,
          label: file.label as ClassName,
          sourceFile: file.rel,
          format: result.format,
          originalWidth: result.width,
          originalHeight: result.height,
          resized: result.resized,
          converted: result.converted,
          original: result.original,
          pixels: result.pixels,
        });
      });
      catalogue.insertBatch(importId, batch);
      imported += batch.length;
      done += chunk.length;
      if (performance.now() - lastProgress > PROGRESS_MS) {
        lastProgress = performance.now();
        progress('importing', done, scan.files.length);
      }
    }
  } catch (error) {
    status = 'failed';
    catalogue.finishImport(importId, status, { error: (error as Error).message });
    throw error instanceof StudioError
      ? error
      : new StudioError('internal', `Import failed: ${(error as Error).message}`);
  } finally {
    await Promise.allSettled(inFlight);
    if (!options.pool) await pool.close();
  }
  const report: ImportReport = {
    importId,
    folder: options.folder,
    layout: scan.layout,
    imported,
    duplicates,
    duplicateFiles: keptCopies(catalogue, duplicateHashes),
    skipped,
    resized,
    converted,
    mappedFolders: scan.mappedFolders,
    problems: problems.slice(0, MAX_PROBLEMS),
    classes: catalogue.stats().classes,
    cancelled: status === 'cancelled',
    seconds: (performance.now() - started) / 1000,
  };
  catalogue.finishImport(importId, status, report);
  progress('done', done, scan.files.length);
  return report;
}

/** Names the catalogue image each duplicate matched, so the user can see what was skipped and why. */
function keptCopies(catalogue: Catalogue, duplicates: { file: string; hash: string }[]) {
  const find = catalogue.db.prepare('SELECT id, source_file FROM images WHERE hash = ?');
  return duplicates.flatMap(({ file, hash }) => {
    const kept = find.get(hash) as { id: number; source_file: string } | undefined;
    return kept ? [{ file, imageId: kept.id, keptFile: kept.source_file }] : [];
  });
}
