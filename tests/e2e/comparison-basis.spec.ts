// The calculator's accelerator comparison prices every accelerator on one stated basis (issue 8):
// the price catalog is fetched after the first answer, the chart names its basis, the user picks
// the lens, an accelerator with no offer on it is marked as unpriced, and the bars equal
// `pertoken sweep gpus --pricing LENS`.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { cli, openCalculator, query, scratchFile } from './helpers';

const scenario = { model: 'llama-3.1-70b', gpu: 'h100-sxm', weights: 'fp8' };

function cliGpus(pricing: string, more: string[] = []): Record<string, unknown> {
  const outcome = cli(['sweep', 'gpus', '--scenario', scratchFile('basis.json', JSON.stringify(scenario)), '--pricing', pricing, ...more, '--format', 'json']);
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

test('the comparison’s price basis and interactivity floor are the user’s to change, and the link keeps them', async ({ page }) => {
  test.setTimeout(120_000);
  await openCalculator(page, query(scenario), undefined, false);
  const floor = page.getByTestId('gpus-floor');
  // The default floor is shown, and the title states it.
  await expect(floor).toHaveValue('20');
  await expect(page.locator('#chart-gpus-title')).toContainText('≥ 20 tokens/s per user');

  await page.getByTestId('gpus-pricing').selectOption('on-demand:hyperscaler');
  await floor.fill('40');
  await floor.press('Enter');
  await floor.blur();
  await expect(page.locator('#chart-gpus-title')).toContainText('on-demand:hyperscaler prices, ≥ 40 tokens/s per user');
  const shown = await shownSweep(page);
  expectSameBars(shown, cliGpus('on-demand:hyperscaler', ['--min-tokens-per-second-per-user', '40']));
  // A floor of 40 is not the default's ranking: at least one accelerator runs a smaller batch.
  const atDefault = cliGpus('on-demand:hyperscaler')['points'] as { gpu: string; concurrency?: number }[];
  const atForty = cliGpus('on-demand:hyperscaler', ['--min-tokens-per-second-per-user', '40'])['points'] as { gpu: string; concurrency?: number }[];
  expect(JSON.stringify(atForty)).not.toBe(JSON.stringify(atDefault));

  // The permalink holds both; opened afresh, the page shows them again.
  await expect.poll(() => new URL(page.url()).searchParams.get('pricing')).toBe('on-demand:hyperscaler');
  await expect.poll(() => new URL(page.url()).searchParams.get('min_tokens_per_second_per_user')).toBe('40');
  const link = page.url();
  await page.goto(link);
  await expect(page.getByTestId('gpus-pricing')).toHaveValue('on-demand:hyperscaler', { timeout: 30_000 });
  await expect(page.getByTestId('gpus-floor')).toHaveValue('40');
  await expect(page.locator('#chart-gpus-title')).toContainText('≥ 40 tokens/s per user');
  await expect(page.getByTestId('notices')).toBeHidden();
});

test('a link with a price basis this version lacks says so and uses the default; a bad floor gets the core’s words', async ({ page }) => {
  test.setTimeout(90_000);
  await openCalculator(page, query(scenario) + '&pricing=spot%3Amoon', undefined, false);
  await expect(page.getByTestId('gpus-pricing')).toHaveValue('on-demand:specialist', { timeout: 30_000 });
  await expect(page.getByTestId('notices')).toContainText('pricing');
  await expect(page.getByTestId('notices')).toContainText('spot:moon');
  const floor = page.getByTestId('gpus-floor');
  await floor.fill('-5');
  await floor.press('Enter');
  await floor.blur();
  await expect(page.locator('#chart-gpus')).toContainText('min_tokens_per_second_per_user', { timeout: 30_000 });
});

// The comparison's description names the largest instance its layout search considered, the
// link's max_devices where it sets one (the core's sweep says which), not a fixed 128.
test('the comparison says how many devices its layout search went up to', async ({ page }) => {
  test.setTimeout(90_000);
  for (const [extra, most] of [['', 128], ['&max_devices=16', 16]] as const) {
    await openCalculator(page, query(scenario) + extra, undefined, false);
    const shown = (await shownSweep(page)) as unknown as { max_devices: number };
    expect(shown.max_devices).toBe(most);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-gpus-svg').click()]);
    const svg = readFileSync((await download.path())!, 'utf8');
    const description = svg.match(/<desc>([^<]*)<\/desc>/)?.[1] ?? '';
    expect(description).toContain(`parallelism, up to ${most} devices)`);
    expect(description).toContain(`does not fit on up to ${most} devices`);
  }
});
