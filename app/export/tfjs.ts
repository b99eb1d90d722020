import { join } from 'node:path';
import { MODEL_FILE, type FileSystem } from '../training/fs-io.ts';
import { writeDirAtomic } from './atomic.ts';
import { readModelFiles } from './load-model.ts';
import { preprocessingJson, type ExportRunInfo } from './preprocessing.ts';

export const PREPROCESSING_FILE = 'preprocessing.json';

/**
 * Copies model.json and its weight shards into the directory `out` (the layout tf.loadLayersModel
 * reads from a URL or a file handler), plus preprocessing.json. Returns the files written.
 */
export async function exportTfjs(
  modelDir: string,
  out: string,
  fs: FileSystem,
  runInfo?: ExportRunInfo,
): Promise<string[]> {
  const { shards } = await readModelFiles(modelDir);
  const names = [MODEL_FILE, ...new Set(shards)];
  await writeDirAtomic(
    out,
    async (dir) => {
      for (const name of names)
        await fs.writeFile(join(dir, name), await fs.readFile(join(modelDir, name)));
      await fs.writeFile(join(dir, PREPROCESSING_FILE), preprocessingJson('tfjs', runInfo));
    },
    fs,
  );
  return [...names, PREPROCESSING_FILE].map((name) => join(out, name));
}
