// Accessibility: axe-core (from npm, injected into the page) finds no serious or critical
// violation on the calculator (light and dark), the embed widget and the methodology page.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openCalculator, originB, siteA } from './helpers';

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function seriousViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
}

for (const scheme of ['light', 'dark'] as const) {
  test(`the calculator has no serious axe violation (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openCalculator(page, 'model=mixtral-8x7b&num_gpus=2');
    await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
    await page.locator('#chart-batching details summary').click(); // a data table open too
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test('the embed widget and the methodology page have no serious axe violation', async ({ page }) => {
  await page.goto(`${siteA}embed.html?model=llama-3.1-70b&num_gpus=2`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  expect(await seriousViolations(page)).toEqual([]);
  await page.goto(`${originB}/methodology.html`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  expect(await seriousViolations(page)).toEqual([]);
});
