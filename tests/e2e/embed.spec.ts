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
