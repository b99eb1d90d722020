import { parentPort } from 'node:worker_threads';
import { StudioError } from '../contract/errors.ts';
import { selectBackend } from '../engine/backend.ts';
import { DecodeProblem } from '../importer/decode.ts';
import { loadClassifier, type Classifier } from './classifier.ts';
import { loadFaceDetector, type FaceDetector } from './detector.ts';
import { predictPhoto } from './predict-image.ts';
import type { PredictReply, PredictRequest } from './predict-protocol.ts';

const port = parentPort;
if (!port) throw new Error('predict-worker.ts runs as a worker thread.');
const post = (message: PredictReply) => port.postMessage(message);

/**
 * One long-lived worker keeps the detector and the last run's model loaded: loading them costs
 * about a second, which a webcam loop cannot pay per frame. Requests are handled one at a time.
 */
let detector: FaceDetector | null = null;
let classifier: { key: string; model: Classifier } | null = null;

async function ready(
  request: PredictRequest,
): Promise<{ detector: FaceDetector; model: Classifier }> {
  if (!detector) {
    const backend = await selectBackend(request.backend === 'cpu' ? 'wasm' : request.backend);
    if (backend.name === 'cpu')
      throw new StudioError(
        'unsupported',
        `Face detection needs WebAssembly; ${backend.reasons.join('; ')}`,
      );
    detector = await loadFaceDetector('tiny');
  }
  const key = `${request.modelDir}\n${request.modelStamp}\n${JSON.stringify(request.preprocessing)}`;
  if (classifier?.key !== key) {
    classifier?.model.dispose();
    classifier = null;
    classifier = { key, model: await loadClassifier(request.modelDir, request.preprocessing) };
  }
  return { detector, model: classifier.model };
}

async function handle(request: PredictRequest): Promise<void> {
  let loadedModel: { detector: FaceDetector; model: Classifier };
  try {
    loadedModel = await ready(request);
  } catch (error) {
    post({
      type: 'error',
      seq: request.seq,
      kind: 'model',
      code: error instanceof StudioError ? error.code : 'training-failed',
      message: (error as Error).message,
    });
    return;
  }
  try {
    const photo = await predictPhoto(
      request.bytes,
      loadedModel.detector,
      loadedModel.model,
      request.options,
    );
    post({ type: 'result', seq: request.seq, photo });
  } catch (error) {
    const problem = error instanceof DecodeProblem;
    post({
      type: 'error',
      seq: request.seq,
      kind: problem ? 'photo' : 'failed',
      code: problem ? error.reason : 'internal',
      message: (error as Error).message,
    });
  }
}

let queue = Promise.resolve();
port.on('message', (request: PredictRequest) => {
  queue = queue.then(() => handle(request));
});
