import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';

export interface Step {
  command: string;
  args: string[];
}

export type StartPlan =
  { mode: 'electron'; steps: Step[] } | { mode: 'browser'; notice: string; steps: Step[] };

export interface StartContext {
  /** The Electron executable, or null when only the npm package (no binary) is installed. */
  electronBinary: string | null;
  nodePath: string;
  electronViteBin: string;
  viteBin: string;
  /** Extra command-line arguments, given to the app (Electron or the browser-mode server). */
  args: string[];
}

export const ELECTRON_MISSING_NOTICE = [
  'FER Studio: the Electron binary is not installed (node_modules/electron/dist is missing).',
  "npm install downloads it (package.json's allowScripts lets electron's install script run), but not",
  'when ELECTRON_SKIP_BINARY_DOWNLOAD was set or there was no internet during npm install.',
  'To get it, run `node node_modules/electron/install.js` with internet access and',
  'ELECTRON_SKIP_BINARY_DOWNLOAD unset. Starting browser mode instead.',
].join('\n');

/** Where the electron package says its binary is (same rule as electron's own index.js), if it exists. */
export function findElectronBinary(
  electronDir: string,
  env: Record<string, string | undefined>,
  exists: (path: string) => boolean = fs.existsSync,
  read: (path: string) => string = (path) => fs.readFileSync(path, 'utf8'),
): string | null {
  const pathFile = join(electronDir, 'path.txt');
  const executable = exists(pathFile) ? read(pathFile).trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  let binary: string | null = null;
  if (override) binary = join(override, executable || 'electron');
  else if (executable) binary = join(electronDir, 'dist', executable);
  return binary !== null && exists(binary) ? binary : null;
}

/** The desktop app when Electron is there; otherwise `npm run serve`'s steps, with one notice saying why. */
export function planStart(context: StartContext): StartPlan {
  const node = context.nodePath;
  if (context.electronBinary !== null) {
    return {
      mode: 'electron',
      steps: [
        { command: node, args: [context.electronViteBin, 'build'] },
        { command: context.electronBinary, args: ['.', ...context.args] },
      ],
    };
  }
  return {
    mode: 'browser',
    notice: ELECTRON_MISSING_NOTICE,
    steps: [
      { command: node, args: [context.viteBin, 'build', '--config', 'renderer/vite.config.ts'] },
      { command: node, args: ['app/cli/main.ts', 'serve', ...context.args] },
    ],
  };
}

/** Runs one step with the terminal attached; Ctrl-C and kill reach the child, and its exit code comes back. */
function runStep(step: Step, cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    const done = (code: number) => {
      for (const signal of signals) process.off(signal, forward);
      resolve(code);
    };
    child.on('error', (error) => {
      console.error(`Could not run ${step.command}: ${error.message}`);
      done(1);
    });
    child.on('exit', (code, signal) =>
      done(signal ? 128 + (constants.signals[signal] ?? 1) : (code ?? 1)),
    );
  });
}

async function main(): Promise<void> {
  const root = dirname(import.meta.dirname);
  const require = createRequire(import.meta.url);
  const binOf = (pkg: string, bin: string) =>
    join(dirname(require.resolve(`${pkg}/package.json`)), bin);
  const plan = planStart({
    electronBinary: findElectronBinary(
      dirname(require.resolve('electron/package.json')),
      process.env,
    ),
    nodePath: process.execPath,
    electronViteBin: binOf('electron-vite', 'bin/electron-vite.js'),
    viteBin: binOf('vite', 'bin/vite.js'),
    args: process.argv.slice(2),
  });
  if (plan.mode === 'browser') console.error(plan.notice);
  for (const step of plan.steps) {
    const code = await runStep(step, root);
    if (code !== 0) process.exit(code);
  }
}

if (import.meta.main) await main();
