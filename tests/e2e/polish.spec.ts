import path from 'node:path';
import type { Locator } from '@playwright/test';
import { ARTIFACTS, expect, openSample, test } from './serve-fixture.ts';
import { writeModel } from './web-model.ts';

/** The DOM calls made in the page, typed here: the node typecheck has no DOM library. */
interface Box {
  right: number;
}
interface Styles {
  color: string;
  backgroundColor: string;
}
interface PageElement {
  getBoundingClientRect(): Box;
  querySelector(selector: string): PageElement | null;
  ownerDocument: { defaultView: { getComputedStyle(el: PageElement): Styles } };
}

/** WCAG contrast ratio between an element's text colour and its own background colour. */
async function contrast(locator: Locator, backgroundOf: Locator): Promise<number> {
  const background = await backgroundOf.elementHandle();
  return locator.evaluate((node, backgroundNode) => {
    const el = node as unknown as PageElement;
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = (css: string) => {
      const [r = 0, g = 0, b = 0] = rgb(css).map((v) => {
        const c = v / 255;
        return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const view = el.ownerDocument.defaultView;
    const a = luminance(view.getComputedStyle(el).color);
    const b = luminance(
      view.getComputedStyle(backgroundNode as unknown as PageElement).backgroundColor,
    );
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }, background);
}

test('1024×700 polish: the project name stays readable with its menu open; Predict has page margins', async ({
  page,
  studio,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openSample(page, studio);
  const button = page.getByTestId('project-menu');
  await button.click(); // the pointer stays on the button, as a person's does
  await expect(page.getByRole('dialog', { name: 'Projects' })).toBeVisible();
  const ratio = await contrast(page.getByTestId('project-name'), button);
  console.log(`project name contrast with its menu open: ${ratio.toFixed(1)}:1`);
  expect(ratio).toBeGreaterThanOrEqual(4.5);
  await page.keyboard.press('Escape');

  await page.getByTestId('nav-predict').click();
  const main = await page.locator('.main').boundingBox();
  const title = await page.getByTestId('predict-page').locator('h1').boundingBox();
  expect(main && title).toBeTruthy();
  await page.screenshot({ path: path.join(ARTIFACTS, 'polish-predict-1024.png') });
  // The same margin as the other pages' titles, not flush with the sidebar and the top.
  await page.getByTestId('nav-runs').click();
  const runsTitle = await page.getByTestId('runs-page').locator('h1').boundingBox();
  expect(title?.x).toBeCloseTo(runsTitle?.x ?? -1, 0);
  expect((title?.x ?? 0) - (main?.x ?? 0)).toBeGreaterThanOrEqual(16);
});

test('an imported run’s SHA-256 stays inside its cell', async ({ page, studio }) => {
  const modelDir = path.join(studio.dataDir, 'web-model');
  await writeModel(modelDir);
  await page.setViewportSize({ width: 1024, height: 700 });
  await openSample(page, studio);
  studio.cli('import-model', modelDir);
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('run-row').first().click();
  const fact = page.getByTestId('run-config').locator('div', { hasText: 'SHA-256' });
  await expect(fact.locator('dd')).toHaveText(/^[0-9a-f]{64}$/);
  const overflow = await fact.evaluate((node) => {
    const cell = node as unknown as PageElement;
    const dd = cell.querySelector('dd') as PageElement;
    return dd.getBoundingClientRect().right - cell.getBoundingClientRect().right;
  });
  await page.screenshot({ path: path.join(ARTIFACTS, 'polish-imported-run-1024.png') });
  expect(overflow).toBeLessThanOrEqual(0.5);
});
