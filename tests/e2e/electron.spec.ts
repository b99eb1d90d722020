import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test, expect, _electron } from '@playwright/test';
import type { PreloadApi } from '../../app/contract/transport.ts';
import { findElectronBinary } from '../../scripts/start.ts';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const electronDir = path.dirname(require.resolve('electron/package.json'));
const binary = findElectronBinary(electronDir, process.env);

test.describe('Electron shell', () => {
  test.skip(
    binary === null,
    'Electron binary not installed (node_modules/electron/dist is missing: ELECTRON_SKIP_BINARY_DOWNLOAD or no internet ' +
      'during npm install). Run `node node_modules/electron/install.js` with internet access to enable this test.',
  );

  let userData = '';

  test.beforeAll(() => {
    // The packaged entry point; built here because test:e2e only builds the browser bundle.
    const build = spawnSync(
      process.execPath,
      [
        path.join(
          path.dirname(require.resolve('electron-vite/package.json')),
          'bin/electron-vite.js',
        ),
        'build',
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(build.status, build.stderr).toBe(0);
  });

  test.beforeEach(() => {
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-electron-'));
  });

  test.afterEach(() => {
    fs.rmSync(userData, { recursive: true, force: true });
  });

  test('opens the studio window with a narrow bridge', async () => {
    const app = await _electron.launch({
      ...(binary ? { executablePath: binary } : {}),
      // The app directory, as in production: Electron reads package.json "main" (out/main/index.js).
      args: [root],
      cwd: root,
      env: { ...process.env, FER_STUDIO_USER_DATA: userData },
    });
    try {
      const window = await app.firstWindow();
      await expect(window).toHaveTitle('FER Studio');
      await expect(window.getByText('Open sample dataset').first()).toBeVisible();

      const surface = await window.evaluate(() => ({
        bridge: Object.keys(Reflect.get(globalThis, 'ferStudio') as object).sort(),
        require: typeof Reflect.get(globalThis, 'require'),
        process: typeof Reflect.get(globalThis, 'process'),
      }));
      expect(surface).toEqual({
        bridge: ['handlers', 'subscribe'],
        require: 'undefined',
        process: 'undefined',
      });

      const info = await window.evaluate(() =>
        (Reflect.get(globalThis, 'ferStudio') as PreloadApi).handlers['app-info']({}),
      );
      expect(info).toMatchObject({
        ok: true,
        result: {
          mode: 'electron',
          canPickFolder: true,
          catalogPath: path.join(userData, 'projects', 'default', 'catalogue.sqlite'),
        },
      });
    } finally {
      await app.close();
    }
  });
});
