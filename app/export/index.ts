import { basename, dirname, extname, join, resolve } from 'node:path';
import { StudioError } from '../contract/errors.ts';
import { nodeFs, type FileSystem } from '../training/fs-io.ts';
import { checkTargets, writeFileAtomic } from './atomic.ts';
import { modelToKeras } from './keras.ts';
import { loadModel, readModelFiles } from './load-model.ts';
import { modelToOnnx } from './onnx.ts';
import { preprocessingJson, type ExportFormat, type ExportRunInfo } from './preprocessing.ts';
import { exportTfjs } from './tfjs.ts';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['tfjs', 'onnx', 'keras'];

export interface ExportOptions {
  /** A tfjs layers model folder (model.json + weight shards), e.g. `<runDir>/model`. */
  modelDir: string;
  format: ExportFormat;
  /** tfjs: a folder to create; onnx/keras: the file (`.onnx` / `.keras`). */
  out: string;
  /** Replace an existing target instead of failing with `already-exists`. */
  force?: boolean;
  runInfo?: ExportRunInfo;
  onProgress?: (fraction: number, stage: string) => void;
  /** Injectable so tests can simulate a failing disk. */
  fs?: FileSystem;
}

export interface ExportResult {
  /** Absolute paths of every file written. */
  files: string[];
}

const TITLES: Record<ExportFormat, string> = {
  tfjs: 'TensorFlow.js',
  onnx: 'ONNX',
  keras: 'Keras',
};

const EXTENSIONS: Record<ExportFormat, string | null> = {
  tfjs: null,
  onnx: '.onnx',
  keras: '.keras',
};

/**
 * `<dir>/<file>.preprocessing.json` beside a single-file export, named after the whole file name so
 * `run1.onnx` and `run1.keras` exported to one folder never fight over one sidecar.
 */
export function sidecarPath(out: string): string {
  return join(dirname(out), `${basename(out)}.preprocessing.json`);
}

/** Exports a trained model; every file lands via temp-and-rename, so targets are whole or absent. */
export async function exportModel(options: ExportOptions): Promise<ExportResult> {
  const { format, force = false, runInfo, fs = nodeFs } = options;
  const report = options.onProgress ?? (() => undefined);
  if (!EXPORT_FORMATS.includes(format))
    throw new StudioError(
      'unsupported',
      `Unknown export format "${String(format)}": choose tfjs, onnx or keras.`,
    );
  if (!options.out) throw new StudioError('bad-request', 'Choose where to write the export.');
  const out = resolve(options.out);
  const modelDir = resolve(options.modelDir);
  const ext = EXTENSIONS[format];
  if (ext && extname(out).toLowerCase() !== ext)
    throw new StudioError(
      'bad-request',
      `${/^[AEIOU]/.test(TITLES[format]) ? 'An' : 'A'} ${TITLES[format]} export is one ${ext} file: end the file name in ${ext}.`,
    );

  report(0, 'checking');
  await readModelFiles(modelDir);
  const sidecar = ext ? sidecarPath(out) : null;
  await checkTargets(sidecar ? [out, sidecar] : [out], force);

  if (format === 'tfjs') {
    report(0.2, 'copying');
    const files = await exportTfjs(modelDir, out, fs, runInfo);
    report(1, 'done');
    return { files };
  }

  report(0.1, 'loading');
  const model = await loadModel(modelDir, fs);
  try {
    report(0.2, 'converting');
    const bytes =
      format === 'onnx'
        ? modelToOnnx(model, runInfo, (i, n) => report(0.2 + (0.6 * i) / n, 'converting'))
        : await modelToKeras(model);
    report(0.8, 'writing');
    await writeFileAtomic(out, bytes, fs);
    await writeFileAtomic(sidecar as string, preprocessingJson(format, runInfo), fs);
    report(1, 'done');
    return { files: [out, sidecar as string] };
  } finally {
    model.dispose();
  }
}
