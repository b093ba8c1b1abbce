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
