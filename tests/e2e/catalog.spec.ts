// A custom catalog: loaded from a file (picker or drag-and-drop), checked by the core with every
// error listed by JSON path (the same errors as `pertoken validate-catalog`), kept in
// localStorage until reset, and never sent anywhere.
import { expect, test } from '@playwright/test';
import { afterRecompute, cli, dataValues, expectClose, openCalculator, originA, record, scratchFile } from './helpers';

const good = {
  gpus: [
    {
      id: 'my-accelerator',
      name: 'My Accelerator X1',
      vendor: 'Example',
      kind: 'accelerator',
      form_factor: 'PCIe',
      memory_type: 'HBM3',
      memory_gib: 96,
      memory_bandwidth_tb_per_s: 4.0,
      dense_tflops: { bf16: 800, fp8: 1600 },
      tdp_w: 600,
      scale_up: { link: 'custom', bandwidth_gb_per_s_per_direction: 200, domain_size: 8 },
      reference_usd_per_gpu_hour: 3.0,
      confidence: 'low',
      notes: 'made up for a test',
    },
  ],
};
const bad = { gpus: [{ id: 'broken', memory_gib: 0, memory_bandwidth_tb_per_s: -1 }], models: 'none' };

test('a bad catalog file shows every error by JSON path, like the CLI', async ({ page }) => {
  await openCalculator(page);
  const text = JSON.stringify(bad);
  const expected = cli(['validate-catalog', scratchFile('bad.json', text)]);
  expect(expected.ok).toBe(false);
  const cliPaths = [...(expected.ok ? '' : expected.stderr).matchAll(/bad\.json: (\/\S*): /g)].map((m) => m[1]);
  expect(cliPaths.length).toBeGreaterThan(2);

  await page.getByTestId('catalog-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  const errors = page.getByTestId('catalog-errors');
  await expect(errors).toBeVisible();
  await expect(errors).toContainText('bad.json was not loaded');
  const shownPaths = await page.getByTestId('catalog-error-list').locator('li code').allTextContents();
  expect(shownPaths).toEqual(cliPaths);
  await expect(errors).toContainText('/gpus/0/memory_gib must be > 0');
  await expect(page.getByTestId('catalog-status')).toContainText('built-in catalog');

  await page.getByTestId('catalog-file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"gpus": [') });
  await expect(errors).toContainText('broken.json was not loaded');
  await expect(page.getByTestId('catalog-error-list')).toContainText('JSON');
});

test('a good catalog extends the lists, survives a reload, and resets', async ({ page, context }) => {
  const recorder = await record(context);
  await openCalculator(page);
  const text = JSON.stringify(good);
  await page.getByTestId('catalog-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await expect(page.getByTestId('catalog-status')).toContainText('Using mine.json');
  await expect(page.getByTestId('catalog-status')).toContainText('Kept in this browser');
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('my-accelerator'));
  const expected = cli(['estimate', '--catalog', scratchFile('mine.json', text), '--model', 'llama-3.1-8b', '--gpu', 'my-accelerator', '--format', 'json']);
  expect(expected.ok).toBe(true);
  const shown = await dataValues(page, 'result-');
  if (expected.ok) expectClose(Number(shown['usd_per_million_tokens']), expected.result['usd_per_million_tokens'], '$/M on the custom GPU');
  await expect(page.getByTestId('gpu-specs')).toContainText('no source given');

  // Kept across a reload (localStorage), link included. The link follows the state 150 ms after
  // the last edit (main.ts, scheduleUrl): reload once it names the custom accelerator, as a
  // person would, not in the same instant (on a loaded machine that raced and reloaded the
  // link from before the edit).
  await expect(page).toHaveURL(/gpu=my-accelerator/);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('field-gpu')).toHaveValue('my-accelerator');
  await expect(page.getByTestId('notices')).toBeHidden();

  // Reset: the entry is gone and the field falls back to the default accelerator.
  await afterRecompute(page, () => page.getByTestId('catalog-reset').click());
  await expect(page.getByTestId('catalog-status')).toContainText('built-in catalog');
  expect(await page.getByTestId('field-gpu').locator('option[value="my-accelerator"]').count()).toBe(0);
  await expect(page.getByTestId('field-gpu')).toHaveValue('h100-sxm');
  expect(await page.evaluate(() => localStorage.getItem('pertoken.catalog'))).toBeNull();

  // Nothing was uploaded: only GETs of the site's own files.
  expect(recorder.requests.filter((url) => !url.startsWith(originA + '/'))).toEqual([]);
  expect(recorder.nonGet).toEqual([]);
});

test('a catalog file dropped on the page is loaded', async ({ page }) => {
  await openCalculator(page);
  const dataTransfer = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
    return transfer;
  }, JSON.stringify(good));
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
  await expect(page.getByTestId('catalog-status')).toContainText('Using dropped.json');
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('my-accelerator'));
  await expect(page.getByTestId('summary')).toContainText('My Accelerator X1');
});

test('a price row for an accelerator no catalog holds, or a key given twice, is refused as the CLI refuses it', async ({ page }) => {
  await openCalculator(page);
  const cases = [
    {
      name: 'typo.json',
      // A mistyped id: the row would never price anything.
      text: JSON.stringify({ prices: { cloud: [{ gpu: 'h100sxm', provider: 'X', provider_class: 'specialist', on_demand_usd_per_gpu_hour: 0.01 }] } }),
      message: "/prices/cloud/0/gpu gpu 'h100sxm' is in neither the catalog nor the file",
    },
    {
      name: 'twice.json',
      // Written by hand: JSON.stringify cannot repeat a key. A reader keeping the last would load 2 GiB.
      text: '{"gpus": [{"id": "x", "memory_gib": 96, "memory_gib": 2}]}',
      message: '/gpus/0/memory_gib is given twice in one object; give each key once',
    },
  ];
  for (const c of cases) {
    const expected = cli(['validate-catalog', scratchFile(c.name, c.text)]);
    expect(expected.ok).toBe(false);
    expect(expected.ok ? '' : expected.stderr).toContain(c.message.replace(' ', ': '));
    await page.getByTestId('catalog-file').setInputFiles({ name: c.name, mimeType: 'application/json', buffer: Buffer.from(c.text) });
    const errors = page.getByTestId('catalog-errors');
    await expect(errors).toContainText(`${c.name} was not loaded`);
    await expect(errors).toContainText(c.message);
    await expect(page.getByTestId('catalog-status')).toContainText('built-in catalog');
  }
});
