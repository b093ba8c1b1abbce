// The calculator's accelerator comparison prices every accelerator on one stated basis (issue 8):
// the price catalog is fetched after the first answer, the chart names its basis, the user picks
// the lens, an accelerator with no offer on it is marked as unpriced, and the bars equal
// `pertoken sweep gpus --pricing LENS`.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { cli, openCalculator, query, scratchFile } from './helpers';

const scenario = { model: 'llama-3.1-70b', gpu: 'h100-sxm', weights: 'fp8' };

function cliGpus(pricing: string): Record<string, unknown> {
  const outcome = cli(['sweep', 'gpus', '--scenario', scratchFile('basis.json', JSON.stringify(scenario)), '--pricing', pricing, '--format', 'json']);
  expect(outcome.ok, `pertoken sweep gpus --pricing ${pricing}`).toBe(true);
  return outcome.ok ? outcome.result : {};
}

async function shownSweep(page: Page): Promise<{ price_basis: string; points: { gpu: string; usd_per_gpu_hour: number | null; usd_per_million_tokens?: number | null; price_source?: string; status: string }[] }> {
  await expect(page.locator('#chart-gpus')).not.toHaveAttribute('aria-busy', 'true', { timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gpus-json').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8'));
}

function expectSameBars(shown: Awaited<ReturnType<typeof shownSweep>>, expected: Record<string, unknown>): void {
  const cliPoints = expected['points'] as { gpu: string; usd_per_gpu_hour: number | null; usd_per_million_tokens?: number | null }[];
  expect(shown.points.map((p) => p.gpu)).toEqual(cliPoints.map((p) => p.gpu));
  shown.points.forEach((p, i) => {
    const c = cliPoints[i]!;
    expect(p.usd_per_gpu_hour, p.gpu).toBe(c.usd_per_gpu_hour);
    if (c.usd_per_million_tokens === null || c.usd_per_million_tokens === undefined) expect(p.usd_per_million_tokens ?? null, p.gpu).toBeNull();
    else expect(p.usd_per_million_tokens!, p.gpu).toBeCloseTo(c.usd_per_million_tokens, 9);
  });
}

test('the accelerator comparison states one price basis, and its bars are the CLI’s on that basis', async ({ page }) => {
  test.setTimeout(90_000);
  await openCalculator(page, query(scenario), undefined, false);
  // The default basis: the core's (the CLI's default too), named in the title and the picker.
  const picker = page.getByTestId('gpus-pricing');
  await expect(picker).toHaveValue('on-demand:specialist');
  const shown = await shownSweep(page);
  expect(shown.price_basis).toBe('on-demand:specialist');
  await expect(page.locator('#chart-gpus-title')).toContainText('on-demand:specialist');
  expectSameBars(shown, cliGpus('on-demand:specialist'));
  // Every priced accelerator's price is an offer of that one class, never a reference price.
  for (const p of shown.points) if (p.usd_per_gpu_hour !== null) expect(p.price_source, p.gpu).not.toBe('catalog');

  // Another lens: the chart follows, and an accelerator with no offer on it is marked unpriced.
  await picker.selectOption('on-demand:hyperscaler');
  await expect(page.locator('#chart-gpus-title')).toContainText('on-demand:hyperscaler');
  const hyperscaler = await shownSweep(page);
  expect(hyperscaler.price_basis).toBe('on-demand:hyperscaler');
  expectSameBars(hyperscaler, cliGpus('on-demand:hyperscaler'));
  const unpriced = hyperscaler.points.filter((p) => p.status === 'fits' && p.usd_per_gpu_hour === null);
  expect(unpriced.length).toBeGreaterThan(0);
  const table = page.locator('#chart-gpus .data-table');
  await table.locator('summary').click();
  await expect(table.locator('tbody')).toContainText('(no price)');
});
