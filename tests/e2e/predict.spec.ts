import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM } from '../../playwright.config.ts';
import {
  composeScene,
  hasFer,
  pickFerFaces,
  sceneJpeg,
  type Scene,
} from '../fixtures/face-scenes.ts';
import { ARTIFACTS, expect, openSample, test, trainFromPage } from './serve-fixture.ts';

interface Stats {
  classes: Record<string, { train: number; test: number }>;
  total: number;
}

/** A Y4M video (4:2:0, gray) of the scenes, for Chromium's fake camera; it loops the file. */
function writeY4m(file: string, scenes: Scene[]): void {
  const [first] = scenes;
  if (!first) throw new Error('no frames');
  const { width, height } = first;
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`)];
  for (const scene of scenes) {
    const luma = Buffer.alloc(width * height);
    for (let i = 0; i < luma.length; i++) luma[i] = scene.rgb[i * 3] ?? 0;
    // Each scene held for 10 frames (1 s), so the boxes move once a second.
    for (let k = 0; k < 10; k++) parts.push(Buffer.from('FRAME\n'), luma, chroma);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}

test.describe('Predict page', () => {
  test.skip(!hasFer, 'composed photos need ../shared/fer2013 faces');

  test('drop a composed photo, see its boxes, open a face, add it to the catalogue and undo', async ({
    page,
    studio,
  }) => {
    test.setTimeout(360_000);
    await openSample(page, studio);
    await trainFromPage(page, 1);
    await page.getByTestId('nav-predict').click();
    await expect(page.getByTestId('predict-page')).toBeVisible();

    const scene = await composeScene({
      width: 640,
      height: 480,
      faces: pickFerFaces(3, 7),
      sizes: [120, 140, 160],
      seed: 3,
    });
    const b64 = (await sceneJpeg(scene)).toString('base64');
    const transfer = await page.evaluateHandle((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      // Runs in the page; the node tsconfig has no DOM types.
      const { DataTransfer: Transfer } = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: File): void } };
      };
      const dt = new Transfer();
      dt.items.add(new File([bytes], 'group.jpg', { type: 'image/jpeg' }));
      return dt;
    }, b64);
    await page.getByTestId('photo-drop').dispatchEvent('drop', { dataTransfer: transfer });

    const boxes = page.getByTestId('photo-boxes');
    await expect(boxes).toHaveAttribute('data-faces', '3', { timeout: 60_000 });
    await page.getByTestId('face-box').nth(1).click();
    await expect(page.getByTestId('face-crop')).toBeVisible();
    const probabilities = await page
      .getByTestId('face-probabilities')
      .locator('li')
      .evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-p'))));
    expect(probabilities).toHaveLength(7);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    await page.screenshot({ path: path.join(ARTIFACTS, 'predict.png') });

    const count = page.getByTestId('predict-train-count');
    const before = Number(await count.getAttribute('data-count'));
    const surpriseBefore = studio.cli<Stats>('stats').classes['surprise']?.train ?? 0;
    await page.getByTestId('add-face-label').selectOption('surprise');
    await page.getByTestId('add-face').click();
    await expect(count).toHaveAttribute('data-count', String(before + 1));
    expect(studio.cli<Stats>('stats').classes['surprise']?.train).toBe(surpriseBefore + 1);

    await page.keyboard.press('Control+z');
    await expect(count).toHaveAttribute('data-count', String(before));
    expect(studio.cli<Stats>('stats').classes['surprise']?.train).toBe(surpriseBefore);

    // A text file named like a photo gets a message; the page and the catalogue are unchanged.
    await page.getByTestId('photo-input').setInputFiles({
      name: 'notes.jpg',
      mimeType: 'image/jpeg',
      buffer: Buffer.from('not a picture'),
    });
    await expect(page.getByTestId('photo-error')).toContainText('not a JPEG');
    await expect(count).toHaveAttribute('data-count', String(before));
  });

  test("webcam through Chromium's fake camera: boxes appear and follow the faces", async ({
    studio,
  }) => {
    test.setTimeout(360_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-webcam-'));
    const frames: Scene[] = [];
    for (let f = 0; f < 4; f++)
      frames.push(
        await composeScene({
          width: 640,
          height: 480,
          faces: pickFerFaces(2, 50 + f),
          sizes: [150, 180],
          seed: 60 + f,
        }),
      );
    const video = path.join(dir, 'faces.y4m');
    writeY4m(video, frames);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await openSample(page, studio);
      await trainFromPage(page, 1);
      await page.getByTestId('nav-predict').click();
      await page.getByTestId('tab-webcam').click();
      await page.getByTestId('webcam-start').click();
      const boxes = page.getByTestId('webcam-boxes');
      await expect(boxes).toHaveAttribute('data-faces', /[12]/, { timeout: 60_000 });
      const firstBox = async () =>
        boxes
          .locator('rect')
          .first()
          .evaluate((r) => `${r.getAttribute('x')},${r.getAttribute('y')}`);
      const seen = new Set<string>([await firstBox()]);
      await expect
        .poll(async () => seen.add(await firstBox()).size, { timeout: 30_000, intervals: [250] })
        .toBeGreaterThan(1);
      const fps = Number(await page.getByTestId('webcam-fps').getAttribute('data-fps'));
      console.log(`webcam loop in the e2e browser: ${fps} frames/s`);
      expect(fps).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'predict-webcam.png') });
      await page.getByTestId('webcam-snapshot').click();
      await expect(page.getByTestId('photo-card')).toHaveCount(1);
    } finally {
      await browser.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
