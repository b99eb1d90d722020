import fs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { CLASS_NAMES, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import type { ParsedRequestOf, ResponseOf } from '../contract/handlers.ts';
import type { importedInfoSchema } from '../contract/model-import.ts';
import type { BackendPreference } from '../engine/backend.ts';
import type { RunStore } from '../runs/run-store.ts';
import { parseTrainConfig } from '../training/config.ts';
import { runImportJob, type RunImportJob } from './import-runner.ts';

type ImportRequest = ParsedRequestOf<'model-import'>;
type PreviewRequest = ParsedRequestOf<'model-import-preview'>;
export type ImportedInfo = z.output<typeof importedInfoSchema>;

export interface ImportOptions {
  backend: BackendPreference;
  /** Injectable for tests; default: a worker thread per job. */
  runJob?: RunImportJob;
  onProgress?: (fraction: number, stage: string) => void;
}

const K = CLASS_NAMES.length;

/** Loads the model and predicts `perClass` catalogue images of each class (test split first); saves nothing. */
export async function previewImport(
  db: Database.Database,
  request: PreviewRequest,
  options: ImportOptions,
): Promise<ResponseOf<'model-import-preview'>> {
  const select = db.prepare(
    `SELECT i.id, i.pixels FROM images i JOIN labels l ON l.image_id = i.id
            WHERE l.label = ? ORDER BY i.split = 'test' DESC, i.id LIMIT ?`,
  );
  const picked: { id: number; label: ClassName; pixels: Buffer }[] = [];
  for (const label of CLASS_NAMES)
    for (const row of select.all(label, request.perClass) as { id: number; pixels: Buffer }[])
      picked.push({ id: row.id, label, pixels: row.pixels });
  const pixels = new Uint8Array(picked.length * PIXELS_PER_IMAGE);
  picked.forEach((p, i) => pixels.set(p.pixels, i * PIXELS_PER_IMAGE));
  const result = await (options.runJob ?? runImportJob)(
    {
      path: request.path,
      inputRange: request.inputRange,
      classes: request.classes,
      pixels,
      stageDir: null,
      backend: options.backend,
    },
    options.onProgress,
  );
  const { probs } = result;
  const samples = picked.map((p, i) => {
    let best = 0;
    for (let c = 1; c < K; c++) if ((probs[i * K + c] ?? 0) > (probs[i * K + best] ?? 0)) best = c;
    return {
      imageId: p.id,
      label: p.label,
      predicted: CLASS_NAMES[best] as ClassName,
      confidence: probs[i * K + best] ?? 0,
    };
  });
  return { ...result.facts, samples };
}

/**
 * Imports a model as a finished run: the worker saves the model (tfjs layers format) to a staging
 * folder before the catalogue changes; the run is then recorded and the model copied into its
 * `model/` in one transaction, so a failure anywhere leaves the catalogue as it was.
 */
export async function importModelRun(
  db: Database.Database,
  store: RunStore,
  request: ImportRequest,
  options: ImportOptions,
): Promise<ResponseOf<'model-import'>> {
  const staged = await mkdtemp(path.join(tmpdir(), 'fer-imported-'));
  let runDir: string | null = null;
  try {
    const result = await (options.runJob ?? runImportJob)(
      {
        path: request.path,
        inputRange: request.inputRange,
        classes: request.classes,
        pixels: new Uint8Array(),
        stageDir: path.join(staged, 'model'),
        backend: options.backend,
      },
      options.onProgress,
    );
    const { facts, preprocessing } = result;
    const info: ImportedInfo = {
      name: request.name?.trim() || result.fileName,
      fileName: result.fileName,
      sha256: result.sha256,
      format: facts.format,
      detail: facts.detail,
      layers: facts.layers,
      params: facts.params,
      notes: facts.notes,
    };
    const runId = db.transaction(() => {
      const id = store.createRun({
        model: 'imported',
        config: parseTrainConfig({ epochs: 1, validationFraction: 0 }),
        parentRunId: null,
        data: { ids: [], pixels: new Uint8Array(), labels: new Uint8Array() },
        validation: new Set(),
      });
      runDir = store.runDir(id);
      const modelDir = path.join(runDir, 'model');
      fs.mkdirSync(runDir, { recursive: true });
      fs.cpSync(path.join(staged, 'model'), modelDir, { recursive: true });
      store.setModelPath(id, modelDir);
      db.prepare(
        `UPDATE runs SET status = 'finished', message = ?, preprocessing = ?, imported = ? WHERE id = ?`,
      ).run(
        `Imported from ${info.fileName}`,
        JSON.stringify(preprocessing),
        JSON.stringify(info),
        id,
      );
      return id;
    })();
    return { ...facts, runId };
  } catch (error) {
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
    throw error;
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
}
