// Time to the first answer (issue 12), as behaviour rather than a timing: the calculator's $
// figure is on screen before the code of its charts (uPlot), comparison, why-panel and specs has
// even arrived, and the embed never loads it. Each test holds back every script that contains
// uPlot (recognised by its class name "u-legend", which minifying keeps) until the answer is
// shown; a page whose answer waited for that code would never show it.
// How long the answer takes is measured by scripts/web_budget.mjs, not here.
import { expect, test, type Page } from '@playwright/test';
import { cliEstimate } from './helpers';

// Holds back, until release(), every JavaScript response that carries uPlot's code.
async function holdChartCode(page: Page): Promise<{ held: () => number; release: () => void }> {
  let release = () => {};
  const released = new Promise<void>((done) => (release = done));
  let held = 0;
  await page.route(/\.js$/, async (route) => {
    const response = await route.fetch();
    const body = await response.text();
    if (body.includes('u-legend')) {
      held += 1;
      await released;
    }
    await route.fulfill({ response, body });
  });
  return { held: () => held, release };
}

test('the calculator shows its answer before the charts code arrives', async ({ page }) => {
  const scenario = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' };
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  const charts = await holdChartCode(page);
  await page.goto(`./?${new URLSearchParams(Object.entries(scenario).map(([k, v]) => [k, String(v)]))}`);
  const figure = page.getByTestId('answer-usd_per_million_tokens');
  await expect(figure).toHaveAttribute('data-value', String(expected.result['usd_per_million_tokens']));
  await expect(figure).toBeVisible();
  // The panels were asked for (after the answer's paint) and are held: nothing drawn yet.
  await expect.poll(charts.held).toBe(1);
  await expect(page.locator('html')).not.toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#chart-batching svg, #chart-batching canvas')).toHaveCount(0);
  charts.release();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#chart-batching canvas').first()).toBeVisible();
  await expect(figure).toHaveAttribute('data-value', String(expected.result['usd_per_million_tokens']));
});

test('the embed never loads the charts code', async ({ page }) => {
  const charts = await holdChartCode(page);
  await page.goto('./embed.html?model=llama-3.1-70b&gpu=h200-sxm&num_gpus=4&weights=fp8');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('embed-usd_per_million_tokens')).toBeVisible();
  expect(charts.held()).toBe(0);
  charts.release();
});

// The headline goes up before the form's fields are made: the form (22 fields and their pickers)
// is built once the answer is painted. An init script records the order in which they enter.
test('the calculator puts its answer on the page before it builds the form', async ({ page }) => {
  await page.addInitScript(() => {
    const order: string[] = [];
    (window as unknown as { __order: string[] }).__order = order;
    new MutationObserver(() => {
      if (!order.includes('answer') && document.querySelector('[data-testid="answer-usd_per_million_tokens"][data-value]')) order.push('answer');
      if (!order.includes('form') && document.querySelector('#form [data-testid="field-model"]')) order.push('form');
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.goto('./?model=llama-3.1-8b&gpu=h100-sxm');
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  expect(await page.evaluate(() => (window as unknown as { __order: string[] }).__order)).toEqual(['answer', 'form']);
});

// Both pages start compiling the core from their <head> (site/src/boot.ts) while their modules
// load, and the core is made from that compile: the page's module is held back a moment so that
// the embed's async boot script surely runs first (without it the core would compile itself, and
// say so).
for (const path of ['./?model=llama-3.1-8b', './embed.html?model=llama-3.1-8b']) {
  test(`the core is compiled from the page's head (${path.startsWith('./embed') ? 'embed' : 'calculator'})`, async ({ page }) => {
    const wasm: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('.wasm')) wasm.push(request.url());
    });
    await page.route(/\/assets\/(main|embed)\.js$/, async (route) => {
      await new Promise((done) => setTimeout(done, 1000));
      await route.continue();
    });
    await page.goto(path);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    const slots = await page.evaluate(() => {
      const compiles = (globalThis as Record<string, unknown>)['__pertokenCompiles'];
      return compiles && typeof compiles === 'object' ? Object.values(compiles) : null;
    });
    expect(slots).toEqual(['taken']); // the core was made once, from the one download
    expect(wasm.filter((url) => url.endsWith('/pertoken.wasm'))).toHaveLength(1);
  });
}
