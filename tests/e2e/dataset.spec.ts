import path from 'node:path';
import { CLASS_NAMES } from '../../app/contract/classes.ts';
import type { Stats } from '../../app/contract/handlers.ts';
import { ARTIFACTS, expect, openSample, test } from './serve-fixture.ts';

test('import the sample set through the UI, read the balance, filter, scroll and open an image', async ({
  page,
  studio,
}) => {
  await openSample(page, studio);

  // The chart's counts must be the catalogue's, read independently through the CLI.
  const stats = studio.cli<Stats>('stats');
  expect(stats.total).toBeGreaterThan(0);
  for (const name of CLASS_NAMES) {
    for (const split of ['train', 'test'] as const) {
      await expect(page.getByTestId(`count-${split}-${name}`)).toHaveText(
        String(stats.classes[name][split]),
      );
    }
  }
  await page.screenshot({ path: path.join(ARTIFACTS, 'dataset-page.png') });

  await expect(page.getByTestId('grid-count')).toHaveAttribute('data-count', String(stats.total));
  const happyTrain = stats.classes.happy.train;
  await page.getByTestId('bar-train-happy').click();
  await expect(page.getByTestId('grid-count')).toHaveAttribute('data-count', String(happyTrain));
  const labels = await page
    .getByTestId('grid-item')
    .evaluateAll((items) => items.map((item) => item.getAttribute('data-label')));
  expect(labels.length).toBeGreaterThan(0);
  expect(new Set(labels)).toEqual(new Set(['happy']));

  // Back to everything, scroll the virtualized grid to the end: the last image gets rendered.
  await page.getByTestId('filter-label').selectOption('all');
  await page.getByTestId('filter-split').selectOption('all');
  await expect(page.getByTestId('grid-count')).toHaveAttribute('data-count', String(stats.total));
  const renderedBefore = await page.getByTestId('grid-item').count();
  expect(renderedBefore).toBeLessThan(stats.total);
  await page.getByTestId('grid').evaluate((grid) => grid.scrollTo(0, grid.scrollHeight));
  // A fresh catalogue numbers its images 1..N, so the last one has id N.
  await expect(
    page.locator(`[data-testid="grid-item"][data-image-id="${stats.total}"]`),
  ).toBeVisible();

  await page.getByTestId('grid-item').first().click();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('image-detail');
  await expect(detail).toBeVisible();
  await expect(detail).toContainText('sample_');
  await page.screenshot({ path: path.join(ARTIFACTS, 'image-detail.png') });
  await page.keyboard.press('Escape');
  await expect(detail).toBeHidden();
});

test('API requests without the session token get 401', async ({ request, studio }) => {
  const noToken = await request.get(`${studio.origin}/api/images/1.png`);
  expect(noToken.status()).toBe(401);
  const wrong = await request.get(
    `${studio.origin}/api/images/1.png?token=${'x'.repeat(studio.token.length)}`,
  );
  expect(wrong.status()).toBe(401);
});
