import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};
const builder = fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');

describe('electron-builder.yml', () => {
  it('unpacks only packages the app ships (no development dependency)', () => {
    const shipped = new Set([
      ...Object.keys(manifest.dependencies),
      ...Object.keys(manifest.optionalDependencies ?? {}),
    ]);
    const unpacked = [...builder.matchAll(/^\s+- node_modules\/((?:@[^/]+\/)?[^/]+)\/\*\*/gm)].map(
      (m) => m[1] ?? '',
    );
    expect(unpacked).toContain('better-sqlite3');
    // sharp's platform binaries come as its @img/* dependencies.
    expect(unpacked.filter((name) => !shipped.has(name) && name !== '@img')).toEqual([]);
  });
});
