import path from 'node:path';
import { ARTIFACTS, expect, openSample, test, trainFromPage } from './serve-fixture.ts';

interface ImageRow {
  id: number;
  label: string;
}

test('evaluate a run, open a confusion cell, relabel two images by keyboard, undo one, retrain, compare', async ({
  page,
  studio,
}) => {
  test.setTimeout(480_000);
  await openSample(page, studio);

  // A short run to evaluate.
  await trainFromPage(page, 2);

  await page.getByTestId('nav-evaluate').click();
  await expect(page.getByTestId('evaluate-page')).toBeVisible();
  await page.getByTestId('evaluate-start').click();
  await expect(page.getByTestId('confusion-matrix')).toBeVisible({ timeout: 120_000 });
  const accuracy = Number(await page.getByTestId('evaluate-accuracy').getAttribute('data-value'));
  expect(accuracy).toBeGreaterThanOrEqual(0);
  expect(accuracy).toBeLessThanOrEqual(1);
  // Test-time flip: its figure appears beside the plain one, which stays what it was.
  await page.getByTestId('evaluate-flip').check();
  const flip = page.getByTestId('evaluate-flip-accuracy');
  await expect(flip).toBeVisible({ timeout: 120_000 });
  expect(Number(await flip.getAttribute('data-value'))).toBeGreaterThanOrEqual(0);
  await expect(page.getByTestId('evaluate-flip-table')).toBeVisible();
  await expect(page.getByTestId('evaluate-accuracy')).toHaveAttribute(
    'data-value',
    String(accuracy),
  );
  await expect(page.getByTestId('evaluate-start')).toBeEnabled();
  // Matrix counts add up to the test split; the first non-empty cell opens exactly its images.
  const counts = await page
    .getByTestId('confusion-cell')
    .evaluateAll((cells) => cells.map((c) => Number(c.getAttribute('data-count'))));
  expect(counts).toHaveLength(49);
  const cell = page.locator('[data-testid="confusion-cell"]:not([data-count="0"])').first();
  const expected = Number(await cell.getAttribute('data-count'));
  await cell.click();
  const grid = page.getByTestId('cell-grid');
  await expect(grid).toBeVisible();
  await expect(grid).toHaveAttribute('data-count', String(expected));
  // Virtualised: the rows in view are in the DOM, all of them for a cell this small.
  const rendered = await grid.getByTestId('cell-item').count();
  expect(rendered).toBeGreaterThan(0);
  expect(rendered).toBeLessThanOrEqual(expected);
  console.log(`confusion cell → grid: ${await grid.getAttribute('data-ms')} ms`);
  await page.screenshot({ path: path.join(ARTIFACTS, 'evaluate.png') });

  // Relabel two images with the keyboard, then undo the second.
  await page.getByTestId('nav-dataset').click();
  const before = studio.cli<ImageRow[]>('images');
  const first = before[0] as ImageRow;
  const second = before[1] as ImageRow;
  await page.locator(`[data-testid="grid-item"][data-image-id="${first.id}"]`).click();
  const target = first.label === 'surprise' ? '1' : '7';
  await page.keyboard.press(target);
  await expect(page.getByTestId('relabel-toast')).toContainText(`#${first.id}`);
  await page.locator(`[data-testid="grid-item"][data-image-id="${second.id}"]`).click();
  await page.keyboard.press('x');
  await expect(page.getByTestId('relabel-toast')).toContainText(`#${second.id}`);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('relabel-toast')).toContainText(/Undid/);

  const after = new Map(studio.cli<ImageRow[]>('images').map((row) => [row.id, row.label]));
  expect(after.get(first.id)).toBe(target === '1' ? 'angry' : 'surprise');
  expect(after.get(second.id)).toBe(second.label);

  // Retrain with the cleaned labels in one click: the new run is recorded beside the first.
  await trainFromPage(page, 1);
  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  // The Train page can still show run 1's "finished" just after the click: wait for run 2 itself.
  await expect(page.locator('[data-testid="run-row"][data-status="finished"]')).toHaveCount(2, {
    timeout: 240_000,
  });

  // Compare the two runs side by side: curves, per-class F1 deltas, confusion difference.
  for (const check of await page.getByTestId('compare-check').all()) await check.check();
  await page.getByTestId('compare-start').click();
  await expect(page.getByTestId('compare-table')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('compare-cell')).toHaveCount(49);
  await page.screenshot({ path: path.join(ARTIFACTS, 'compare.png') });
});
