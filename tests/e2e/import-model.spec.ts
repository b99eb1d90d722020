import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, expect, openSample, test } from './serve-fixture.ts';
import { writeModel } from './web-model.ts';

test('import a model from the Runs page with a preview, then train from it', async ({
  page,
  studio,
}) => {
  test.setTimeout(300_000);
  const modelDir = path.join(studio.dataDir, 'web-model');
  await writeModel(modelDir);
  await openSample(page, studio);
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('import-model-open').click();
  await page.getByTestId('import-model-path').fill(modelDir);
  await page.getByTestId('import-model-range').selectOption('-1,1');
  await page.getByTestId('import-model-order').selectOption('csv');
  await expect(page.getByTestId('import-model-save')).toBeDisabled();
  await page.getByTestId('import-model-preview').click();
  await expect(page.getByTestId('import-model-facts')).toContainText('36×36×3', {
    timeout: 60_000,
  });
  // Three images per class of the sample set, each with its label and prediction.
  await expect(page.getByTestId('import-model-sample')).toHaveCount(21);
  await page.screenshot({ path: path.join(ARTIFACTS, 'import-model-preview.png') });
  await page.getByTestId('import-model-save').click();
  await expect(page.getByTestId('import-model-path')).toHaveCount(0, { timeout: 60_000 });
  // Trained elsewhere: its file and input, none of this studio's training settings.
  await expect(page.getByTestId('run-config')).toContainText('Trained elsewhere');
  await expect(page.getByTestId('run-config')).not.toContainText('Batch size');
  const runs = studio.cli<{ id: number; model: string }[]>('runs');
  expect(runs).toHaveLength(1);
  expect(fs.existsSync(modelDir)).toBe(true);

  await page.getByTestId('fine-tune-open').click();
  await page.getByTestId('fine-tune-epochs').fill('1');
  await page.getByTestId('fine-tune-freeze').check();
  await page.getByTestId('fine-tune-last').fill('1');
  await page.getByTestId('fine-tune-start').click();
  await expect(page.getByTestId('train-status')).toHaveAttribute('data-status', 'finished', {
    timeout: 180_000,
  });
  const after = studio.cli<{ id: number; parentRunId: number | null; status: string }[]>('runs');
  expect(after).toHaveLength(2);
  expect(after.find((r) => r.id !== runs[0]?.id)).toMatchObject({
    parentRunId: runs[0]?.id,
    status: 'finished',
  });
});
