// The methodology page is generated from the core: its scoreboard equals `pertoken validate`
// (both sets), its factors are the ones the calculator uses, and every row links its source.
import { expect, test } from '@playwright/test';
import { cli, expectClose, siteA } from './helpers';

test('the scoreboard and the factors come from the core, not from typing', async ({ page }) => {
  await page.goto(`${siteA}methodology.html`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  for (const set of ['calibration', 'holdout'] as const) {
    const report = cli(set === 'holdout' ? ['validate', 'holdout', '--format', 'json'] : ['validate', '--format', 'json']);
    expect(report.ok).toBe(true);
    if (!report.ok) continue;
    const r = report.result;
    const rows = page.getByTestId(`${set}-table`).locator('tbody tr');
    // A long scoreboard shows its first 200 rows; its button adds the rest.
    if (r['rows'] > 200) {
      await expect(rows).toHaveCount(200);
      await page.getByTestId(`${set}-show-all`).click();
      await expect(page.getByTestId(`${set}-show-all`)).toHaveCount(0);
    } else {
      await expect(page.getByTestId(`${set}-show-all`)).toHaveCount(0);
    }
    await expect(rows).toHaveCount(r['rows']);
    await expect(page.getByTestId(`${set}-summary`)).toContainText(`${new Intl.NumberFormat('en-US').format(r['rows'])} measurements`);
    // The shown median read back: three significant digits are within 0.5% of the CLI's figure.
    const summary = page.getByTestId(`${set}-summary`);
    await expect(summary).toContainText(/median absolute error [\d.]+%/);
    const shown = Number(/median absolute error ([\d.]+)%/.exec((await summary.textContent()) ?? '')![1]);
    const median: number = r['median_absolute_percent_error'];
    expect(Math.abs(shown - median)).toBeLessThanOrEqual(0.005 * median);
    // The groups table: every group the CLI reports, with its rows and medians.
    const groups = page.getByTestId(`${set}-groups`).locator('tbody tr');
    await expect(groups).toHaveCount(r['groups'].length);
    for (const g of r['groups']) {
      const row = page.locator(`[data-testid="${set}-groups"] tbody tr[data-group="${g.name}"]`);
      await expect(row.locator('td').nth(0)).toHaveText(new Intl.NumberFormat('en-US').format(g.rows));
      expectClose(Number(await row.locator('td').nth(1).getAttribute('data-value')), g.median_absolute_percent_error, `${set} ${g.name} median`);
      expectClose(Number(await row.locator('td').nth(5).getAttribute('data-value')), g.source_weighted_median_absolute_percent_error, `${set} ${g.name} by source`);
      // Marked beyond the core's threshold (close_enough_percent), not one of the page's own.
      const beyond = g.median_absolute_percent_error > r['close_enough_percent'];
      await expect(row.locator('td').nth(1)).toHaveClass(beyond ? /err-high/ : /^(?!.*err-high)/);
    }
    await expect(page.getByTestId(`${set}-summary`)).toContainText(`within ±${r['close_enough_percent']}%`);
    for (const i of [0, Math.floor(r['rows'] / 2), r['rows'] - 1]) {
      const expected = r['results'][i];
      const row = page.locator(`[data-testid="${set}-table"] tbody tr[data-id="${expected.id}"]`);
      expectClose(Number(await row.locator('td').nth(7).getAttribute('data-value')), expected.measured, `${expected.id} measured`);
      if (expected.predicted !== null) expectClose(Number(await row.locator('td').nth(8).getAttribute('data-value')), expected.predicted, `${expected.id} predicted`);
      if (expected.percent_error !== null) {
        const beyond = Math.abs(expected.percent_error) > r['close_enough_percent'];
        await expect(row.locator('td').nth(9)).toHaveClass(beyond ? /err-high/ : /^(?!.*err-high)/);
      }
      await expect(row.locator('a')).toHaveAttribute('href', expected.source_url);
    }
  }
  // The scenario fields come from the core's list too: every key the CLI's help names is there.
  const keys = await page.getByTestId('fields-table').locator('tbody th code').allTextContents();
  for (const key of ['model', 'gpu', 'num_gpus', 'tp', 'input_tokens', 'output_tokens', 'concurrency', 'usd_per_gpu_hour']) expect(keys).toContain(key);
  expect(keys.length).toBeGreaterThanOrEqual(15);

  const factors = page.getByTestId('efficiency-table').locator('tbody tr');
  expect(await factors.count()).toBeGreaterThanOrEqual(9);
  await expect(page.getByTestId('efficiency-table')).toContainText('memory_bandwidth_fraction');
  await expect(page.getByTestId('efficiency-table')).toContainText('fitted to the calibration set');
  // The MLA layers' cost ratio is a guess the fit holds (the core's documented_fit_moves).
  await expect(page.locator('#factor-mla_layer_overhead_ratio')).toContainText('prior (not fitted)');
  await expect(page.locator('[data-factor="roofline_sharpness"]')).not.toBeEmpty();
});
