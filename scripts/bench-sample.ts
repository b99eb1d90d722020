// How fast the built-in sample set is drawn ("Open sample dataset" generates it on the fly).
// Usage: node scripts/bench-sample.ts [--faces 2000]
import { CLASS_NAMES } from '../app/contract/classes.ts';
import { renderFace } from '../app/sample/faces.ts';
import { createRng } from '../app/util/rng.ts';
import { badFlag, benchFlags } from './bench-flags.ts';

const values = benchFlags(import.meta.filename, { faces: { type: 'string', default: '2000' } });
const faces = Number(values.faces);
if (!(faces >= 1)) badFlag(import.meta.filename, '--faces must be a positive integer');

const rng = createRng(1);
for (let i = 0; i < 200; i++) renderFace(CLASS_NAMES[i % 7]!, rng);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 0; i < faces; i++) renderFace(CLASS_NAMES[i % 7]!, rng);
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const perCpuSecond = faces / ((cpu.user + cpu.system) / 1e6);
console.log(
  `sample faces  ${(faces / wall).toFixed(0)} faces/s wall, ${perCpuSecond.toFixed(0)} per CPU second (target >= 2,000)`,
);
console.log(`sample set (150/class, 1,050 faces): ${((1050 / faces) * wall).toFixed(2)} s`);
