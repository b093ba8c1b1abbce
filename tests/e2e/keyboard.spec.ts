// Keyboard use: every control is reachable with Tab, shows where the focus is, and works with
// the keys a person would press (arrows in a list, typing, Enter on buttons, Escape to close).
import { expect, test } from '@playwright/test';
import { openCalculator, recomputes, siteA } from './helpers';

test('the calculator works from the keyboard alone', async ({ page }) => {
  await openCalculator(page, '', siteA, false);
  const reached: string[] = [];
  for (let i = 0; i < 100; ++i) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      if (!e || e === document.body) return null;
      const style = getComputedStyle(e);
      return { id: e.dataset['testid'] ?? e.id ?? e.tagName, outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 };
    });
    if (!focused) continue;
    reached.push(focused.id);
    expect(focused.outline, `${focused.id} shows focus`).toBe(true);
  }
  for (const id of ['field-model', 'field-gpu', 'field-num_gpus', 'field-input_tokens', 'field-usd_per_gpu_hour', 'catalog-file', 'export-results-csv', 'embed', 'export-batching-png']) {
    expect(reached, `${id} is reachable with Tab`).toContain(id);
  }
  expect(reached.indexOf('field-model')).toBeLessThan(reached.indexOf('field-input_tokens'));

  // Change the model with the arrow keys, type a number, open and close the embed dialog.
  await page.getByTestId('field-model').focus();
  const before = await recomputes(page);
  await page.keyboard.press('ArrowDown');
  await expect.poll(() => recomputes(page)).toBeGreaterThan(before);
  await expect(page.getByTestId('field-model')).not.toHaveValue('llama-3.1-8b');
  await page.getByTestId('field-input_tokens').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('4096');
  await expect(page.getByTestId('field-input_tokens')).toHaveValue('4096');
  await expect.poll(() => new URL(page.url()).searchParams.get('input_tokens')).toBe('4096');
  await page.getByTestId('embed').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('embed-dialog')).toBeVisible();
  await expect(page.getByTestId('embed-snippet')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('embed-dialog')).toBeHidden();

  // The skip link is the first stop and leads to the results.
  await openCalculator(page, '', siteA, false);
  await page.keyboard.press('Tab');
  await expect(page.locator('a.skip')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#results$/);
});
