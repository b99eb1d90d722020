import * as fsp from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/** The few node:fs calls checkpoints use, injectable so a test can simulate a full disk. */
export interface FileSystem {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { recursive: true; force: true }): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

export const nodeFs: FileSystem = {
  mkdir: (path, options) => fsp.mkdir(path, options),
  writeFile: (path, data) => fsp.writeFile(path, data),
  readFile: (path) => fsp.readFile(path),
  rename: (from, to) => fsp.rename(from, to),
  rm: (path, options) => fsp.rm(path, options),
  readdir: (path) => fsp.readdir(path),
};

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Copies into a standalone ArrayBuffer (a Node Buffer may be a view into a shared pool). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/**
 * A tfjs IOHandler over a directory, in the standard layout (model.json + weights.bin) that
 * `tf.loadLayersModel` reads over HTTP too; tfjs-core only ships file:// IO with tfjs-node.
 */
export function fileIoHandler(dir: string, fs: FileSystem = nodeFs): tf.io.IOHandler {
  return {
    async save(artifacts) {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new Error('Binary model topologies are not supported.');
      }
      const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? 'fer-studio',
        convertedBy: null,
      };
      await fs.mkdir(dir, { recursive: true });
      await fs.writeFile(join(dir, WEIGHTS_FILE), new Uint8Array(weightData));
      await fs.writeFile(join(dir, MODEL_FILE), JSON.stringify(modelJson));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weightData.byteLength,
        },
      };
    },
    async load() {
      const modelJson = JSON.parse(
        new TextDecoder().decode(await fs.readFile(join(dir, MODEL_FILE))),
      ) as tf.io.ModelJSON;
      const weightSpecs = modelJson.weightsManifest.flatMap((group) => group.weights);
      const buffers = await Promise.all(
        modelJson.weightsManifest.flatMap((group) =>
          group.paths.map(async (p) => toArrayBuffer(await fs.readFile(join(dir, p)))),
        ),
      );
      return {
        modelTopology: modelJson.modelTopology,
        weightSpecs,
        weightData: tf.io.CompositeArrayBuffer.join(buffers),
        format: modelJson.format ?? 'layers-model',
      };
    },
  };
}
