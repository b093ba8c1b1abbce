// A model imported from its Hugging Face config.json (pasted, picked or dropped): the core's
// importer (the same as `pertoken import-model`) runs in the browser, in the planner's module
// loaded on demand; the model joins the lists, is kept in localStorage until removed, works in
// permalinks where it is imported, and nothing is sent anywhere. Also: a stale catalog price is a
// caveat on the page (the stale-data rule), as the CLI notes it.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterRecompute, cli, dataValues, expectClose, openCalculator, originA, record, repoRoot, scratchFile, siteA } from './helpers';

const fixture = (name: string) => join(repoRoot, 'tests/core/fixtures/hf', `${name}.json`);
const llama = readFileSync(fixture('llama-3.1-8b'), 'utf8');

// The figures the page shows for the result against the CLI's result JSON.
const compared = ['usd_per_million_tokens', 'ttft_seconds', 'tpot_seconds', 'max_concurrency', 'output_tokens_per_second_per_gpu', 'weights_bytes_per_gpu', 'kv_cache_bytes_per_token'];

// The CLI's estimate for a model it imports itself from the same config (import-model, then
// estimate --catalog), on the page's default accelerator.
function cliImported(configPath: string, id: string, name: string): { document: Record<string, any>; result: Record<string, any> } {
  const document = cli(['import-model', configPath, '--id', id, '--name', name, '--catalog', scratchFile('empty.json', '{}')]);
  expect(document.ok).toBe(true);
  if (!document.ok) throw new Error('import-model failed');
  const estimate = cli(['estimate', '--catalog', scratchFile('imported.json', JSON.stringify(document.result)), '--model', id, '--gpu', 'h100-sxm', '--format', 'json']);
  expect(estimate.ok).toBe(true);
  if (!estimate.ok) throw new Error('estimate failed');
  return { document: document.result, result: estimate.result };
}

async function expectResult(page: Page, expected: Record<string, any>): Promise<void> {
  const shown = await dataValues(page, 'result-');
  for (const key of compared) expectClose(Number(shown[key]), expected[key] as number, key);
}

async function openImport(page: Page): Promise<void> {
  const details = page.getByTestId('model-import');
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator('summary').click();
}

test('a pasted config.json becomes a model: the CLI estimate, kept, in links, removable; nothing sent', async ({ page, context, browser }) => {
  const recorder = await record(context);
  await openCalculator(page);
  // The importer is not part of the page until asked for.
  expect(recorder.requests.filter((url) => url.includes('pertoken-plan'))).toEqual([]);

  const { document, result } = cliImported(fixture('llama-3.1-8b'), 'my-llama-8b', 'My Llama 8B');
  await openImport(page);
  await page.getByTestId('model-config').fill(llama);
  await page.getByTestId('model-id').fill('my-llama-8b');
  await page.getByTestId('model-name').fill('My Llama 8B');
  await afterRecompute(page, () => page.getByTestId('model-import-button').click());
  await expect(page.getByTestId('model-import-status')).toContainText('Added My Llama 8B (id my-llama-8b)');
  await expect(page.getByTestId('model-import-errors')).toBeHidden();
  await expect(page.getByTestId('field-model')).toHaveValue('my-llama-8b');
  await expect(page.getByTestId('custom-models')).toContainText('my-llama-8b');
  await expect(page.getByTestId('catalog-status')).toContainText('models');
  await expectResult(page, result);
  // The browser keeps exactly the document `pertoken import-model --catalog` writes.
  const kept = await page.evaluate(() => localStorage.getItem('pertoken.models'));
  expect(JSON.parse(kept!)).toEqual(document);

  // The permalink names the model; reloaded here, it opens it again without a notice.
  await expect.poll(() => new URL(page.url()).searchParams.get('model')).toBe('my-llama-8b');
  const link = page.url();
  await page.goto(link);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('field-model')).toHaveValue('my-llama-8b');
  await expect(page.getByTestId('notices')).toBeHidden();
  await expect(page.getByTestId('custom-models')).toContainText('My Llama 8B');

  // A browser without the model: the link says in words that it needs the custom model.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.locator('html')).toHaveAttribute('data-ready', 'true');
  const notice = other.getByTestId('notices').locator('li[data-key="model"]');
  await expect(notice).toContainText('my-llama-8b');
  await expect(notice).toContainText('needs the custom model it names');
  await expect(notice).toContainText('config.json');
  await expect(other.getByTestId('field-model')).toHaveValue('llama-3.1-8b');
  await fresh.close();

  // Removed: gone from the lists and the browser; the field falls back to the default model.
  await afterRecompute(page, () => page.getByTestId('remove-model-my-llama-8b').click());
  expect(await page.getByTestId('field-model').locator('option[value="my-llama-8b"]').count()).toBe(0);
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-8b');
  expect(await page.evaluate(() => localStorage.getItem('pertoken.models'))).toBeNull();
  await expect(page.getByTestId('custom-models')).toBeHidden();

  // Nothing was uploaded: only GETs of the site's own files (the planner's module among them).
  expect(recorder.requests.filter((url) => !url.startsWith(originA + '/'))).toEqual([]);
  expect(recorder.nonGet).toEqual([]);
  expect(recorder.requests.some((url) => url.endsWith('/pertoken-plan.wasm'))).toBe(true);
  expect(recorder.errors).toEqual([]);
});

test('a config picked or dropped as a file is imported too, beside a custom catalog', async ({ page }) => {
  await openCalculator(page);
  await openImport(page);
  // Picked: an MoE config (Qwen3-30B-A3B), the importer's own id.
  const qwen = readFileSync(fixture('qwen3-30b-a3b'), 'utf8');
  await afterRecompute(page, () => page.getByTestId('model-config-file').setInputFiles({ name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(qwen) }));
  await expect(page.getByTestId('model-import-status')).toContainText('Added');
  const id = await page.getByTestId('field-model').inputValue();
  const cliEntry = cli(['import-model', fixture('qwen3-30b-a3b')]);
  expect(cliEntry.ok && cliEntry.result['id']).toBe(id);
  const { result } = cliImported(fixture('qwen3-30b-a3b'), id, String(cliEntry.ok ? cliEntry.result['name'] : ''));
  await expectResult(page, result);

  // Dropped on the import box: a second model, both kept.
  await afterRecompute(page, async () => {
    const transfer = await page.evaluateHandle((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], 'config.json', { type: 'application/json' }));
      return data;
    }, llama);
    await page.getByTestId('model-import').dispatchEvent('drop', { dataTransfer: transfer });
  });
  await expect(page.getByTestId('custom-models').locator('li')).toHaveCount(2);

  // A catalog file loaded afterwards keeps the imported models on top.
  const catalog = JSON.stringify({ gpus: [] });
  await afterRecompute(page, () => page.getByTestId('catalog-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(catalog) }));
  expect(await page.getByTestId('field-model').locator(`option[value="${id}"]`).count()).toBe(1);
});

test('a malformed config shows the core errors naming the key, and changes nothing', async ({ page }) => {
  await openCalculator(page);
  await openImport(page);
  const config = JSON.parse(llama) as Record<string, unknown>;
  delete config['num_hidden_layers'];
  const text = JSON.stringify(config);
  const expected = cli(['import-model', scratchFile('config.json', text)]);
  expect(expected.ok).toBe(false);
  const cliPaths = [...(expected.ok ? '' : expected.stderr).matchAll(/config\.json: (\/\S*): /g)].map((m) => m[1]);
  expect(cliPaths).toContain('/num_hidden_layers');

  const before = await dataValues(page, 'result-');
  await page.getByTestId('model-config').fill(text);
  await page.getByTestId('model-import-button').click();
  const errors = page.getByTestId('model-import-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText('The pasted config was not imported');
  expect(await page.getByTestId('model-import-error-list').locator('li code').allTextContents()).toEqual(cliPaths);
  await expect(page.getByTestId('custom-models')).toBeHidden();
  expect(await page.evaluate(() => localStorage.getItem('pertoken.models'))).toBeNull();
  expect(await dataValues(page, 'result-')).toEqual(before);

  // A wrong type and text that is not JSON: errors too, in words.
  await page.getByTestId('model-config').fill(JSON.stringify({ ...config, num_hidden_layers: 'many' }));
  await page.getByTestId('model-import-button').click();
  await expect(page.getByTestId('model-import-error-list')).toContainText('/num_hidden_layers');
  await page.getByTestId('model-config').fill('{"architectures": [');
  await page.getByTestId('model-import-button').click();
  await expect(page.getByTestId('model-import-error-list')).toContainText('JSON');
});

test('a catalog price older than six months is a caveat on the page, as the CLI notes it', async ({ page }) => {
  // A copy of the shipped H100 SXM whose price is dated 2020-01: stale on any date after mid-2020.
  const shipped = (JSON.parse(readFileSync(join(repoRoot, 'assets/catalog/gpus.json'), 'utf8')) as { gpus: Record<string, any>[] }).gpus;
  const gpu: Record<string, any> = { ...shipped.find((g) => g['id'] === 'h100-sxm')!, id: 'old-price-h100', name: 'H100 with an old price' };
  gpu['reference_usd_per_gpu_hour'] = { ...gpu['reference_usd_per_gpu_hour'], value: 2.5, as_of: '2020-01' };
  const text = JSON.stringify({ gpus: [gpu] });
  const expected = cli(['estimate', '--catalog', scratchFile('old.json', text), '--model', 'llama-3.1-8b', '--gpu', 'old-price-h100', '--format', 'json']);
  expect(expected.ok).toBe(true);
  const notes = (expected.ok ? expected.result['notes'] : []) as string[];
  const stale = notes.filter((n) => n.includes('is as of 2020-01, older than 6 months'));
  expect(stale).toHaveLength(1);

  await openCalculator(page, '', siteA, false);
  await page.getByTestId('catalog-file').setInputFiles({ name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('catalog-status')).toContainText('Using old.json');
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('old-price-h100'));
  await expect(page.getByTestId('caveats').locator('li')).toHaveText(notes);
  await expect(page.getByTestId('caveats')).toContainText(stale[0]!);
});
