// Training vs inference throughput of one model on the active backend (random data).
// Usage: node scripts/bench-train.ts [--model NAME|xception-fer-wNdM] [--backend auto|tensorflow|wasm|cpu] [--batch 64]
//        [--threads N] [--steps 10] [--profile]  (--profile: ms per kernel in one training step)
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendPreference } from '../app/engine/backend.ts';
import os from 'node:os';
import { DEFAULT_MODEL, MODELS, findModel } from '../models/index.ts';
import { badFlag, benchFlags } from './bench-flags.ts';

const FER_TRAIN_IMAGES = 28_709;

const values = benchFlags(import.meta.filename, {
  model: { type: 'string', default: DEFAULT_MODEL },
  backend: { type: 'string', default: 'auto' },
  batch: { type: 'string', default: '64' },
  threads: { type: 'string' },
  steps: { type: 'string', default: '10' },
  profile: { type: 'boolean', default: false },
});
const entry = findModel(values.model);
if (!entry) {
  console.error(
    `unknown model "${values.model}"; known: ${Object.keys(MODELS).join(', ')} (and compact-cnn-wNN, xception-fer-wN, xception-fer-wNdM)`,
  );
  process.exit(2);
}
const batch = Number(values.batch);
const steps = Number(values.steps);
if (!(batch >= 1 && steps >= 1))
  badFlag(import.meta.filename, '--batch and --steps must be positive integers');

const info = await selectBackend(
  values.backend as BackendPreference,
  undefined,
  values.threads ? { wasmThreads: Number(values.threads) } : {},
);
// Load from other processes inflates wall time (and spin-waiting threads' CPU time): say it.
const load = os.loadavg().map((l) => l.toFixed(1));
console.log(
  `cpu: ${os.cpus()[0]?.model ?? 'unknown'} (${os.availableParallelism()} cores), load ${load.join(' ')}`,
);
console.log(`backend: ${info.label}`);
for (const reason of info.reasons) console.log(`  skipped: ${reason}`);

const model = entry.build();
model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
console.log(
  `model: ${entry.name} (${model.countParams().toLocaleString('en')} params), batch ${batch}`,
);
const x = tf.randomUniform([batch, 48, 48, 1]);
const y = tf.oneHot(tf.randomUniform([batch], 0, 7, 'int32') as tf.Tensor1D, 7);

/** Seconds per call after two warm-up calls; also CPU seconds (wall time is inflated by other load). */
async function time(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  await fn();
  await fn();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await fn();
  const cpu = process.cpuUsage(c0);
  return {
    wall: (performance.now() - t0) / 1000 / steps,
    cpu: (cpu.user + cpu.system) / 1e6 / steps,
  };
}

const train = await time(async () => {
  await model.trainOnBatch(x, y);
});
const infer = await time(async () => {
  const out = model.predict(x) as tf.Tensor;
  await out.data();
  out.dispose();
});

const rate = (s: number) => batch / s;
const trainRate = rate(train.wall);
const inferRate = rate(infer.wall);
const fmt = (n: number) => n.toFixed(1).padStart(8);
console.log(`training   ${fmt(trainRate)} img/s  (cpu-time bound ${fmt(rate(train.cpu))} img/s)`);
console.log(`inference  ${fmt(inferRate)} img/s  (cpu-time bound ${fmt(rate(infer.cpu))} img/s)`);
console.log(`ratio      ${(trainRate / inferRate).toFixed(2)} (target >= 0.33)`);
const epochMin = FER_TRAIN_IMAGES / trainRate / 60;
console.log(
  `FER-2013 epoch (${FER_TRAIN_IMAGES} images): ${epochMin.toFixed(1)} min (target <= 4)`,
);
if (values.profile) await profileStep();
tf.dispose([x, y]);
model.dispose();

/** Wall ms per kernel over `steps` training steps (tf.profile), largest first. */
async function profileStep(): Promise<void> {
  const total = new Map<string, { ms: number; calls: number }>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(async () => {
      await model.trainOnBatch(x, y);
    });
    for (const k of info.kernels) {
      const ms = await k.kernelTimeMs;
      const t = total.get(k.name) ?? { ms: 0, calls: 0 };
      t.ms += typeof ms === 'number' ? ms : 0;
      t.calls += 1;
      total.set(k.name, t);
    }
  }
  const rows = [...total.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const sum = rows.reduce((acc, [, t]) => acc + t.ms, 0);
  console.log(
    `kernels per training step (${steps} steps, ${(sum / steps).toFixed(1)} ms in kernels):`,
  );
  for (const [name, t] of rows.slice(0, 15))
    console.log(
      `  ${name.padEnd(40)} ${(t.ms / steps).toFixed(1).padStart(7)} ms  ${String(t.calls / steps).padStart(4)} calls`,
    );
}
