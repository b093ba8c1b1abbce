// Links the page did not write (issue 12): any length, settings in the fragment, other versions
// and accelerators from a custom catalog, each answered by the page's notice in true words.
import { expect, test } from '@playwright/test';
import { dataValues, openCalculator, siteA } from './helpers';

test('a 20 KB link renders the page with a notice (the server answers it, the page explains)', async ({ page }) => {
  const junk = 'x'.repeat(20_000);
  const response = await page.goto(`${siteA}?model=llama-3.1-70b&num_gpus=2&notes=${junk}`);
  expect(response?.status()).toBe(200);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const notices = page.getByTestId('notices');
  await expect(notices).toBeVisible();
  await expect(notices.locator('li[data-key="link"]')).toContainText('KB');
  await expect(notices.locator('li[data-key="link"]')).toContainText('longer than many web hosts accept');
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-70b');
  await expect(page.getByTestId('field-num_gpus')).toHaveValue('2');
  expect(Number((await dataValues(page, 'result-'))['usd_per_million_tokens'])).toBeGreaterThan(0);
  // The link the page writes back holds only what it uses.
  await expect.poll(() => page.evaluate(() => location.search.length)).toBeLessThan(400);
});

test('a link may carry its settings in the fragment, which no server sees', async ({ page }) => {
  await page.goto(`${siteA}#model=llama-3.1-70b&num_gpus=2&junk=${'y'.repeat(30_000)}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-70b');
  await expect(page.getByTestId('field-num_gpus')).toHaveValue('2');
  await expect(page.getByTestId('notices').locator('li[data-key="link"]')).toBeVisible();
  // The page writes its usual query, and the fragment's settings leave the address.
  await expect.poll(() => page.evaluate(() => location.search)).toContain('model=llama-3.1-70b');
  expect(await page.evaluate(() => location.hash)).toBe('');
});

test('a link from an older or newer version says so, and that nothing fell back when nothing did', async ({ page }) => {
  await openCalculator(page, 'v=0.0.1&model=llama-3.1-70b&num_gpus=2', undefined, false);
  const notices = page.getByTestId('notices');
  await expect(notices).toBeVisible();
  await expect(notices.locator('h2')).toHaveText('This link comes from another version');
  await expect(page.getByTestId('notices-summary')).toContainText('nothing fell back');
  await expect(notices.locator('li[data-key="v"]')).toContainText('an older version, pertoken 0.0.1');
  await expect(notices).not.toContainText('fell back to its default');
  expect(await notices.locator('li').count()).toBe(1);
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-70b');

  await openCalculator(page, 'v=99.0.0&model=no-such-model', undefined, false);
  await expect(notices.locator('h2')).toHaveText('This link was adjusted');
  await expect(page.getByTestId('notices-summary')).toContainText('One setting in the link could not be used');
  await expect(notices.locator('li[data-key="v"]')).toContainText('a newer version, pertoken 99.0.0');
  await expect(notices.locator('li[data-key="model"]')).toContainText('the default is used');
});

test('a link to a custom accelerator opened elsewhere says a custom catalog is needed', async ({ page }) => {
  await openCalculator(page, 'gpu=my-accelerator&num_gpus=2', undefined, false);
  const notice = page.getByTestId('notices').locator('li[data-key="gpu"]');
  await expect(notice).toContainText("unknown gpu 'my-accelerator'");
  await expect(notice).toContainText('custom catalog');
  await expect(page.getByTestId('field-num_gpus')).toHaveValue('2');
});
