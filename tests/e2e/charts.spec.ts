// The charts as read and exported (issue 12): names that match their figures, round byte ticks,
// names never clipped, legends that do not touch, PNGs at 2x with the scenario as a caption, and a
// comparison that stays readable with a catalog of hundreds of accelerators.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { afterRecompute, cliSweep, expectClose, openCalculator, query } from './helpers';

async function saved(page: Page, testid: string): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFileSync((await download.path())!);
}

function csvRows(text: string): string[][] {
  return text.trim().split(/\r?\n/).map((line) => line.split(','));
}

const scenario = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 2, weights: 'fp8' };

test('the memory chart names each line for the figure it reads (the pool is the pool, the stack is the stack)', async ({ page }) => {
  await openCalculator(page, query(scenario), undefined, false);
  const sweep = cliSweep('memory', scenario);
  expect(sweep.ok).toBe(true);
  if (!sweep.ok) return;
  const points = sweep.result['points'] as { x: number; memory: Record<string, number> }[];
  const rows = csvRows((await saved(page, 'export-memory-csv')).toString('utf8'));
  const header = rows[0]!;
  expect(header).not.toContain('KV pool limit (bytes)'); // the old name over a stacked figure
  const planned = header.indexOf('Planned with the KV pool full (bytes)');
  const pool = header.indexOf('KV pool (bytes)');
  expect(planned).toBeGreaterThan(0);
  expect(pool).toBeGreaterThan(0);
  for (const [i, p] of points.entries()) {
    const m = p.memory;
    // weights + activations + runtime reserve + the whole pool, and the pool by itself.
    expectClose(Number(rows[i + 1]![planned]), m['weights_bytes']! + m['activation_bytes']! + m['runtime_reserved_bytes']! + m['kv_cache_pool_bytes']!, `planned at ${p.x}`);
    expectClose(Number(rows[i + 1]![pool]), m['kv_cache_pool_bytes']!, `pool at ${p.x}`);
  }
  // Hover reads the same figure under the same name as the line it sits on.
  const plot = page.getByTestId('plot-memory');
  await plot.scrollIntoViewIfNeeded();
  const over = (await plot.locator('.u-over').boundingBox())!;
  await page.mouse.move(over.x + over.width - 2, over.y + over.height / 2);
  const last = points[points.length - 1]!.memory;
  const total = last['weights_bytes']! + last['activation_bytes']! + last['runtime_reserved_bytes']! + last['kv_cache_pool_bytes']!;
  // Read the shown figure back rather than format it with the page's own formatter: three
  // significant digits of GiB (or MiB) are within 0.5% of the bytes.
  const legend = plot.locator('.u-legend tr', { hasText: 'Planned with the KV pool full' });
  await expect(legend).toContainText(/\d (GiB|MiB)/);
  const [, digits, unit] = /([\d.,]+) (GiB|MiB)/.exec((await legend.textContent()) ?? '')!;
  const shown = Number(digits!.replace(/,/g, '')) * (unit === 'GiB' ? 2 ** 30 : 2 ** 20);
  expect(Math.abs(shown - total)).toBeLessThanOrEqual(0.005 * total);
});

test('the memory SVG ticks at round GiB and its legend entries do not touch', async ({ page }) => {
  await openCalculator(page, query(scenario), undefined, false);
  const svg = (await saved(page, 'export-memory-svg')).toString('utf8');
  await page.setContent(svg);
  const ticks = await page.$$eval('text[text-anchor="end"]', (texts) => texts.map((t) => t.textContent ?? ''));
  const gibTicks = ticks.filter((t) => t.endsWith(' GiB'));
  expect(gibTicks.length).toBeGreaterThan(2);
  for (const t of gibTicks) {
    const value = Number(t.replace(/[ ,]|GiB/g, ''));
    expect(Number.isInteger(value / 0.25) && (value < 10 || Number.isInteger(value / 5)), t).toBe(true);
  }
  await expectLegendApart(page);
});

// Every legend entry (swatch + label) of the SVG on the page keeps clear of the next one.
async function expectLegendApart(page: Page): Promise<void> {
  const boxes = await page.$$eval('svg > rect[width="12"]', (swatches) =>
    swatches.map((r) => {
      const label = r.nextElementSibling as SVGTextElement;
      const a = (r as SVGRectElement).getBBox();
      const b = label.getBBox();
      return { left: a.x, right: b.x + b.width, top: Math.min(a.y, b.y), bottom: Math.max(a.y + a.height, b.y + b.height), svgWidth: (r as SVGRectElement).ownerSVGElement!.width.baseVal.value };
    }),
  );
  expect(boxes.length).toBeGreaterThan(1);
  for (let i = 0; i < boxes.length; ++i) {
    expect(boxes[i]!.right, `legend entry ${i} inside the picture`).toBeLessThanOrEqual(boxes[i]!.svgWidth);
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = a.right + 4 <= b.left || b.right + 4 <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, `legend entries ${i} and ${j}: ${JSON.stringify([a, b])}`).toBe(true);
    }
  }
}

test('PNG exports are drawn at twice their size, with the scenario as a caption', async ({ page }) => {
  await openCalculator(page, query(scenario), undefined, false);
  for (const chart of ['batching', 'memory', 'gpus']) {
    const png = await saved(page, `export-${chart}-png`);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    const plot = (await page.getByTestId(`plot-${chart}`).locator('canvas').boundingBox())!;
    expect(width, chart).toBe(Math.round(plot.width) * 2);
    expect(height, chart).toBeGreaterThan(plot.height * 2 + 2 * 58);
  }
  // The SVG carries the same caption: the scenario it answers.
  const svg = (await saved(page, 'export-memory-svg')).toString('utf8');
  const caption = svg.match(/<text[^>]*data-role="caption"[^>]*>([^<]*)</)?.[1] ?? '';
  for (const part of ['Llama 3.1 70B', '2 ×', 'H200', 'weights fp8', '2000 in / 500 out', 'pertoken']) expect(caption, part).toContain(part);
});

// A catalog of hundreds of accelerators, some with long names.
function bigCatalog(count: number): string {
  const gpus = Array.from({ length: count }, (_, i) => ({
    id: `gen-${String(i).padStart(3, '0')}`,
    name: i % 7 === 0 ? `Generated Accelerator ${i} with a long marketing name (PCIe card, 96 GB)` : `Gen ${i}`,
    vendor: 'Example',
    kind: 'accelerator',
    form_factor: 'PCIe',
    memory_type: 'HBM3',
    memory_gib: 48 + (i % 5) * 24,
    memory_bandwidth_tb_per_s: 1 + (i % 9) * 0.5,
    dense_tflops: { bf16: 200 + 10 * i, fp8: 400 + 20 * i },
    tdp_w: 400,
    scale_up: { link: 'custom', bandwidth_gb_per_s_per_direction: 100, domain_size: 8 },
    reference_usd_per_gpu_hour: 1 + (i % 13) * 0.25,
    confidence: 'low',
    notes: 'generated for a test',
  }));
  return JSON.stringify({ gpus });
}

test('a catalog of hundreds of accelerators keeps the comparison readable, and no SVG name is clipped', async ({ page }) => {
  test.setTimeout(120_000);
  await openCalculator(page, 'model=llama-3.1-8b', undefined, false);
  await afterRecompute(page, () =>
    page.getByTestId('catalog-file').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(bigCatalog(300)) }),
  );
  const toggle = page.getByTestId('gpus-show-all');
  await expect(toggle).toBeVisible({ timeout: 30_000 });
  await expect(toggle).toHaveText(/Show all 3\d\d accelerators/);
  const plot = page.getByTestId('plot-gpus');
  const short = (await plot.boundingBox())!.height;
  expect(short).toBeLessThan(900); // about 30 rows, not 340
  // Your accelerator stays on the chart wherever it ranks.
  const svg = (await saved(page, 'export-gpus-svg')).toString('utf8');
  expect(svg).toContain('H100');
  expect((svg.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="13.3"/g) ?? []).length).toBeLessThanOrEqual(31);

  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(async () => (await plot.boundingBox())!.height).toBeGreaterThan(short * 5);
  const all = (await saved(page, 'export-gpus-svg')).toString('utf8');
  await page.setContent(all);
  // Every name sits inside the picture: nothing clipped on the left, long ones included.
  const names = await page.$$eval('text[text-anchor="end"]', (texts) => texts.map((t) => ({ text: t.textContent ?? '', x: (t as SVGTextElement).getBBox().x })));
  expect(names.filter((n) => n.text.includes('long marketing name')).length).toBeGreaterThan(40);
  for (const n of names) expect(n.x, n.text).toBeGreaterThanOrEqual(0);
  await expectLegendApart(page);
});
