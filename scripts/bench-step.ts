// The app's real training step, timed: app/training's `train` (the default recipe: SGD-Nesterov,
// 44-px crops, augmentation, label smoothing, class weights) on random faces, and its PyTorch twin
// (`torch_peer.py step`), alternately in one run so load from other processes hits both alike.
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { selectBackend, type BackendPreference } from '../app/engine/backend.ts';
import { installFmaKernels } from '../app/engine/fma/index.ts';
import { CLASS_NAMES, PIXELS_PER_IMAGE } from '../app/contract/classes.ts';
import { parseTrainConfig, type TrainConfig } from '../app/training/config.ts';
import { train } from '../app/training/train.ts';
import { buildSeeded } from '../app/training/model-input.ts';
import { findModel } from '../models/index.ts';

const here = new URL('.', import.meta.url).pathname;
const FER_TRAIN_IMAGES = 28_709;

export interface StepBenchOptions {
  model: string;
  threads: number;
  steps: number;
  rounds: number;
  backend: BackendPreference;
  /** Also time today's kernels (FER_FMA_KERNELS=0) in each round. */
  compareKernels: boolean;
  /** Print wall ms per kernel per step (tf.profile over one short run) instead of the rounds. */
  profile?: boolean;
}

/** /proc/cpuinfo's model name (os.cpus() may shorten it). */
export function cpuName(): string {
  try {
    const line = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (line?.[1]) return line[1].trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

export const loadAverage = () =>
  `load ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

/** Training images per second of the app's own epoch loop, after `warmup` batches. */
async function appStepRate(config: TrainConfig, steps: number): Promise<number> {
  const entry = findModel(config.model);
  if (!entry) throw new Error(`unknown model "${config.model}"`);
  const warmup = 2;
  const images = config.batchSize * (steps + warmup);
  const pixels = new Uint8Array(images * PIXELS_PER_IMAGE).map((_, i) => (i * 2654435761) >>> 24);
  const labels = new Uint8Array(images).map((_, i) => i % CLASS_NAMES.length);
  const model = buildSeeded(entry.build, config);
  let t0 = 0;
  let t1 = 0;
  await train(model, { pixels, labels }, config, {
    onBatchEnd: (b) => {
      if (b.batch === warmup) t0 = performance.now();
      if (b.batch === warmup + steps) t1 = performance.now();
    },
  });
  model.dispose();
  if (!(t1 > t0)) throw new Error(`the run ended before batch ${warmup + steps}`);
  return (steps * config.batchSize * 1000) / (t1 - t0);
}

/** The PyTorch twin's img/s, or null (no PyTorch, or it failed: the reason is printed). */
function torchStepRate(python: string, o: StepBenchOptions): number | null {
  const run = spawnSync(
    python,
    [
      `${here}torch_peer.py`,
      'step',
      '--model',
      o.model,
      '--threads',
      String(o.threads),
      '--steps',
      String(o.steps),
    ],
    { encoding: 'utf8' },
  );
  const match = /^training\s+([\d.]+) img\/s/m.exec(run.stdout ?? '');
  if (run.status !== 0 || !match) {
    console.log(`  pytorch failed: ${(run.stderr || run.stdout).trim().split('\n').pop()}`);
    return null;
  }
  return Number(match[1]);
}

/** Debian's python3-torch installs for /usr/bin/python3; a pyenv `python3` may lack it. */
export function findTorchPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return py;
  }
  return null;
}

export async function compareTrainingSteps(o: StepBenchOptions): Promise<void> {
  // No validation split: every random face is a training image, so the epoch has exactly the
  // batches timed (validation runs once per epoch, not per step).
  const config = parseTrainConfig({
    model: o.model,
    epochs: 1,
    recalibrateBatchNorm: false,
    validationFraction: 0,
  });
  const info = await selectBackend(o.backend, undefined, { wasmThreads: o.threads });
  const python = findTorchPython();
  console.log(`cpu: ${cpuName()} (${os.availableParallelism()} cores), ${loadAverage()}`);
  console.log(`backend: ${info.label}`);
  const crop = config.augmentation.crop.size;
  console.log(
    `recipe: ${o.model}, batch ${config.batchSize}, ${crop}-px crops, ${config.optimizer.name} ` +
      `(lr ${config.learningRate}), label smoothing ${config.labelSmoothing}, ${o.threads} thread(s)`,
  );
  if (o.profile) {
    await profileSteps(config, o.steps);
    return;
  }
  if (!python) console.log('PyTorch is not installed (apt-get install -y python3-torch).');
  const best = { studio: 0, today: 0, torch: 0 };
  const compare = o.compareKernels && info.name === 'wasm';
  for (let round = 1; round <= o.rounds; round++) {
    const studio = await appStepRate(config, o.steps);
    best.studio = Math.max(best.studio, studio);
    let line = `round ${round}: studio ${studio.toFixed(1)} img/s`;
    if (compare) {
      process.env['FER_FMA_KERNELS'] = '0';
      installFmaKernels(o.threads);
      const today = await appStepRate(config, o.steps);
      delete process.env['FER_FMA_KERNELS'];
      installFmaKernels(o.threads);
      best.today = Math.max(best.today, today);
      line += ` (today's kernels ${today.toFixed(1)}, ×${(studio / today).toFixed(2)})`;
    }
    const torch = python ? torchStepRate(python, o) : null;
    if (torch) best.torch = Math.max(best.torch, torch);
    line += `  pytorch ${torch?.toFixed(1) ?? '—'} img/s`;
    if (torch) line += `  ratio ${(studio / torch).toFixed(2)}`;
    console.log(`${line}  (${loadAverage()})`);
  }
  const epochMin = (rate: number) => (FER_TRAIN_IMAGES / rate / 60).toFixed(1);
  let summary = `best of ${o.rounds}: studio ${best.studio.toFixed(1)} img/s`;
  if (best.today) summary += ` (today's kernels ${best.today.toFixed(1)})`;
  if (best.torch)
    summary += ` / pytorch ${best.torch.toFixed(1)} = ${(best.studio / best.torch).toFixed(2)}×`;
  console.log(`${summary} on ${cpuName()}, ${o.threads} thread(s), ${loadAverage()}`);
  console.log(
    `FER-2013 epoch (${FER_TRAIN_IMAGES} images, training steps only): ${epochMin(best.studio)} min`,
  );
  tf.disposeVariables();
}

/** Wall ms per kernel per training step of the app's loop (warm-up batches included), largest first. */
async function profileSteps(config: TrainConfig, steps: number): Promise<void> {
  await appStepRate(config, 1); // compiles and warms the kernels outside the profile
  const info = await tf.profile(() => appStepRate(config, steps));
  const total = new Map<string, number>();
  for (const k of info.kernels) {
    const ms = await k.kernelTimeMs;
    total.set(k.name, (total.get(k.name) ?? 0) + (typeof ms === 'number' ? ms : 0));
  }
  const perStep = steps + 2;
  const rows = [...total.entries()].sort((a, b) => b[1] - a[1]);
  const sum = rows.reduce((acc, [, ms]) => acc + ms, 0) / perStep;
  console.log(`kernels per training step (${perStep} steps): ${sum.toFixed(1)} ms in kernels`);
  for (const [name, ms] of rows.slice(0, 15))
    console.log(`  ${name.padEnd(36)} ${(ms / perStep).toFixed(1).padStart(7)} ms`);
}
