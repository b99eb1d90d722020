import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels, eventNames } from '../../../app/contract/handlers.ts';
import { IMAGE_PROTOCOL } from '../../../app/contract/transport.ts';
import { APP_SCHEME, APP_URL } from '../../../main/app-protocol.ts';
import { contentSecurityPolicy, secureWebPreferences } from '../../../main/window-options.ts';

// Builds the real Electron bundle and runs its main process under Node with a fake `electron`:
// catches what unit tests cannot (bundling, externals, worker and asset URLs) without the Electron binary.
const root = path.resolve(import.meta.dirname, '../../..');
const require = createRequire(import.meta.url);
const electronVite = path.join(
  path.dirname(require.resolve('electron-vite/package.json')),
  'bin/electron-vite.js',
);
// Inside the project, so the bundle resolves node_modules like out/ does.
const outDir = path.join(root, 'tests/.artifacts', `electron-bundle-${process.pid}`);
const userData = path.join(outDir, 'user-data');

let summary: Record<string, unknown> = {};

beforeAll(() => {
  execFileSync(process.execPath, [electronVite, 'build'], {
    cwd: root,
    env: { ...process.env, FER_ELECTRON_OUT_DIR: outDir },
    stdio: 'pipe',
  });
  const output = execFileSync(
    process.execPath,
    [path.join(import.meta.dirname, 'bundle/drive.mjs'), path.join(outDir, 'main/index.js')],
    {
      cwd: root,
      env: { ...process.env, FAKE_USER_DATA: userData },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  summary = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
}, 120_000);

afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

describe('the built Electron bundle', () => {
  it('emits one CommonJS preload that requires nothing but electron', () => {
    const preload = fs.readFileSync(path.join(outDir, 'preload/index.cjs'), 'utf8');
    const required = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(preload).not.toMatch(/^\s*(import|export)\s/m);
  });

  it('keeps native modules out of the main bundle', () => {
    const main = fs.readFileSync(path.join(outDir, 'main/index.js'), 'utf8');
    expect(main).toMatch(/from ["']better-sqlite3["']/);
    expect(main).not.toContain('SQLITE_OPEN_READWRITE');
  });

  it('registers the schemes, every channel and both protocols, and opens a secure window', () => {
    expect(summary['schemes']).toEqual([APP_SCHEME, IMAGE_PROTOCOL]);
    expect((summary['channels'] as string[]).sort()).toEqual([...channels].sort());
    expect((summary['protocols'] as string[]).sort()).toEqual([APP_SCHEME, IMAGE_PROTOCOL].sort());
    expect(summary['url']).toBe(APP_URL);
    const prefs = summary['webPreferences'] as { preload: string };
    expect(prefs).toEqual(secureWebPreferences(prefs.preload));
    expect(fs.existsSync(prefs.preload)).toBe(true);
  });

  it('answers IPC from the real studio, in the user data directory', () => {
    expect(summary['appInfo']).toMatchObject({
      ok: true,
      result: {
        mode: 'electron',
        catalogPath: path.join(userData, 'projects', 'default', 'catalogue.sqlite'),
        canPickFolder: true,
      },
    });
    expect(summary['sampleOk']).toBe(true);
    expect(summary['imported']).toBeGreaterThan(0);
    expect(summary['untrusted']).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // A sample import emits these two; every sent name must be a contract event.
    const sent = summary['eventsSent'] as string[];
    expect(sent).toEqual(
      expect.arrayContaining(['catalogue-import-progress', 'catalogue-changed']),
    );
    for (const event of sent) expect(eventNames).toContain(event);
  });

  it('serves PNGs on the image protocol and the page with the strict CSP', () => {
    expect(summary['image']).toEqual({
      status: 200,
      type: 'image/png',
      signature: [0x50, 0x4e, 0x47],
    });
    expect(summary['badImageStatus']).toBe(400);
    expect(summary['page']).toEqual({
      status: 200,
      csp: contentSecurityPolicy('production'),
      html: true,
    });
  });

  it('trains an epoch in the bundled training worker (worker and wasm file URLs resolve)', () => {
    expect(summary['training']).toMatchObject({ status: 'finished' });
  });

  it('imports a .keras export of that run in the bundled import worker (h5wasm resolves)', () => {
    expect(summary['modelImport']).toMatchObject({ ok: true, format: 'keras3' });
    expect((summary['modelImport'] as { params: number }).params).toBeGreaterThan(0);
  });

  it('closes the studio before letting the app quit', () => {
    expect(summary['quitHeld']).toBe(true);
  });
});
