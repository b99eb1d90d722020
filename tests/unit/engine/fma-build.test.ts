import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONV_WASM_BASE64 } from '../../../app/engine/fma/conv-wasm.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const committed = path.join(root, 'app/engine/fma/conv.wasm');
const hasClang = spawnSync('clang-19', ['--version'], { stdio: 'ignore' }).status === 0;

describe('the committed FMA kernel module', () => {
  it('the base64 twin holds the same bytes as conv.wasm', () => {
    expect(Buffer.from(CONV_WASM_BASE64, 'base64').equals(fs.readFileSync(committed))).toBe(true);
  });

  it.skipIf(!hasClang)(
    'rebuilds from conv.c to the same bytes (needs clang-19 and lld-19; .ci/run installs them)',
    () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-kernels-'));
      try {
        const build = spawnSync('bash', [path.join(root, 'scripts/build-kernels.sh')], {
          env: { ...process.env, OUT_DIR: out },
          encoding: 'utf8',
        });
        expect(build.status, build.stderr).toBe(0);
        expect(
          fs.readFileSync(path.join(out, 'conv.wasm')).equals(fs.readFileSync(committed)),
        ).toBe(true);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
      }
    },
  );
});
