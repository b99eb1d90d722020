import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// app/engine patches tfjs internals (kernel registry, wasm heap), so a tfjs upgrade must be a
// deliberate edit: the version is pinned exactly and every copy of it must agree.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'));

interface Manifest {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const manifest = readJson('package.json') as Manifest;
const lock = readJson('package-lock.json') as {
  packages: Record<string, Manifest & { version?: string }>;
};
const tfjsRanges = (m: Manifest) =>
  Object.entries({ ...m.dependencies, ...m.optionalDependencies }).filter(([name]) =>
    name.startsWith('@tensorflow/'),
  );
const PINNED = manifest.dependencies?.['@tensorflow/tfjs'] ?? 'missing';

describe('@tensorflow/tfjs* versions', () => {
  it('are pinned exactly, all to one version', () => {
    const ranges = tfjsRanges(manifest);
    expect(ranges.map(([name]) => name)).toContain('@tensorflow/tfjs-backend-wasm');
    for (const [name, range] of ranges) expect(`${name}@${range}`).toBe(`${name}@${PINNED}`);
    expect(PINNED).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('agree with package-lock.json, its root entry and its resolved packages', () => {
    const root = lock.packages[''] ?? {};
    expect(tfjsRanges(root)).toEqual(tfjsRanges(manifest));
    for (const name of [
      'tfjs',
      'tfjs-core',
      'tfjs-layers',
      'tfjs-backend-cpu',
      'tfjs-backend-wasm',
    ])
      expect(`${name}@${lock.packages[`node_modules/@tensorflow/${name}`]?.version}`).toBe(
        `${name}@${PINNED}`,
      );
  });

  it('are the versions installed', () => {
    for (const name of ['tfjs', 'tfjs-core', 'tfjs-layers', 'tfjs-backend-wasm']) {
      const installed = readJson(`node_modules/@tensorflow/${name}/package.json`) as {
        version: string;
      };
      expect(`${name}@${installed.version}`).toBe(`${name}@${PINNED}`);
    }
  });
});
