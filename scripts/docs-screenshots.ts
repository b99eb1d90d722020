// Screenshots of every page for the README, taken from the synthetic sample in browser mode.
// Usage: npm run docs:screenshots (builds the renderer first). Writes docs/screenshots/*.png.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM } from '../playwright.config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'docs/screenshots');
const EPOCHS = 3;

/** Starts `fer-studio serve` on a fresh data directory and resolves with its tokened URL. */
function serve(dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      'app/cli/main.ts',
      'serve',
      '--catalog',
      path.join(dataDir, 'catalogue.sqlite'),
      '--data-dir',
      dataDir,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = /running at (\S+)/.exec(stdout);
      if (match?.[1]) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`fer-studio serve exited with ${code}`)));
  });
}

interface Shot {
  complete: boolean;
  naturalWidth: number;
  getBoundingClientRect(): { top: number };
}

async function shoot(page: Page, name: string): Promise<void> {
  // Thumbnails load over HTTP; charts animate in.
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page
    .waitForFunction(
      () => {
        // Runs in the page; the node tsconfig has no DOM types.
        const doc = (globalThis as unknown as { document: { images: ArrayLike<Shot> } }).document;
        const height = (globalThis as unknown as { innerHeight: number }).innerHeight;
        return Array.from(doc.images).every(
          (img) =>
            img.getBoundingClientRect().top > height || (img.complete && img.naturalWidth > 0),
        );
      },
      undefined,
      { timeout: 60_000 },
    )
    .catch(() => console.log(`${name}: some thumbnails had not loaded after 60 s`));
  await page.waitForTimeout(800);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  console.log(`docs/screenshots/${name}.png`);
}

/** Up to `count` of the sample's PNG faces, one per class where possible. */
function sampleFaces(dataDir: string, count: number): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (found.length >= count) return;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.png') && full.includes(`${path.sep}test${path.sep}`))
        found.push(full);
    }
  };
  walk(dataDir);
  return found;
}

async function tour(page: Page, url: string, dataDir: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('open-sample').waitFor();
  await shoot(page, 'start');

  await page.getByTestId('open-sample').click();
  await page.getByTestId('balance-chart').waitFor({ timeout: 120_000 });
  await shoot(page, 'dataset');

  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-epochs').fill(String(EPOCHS));
  await page.getByTestId('train-start').click();
  await page
    .locator('[data-testid="train-status"][data-status="finished"]')
    .waitFor({ timeout: 600_000 });
  await shoot(page, 'train');

  await page.getByTestId('nav-evaluate').click();
  await page.getByTestId('evaluate-start').click();
  await page.getByTestId('confusion-matrix').waitFor({ timeout: 300_000 });
  await shoot(page, 'evaluate');

  await page.getByTestId('nav-runs').click();
  await page.getByTestId('run-row').first().waitFor();
  await shoot(page, 'runs');

  await page.getByTestId('nav-predict').click();
  await page.getByTestId('photo-input').setInputFiles(sampleFaces(dataDir, 3));
  await page.getByTestId('face-box').first().waitFor({ timeout: 120_000 });
  await page.getByTestId('face-box').first().click();
  await shoot(page, 'predict');

  await page.getByTestId('nav-clean').click();
  await page.getByTestId('clean-load').click();
  await page.getByTestId('clean-progress').waitFor({ timeout: 600_000 });
  await shoot(page, 'clean');
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-screenshots-'));
// The project is named after its folder, and the start screen shows the name.
const dataDir = path.join(tmp, 'my-fer-project');
fs.mkdirSync(OUT, { recursive: true });
const { url, child } = await serve(dataDir);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await tour(page, url, dataDir);
} finally {
  await browser.close();
  child.kill('SIGTERM');
  fs.rmSync(tmp, { recursive: true, force: true });
}
