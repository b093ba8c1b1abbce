// Exports hold the numbers on screen: the result as CSV and JSON (which equals the CLI's JSON), the
// charts' data as CSV and JSON (whose points equal the CLI for the same scenario), and each chart
// as PNG and SVG.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resultKeys } from '../../site/src/format';
import { cliEstimate, dataValues, deepClose, expectClose, openCalculator, query } from './helpers';

async function saved(page: Page, testid: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), ++i;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else if (c !== '\r') cell += c;
  }
  return rows;
}

const scenario = { model: 'llama-3.1-70b', gpu: 'h100-sxm', num_gpus: 4, input_tokens: 3000, output_tokens: 300, concurrency: 48 };

test('result exports contain the shown numbers and the CLI JSON', async ({ page }) => {
  await openCalculator(page, query(scenario));
  const shown = await dataValues(page, 'result-');
  const cli = cliEstimate(scenario);
  expect(cli.ok).toBe(true);

  const csv = await saved(page, 'export-results-csv');
  expect(csv.name).toBe('pertoken-result.csv');
  const rows = parseCsv(csv.bytes.toString('utf8'));
  expect(rows[0]).toEqual(['key', 'label', 'value', 'unit']);
  const byKey = new Map(rows.map((r) => [r[0], r]));
  for (const spec of resultKeys) {
    const row = byKey.get(spec.key);
    expect(row, spec.key).toBeDefined();
    expect(row![2] === '' ? 'null' : row![2], spec.key).toBe(shown[spec.key]);
    await expect(page.getByTestId(`result-${spec.key}`)).toHaveText(spec.format(row![2] === '' ? null : Number(row![2])));
  }
  expect(byKey.get('scenario.model')![2]).toBe('llama-3.1-70b');
  expect(byKey.get('breakdown.decode_step.total_seconds')).toBeDefined();

  const json = await saved(page, 'export-results-json');
  const exported = JSON.parse(json.bytes.toString('utf8'));
  if (cli.ok) deepClose(exported, cli.result);
  for (const spec of resultKeys) expect(String(exported[spec.key]), spec.key).toBe(shown[spec.key]);
});

test('chart data exports hold the charted points, and they match the CLI', async ({ page }) => {
  await openCalculator(page, query(scenario));
  const shown = await dataValues(page, 'result-');

  // Batching: the row at the scenario's concurrency is the headline figure.
  const batching = parseCsv((await saved(page, 'export-batching-csv')).bytes.toString('utf8'));
  expect(batching[0]!.slice(0, 3)).toEqual(['Concurrency (requests)', '$ per million tokens (USD)', 'Tokens/s per user (tokens/s)']);
  const at48 = batching.find((r) => r[0] === '48');
  expect(at48, 'the scenario concurrency is a point of the chart').toBeDefined();
  expectClose(Number(at48![1]), Number(shown['usd_per_million_tokens']), 'batching $/M at 48');
  expectClose(Number(at48![2]), Number(shown['tokens_per_second_per_user']), 'batching tokens/s/user at 48');
  const at1 = batching.find((r) => r[0] === '1')!;
  const cli1 = cliEstimate({ ...scenario, concurrency: 1 });
  expectClose(Number(at1[1]), cli1.ok ? cli1.result['usd_per_million_tokens'] : NaN, 'batching $/M at 1');

  // Context: the JSON export is the core's sweep; each point is the CLI at that prompt length.
  const context = JSON.parse((await saved(page, 'export-context-json')).bytes.toString('utf8'));
  expect(context.sweep).toBe('context');
  expect(context.x.label).toBe('Input tokens');
  const xs: number[] = context.points.map((p: { x: number }) => p.x);
  expect(xs).toContain(3000);
  for (const i of [0, Math.floor(xs.length / 2), xs.length - 1]) {
    const cli = cliEstimate({ ...scenario, input_tokens: xs[i] });
    expect(cli.ok).toBe(true);
    if (cli.ok) expectClose(context.points[i].ttft_seconds, cli.result['ttft_seconds'], `ttft at ${xs[i]}`);
  }
  // The CSV holds the charted series: its time-to-first-token column is the JSON's.
  const contextCsv = parseCsv((await saved(page, 'export-context-csv')).bytes.toString('utf8'));
  expect(contextCsv.slice(1).map((r) => (r[1] === '' ? null : Number(r[1])))).toEqual(context.points.map((p: { ttft_seconds?: number | null }) => p.ttft_seconds ?? null));

  // Accelerators: the layouts the chart picked give the CLI's cost at the chart's price (one
  // basis for all: the price column); those without a price on that basis have no cost.
  const gpus = parseCsv((await saved(page, 'export-gpus-csv')).bytes.toString('utf8'));
  const header = gpus[0]!;
  const col = (name: string) => header.indexOf(name);
  expect(col('Accelerator id')).toBeGreaterThan(0);
  const fitting = gpus.slice(1).filter((r) => r[col('Devices')] !== '' && r[col('Price per device-hour (USD)')] !== '');
  expect(fitting.length).toBeGreaterThan(5); // those with an offer on the default basis
  for (const row of [fitting[0]!, fitting[Math.floor(fitting.length / 2)]!, fitting[fitting.length - 1]!]) {
    const id = row[col('Accelerator id')]!;
    const cost = Number(row[1] || row[2]); // "$ per million tokens" or "Your accelerator"
    const layout = { ...scenario, gpu: id, num_gpus: Number(row[col('Devices')]), tp: Number(row[col('tp')]), pp: Number(row[col('pp')]), ep: Number(row[col('ep')]), usd_per_gpu_hour: Number(row[col('Price per device-hour (USD)')]) };
    const cli = cliEstimate(layout);
    expect(cli.ok, id).toBe(true);
    if (cli.ok) expectClose(cost, cli.result['usd_per_million_tokens'], `${id} $/M`);
  }
  const noFit = gpus.slice(1).filter((r) => r[col('Devices')] === '');
  for (const row of noFit) expect(row[col('Why not')]!.length, row[0]).toBeGreaterThan(0);

  // Memory: components, not cumulative sums; the KV pool line reads as the pool's own size.
  const memory = parseCsv((await saved(page, 'export-memory-csv')).bytes.toString('utf8'));
  const memRow = memory.find((r) => r[0] === '48')!;
  const memoryShown = await dataValues(page, 'memory-');
  expectClose(Number(memRow[1]), Number(memoryShown['weights_bytes']), 'memory chart weights');
  const poolColumn = memory[0]!.indexOf('KV pool (bytes)');
  expect(poolColumn).toBeGreaterThan(0);
  const cli48 = cliEstimate(scenario);
  expect(cli48.ok).toBe(true);
  if (cli48.ok) expectClose(Number(memRow[poolColumn]), cli48.result['memory']['kv_cache_pool_bytes'], 'memory chart KV pool');
});

test('charts export as PNG and SVG', async ({ page }) => {
  await openCalculator(page);
  for (const chart of ['batching', 'gpus', 'memory', 'context']) {
    const png = await saved(page, `export-${chart}-png`);
    expect(png.name).toBe(`pertoken-${chart}.png`);
    expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    const width = png.bytes.readUInt32BE(16);
    const height = png.bytes.readUInt32BE(20);
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(150);

    const svg = (await saved(page, `export-${chart}-svg`)).bytes.toString('utf8');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    const ok = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return doc.getElementsByTagName('parsererror').length === 0 && doc.documentElement.nodeName === 'svg';
    }, svg);
    expect(ok, `${chart}.svg is well-formed`).toBe(true);
    expect(svg).toMatch(chart === 'gpus' ? /<rect x="[\d.]+" y="[\d.]+" width/ : chart === 'memory' ? /<polygon/ : /<polyline/);
  }
});
