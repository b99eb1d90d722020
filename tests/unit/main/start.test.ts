import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ELECTRON_MISSING_NOTICE, findElectronBinary, planStart } from '../../../scripts/start.ts';
import type { StartContext } from '../../../scripts/start.ts';

const context: StartContext = {
  electronBinary: null,
  nodePath: '/usr/bin/node',
  electronViteBin: '/p/node_modules/electron-vite/bin/electron-vite.js',
  viteBin: '/p/node_modules/vite/bin/vite.js',
  args: [],
};

describe('findElectronBinary', () => {
  const dir = '/p/node_modules/electron';
  const files = (present: Record<string, string>) => ({
    exists: (path: string) => path in present,
    read: (path: string) => present[path] ?? '',
  });

  it('is null when the package was installed without its binary', () => {
    const fs = files({});
    expect(findElectronBinary(dir, {}, fs.exists, fs.read)).toBeNull();
  });

  it('is null when path.txt names a binary that is not there', () => {
    const fs = files({ [join(dir, 'path.txt')]: 'electron' });
    expect(findElectronBinary(dir, {}, fs.exists, fs.read)).toBeNull();
  });

  it('finds the binary under dist/', () => {
    const binary = join(dir, 'dist', 'electron');
    const fs = files({ [join(dir, 'path.txt')]: 'electron\n', [binary]: '' });
    expect(findElectronBinary(dir, {}, fs.exists, fs.read)).toBe(binary);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like electron itself', () => {
    const fs = files({ '/opt/electron/electron': '' });
    const env = { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' };
    expect(findElectronBinary(dir, env, fs.exists, fs.read)).toBe('/opt/electron/electron');
  });
});

describe('planStart', () => {
  it('builds with electron-vite and launches Electron on the app when the binary exists', () => {
    const plan = planStart({
      ...context,
      electronBinary: '/e/electron',
      args: ['--trace-warnings'],
    });
    expect(plan.mode).toBe('electron');
    expect(plan.steps).toEqual([
      { command: '/usr/bin/node', args: [context.electronViteBin, 'build'] },
      { command: '/e/electron', args: ['.', '--trace-warnings'] },
    ]);
  });

  it('falls back to browser mode with one notice when the binary is missing', () => {
    const plan = planStart({ ...context, args: ['--port', '4000'] });
    expect(plan.mode).toBe('browser');
    expect(plan.steps).toEqual([
      {
        command: '/usr/bin/node',
        args: [context.viteBin, 'build', '--config', 'renderer/vite.config.ts'],
      },
      { command: '/usr/bin/node', args: ['app/cli/main.ts', 'serve', '--port', '4000'] },
    ]);
    if (plan.mode !== 'browser') throw new Error('expected browser mode');
    expect(plan.notice).toBe(ELECTRON_MISSING_NOTICE);
  });

  it('the notice says what is missing, why, how to fix it and what happens now', () => {
    expect(ELECTRON_MISSING_NOTICE).toMatch(/Electron binary is not installed/);
    expect(ELECTRON_MISSING_NOTICE).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD/);
    expect(ELECTRON_MISSING_NOTICE).toContain('node node_modules/electron/install.js');
    expect(ELECTRON_MISSING_NOTICE).toMatch(/Starting browser mode instead/);
  });
});
