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

test('the results kept on screen while a field is invalid still meet contrast', async ({ page }) => {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await openCalculator(page, 'model=llama-3.1-70b&num_gpus=2');
    await page.getByTestId('field-input_tokens').fill('abc');
    await expect(page.getByTestId('stale')).toBeVisible();
    await expect(page.locator('#results')).toHaveClass(/stale/);
    expect(await seriousViolations(page), scheme).toEqual([]);
  }
});

test('on a phone, every sideways-scrolling table of the methodology page is reachable by keyboard, with a name', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${siteA}methodology.html`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const scrollers = await page.$$eval('main *', (elements) =>
    elements
      .filter((e) => {
        const style = getComputedStyle(e);
        return (style.overflowX === 'auto' || style.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1;
      })
      .map((e) => ({ tabIndex: (e as HTMLElement).tabIndex, name: e.getAttribute('aria-label') ?? '', role: e.getAttribute('role') ?? '', html: e.outerHTML.slice(0, 80) })),
  );
  expect(scrollers.length).toBeGreaterThan(0); // the scoreboards are wider than a phone
  for (const s of scrollers) {
    expect(s.tabIndex, s.html).toBe(0);
    expect(s.name, s.html).not.toBe('');
    expect(s.role, s.html).toBe('region');
  }
  // Tab reaches the calibration scoreboard, and the arrow keys scroll it.
  const board = page.locator('.scroll:has([data-testid="calibration-table"])');
  for (let i = 0; i < 60 && !(await board.evaluate((e) => e === document.activeElement)); ++i) await page.keyboard.press('Tab');
  await expect(board).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => board.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('printing gives the scenario, the results and the why-panel, in the light theme', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await openCalculator(page, 'model=llama-3.1-70b&num_gpus=2', siteA, false);
  await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
  for (const shown of ['#form', '#summary', '#headline', '#memory', '#why']) await expect(page.locator(shown), shown).toBeVisible();
  await expect(page.getByTestId('field-model')).toBeVisible();
  await expect(page.getByTestId('why')).toContainText(/\S/);
  for (const hidden of ['.charts', '#catalog', '.actions', '.top nav', '.skip']) await expect(page.locator(hidden).first(), hidden).toBeHidden();
  // Dark text on white paper whatever the screen's theme.
  const colors = await page.evaluate(() => ({ fg: getComputedStyle(document.body).color, bg: getComputedStyle(document.body).backgroundColor }));
  expect(colors.bg).toBe('rgb(255, 255, 255)');
  const [r, g, b] = colors.fg.match(/\d+/g)!.map(Number);
  expect(r! + g! + b!).toBeLessThan(200);
  // One column: the results start below the scenario, at the same left edge.
  const form = (await page.locator('.inputs').boundingBox())!;
  const results = (await page.locator('#results').boundingBox())!;
  expect(results.y).toBeGreaterThanOrEqual(form.y + form.height - 1);
  const pdf = await page.pdf({ format: 'A4' });
  expect(pdf.length).toBeGreaterThan(1000);
});
