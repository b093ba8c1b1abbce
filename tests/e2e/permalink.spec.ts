// Permalinks: the whole state lives in the URL and comes back exactly; a tampered, hostile or
// outdated link falls back to defaults field by field, with a visible notice and nothing run.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { afterRecompute, cliEstimate, dataValues, openCalculator, record, siteA } from './helpers';

// The core's result for the scenario on screen, through the result's JSON export.
async function shownResult(page: Page): Promise<Record<string, any>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-results-json').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, any>;
}

async function formValues(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#form [data-testid^="field-"]', (elements) =>
    Object.fromEntries(elements.map((e) => [(e as HTMLElement).dataset['testid']!, (e as HTMLInputElement | HTMLSelectElement).value])),
  );
}

test('a link restores the state exactly', async ({ page, context }) => {
  await openCalculator(page);
  await afterRecompute(page, () => page.getByTestId('field-model').selectOption('llama-3.1-70b'));
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('h200-sxm'));
  await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill('4'));
  await afterRecompute(page, () => page.getByTestId('field-weights').selectOption('fp8'));
  await afterRecompute(page, () => page.getByTestId('field-input_tokens').fill('3000'));
  await afterRecompute(page, () => page.getByTestId('field-concurrency').fill('32'));
  await afterRecompute(page, () => page.getByTestId('field-usd_per_gpu_hour').fill('4.25'));
  await expect.poll(() => new URL(page.url()).searchParams.get('usd_per_gpu_hour')).toBe('4.25');

  const link = page.url();
  const params = new URL(link).searchParams;
  expect(Object.fromEntries(params)).toMatchObject({ model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: '4', weights: 'fp8', input_tokens: '3000', concurrency: '32', usd_per_gpu_hour: '4.25' });
  const fields = await formValues(page);
  const results = await dataValues(page, 'result-');
  const memory = await dataValues(page, 'memory-');

  const other = await context.newPage();
  await openCalculator(other, new URL(link).search.slice(1));
  expect(await formValues(other)).toEqual(fields);
  expect(await dataValues(other, 'result-')).toEqual(results);
  expect(await dataValues(other, 'memory-')).toEqual(memory);
  await expect(other.getByTestId('notices')).toBeHidden();
  expect(other.url()).toBe(link);

  // And the link means the same to the CLI.
  const cli = cliEstimate({ model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8', input_tokens: 3000, concurrency: 32, usd_per_gpu_hour: 4.25 });
  expect(cli.ok && cli.result['usd_per_million_tokens']).toBeCloseTo(Number(results['usd_per_million_tokens']), 12);
});

test('a hostile link is neutralised and explained', async ({ page, context }) => {
  const recorder = await record(context);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  const hostile = new URLSearchParams({
    model: '<script>window.__pwned = 1</script>',
    gpu: '"><img src=x onerror="window.__pwned=2">',
    input_tokens: '1e308',
    num_gpus: '99999999999999999999999',
    concurrency: '-5',
    weights: 'fp3',
    output_tokens: '<b>500</b>',
    bogus: 'javascript:alert(1)',
    usd_per_gpu_hour: 'x'.repeat(5000),
  });
  await openCalculator(page, hostile.toString());

  const notices = page.getByTestId('notices');
  await expect(notices).toBeVisible();
  for (const key of ['Model', 'Accelerator', 'Input tokens', 'Devices', 'Concurrency', 'Weights', 'Output tokens', 'bogus', 'Price per device-hour']) {
    await expect(notices).toContainText(key);
  }
  // The hostile values are shown as text, never as markup.
  await expect(notices).toContainText('<script>window.__pwned = 1</script>');
  await expect(notices).toContainText('<img src=x');
  expect(await notices.locator('script, img, b').count()).toBe(0);
  expect(await page.locator('body img, body script').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);

  // Every field fell back to its default and the page computed the default scenario.
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-8b');
  await expect(page.getByTestId('field-gpu')).toHaveValue('h100-sxm');
  await expect(page.getByTestId('field-input_tokens')).toHaveValue('2000');
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-value', 'fits');
  const cli = cliEstimate({ model: 'llama-3.1-8b', gpu: 'h100-sxm' });
  expect(Number((await dataValues(page, 'result-'))['usd_per_million_tokens'])).toBeCloseTo(cli.ok ? cli.result['usd_per_million_tokens'] : NaN, 12);
  // The address bar now holds the clean state.
  await expect.poll(() => page.url()).not.toContain('script');
  expect(recorder.errors).toEqual([]);
});

test('an outdated link keeps what still holds and resets the rest, field by field', async ({ page }) => {
  // A model that left the catalog, a tp that no longer divides the device count, an old version.
  await openCalculator(page, 'v=0.0.1&model=llama-1-65b&gpu=h200-sxm&num_gpus=4&tp=3&input_tokens=4000');
  const notices = page.getByTestId('notices');
  await expect(notices).toBeVisible();
  await expect(notices.locator('li[data-key="v"]')).toContainText('0.0.1');
  await expect(notices.locator('li[data-key="model"]')).toContainText("unknown model 'llama-1-65b'");
  await expect(notices.locator('li[data-key="tp"]')).toContainText('tp');
  expect(await notices.locator('li').count()).toBe(3);
  // Kept: gpu, num_gpus, input_tokens.
  await expect(page.getByTestId('field-gpu')).toHaveValue('h200-sxm');
  await expect(page.getByTestId('field-num_gpus')).toHaveValue('4');
  await expect(page.getByTestId('field-input_tokens')).toHaveValue('4000');
  await expect(page.getByTestId('field-tp')).toHaveValue('');
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-8b');
  const cli = cliEstimate({ model: 'llama-3.1-8b', gpu: 'h200-sxm', num_gpus: 4, input_tokens: 4000 });
  expect(Number((await dataValues(page, 'result-'))['ttft_seconds'])).toBeCloseTo(cli.ok ? cli.result['ttft_seconds'] : NaN, 12);
});

test('invalid input is marked at its field with the core message, then clears', async ({ page }) => {
  await openCalculator(page);
  const before = await dataValues(page, 'result-');
  await afterRecompute(page, () => page.getByTestId('field-input_tokens').fill('abc'));
  await expect(page.getByTestId('error-input_tokens')).toHaveText(/must be/);
  await expect(page.getByTestId('field-input_tokens')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('stale')).toBeVisible();
  expect(await dataValues(page, 'result-')).toEqual(before); // the last good numbers stay

  await afterRecompute(page, () => page.getByTestId('field-tp').fill('3'));
  await afterRecompute(page, () => page.getByTestId('field-input_tokens').fill('2000'));
  await expect(page.getByTestId('error-tp')).toContainText('tp x pp = 3 must divide num_gpus = 1');
  await afterRecompute(page, () => page.getByTestId('field-tp').fill(''));
  await expect(page.getByTestId('error-tp')).toBeHidden();
  await expect(page.getByTestId('stale')).toBeHidden();
});

test('the folded "Every figure" table is filled when it opens, for the scenario on screen', async ({ page }) => {
  await openCalculator(page, '', siteA, false);
  await afterRecompute(page, () => page.getByTestId('field-input_tokens').fill('6000'));
  await page.getByTestId('every-figure').locator('summary').click();
  const cli = cliEstimate({ model: 'llama-3.1-8b', gpu: 'h100-sxm', input_tokens: 6000 });
  expect(cli.ok).toBe(true);
  const shown = await dataValues(page, 'result-');
  for (const key of ['e2e_latency_seconds', 'requests_per_second', 'usd_per_hour']) {
    expect(Number(shown[key]), key).toBeCloseTo(cli.ok ? cli.result[key] : NaN, 9);
  }
});

test('the form shows the default the core uses, and keeps a value the user set even when it equals a default', async ({ page, context }) => {
  await openCalculator(page);
  await afterRecompute(page, () => page.getByTestId('field-weights').selectOption('fp16'));
  // Left on auto, the KV cache follows 16-bit weights: the form says fp16, and so does the core.
  const kv = page.getByTestId('field-kv_cache');
  await expect(kv).toHaveValue('');
  await expect(kv.locator('option[value=""]')).toHaveText('auto (fp16)');
  expect((await shownResult(page))['scenario']['kv_cache']).toBe('fp16');

  // bf16 chosen with fp16 weights stays bf16: in the link, after a reload, and in the core.
  await afterRecompute(page, () => kv.selectOption('bf16'));
  // A typed value equal to a literal default is kept as well.
  await afterRecompute(page, () => page.getByTestId('field-input_tokens').fill('2000'));
  await expect.poll(() => new URL(page.url()).searchParams.get('kv_cache')).toBe('bf16');
  await expect.poll(() => new URL(page.url()).searchParams.get('input_tokens')).toBe('2000');
  const link = new URL(page.url());
  expect(link.searchParams.get('weights')).toBe('fp16');

  const other = await context.newPage();
  await openCalculator(other, link.search.slice(1));
  await expect(other.getByTestId('notices')).toBeHidden();
  await expect(other.getByTestId('field-weights')).toHaveValue('fp16');
  await expect(other.getByTestId('field-kv_cache')).toHaveValue('bf16');
  expect(other.url()).toBe(link.href);
  const scenario = (await shownResult(other))['scenario'];
  expect([scenario['weights'], scenario['kv_cache']]).toEqual(['fp16', 'bf16']);
  const cli = cliEstimate({ model: 'llama-3.1-8b', gpu: 'h100-sxm', weights: 'fp16', kv_cache: 'bf16' });
  expect(cli.ok && cli.result['scenario']['kv_cache']).toBe('bf16');

  // Back to auto: the link drops it and the core follows the weights again.
  await afterRecompute(other, () => other.getByTestId('field-kv_cache').selectOption(''));
  await expect.poll(() => new URL(other.url()).searchParams.has('kv_cache')).toBe(false);
  expect((await shownResult(other))['scenario']['kv_cache']).toBe('fp16');
});
