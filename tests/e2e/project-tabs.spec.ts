import fs from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, expect, test } from './serve-fixture.ts';

test('a project switch in one tab shows the other tab a notice; a closed project is deleted from the menu', async ({
  page,
  studio,
}) => {
  test.setTimeout(120_000);
  const first = path.basename(studio.dataDir);
  await page.goto(studio.url);
  await expect(page.getByTestId('project-name')).toHaveText(first);
  const other = await page.context().newPage();
  await other.goto(studio.url);
  await expect(other.getByTestId('open-sample')).toBeVisible();

  // This tab creates (and so opens) a project: the other tab is told, not silently switched.
  await page.getByTestId('new-project-name').fill('Faces B');
  await page.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name')).toHaveText('Faces B');
  await expect(page.getByTestId('project-changed-elsewhere')).toHaveCount(0);
  const notice = other.getByTestId('project-changed-elsewhere');
  await expect(notice).toContainText(`“${first}” was closed`);
  await expect(notice).toContainText('“Faces B”');
  await expect(other.getByTestId('open-sample')).toHaveCount(0);
  await other.screenshot({ path: path.join(ARTIFACTS, 'project-changed-elsewhere.png') });
  await notice.getByTestId('project-changed-reload').click();
  await expect(other.getByTestId('project-changed-elsewhere')).toHaveCount(0);
  await expect(other.getByTestId('open-sample')).toBeVisible();
  await other.close();

  // Faces C opens; Faces B, closed, is deleted from the menu behind a question naming it.
  await page.getByTestId('project-menu').click();
  const menu = page.getByRole('dialog', { name: 'Projects' });
  await menu.getByTestId('new-project-name').fill('Faces C');
  await menu.getByTestId('create-project').click();
  await expect(page.getByTestId('project-name')).toHaveText('Faces C');
  await page.getByTestId('project-menu').click();
  const facesB = menu.getByRole('listitem').filter({ hasText: 'Faces B' });
  const dirB = (await facesB.getByTestId('project-item').getAttribute('title')) ?? '';
  expect(fs.existsSync(path.join(dirB, 'catalogue.sqlite'))).toBe(true);
  // The open project offers no Delete…
  await expect(
    menu.getByRole('listitem').filter({ hasText: 'Faces C' }).getByTestId('project-delete'),
  ).toHaveCount(0);
  await facesB.getByTestId('project-delete').click();
  await expect(facesB.getByTestId('project-delete-confirm')).toContainText(
    'Delete the project “Faces B” with its 0 images and 0 runs?',
  );
  await facesB.getByTestId('project-delete-yes').click();
  await expect(menu.getByTestId('project-item').filter({ hasText: 'Faces B' })).toHaveCount(0);
  expect(fs.existsSync(dirB)).toBe(false);
});
