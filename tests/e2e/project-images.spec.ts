import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from '@playwright/test';
import { CLASS_NAMES } from '../../app/contract/classes.ts';
import { expect, test } from './serve-fixture.ts';

const FER = '/work/shared/fer2013/test';

/** A few real FER-2013 faces per class, in class folders. */
function realFaces(perClass: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fer-real-'));
  for (const name of CLASS_NAMES) {
    fs.mkdirSync(path.join(dir, name));
    for (const file of fs.readdirSync(path.join(FER, name)).sort().slice(0, perClass))
      fs.copyFileSync(path.join(FER, name, file), path.join(dir, name, file));
  }
  return dir;
}

function stored(catalogPath: string, id: number): { key: string; pixels: number[] } {
  const db = new Database(catalogPath, { readonly: true });
  try {
    const key = db.prepare('SELECT image_key FROM catalogue_identity').pluck().get() as string;
    const pixels = db.prepare('SELECT pixels FROM images WHERE id = ?').pluck().get(id) as Buffer;
    return { key, pixels: [...pixels] };
  } finally {
    db.close();
  }
}

/** The grey levels the page shows for grid image `id` (whatever cache it came from), and its URL. */
async function shown(page: Page, id: number): Promise<{ src: string; pixels: number[] }> {
  const img = page.locator(`[data-testid="grid-item"][data-image-id="${id}"] img`);
  await expect(img).toHaveJSProperty('complete', true);
  // Runs in the page; the node tsconfig has no DOM types, so the few used are named here.
  type Img = {
    naturalWidth: number;
    naturalHeight: number;
    getAttribute(name: string): string | null;
  };
  type Canvas = {
    width: number;
    height: number;
    getContext(kind: '2d'): {
      drawImage(image: Img, x: number, y: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
    } | null;
  };
  return img.evaluate((el) => {
    const image = el as unknown as Img;
    const doc = (globalThis as unknown as { document: { createElement(tag: 'canvas'): Canvas } })
      .document;
    const canvas = doc.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(image, 0, 0);
    const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
    return {
      src: image.getAttribute('src') ?? '',
      pixels: Array.from({ length: rgba.length / 4 }, (_, i) => rgba[i * 4] ?? -1),
    };
  });
}

async function switchProject(page: Page, name: string): Promise<void> {
  await page.getByTestId('project-menu').click();
  const menu = page.getByRole('dialog', { name: 'Projects' });
  await menu.getByTestId('project-item').filter({ hasText: name }).click();
  await expect(page.getByTestId('project-name')).toHaveText(name);
}

test('each project grid shows its own faces, in any cache, after a switch and back', async ({
  page,
  studio,
}) => {
  test.skip(!fs.existsSync(FER), `needs real FER-2013 faces in ${FER} (absent on this machine)`);
  test.setTimeout(180_000);
  const sampleDb = path.join(studio.dataDir, 'projects/sample/catalogue.sqlite');
  const realDb = path.join(studio.dataDir, 'projects/real-faces/catalogue.sqlite');

  await page.goto(studio.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('project-name')).toHaveText('Sample — synthetic faces', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('grid-item').first()).toBeVisible({ timeout: 60_000 });
  const sample = stored(sampleDb, 1);
  const sampleShown = await shown(page, 1);
  expect(sampleShown.src).toContain(`/api/images/${sample.key}/1.png`);
  expect(sampleShown.pixels).toEqual(sample.pixels);

  await page.getByTestId('project-menu').click();
  await page.getByTestId('new-project-name').fill('Real faces');
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name')).toHaveText('Real faces');
  await page.getByTestId('import-folder').click();
  await page.getByTestId('import-path').fill(realFaces(3));
  await page.getByTestId('import-start').click();
  await page.getByRole('button', { name: 'Done' }).click({ timeout: 60_000 });
  await expect(page.getByTestId('grid-item').first()).toBeVisible();
  const real = stored(realDb, 1);
  expect(real.key).not.toBe(sample.key);
  const realShown = await shown(page, 1);
  expect(realShown.src).toContain(`/api/images/${real.key}/1.png`);
  expect(realShown.pixels).toEqual(real.pixels);
  expect(realShown.pixels).not.toEqual(sample.pixels);

  await switchProject(page, 'Sample — synthetic faces');
  expect((await shown(page, 1)).pixels).toEqual(sample.pixels);
  await page.reload();
  await switchProject(page, 'Real faces');
  expect((await shown(page, 1)).pixels).toEqual(real.pixels);
});
