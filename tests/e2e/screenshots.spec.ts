// Screenshots of the main page (desktop and phone, light and dark), the embed widget inside a
// documentation page, and the methodology page, saved under build/e2e/screenshots (gitignored).
// On a phone-sized screen nothing may scroll sideways.
import { expect, test } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { embedOnOtherOrigin, openCalculator, repoRoot, siteA } from './helpers';

const folder = join(repoRoot, 'build/e2e/screenshots');
mkdirSync(folder, { recursive: true });

for (const scheme of ['light', 'dark'] as const) {
  test(`main page screenshots (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openCalculator(page, 'model=llama-3.1-70b&gpu=h200-sxm&num_gpus=2&weights=fp8');
    await page.screenshot({ path: join(folder, `main-desktop-${scheme}.png`), fullPage: true });

    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(folder, `main-phone-${scheme}.png`), fullPage: true });
    await page.screenshot({ path: join(folder, `main-phone-${scheme}-first-screen.png`) });
    // Text stays readable: no body text below 12 px.
    const smallest = await page.evaluate(() => Math.min(...[...document.querySelectorAll('p, li, label, td, th, dd, dt, small')].filter((e) => (e as HTMLElement).offsetParent !== null).map((e) => parseFloat(getComputedStyle(e).fontSize))));
    expect(smallest).toBeGreaterThanOrEqual(12);
  });
}

test('embed and methodology screenshots', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await embedOnOtherOrigin(page, `${siteA}embed.html?model=qwen3-235b-a22b&gpu=b200&num_gpus=4&weights=fp8&theme=${scheme}`);
    await page.locator('iframe').screenshot({ path: join(folder, `embed-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${siteA}methodology.html`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await page.screenshot({ path: join(folder, 'methodology.png'), fullPage: true });
});
