import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
// The no-bundle Node build requires the project's own @tensorflow/tfjs and tfjs-backend-wasm
// instead of bundling a second tfjs: its models run on the backend the studio selected.
import * as faceapi from '@vladmandic/face-api/dist/face-api.node-wasm.js';

export type DetectorName = 'tiny' | 'ssd';

/** A face in detector-input pixels. */
export interface Detection {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

export interface DetectOptions {
  /** Tiny's network input side (multiple of 32); larger finds smaller faces, slower. */
  inputSize?: number;
  minScore?: number;
}

const requireFromHere = createRequire(import.meta.url);

/** The weights shipped in @vladmandic/face-api's tarball (model/); FER_FACE_MODEL_DIR overrides for bundles. */
export function faceModelDir(): string {
  const override = process.env['FER_FACE_MODEL_DIR'];
  if (override) return override;
  const main = requireFromHere.resolve('@vladmandic/face-api/dist/face-api.node-wasm.js');
  return path.join(path.dirname(main), '..', 'model');
}

export interface FaceDetector {
  name: DetectorName;
  /** `image` is an RGB tensor [h, w, 3] (int32 or float 0…255); the caller keeps ownership. */
  detect(image: tf.Tensor3D, options?: DetectOptions): Promise<Detection[]>;
}

const loaded = new Set<DetectorName>();

/**
 * Loads one of face-api's detectors from disk (nothing is fetched). The caller selects the tfjs
 * backend first: detection on the JavaScript cpu backend takes seconds per frame, so it is refused.
 */
export async function loadFaceDetector(name: DetectorName = 'tiny'): Promise<FaceDetector> {
  const backend = tf.getBackend();
  if (backend === 'cpu')
    throw new Error('Face detection needs the WebAssembly (or TensorFlow) backend, not cpu.');
  const net = name === 'tiny' ? faceapi.nets.tinyFaceDetector : faceapi.nets.ssdMobilenetv1;
  if (!loaded.has(name)) {
    await net.loadFromDisk(faceModelDir());
    loaded.add(name);
  }
  return {
    name,
    async detect(image, options = {}) {
      const minScore = options.minScore ?? 0.5;
      const netOptions =
        name === 'tiny'
          ? new faceapi.TinyFaceDetectorOptions({
              inputSize: options.inputSize ?? 416,
              scoreThreshold: minScore,
            })
          : new faceapi.SsdMobilenetv1Options({ minConfidence: minScore, maxResults: 100 });
      const found = await faceapi.detectAllFaces(image as never, netOptions);
      return found.map((d) => ({
        x: d.box.x,
        y: d.box.y,
        width: d.box.width,
        height: d.box.height,
        score: d.score,
      }));
    },
  };
}
