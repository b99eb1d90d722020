// The studio's training throughput beside PyTorch's on the same architecture, in one run.
// Usage: node scripts/bench-peer.ts [--model compact-cnn] [--steps 10] [--rounds 2]
//        node scripts/bench-peer.ts --convs [--threads 1]   (single convolutions, GMAC/s)
// Runs `scripts/bench-train.ts` and `scripts/torch_peer.py bench` alternately (rounds × both), so
// load from other processes hits both sides alike, and prints the ratio with the CPU's name.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { compareConvKernels } from './bench-peer-convs.ts';
import { benchFlags } from './bench-flags.ts';

const values = benchFlags(import.meta.filename, {
  model: { type: 'string', default: 'compact-cnn' },
  steps: { type: 'string', default: '10' },
  rounds: { type: 'string', default: '2' },
  convs: { type: 'boolean', default: false },
  threads: { type: 'string', default: '1' },
});
const model = values.model;
const here = new URL('.', import.meta.url).pathname;

/** Debian's python3-torch installs for /usr/bin/python3; a pyenv `python3` may lack it. */
function findTorchPython(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return py;
  }
  return null;
}

function rate(output: string, label: string): number | null {
  const match = new RegExp(`^${label}\\s+([\\d.]+) img/s`, 'm').exec(output);
  return match ? Number(match[1]) : null;
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd: `${here}..` });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`cpu: ${cpu} × ${os.cpus().length}, load average ${os.loadavg()[0]?.toFixed(2)}`);
const python = findTorchPython();
if (!python) {
  console.log('PyTorch is not installed (apt-get install -y python3-torch): studio figures only.');
}
if (values.convs) {
  await compareConvKernels(Number(values.threads), Number(values.steps));
  process.exit(0);
}
const rows: { studio: number | null; torch: number | null }[] = [];
for (let round = 0; round < Number(values.rounds); round++) {
  const studio = rate(
    run(process.execPath, [`${here}bench-train.ts`, '--model', model, '--steps', values.steps]),
    'training',
  );
  const torch = python
    ? rate(
        run(python, [`${here}torch_peer.py`, 'bench', '--model', model, '--steps', values.steps]),
        'training',
      )
    : null;
  rows.push({ studio, torch });
  const ratio = studio && torch ? (studio / torch).toFixed(2) : '—';
  console.log(
    `round ${round + 1}: ${model} training  studio ${studio?.toFixed(1) ?? '?'} img/s  ` +
      `pytorch ${torch?.toFixed(1) ?? '—'} img/s  ratio ${ratio}`,
  );
}
const best = (key: 'studio' | 'torch') =>
  Math.max(...rows.map((r) => r[key] ?? 0).filter((v) => v > 0), 0);
if (best('studio') && best('torch')) {
  console.log(
    `best of ${rows.length}: studio ${best('studio').toFixed(1)} / pytorch ${best('torch').toFixed(1)}` +
      ` = ${(best('studio') / best('torch')).toFixed(2)}× (target ≥ 0.5×) on ${cpu}`,
  );
}
if (fs.existsSync('/proc/loadavg')) console.log(`load after: ${os.loadavg()[0]?.toFixed(2)}`);
