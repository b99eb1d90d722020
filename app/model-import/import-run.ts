import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type Database from 'better-sqlite3';
import { CLASS_NAMES, PIXELS_PER_IMAGE, type ClassName } from '../contract/classes.ts';
import type { ParsedRequestOf, ResponseOf } from '../contract/handlers.ts';
import type { z } from 'zod';
import type { importedInfoSchema } from '../contract/model-import.ts';
import {
  preprocessingSchema,
  toModelInput,
  toStudioProbabilities,
  type InputRange,
  type Preprocessing,
} from '../preprocessing/index.ts';
import type { RunStore } from '../runs/run-store.ts';
import { parseTrainConfig } from '../training/config.ts';
import { fileIoHandler, MODEL_FILE } from '../training/fs-io.ts';
import { openModel, type OpenedModel } from './build.ts';
import { resolveClassOrder } from './classes.ts';

type ImportRequest = ParsedRequestOf<'model-import'>;
type PreviewRequest = ParsedRequestOf<'model-import-preview'>;
export type ImportedInfo = z.output<typeof importedInfoSchema>;

/** The record the run keeps: input size from the model, range and class order from the user. */
function preprocessingFor(
  opened: OpenedModel,
  request: { inputRange?: InputRange | undefined; classes?: string[] | undefined },
): { preprocessing: Preprocessing; notes: string[] } {
  const [inputHeight, inputWidth, channels] = opened.topology.inputShape;
  const notes = [...opened.topology.notes];
  const first = opened.topology.layers.find((l) => l.className !== 'InputLayer');
  let range = request.inputRange;
  if (!range) {
    // Rescaling first means the model scales raw pixels itself.
    range = first?.className === 'Rescaling' ? '0,255' : '0,1';
    if (range === '0,255')
      notes.push('The model starts with Rescaling: it is given raw 0–255 pixels.');
  }
  const preprocessing = preprocessingSchema.parse({
    inputHeight,
    inputWidth,
    channels: channels as 1 | 3,
    range,
    classOrder: resolveClassOrder(opened.topology.outputs, request.classes),
  });
  return { preprocessing, notes };
}

function facts(opened: OpenedModel, preprocessing: Preprocessing, notes: string[]) {
  return {
    format: opened.source.format,
    detail: opened.source.detail,
    inputShape: opened.topology.inputShape,
    classes: preprocessing.classOrder,
    range: preprocessing.range,
    layers: opened.topology.layers.filter((l) => l.className !== 'InputLayer').length,
    params: opened.params,
    notes,
  };
}

/** Studio-order probabilities for `count` stored images. */
export function predictPixels(
  model: tf.LayersModel,
  pixels: Uint8Array,
  p: Preprocessing,
): Float32Array {
  const count = pixels.length / PIXELS_PER_IMAGE;
  const out = tf.tidy(() => {
    const xs = tf.tensor4d(toModelInput(pixels, p), [
      count,
      p.inputHeight,
      p.inputWidth,
      p.channels,
    ]);
    return model.predict(xs) as tf.Tensor;
  });
  const values = out.dataSync() as Float32Array;
  out.dispose();
  return toStudioProbabilities(values, p);
}

/** Loads the model and predicts `perClass` catalogue images of each class (test split first); saves nothing. */
export async function previewImport(
  db: Database.Database,
  request: PreviewRequest,
): Promise<ResponseOf<'model-import-preview'>> {
  const opened = await openModel(request.path);
  try {
    const { preprocessing, notes } = preprocessingFor(opened, request);
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
    const probs = picked.length
      ? predictPixels(opened.model, pixels, preprocessing)
      : new Float32Array();
    const K = CLASS_NAMES.length;
    const samples = picked.map((p, i) => {
      let best = 0;
      for (let c = 1; c < K; c++)
        if ((probs[i * K + c] ?? 0) > (probs[i * K + best] ?? 0)) best = c;
      return {
        imageId: p.id,
        label: p.label,
        predicted: CLASS_NAMES[best] as ClassName,
        confidence: probs[i * K + best] ?? 0,
      };
    });
    return { ...facts(opened, preprocessing, notes), samples };
  } finally {
    opened.model.dispose();
  }
}

async function sha256Of(opened: OpenedModel, source: string): Promise<string> {
  const bytes =
    opened.bytes ??
    (await readFile(fs.statSync(source).isDirectory() ? path.join(source, MODEL_FILE) : source));
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Imports a model as a finished run: the model is saved (tfjs layers format, in the run's
 * `model/`) before the catalogue changes, and the run is recorded in one transaction, so a
 * failure anywhere leaves the catalogue as it was.
 */
export async function importModelRun(
  db: Database.Database,
  store: RunStore,
  request: ImportRequest,
): Promise<ResponseOf<'model-import'>> {
  const opened = await openModel(request.path);
  const staged = await mkdtemp(path.join(tmpdir(), 'fer-imported-'));
  let target: string | null = null;
  try {
    const { preprocessing, notes } = preprocessingFor(opened, request);
    await opened.model.save(fileIoHandler(staged));
    const info: ImportedInfo = {
      name: request.name?.trim() || opened.fileName,
      fileName: opened.fileName,
      sha256: await sha256Of(opened, request.path),
      format: opened.source.format,
      detail: opened.source.detail,
      layers: facts(opened, preprocessing, notes).layers,
      params: opened.params,
      notes,
    };
    const runId = db.transaction(() => {
      const id = store.createRun({
        model: 'imported',
        config: parseTrainConfig({ epochs: 1, validationFraction: 0 }),
        parentRunId: null,
        data: { ids: [], pixels: new Uint8Array(), labels: new Uint8Array() },
        validation: new Set(),
      });
      const modelDir = path.join(store.runDir(id), 'model');
      target = modelDir;
      fs.mkdirSync(path.dirname(modelDir), { recursive: true });
      fs.cpSync(staged, modelDir, { recursive: true });
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
    return { ...facts(opened, preprocessing, notes), runId };
  } catch (error) {
    if (target) fs.rmSync(path.dirname(target), { recursive: true, force: true });
    throw error;
  } finally {
    opened.model.dispose();
    await rm(staged, { recursive: true, force: true });
  }
}
