import fs from 'node:fs';
import path from 'node:path';
import { CLASS_NAMES } from '../contract/classes.ts';
import { StudioError } from '../contract/errors.ts';
import type { EventName, EventOf, Handlers } from '../contract/handlers.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import type { BackendPreference } from '../engine/backend.ts';
import { parsePreprocessing } from '../preprocessing/index.ts';
import type { RunStore } from '../runs/run-store.ts';
import { addFace } from './add-face.ts';
import { pickDefaultRun } from './default-run.ts';
import { PHOTO_INPUT_SIZE } from './predict-image.ts';
import { createPredictRunner } from './predict-runner.ts';

type Emit = <E extends EventName>(event: E, payload: EventOf<E>) => void;
type PredictHandlers = Pick<Handlers, 'predict-image' | 'predict-add-face'>;

/**
 * Webcam faces are near the camera (150 px and up in a 640×480 frame), which TinyFaceDetector
 * finds at input 320 in about half the time of 416 (README, predict benchmark).
 */
export const WEBCAM_INPUT_SIZE = 320;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** The run that predicts: the one asked for, else the best trained run (pickDefaultRun). */
function pickRun(store: RunStore, runId: number | undefined): number {
  if (runId !== undefined) {
    const run = store.get(runId);
    if (!run.hasModel)
      throw new StudioError(
        'bad-request',
        `Run ${runId} has no saved model yet (status: ${run.status}); let it finish or pick another run.`,
      );
    return runId;
  }
  const run = pickDefaultRun(store.list());
  if (!run)
    throw new StudioError(
      'not-found',
      'No run has a saved model yet: train a model first, then predict.',
    );
  return run.id;
}

/** The predict slice of the handler map: photos and webcam frames through one worker. */
export function createPredictHandlers(
  catalogue: Catalogue,
  store: RunStore,
  emit: Emit,
  backend: BackendPreference,
) {
  const runner = createPredictRunner();
  const handlers: PredictHandlers = {
    'predict-image': async ({ runId, file, data, detect, source }) => {
      const id = pickRun(store, runId);
      const row = store.row(id);
      const modelDir = row.model_path ?? path.join(row.run_dir, 'model');
      const stamp = fs.statSync(path.join(modelDir, 'model.json'), { throwIfNoEntry: false });
      if (!stamp)
        throw new StudioError('not-found', `Run ${id}'s model files are missing; retrain the run.`);
      const started = performance.now();
      const photo = await runner.predict({
        backend,
        modelDir,
        modelStamp: String(stamp.mtimeMs),
        preprocessing: parsePreprocessing(row.preprocessing),
        bytes: fromBase64(data),
        options: { detect, inputSize: source === 'webcam' ? WEBCAM_INPUT_SIZE : PHOTO_INPUT_SIZE },
      });
      return {
        runId: id,
        file,
        format: photo.format,
        width: photo.width,
        height: photo.height,
        frames: photo.frames,
        mode: photo.mode,
        faces: photo.faces.map((f) => {
          const best = f.probabilities.indexOf(Math.max(...f.probabilities));
          return {
            box: f.box,
            score: f.score,
            label: CLASS_NAMES[best] ?? CLASS_NAMES[0],
            probabilities: f.probabilities,
            crop: base64(f.crop),
          };
        }),
        ms: { ...photo.ms, total: performance.now() - started },
      };
    },
    'predict-add-face': async ({ file, box, crop, label }) => {
      const imageId = addFace(catalogue, { file, box, crop: fromBase64(crop), label });
      emit('catalogue-changed', { reason: 'import' });
      return { imageId };
    },
  };
  return { handlers, close: () => runner.close() };
}
