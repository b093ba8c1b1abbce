// The embed widget, loaded the way a documentation page would: the snippet from the Embed button,
// pasted into a page on another origin, showing the CLI's numbers inside a cross-origin iframe.
import { expect, test } from '@playwright/test';
import { resultKeys } from '../../site/src/format';
import { afterRecompute, cliEstimate, embedOnOtherOrigin, expectClose, openCalculator, originA, originB, outsideOrigins, record, siteA } from './helpers';

const shownInEmbed = ['usd_per_million_tokens', 'usd_per_million_output_tokens', 'tokens_per_second_per_user', 'output_tokens_per_second_per_gpu', 'ttft_seconds', 'tpot_seconds'];

test('the Embed button gives a snippet that works in a cross-origin iframe', async ({ page, context }) => {
  const recorder = await record(context);
  await openCalculator(page);
  await afterRecompute(page, () => page.getByTestId('field-model').selectOption('mixtral-8x7b'));
  await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill('2'));
  await afterRecompute(page, () => page.getByTestId('field-output_tokens').fill('800'));

  await page.getByTestId('embed').click();
  const dialog = page.getByTestId('embed-dialog');
  await expect(dialog).toBeVisible();
  const snippet = await page.getByTestId('embed-snippet').inputValue();
  expect(snippet.startsWith(`<iframe src="${siteA}embed.html?`)).toBe(true);
  expect(snippet).toMatch(/^<iframe src="[^"]+" title="[^"]+"/);
  const src = new URL(snippet.match(/src="([^"]+)"/)![1]!.replace(/&amp;/g, '&'));
  expect(Object.fromEntries(src.searchParams)).toMatchObject({ model: 'mixtral-8x7b', num_gpus: '2', output_tokens: '800' });
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // A documentation page on origin B pastes the snippet.
  const docs = await context.newPage();
  await docs.goto(`${originB}/fixtures/host.html`);
  await docs.evaluate((html) => document.getElementById('embed-here')!.insertAdjacentHTML('beforeend', html), snippet);
  const frameElement = docs.locator('iframe');
  await expect(frameElement).toBeVisible();
  const frame = docs.frameLocator('iframe');
  await expect(frame.locator('html')).toHaveAttribute('data-ready', 'true');
  const child = docs.frames().find((f) => f !== docs.mainFrame())!;
  expect(new URL(child.url()).origin).toBe(originA);
  expect(new URL(docs.url()).origin).toBe(originB);

  const cli = cliEstimate({ model: 'mixtral-8x7b', gpu: 'h100-sxm', num_gpus: 2, output_tokens: 800 });
  expect(cli.ok).toBe(true);
  if (!cli.ok) return;
  for (const key of shownInEmbed) {
    const cell = frame.getByTestId(`embed-${key}`);
    expectClose(Number(await cell.getAttribute('data-value')), cli.result[key], key);
    await expect(cell).toContainText(resultKeys.find((k) => k.key === key)!.format(cli.result[key]));
  }
  await expect(frame.getByTestId('embed-title')).toContainText('Mixtral');
  await expect(frame.getByTestId('embed-notice')).toBeHidden();
  // The widget fits the snippet's 380 x 320 frame: no scrolling either way.
  expect(snippet).toContain('width="380" height="320"');
  expect(await child.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
  expect(await child.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(320);
  // Its link back opens the full calculator with the same state.
  const open = await frame.locator('#open').getAttribute('href');
  expect(new URL(open!).searchParams.get('model')).toBe('mixtral-8x7b');

  expect(outsideOrigins(recorder.requests, [originA, originB])).toEqual([]);
  expect(recorder.violations).toEqual([]);
  expect(recorder.errors).toEqual([]);
});

test('the embed falls back per field on a bad link and says so', async ({ page }) => {
  await embedOnOtherOrigin(page, `${originA}/pertoken/embed.html?model=%3Cscript%3E&input_tokens=-1&theme=dark`);
  const frame = page.frameLocator('iframe');
  await expect(frame.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(frame.getByTestId('embed-notice')).toContainText('2 settings');
  await expect(frame.getByTestId('embed-notice')).toContainText('<script>');
  await expect(frame.getByTestId('embed-title')).toContainText('Llama 3.1 8B');
});

test('a long notice leaves the figures and the "Open in pertoken" link inside the 380 x 320 frame', async ({ page }) => {
  // Many bad settings, each with a long value: the notice the widget writes is long.
  const bad = ['input_tokens', 'output_tokens', 'max_batch_size', 'max_num_tokens', 'prefix_cache_hit_rate', 'batching', 'kv_layout', 'engine']
    .map((key) => `${key}=${'not-a-value-'.repeat(8)}`)
    .join('&');
  await embedOnOtherOrigin(page, `${originA}/pertoken/embed.html?model=llama-3.1-70b&gpu=h200-sxm&num_gpus=4&weights=fp8&usd_per_gpu_hour=3.5&${bad}`);
  const frame = page.frameLocator('iframe');
  const child = page.frames().find((f) => f !== page.mainFrame())!;
  await expect(frame.getByTestId('embed-notice')).toBeVisible();
  await expect(frame.getByTestId('embed-notice')).toContainText('8 settings');
  // Every part sits inside the frame: nothing scrolls, the figures are all in view (none hidden in
  // a scroll box), and the link's box ends above 320 px (in the frame's own coordinates).
  expect(await child.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(320);
  expect(await child.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(380);
  const figures = await child.evaluate(() => { const f = document.getElementById('figures')!; return { scroll: f.scrollHeight, client: f.clientHeight }; });
  expect(figures.scroll).toBeLessThanOrEqual(figures.client + 1);
  for (const selector of ['#open', '[data-testid="embed-tpot_seconds"]', '[data-testid="embed-verdict"]', '[data-testid="embed-notice"]']) {
    const box = await child.evaluate((s) => { const r = document.querySelector(s)!.getBoundingClientRect(); return { bottom: r.bottom, right: r.right }; }, selector);
    expect(box.bottom, `${selector} bottom`).toBeLessThanOrEqual(320);
    expect(box.right, `${selector} right`).toBeLessThanOrEqual(380);
  }
  await expect(frame.locator('#open')).toBeVisible();
});

test('the widget says what its numbers assume (price, precision, engine) and labels its ranges', async ({ page }) => {
  await embedOnOtherOrigin(page, `${originA}/pertoken/embed.html?model=llama-3.1-70b&gpu=h200-sxm&num_gpus=4&weights=fp8&usd_per_gpu_hour=3.5&engine=vllm`);
  const frame = page.frameLocator('iframe');
  const setup = frame.getByTestId('embed-setup');
  await expect(setup).toContainText('$3.50/GPU-hour');
  await expect(setup).toContainText('weights fp8');
  await expect(setup).toContainText('KV bf16');
  await expect(setup).toContainText('vllm');
  const cli = cliEstimate({ model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8', usd_per_gpu_hour: 3.5, engine: 'vllm' });
  expect(cli.ok).toBe(true);
  if (!cli.ok) return;
  const band = cli.result['uncertainty']['usd_per_million_tokens'] as [number, number];
  const format = resultKeys.find((k) => k.key === 'usd_per_million_tokens')!.format;
  await expect(frame.getByTestId('embed-band-usd_per_million_tokens')).toHaveText(`likely ${format(band[0])}–${format(band[1])}`);
  const child = page.frames().find((f) => f !== page.mainFrame())!;
  expect(await child.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(320);
  expect(await child.evaluate(() => document.getElementById('open')!.getBoundingClientRect().bottom)).toBeLessThanOrEqual(320);
});
