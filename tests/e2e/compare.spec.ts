// Compare (issue 12): pin the scenario on screen, change the inputs, and see the pinned and the
// current scenarios side by side (every headline figure, and the current one's difference from
// each pin), up to four pins, kept in the permalink, exported as CSV. Every figure is checked
// against the CLI's answer for the same scenario; the differences are computed here from the
// CLI's numbers.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { afterRecompute, cliEstimate, expectClose, openCalculator, query } from './helpers';

const headline = [
  'usd_per_million_tokens',
  'usd_per_million_input_tokens',
  'usd_per_million_output_tokens',
  'output_tokens_per_second_per_gpu',
  'tokens_per_second_per_user',
  'ttft_seconds',
  'tpot_seconds',
  'max_concurrency',
];

const a = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' };
const b = { ...a, num_gpus: 8 };
const c = { ...b, model: 'llama-3.1-8b', input_tokens: 1000 };

function oracle(scenario: Record<string, unknown>): Record<string, any> {
  const r = cliEstimate(scenario);
  expect(r.ok, JSON.stringify(scenario)).toBe(true);
  return r.ok ? r.result : {};
}

const number = (v: string | null): number | null => (v === null || v === 'null' ? null : Number(v));

async function expectComparison(page: Page, pinned: Record<string, any>[], current: Record<string, any>): Promise<void> {
  for (const key of headline) {
    expectClose(number(await page.getByTestId(`compare-current-${key}`).getAttribute('data-value')), current[key], `current ${key}`);
    for (const [i, pin] of pinned.entries()) {
      expectClose(number(await page.getByTestId(`compare-${i}-${key}`).getAttribute('data-value')), pin[key], `pin ${i} ${key}`);
      const delta = current[key] === null || pin[key] === null ? null : current[key] - pin[key];
      const shown = number(await page.getByTestId(`compare-diff-${i}-${key}`).getAttribute('data-value'));
      if (delta === null) expect(shown, `pin ${i} ${key} difference`).toBeNull();
      else expect(Math.abs(shown! - delta), `pin ${i} ${key} difference`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(current[key])));
      // The share of the pinned figure, read back from the text: its sign, and three significant
      // digits within 0.5% of the share computed here.
      if (delta !== null && delta !== 0 && pin[key] !== 0) {
        const text = (await page.getByTestId(`compare-diff-${i}-${key}`).textContent()) ?? '';
        const [, sign, digits] = /\(([+−])([\d.,]+)%\)/.exec(text) ?? [];
        expect(sign, `pin ${i} ${key} share in "${text}"`).toBe(delta > 0 ? '+' : '−');
        const share = Math.abs((delta / pin[key]) * 100);
        expect(Math.abs(Number(digits!.replace(/,/g, '')) - share), `pin ${i} ${key} share in "${text}"`).toBeLessThanOrEqual(0.005 * share);
      }
    }
  }
  for (const [i, pin] of pinned.entries()) await expect(page.getByTestId(`compare-${i}-fits`)).toHaveAttribute('data-value', String(pin['fits']));
}

test('two pinned scenarios beside the current one match the CLI, survive the permalink and export as CSV', async ({ page, context }) => {
  const [ra, rb, rc] = [oracle(a), oracle(b), oracle(c)];
  await openCalculator(page, query(a), undefined, false);
  await expect(page.getByTestId('compare')).toBeHidden();
  await page.getByTestId('pin').click();
  await expect(page.getByTestId('compare')).toBeVisible();
  await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill('8'));
  await page.getByTestId('pin').click();
  await afterRecompute(page, () => page.getByTestId('field-model').selectOption('llama-3.1-8b'));
  await afterRecompute(page, () => page.getByTestId('field-input_tokens').fill('1000'));
  await expectComparison(page, [ra, rb], rc);
  await expect(page.getByTestId('compare-scenario-0')).toContainText('4 × NVIDIA H200');
  await expect(page.getByTestId('compare-scenario-1')).toContainText('8 × NVIDIA H200');
  await expect(page.getByTestId('compare-scenario-current')).toContainText('Llama 3.1 8B');

  // The permalink holds both pins; a new tab opened from it shows the same comparison.
  await expect.poll(() => new URL(page.url()).searchParams.getAll('pin').length).toBe(2);
  const pins = new URL(page.url()).searchParams.getAll('pin');
  expect(new URLSearchParams(pins[0]).get('num_gpus')).toBe('4');
  expect(new URLSearchParams(pins[1]).get('num_gpus')).toBe('8');
  const other = await context.newPage();
  await other.goto(page.url());
  await expect(other.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(other.getByTestId('notices')).toBeHidden();
  await expectComparison(other, [ra, rb], rc);

  // The CSV: a row per figure, a column per pinned scenario, the current one, the differences.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-compare-csv').click()]);
  const rows = readFileSync((await download.path())!, 'utf8').trim().split(/\r?\n/).map((line) => line.split(','));
  expect(rows[0]!.slice(0, 7)).toEqual(['key', 'unit', 'pinned A', 'pinned B', 'current', 'current - pinned A', 'current - pinned B']);
  for (const key of headline) {
    const row = rows.find((r) => r[0] === key)!;
    expect(row, key).toBeDefined();
    expectClose(Number(row[2]), ra[key], `csv A ${key}`);
    expectClose(Number(row[3]), rb[key], `csv B ${key}`);
    expectClose(Number(row[4]), rc[key], `csv current ${key}`);
    expect(Math.abs(Number(row[5]) - (rc[key] - ra[key]))).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(rc[key])));
  }

  // Unpinning A leaves B as the only pin, in the table and the link.
  await page.getByTestId('compare-remove-0').click();
  await expect(page.getByTestId('compare-1-usd_per_million_tokens')).toHaveCount(0);
  expectClose(number(await page.getByTestId('compare-0-usd_per_million_tokens').getAttribute('data-value')), rb['usd_per_million_tokens'], 'B after unpinning A');
  await expect.poll(() => new URL(page.url()).searchParams.getAll('pin').length).toBe(1);
});

test('at most four pins; opening a pin restores its scenario', async ({ page }) => {
  await openCalculator(page, query(a), undefined, false);
  for (const n of ['1', '2', '4', '8']) {
    await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill(n));
    await page.getByTestId('pin').click();
  }
  await expect(page.getByTestId('pin')).toBeDisabled();
  await expect(page.getByTestId('compare-3-usd_per_million_tokens')).toBeAttached();
  await afterRecompute(page, () => page.getByTestId('compare-open-1').click());
  await expect(page.getByTestId('field-num_gpus')).toHaveValue('2');
  const two = oracle({ ...a, num_gpus: 2 });
  expectClose(number(await page.getByTestId('answer-usd_per_million_tokens').getAttribute('data-value')), two['usd_per_million_tokens'], 'opened pin');
});

test('a link with more than four pins keeps four and says so', async ({ page }) => {
  const pin = new URLSearchParams({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }).toString();
  const params = new URLSearchParams(query({ model: 'llama-3.1-8b', gpu: 'l40s' }));
  for (let i = 0; i < 5; ++i) params.append('pin', pin);
  await openCalculator(page, params.toString(), undefined, false);
  await expect(page.getByTestId('compare-3-usd_per_million_tokens')).toBeAttached();
  await expect(page.getByTestId('compare-4-usd_per_million_tokens')).toHaveCount(0);
  await expect(page.getByTestId('notices')).toContainText('more than 4 pinned scenarios');
});
