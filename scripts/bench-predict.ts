// Predict benchmark: detector choice, crop margin, end-to-end time per photo and the webcam loop.
//   npm run bench:predict -- [--catalog F --run N] [--detectors] [--margins] [--scenes 12]
// Scenes are composed at run time from ../shared/fer2013 test faces at known boxes (never stored).
// Every figure is in-process (direct calls, studio.dispatch): no WebSocket or IPC round trip is timed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CLASS_NAMES } from '../app/contract/classes.ts';
import { selectBackend } from '../app/engine/backend.ts';
import { loadClassifier } from '../app/predict/classifier.ts';
import { loadFaceDetector, type DetectorName } from '../app/predict/detector.ts';
import { faceSquare } from '../app/predict/geometry.ts';
import { cropFace, decodePhoto } from '../app/predict/photo.ts';
import { predictPhoto } from '../app/predict/predict-image.ts';
import { createRunStore } from '../app/runs/run-store.ts';
import { openCatalogue } from '../app/catalogue/catalogue.ts';
import { parsePreprocessing } from '../app/preprocessing/index.ts';
import { createStudio } from '../app/studio.ts';
import {
  composeScene,
  hasFer,
  iou,
  pickFerFaces,
  sceneJpeg,
  type Scene,
} from '../tests/fixtures/face-scenes.ts';
import { benchFlags } from './bench-flags.ts';

const values = benchFlags(import.meta.filename, {
  catalog: { type: 'string' },
  run: { type: 'string' },
  detectors: { type: 'boolean', default: false },
  margins: { type: 'boolean', default: false },
  scenes: { type: 'string', default: '12' },
});
if (!hasFer) {
  console.log('bench:predict needs ../shared/fer2013 to compose scenes; skipped.');
  process.exit(0);
}
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const backend = await selectBackend('wasm');
console.log(`${cpu}, ${os.cpus().length} cores; ${backend.label}`);
const sceneCount = Number(values.scenes);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function scenes(n: number, perScene: number, sizes: number[]): Promise<Scene[]> {
  const out: Scene[] = [];
  for (let s = 0; s < n; s++)
    out.push(
      await composeScene({
        width: 640,
        height: 480,
        faces: pickFerFaces(perScene, 100 + s),
        sizes,
        seed: s,
      }),
    );
  return out;
}

/** Detections matched to placed faces (IoU ≥ 0.3, each detection used once). */
function match(scene: Scene, dets: { x: number; y: number; width: number; height: number }[]) {
  const used = new Set<number>();
  return scene.faces.map((face) => {
    let best = -1;
    let bestIou = 0;
    dets.forEach((d, k) => {
      const v = iou(face.box, [d.x, d.y, d.width, d.height]);
      if (v > bestIou && !used.has(k)) [best, bestIou] = [k, v];
    });
    if (bestIou < 0.3) return null;
    used.add(best);
    return dets[best] ?? null;
  });
}

if (values.detectors) {
  const set = await scenes(sceneCount, 10, [40, 56, 72, 96, 128]);
  console.log(
    `\nDetectors on ${set.length} composed 640×480 scenes, 10 FER faces each (40–128 px), min score 0.3:`,
  );
  const configs: [DetectorName, number][] = [
    ['tiny', 320],
    ['tiny', 416],
    ['tiny', 512],
    ['tiny', 608],
    ['ssd', 0],
  ];
  for (const [name, inputSize] of configs) {
    const detector = await loadFaceDetector(name);
    let found = 0;
    let total = 0;
    let extra = 0;
    const ms: number[] = [];
    for (const scene of set) {
      const image = tf.tensor3d(scene.rgb, [scene.height, scene.width, 3], 'int32');
      const t0 = performance.now();
      const dets = await detector.detect(image, { inputSize, minScore: 0.3 });
      ms.push(performance.now() - t0);
      image.dispose();
      const matched = match(scene, dets);
      found += matched.filter(Boolean).length;
      total += matched.length;
      extra += dets.length - matched.filter(Boolean).length;
    }
    const label = name === 'tiny' ? `TinyFaceDetector ${inputSize}` : 'SSD MobileNet v1';
    console.log(
      `  ${label.padEnd(22)} recall ${found}/${total}  false ${extra}  median ${median(ms.slice(1)).toFixed(0)} ms/frame`,
    );
  }
}

async function classifierFor(catalog: string, runId: number) {
  const catalogue = openCatalogue(catalog);
  const store = createRunStore(catalogue.db);
  const row = store.row(runId);
  const model = await loadClassifier(
    row.model_path ?? path.join(row.run_dir, 'model'),
    parsePreprocessing(row.preprocessing),
  );
  catalogue.close();
  return model;
}

if (values.margins) {
  if (!values.catalog || !values.run)
    throw new Error('--margins needs --catalog F --run N (a trained run)');
  const model = await classifierFor(values.catalog, Number(values.run));
  const detector = await loadFaceDetector('tiny');
  const set = await scenes(sceneCount * 2, 6, [80, 110, 140, 170]);
  const pairs: {
    scene: Scene;
    face: Scene['faces'][number];
    det: { x: number; y: number; width: number; height: number };
  }[] = [];
  const ratio: number[] = [];
  const dy: number[] = [];
  for (const scene of set) {
    const image = tf.tensor3d(scene.rgb, [scene.height, scene.width, 3], 'int32');
    const dets = await detector.detect(image, { inputSize: 608, minScore: 0.3 });
    image.dispose();
    match(scene, dets).forEach((det, i) => {
      const face = scene.faces[i];
      if (!det || !face) return;
      pairs.push({ scene, face, det });
      ratio.push(face.box[2] / Math.max(det.width, det.height));
      dy.push((face.box[1] + face.box[3] / 2 - (det.y + det.height / 2)) / det.height);
    });
  }
  console.log(
    `\nCrop framing on ${pairs.length} detected FER faces: placed side / detector side median ${median(ratio).toFixed(3)}, centre offset median ${median(dy).toFixed(3)} × box height`,
  );
  const photos = new Map<Scene, Awaited<ReturnType<typeof decodePhoto>>>();
  for (const { scene } of pairs)
    if (!photos.has(scene)) photos.set(scene, await decodePhoto(await sceneJpeg(scene, 95), 640));
  const accuracy = async (
    square: (p: (typeof pairs)[number]) => { x: number; y: number; size: number },
  ) => {
    let right = 0;
    for (const p of pairs) {
      const photo = photos.get(p.scene);
      if (!photo) continue;
      const probs = await model.classify(await cropFace(photo, square(p)));
      const best = probs.indexOf(Math.max(...probs));
      if (CLASS_NAMES[best] === p.face.label) right++;
    }
    return right / pairs.length;
  };
  const oracle = await accuracy((p) => ({
    x: p.face.box[0],
    y: p.face.box[1],
    size: p.face.box[2],
  }));
  console.log(
    `  accuracy on the placed FER boxes themselves (the ceiling): ${(oracle * 100).toFixed(1)} %`,
  );
  for (const shift of [-0.15, -0.1, -0.05, 0]) {
    const row: string[] = [];
    for (const margin of [-0.2, -0.1, -0.05, 0, 0.1, 0.2]) {
      const acc = await accuracy((p) => faceSquare(p.det, 640, 480, margin, shift));
      row.push(`${margin >= 0 ? '+' : ''}${margin.toFixed(2)}: ${(acc * 100).toFixed(1)} %`);
    }
    console.log(`  shift ${shift.toFixed(2)}  ${row.join('  ')}`);
  }
  model.dispose();
}

if (values.catalog && values.run) {
  const model = await classifierFor(values.catalog, Number(values.run));
  const detector = await loadFaceDetector('tiny');
  const small = await composeScene({
    width: 640,
    height: 480,
    faces: pickFerFaces(3, 7),
    sizes: [120, 140, 160],
    seed: 3,
  });
  const big = await composeScene({
    width: 4000,
    height: 3000,
    faces: pickFerFaces(3, 8),
    sizes: [700, 800, 900],
    seed: 4,
  });
  console.log(
    '\nEnd to end in one thread, in-process (decode, detect at 608, crop, classify), median of 10:',
  );
  for (const [name, scene] of [
    ['640×480, 3 faces', small],
    ['4000×3000, 3 faces', big],
  ] as const) {
    const jpeg = await sceneJpeg(scene);
    const ms: number[] = [];
    let faces = 0;
    for (let i = 0; i < 11; i++) {
      const t0 = performance.now();
      const out = await predictPhoto(jpeg, detector, model, { detect: true });
      if (i > 0) ms.push(performance.now() - t0);
      faces = out.faces.length;
      if (i === 10)
        console.log(
          '   ',
          JSON.stringify(out.ms, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v)),
        );
    }
    console.log(`  ${name.padEnd(20)} ${median(ms).toFixed(0)} ms (found ${faces} faces)`);
  }
  model.dispose();
  // The webcam loop's requests, called in-process (studio.dispatch, no WebSocket or IPC), through
  // the studio's predict worker.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-predict-'));
  const studio = createStudio({
    catalogPath: path.resolve(values.catalog),
    dataDir: dir,
    mode: 'browser',
  });
  const frames: string[] = [];
  for (let f = 0; f < 5; f++)
    frames.push(
      (
        await sceneJpeg(
          await composeScene({
            width: 640,
            height: 480,
            faces: pickFerFaces(2, 20 + f),
            sizes: [150, 190],
            seed: 40 + f,
          }),
          85,
        )
      ).toString('base64'),
    );
  const request = (data: string) =>
    studio.dispatch('predict-image', {
      runId: Number(values.run),
      file: 'webcam',
      data,
      source: 'webcam',
    });
  await request(frames[0] ?? '');
  // Two frames in flight, as the page keeps them (one encoded and sent while the worker predicts).
  const trips: number[] = [];
  const n = 40;
  let sent = 0;
  const t0 = performance.now();
  const loop = async () => {
    while (sent < n) {
      const frame = frames[sent++ % frames.length] ?? '';
      const s = performance.now();
      const reply = await request(frame);
      if (!reply.ok) throw new Error(reply.error.message);
      trips.push(performance.now() - s);
    }
  };
  await Promise.all([loop(), loop()]);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `\nWebcam loop (640×480 JPEG frames, detector input 320, 2 in flight through the predict worker, in-process: no transport): ${(n / seconds).toFixed(1)} frames/s, round trip median ${median(trips).toFixed(0)} ms`,
  );
  await studio.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
