import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test as base, type Page } from '@playwright/test';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'app/cli/main.ts');

export interface ServedStudio {
  url: string;
  origin: string;
  token: string;
  dataDir: string;
  catalogPath: string;
  /** Runs the CLI against this studio's catalogue and parses its --json output. */
  cli<T>(...args: string[]): T;
}

/** A real `fer-studio serve` on a real catalogue in a fresh data directory, one per test. */
export async function startServe(
  dataDir: string,
): Promise<{ studio: ServedStudio; child: ChildProcess }> {
  const catalogPath = path.join(dataDir, 'catalogue.sqlite');
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--catalog', catalogPath, '--data-dir', dataDir],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = /running at (\S+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  const parsed = new URL(url);
  // The catalogue the server has open now: "Open sample dataset" switches to the sample's project.
  const openNow = () => {
    const recents = path.join(dataDir, 'recent-projects.json');
    if (!fs.existsSync(recents)) return catalogPath;
    const list = JSON.parse(fs.readFileSync(recents, 'utf8')) as { catalogPath: string }[];
    return list[0]?.catalogPath ?? catalogPath;
  };
  const studio: ServedStudio = {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    dataDir,
    catalogPath,
    cli: <T>(...args: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, [CLI, ...args, '--catalog', openNow(), '--json'], {
          cwd: ROOT,
          encoding: 'utf8',
        }),
      ) as T,
  };
  return { studio, child };
}

export const test = base.extend<{ studio: ServedStudio }>({
  // Playwright reads the fixture's dependencies from this destructuring; this one has none.
  // eslint-disable-next-line no-empty-pattern
  studio: async ({}, use, testInfo) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-e2e-'));
    const { studio, child } = await startServe(dataDir);
    await use(studio);
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    if (testInfo.status === testInfo.expectedStatus)
      fs.rmSync(dataDir, { recursive: true, force: true });
  },
});

export const ARTIFACTS = path.join(ROOT, 'tests/.artifacts');
export { expect };

/** Opens the studio page and imports the built-in sample set through the start screen. */
export async function openSample(page: Page, studio: ServedStudio): Promise<void> {
  await page.goto(studio.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('balance-chart')).toBeVisible({ timeout: 60_000 });
}

/** Trains from the Train page for `epochs` epochs and waits until the run has finished. */
export async function trainFromPage(page: Page, epochs: number, timeout = 240_000): Promise<void> {
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-epochs').fill(String(epochs));
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'finished', {
    timeout,
  });
}
