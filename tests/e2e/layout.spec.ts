import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { ARTIFACTS, expect, openSample, test, trainFromPage } from './serve-fixture.ts';

/** How far an element's content overflows its box sideways (0 = no sideways scrolling). */
const sideways = (locator: Locator) => locator.evaluate((el) => el.scrollWidth - el.clientWidth);

/** Grid rows with their tiles' image ids, top to bottom, of the rows in view. */
async function gridRows(page: Page): Promise<string[][]> {
  return page.getByTestId('grid').evaluate((grid) => {
    const box = grid.getBoundingClientRect();
    return [...grid.querySelectorAll('.grid-row')]
      .filter((row) => {
        const r = row.getBoundingClientRect();
        return r.bottom > box.top && r.top < box.bottom;
      })
      .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
      .map((row) =>
        [...row.querySelectorAll('[data-testid="grid-item"]')].map(
          (item) => item.getAttribute('data-image-id') ?? '',
        ),
      );
  });
}

test('1024×700: the current page is highlighted, the grid shows rows, the detail does not reflow it', async ({
  page,
  studio,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await openSample(page, studio);

  // The sidebar marks the current page.
  const background = (id: string) =>
    page
      .getByTestId(id)
      .evaluate((el) => el.ownerDocument.defaultView?.getComputedStyle(el).backgroundColor ?? '');
  const current = await background('nav-dataset');
  expect(current).not.toBe(await background('nav-train'));
  expect(current).not.toBe('rgba(0, 0, 0, 0)');

  // Enough of the grid in view to browse: at least two and a half rows of tiles.
  const grid = page.getByTestId('grid');
  const rowHeight = await page
    .locator('.grid-row')
    .first()
    .evaluate((row) => row.getBoundingClientRect().height);
  const gridHeight = await grid.evaluate((el) => el.clientHeight);
  console.log(`dataset grid at 1024×700: ${(gridHeight / rowHeight).toFixed(2)} rows in view`);
  expect(gridHeight / rowHeight).toBeGreaterThanOrEqual(2.5);
  expect(await sideways(page.locator('.main')), 'main area').toBeLessThanOrEqual(0);

  // Opening the detail keeps the columns: the clicked tile stays in its row and column.
  const before = await gridRows(page);
  const columns = before[0]?.length ?? 0;
  expect(columns).toBeGreaterThan(3);
  const clicked = before[1]?.[columns - 1] as string;
  await page.locator(`[data-testid="grid-item"][data-image-id="${clicked}"]`).click();
  await expect(page.getByTestId('image-detail')).toBeVisible();
  const after = await gridRows(page);
  expect(after[0]?.length).toBe(columns);
  expect(after[1]?.indexOf(clicked)).toBe(columns - 1);
  await expect(
    page.locator(`[data-testid="grid-item"][data-image-id="${clicked}"]`),
  ).toBeInViewport();
  await page.screenshot({ path: path.join(ARTIFACTS, 'layout-dataset-1024.png') });
});

test('1024×700: Runs and per-class tables fit, the Evaluate detail opens in view', async ({
  page,
  studio,
}) => {
  test.setTimeout(300_000);
  await page.setViewportSize({ width: 1024, height: 700 });
  await openSample(page, studio);
  await trainFromPage(page, 1);

  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  expect(await sideways(page.locator('.runs-table-card')), 'runs table').toBeLessThanOrEqual(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'layout-runs-1024.png') });

  await page.getByTestId('nav-evaluate').click();
  await page.getByTestId('evaluate-start').click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible({ timeout: 120_000 });
  const perClass = page.getByRole('region', { name: 'Per-class metrics' });
  expect(await sideways(perClass), 'per-class table').toBeLessThanOrEqual(0);
  expect(await sideways(page.getByTestId('evaluate-page')), 'evaluate page').toBeLessThanOrEqual(0);

  await page.locator('[data-testid="confusion-cell"]:not([data-count="0"])').first().click();
  await page.getByTestId('cell-item').first().click();
  const detail = page.getByTestId('image-detail');
  await expect(detail).toBeVisible();
  // Its head (number, close button) and the image are on screen without scrolling.
  await expect(detail.locator('h2')).toBeInViewport();
  await expect(detail.locator('.detail-image')).toBeInViewport({ ratio: 0.9 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'layout-evaluate-1024.png') });
});
