// The planner page (plan.html): its plan equals the CLI's (`pertoken plan --format json`), it
// loads the planner module only there (never on the calculator), its links round-trip, bad input
// is marked at the field the core names, and it runs under the CSP with no axe violation.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { cli, cliPath, csp, deepClose, expectClose, originA, outsideOrigins, query, record, scratchFile, siteA } from './helpers';
import { formatInteger } from '../../site/src/format';

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// A request with a workload, an SLA and a peak: the keys the page puts in its link.
const request = { model: 'llama-3.1-70b', tokens_per_day: 500000000, peak_to_average: 2, max_tpot_seconds: 0.05, input_tokens: 1000 };

function cliPlan(plan: Record<string, unknown>): Record<string, any> {
  const outcome = cli(['plan', '--plan', scratchFile('plan.json', JSON.stringify(plan)), '--format', 'json']);
  if (!outcome.ok) throw new Error(outcome.stderr);
  return outcome.result;
}

async function plans(page: Page): Promise<number> {
  return Number((await page.locator('html').getAttribute('data-plans')) ?? 0);
}

async function openPlanner(page: Page, search: string): Promise<void> {
  await page.goto(`${siteA}plan.html${search ? '?' + search : ''}`);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
}

async function afterPlan(page: Page, action: () => Promise<unknown>): Promise<void> {
  const before = await plans(page);
  await action();
  await expect.poll(() => plans(page)).toBeGreaterThan(before);
}

async function downloaded(page: Page, testid: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFileSync((await download.path())!, 'utf8');
}

test('the page plans exactly what the CLI plans: the JSON export, the headline, the bill, the APIs', async ({ page }) => {
  await openPlanner(page, query(request));
  const expected = cliPlan(request);
  const exported = JSON.parse(await downloaded(page, 'export-plan-json')) as Record<string, unknown>;
  deepClose(exported, expected);
  expect(expected['meets_sla']).toBe(true);
  for (const key of ['usd_per_million_tokens', 'usd_per_month', 'replicas', 'gpus_total', 'utilization', 'searched_configurations']) {
    expectClose(Number(await page.getByTestId(`plan-${key}`).getAttribute('data-value')), expected[key] as number, key);
  }
  for (const key of ['ttft_seconds', 'tpot_seconds', 'tokens_per_second_per_user']) {
    expectClose(Number(await page.getByTestId(`plan-${key}`).getAttribute('data-value')), expected['best_detail']['instance'][key] as number, key);
  }
  await expect(page.getByTestId('plan-verdict')).toContainText('Meets the SLA');
  await expect(page.getByTestId('plan-best')).toContainText(`${String(expected['best']['num_gpus'])} ×`);
  // The answer in words is the core's, the CLI's sentences word for word (the app shows them too).
  await expect(page.getByTestId('plan-verdict')).toHaveText(expected['answer']['verdict']);
  await expect(page.getByTestId('plan-best')).toHaveText(expected['answer']['detail']);
  for (const bill of expected['bill'] as { pricing: string; available: boolean; usd_per_month: number }[]) {
    if (!bill.available) continue;
    expectClose(Number(await page.getByTestId(`bill-${bill.pricing}`).getAttribute('data-value')), bill.usd_per_month, `bill ${bill.pricing}`);
  }
  for (const api of expected['api'] as { provider: string; break_even_tokens_per_day: number | null }[]) {
    const value = await page.getByTestId(`api-${api.provider}`).getAttribute('data-value');
    expectClose(value === '' ? null : Number(value), api.break_even_tokens_per_day, `break-even ${api.provider}`);
  }
  for (const step of expected['waterfall']['steps'] as { lever: string; shapley_saving: number }[]) {
    expectClose(Number(await page.getByTestId(`waterfall-${step.lever}`).getAttribute('data-value')), step.shapley_saving, `Shapley ${step.lever}`);
  }
  for (const bar of expected['sensitivity']['tornado'] as { input: string; swing_usd_per_million_tokens: number }[]) {
    expectClose(Number(await page.getByTestId(`tornado-${bar.input}`).getAttribute('data-value')), bar.swing_usd_per_million_tokens, `tornado ${bar.input}`);
  }
  // The CSV export is the CLI's `plan --format csv` byte for byte (the core writes it for both),
  // and its first row is the best, at the JSON's figures.
  const csv = await downloaded(page, 'export-plan-csv');
  const cliCsv = execFileSync(cliPath, ['plan', '--plan', scratchFile('plan.json', JSON.stringify(request)), '--format', 'csv'], { encoding: 'utf8' });
  expect(csv).toBe(cliCsv);
  const [header, best] = csv.split('\n') as [string, string];
  const columns = header.split(',');
  const cells = best.split(',');
  expect(columns.slice(0, 16)).toEqual(['rank', 'gpu', 'num_gpus', 'tp', 'pp', 'ep', 'weights', 'speculative', 'concurrency', 'replicas', 'gpus_total', 'usd_per_gpu_hour', 'usd_per_month', 'usd_per_million_tokens', 'ttft_seconds', 'tpot_seconds']);
  expect(cells[columns.indexOf('listed_as')]).toBe('best');
  expect(cells[columns.indexOf('gpu')]).toBe(expected['best']['gpu']);
  expectClose(Number(cells[columns.indexOf('usd_per_month')]), expected['usd_per_month'] as number, 'CSV usd_per_month');
  // The charts are drawn: both Pareto fronts, and cost against volume once its plans answered.
  await expect(page.locator('html')).toHaveAttribute('data-volumes', '1');
  await expect(page.locator('#chart-volume canvas')).toHaveCount(1);
  await expect(page.locator('#chart-throughput canvas')).toHaveCount(1);
  await expect(page.locator('#chart-cost canvas')).toHaveCount(1);
});

test('the why-panel explains the headline with the CLI plan JSON’s figures, and the headline carries its P10–P90 band', async ({ page }) => {
  await openPlanner(page, query(request));
  const expected = cliPlan(request);
  const why = expected['why'] as Record<string, any>;
  expect(why).not.toBeNull();
  for (const key of ['tokens_per_day', 'requests_per_second', 'peak_requests_per_second', 'concurrency', 'replica_requests_per_second', 'replicas', 'gpus_total', 'usd_per_gpu_hour', 'hours_per_month', 'usd_per_month', 'tokens_per_month', 'usd_per_million_tokens']) {
    expectClose(Number(await page.getByTestId(`why-plan-${key}`).getAttribute('data-value')), why[key] as number, `why ${key}`);
  }
  // The panel's chain closes on the headline: replicas and $ per million tokens are the plan's.
  expectClose(why['replicas'], expected['replicas'], 'why replicas = plan replicas');
  expectClose(why['usd_per_million_tokens'], expected['usd_per_million_tokens'], 'why $/Mtok = plan $/Mtok');
  // Bands: on the headline's $ per million tokens and tokens/s per user, as the core gives them.
  const band = page.getByTestId('plan-band-usd_per_million_tokens');
  expectClose(Number(await band.getAttribute('data-low')), why['usd_per_million_tokens_band'][0], 'band low');
  expectClose(Number(await band.getAttribute('data-high')), why['usd_per_million_tokens_band'][1], 'band high');
  const speed = page.getByTestId('plan-band-tokens_per_second_per_user');
  expectClose(Number(await speed.getAttribute('data-low')), why['tokens_per_second_per_user_band'][0], 'speed band low');
  await expect(page.getByTestId('why-plan-band')).toContainText('P10–P90');
});

// A basis field (the core's default `estimate`) set to `value` on the page: the plan it makes
// equals the CLI's for the same request, whose JSON is returned.
async function plannedAt(page: Page, key: string, value: string): Promise<Record<string, any>> {
  const expected = cliPlan({ ...request, [key]: value });
  await openPlanner(page, query(request));
  await expect(page.getByTestId(`field-${key}`)).toHaveValue('estimate');
  // The picker words each basis as the core labels it, not by its terse key.
  await expect(page.getByTestId(`field-${key}`).locator(`option[value="${value}"]`)).toHaveText(`the ${value === 'p90' ? 'slow' : 'low'} end of the likely range (${value.toUpperCase()})`);
  await afterPlan(page, () => page.getByTestId(`field-${key}`).selectOption(value));
  deepClose(JSON.parse(await downloaded(page, 'export-plan-json')) as Record<string, unknown>, expected);
  return expected;
}

test('an SLA read at the slow end of the likely range plans as the CLI does, and the field sets it', async ({ page }) => {
  const expected = await plannedAt(page, 'sla_basis', 'p90');
  expect(expected['sla']['sla_basis']).toBe('p90');
  expect(expected['usd_per_month']).toBeGreaterThan(cliPlan(request)['usd_per_month'] as number);
  expectClose(Number(await page.getByTestId('plan-usd_per_month').getAttribute('data-value')), expected['usd_per_month'] as number, 'usd_per_month');
  // The headline shows the latency the SLA was judged by beside the estimate's.
  const judged = page.getByTestId('plan-sla-tpot_seconds');
  await expect(judged).toContainText('at P90');
  expectClose(Number(await judged.getAttribute('data-value')), expected['best_detail']['sla_tpot_seconds'], 'TPOT as the SLA read it');
  expect(expected['best_detail']['sla_tpot_seconds']).toBeGreaterThan(expected['best_detail']['instance']['tpot_seconds']);
});

test('a fleet sized at the low end of the likely throughput plans as the CLI does, and the why says so', async ({ page }) => {
  const expected = await plannedAt(page, 'capacity_basis', 'p10');
  expect(expected['workload']['capacity_basis']).toBe('p10');
  expect(expected['replicas']).toBeGreaterThan(cliPlan(request)['replicas'] as number);
  await expect(page.getByTestId('plan-sla-tpot_seconds')).toHaveCount(0);  // the SLA read at the estimate
  expectClose(Number(await page.getByTestId('plan-replicas').getAttribute('data-value')), expected['replicas'] as number, 'replicas');
  const capacity = page.getByTestId('why-plan-replica_requests_per_second');
  expectClose(Number(await capacity.getAttribute('data-value')), expected['best_detail']['capacity_requests_per_second'], 'one replica as sized');
  await expect(capacity.locator('..')).toContainText('the low end of its likely range, which the fleet is sized at');
});

test('cost against volume is the core’s volume sweep: the chart’s table is `pertoken sweep volume`', async ({ page }) => {
  await openPlanner(page, query(request));
  const outcome = cli(['sweep', 'volume', '--plan', scratchFile('volume.json', JSON.stringify(request)), '--format', 'json']);
  expect(outcome.ok).toBe(true);
  if (!outcome.ok) return;
  const sweep = outcome.result as { points: { tokens_per_day: number; usd_per_million_tokens: number | null }[]; api: { break_even_tokens_per_day: number | null }[] };
  await expect(page.locator('html')).toHaveAttribute('data-volumes', '1');
  await page.locator('#chart-volume details summary').click();
  // One row per volume of the core's ladder and per break-even volume, nothing of the page's own.
  const xs = new Set([...sweep.points.map((p) => p.tokens_per_day), ...sweep.api.map((a) => a.break_even_tokens_per_day).filter((v): v is number => v !== null)]);
  await expect(page.locator('#chart-volume .data-table tbody tr')).toHaveCount(xs.size);
  expect(sweep.points.length).toBe(9);
});

test('each planner chart exports as PNG (twice its size, captioned) and SVG', async ({ page }) => {
  await openPlanner(page, query(request));
  await expect(page.locator('html')).toHaveAttribute('data-volumes', '1');
  for (const id of ['volume', 'throughput', 'cost']) {
    const [png] = await Promise.all([page.waitForEvent('download'), page.getByTestId(`export-plan-${id}-png`).click()]);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(1, 4).toString('latin1'), `${id} PNG signature`).toBe('PNG');
    const cssWidth = (await page.locator(`#chart-${id} .plot`).boundingBox())!.width;
    expect(bytes.readUInt32BE(16), `${id} PNG is twice the chart's CSS width`).toBeGreaterThanOrEqual(Math.floor(cssWidth * 2) - 4);
    const svg = await downloaded(page, `export-plan-${id}-svg`);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toMatch(/<polyline|<circle/);
    const caption = svg.match(/<text[^>]*data-role="caption"[^>]*>([^<]*)</)?.[1] ?? '';
    for (const part of ['llama-3.1-70b', 'tokens/day', 'on-demand:specialist', 'pertoken']) expect(caption, `${id} caption: ${part}`).toContain(part);
  }
});

test('a deployment pattern (hybrid: a small model at the edge sites) plans as the CLI does, pool by pool', async ({ page }) => {
  const hybrid = { model: 'llama-3.1-70b', tokens_per_day: 500000000, deployment: 'hybrid', sites: 4, small_model: 'llama-3.1-8b', small_model_share: 0.5 };
  await openPlanner(page, query(hybrid));
  const expected = cliPlan(hybrid);
  deepClose(JSON.parse(await downloaded(page, 'export-plan-json')), expected);
  await expect(page.getByTestId('field-small_model')).toHaveValue('llama-3.1-8b');
  await expect(page.getByTestId('deployment-summary')).toContainText('hybrid, 4 sites');
  const parts = expected['deployment']['parts'] as { usd_per_month: number | null }[];
  expect(parts.length).toBeGreaterThan(1);
  for (const [i, part] of parts.entries()) {
    const value = await page.getByTestId(`deployment-part-${i}`).getAttribute('data-value');
    expectClose(value === '' ? null : Number(value), part.usd_per_month, `pool ${i}`);
  }
  // One central pool has no sites: the core says so at the field.
  await afterPlan(page, () => page.getByTestId('field-deployment').selectOption('centralized'));
  const rejected = cli(['plan', '--plan', scratchFile('plan.json', JSON.stringify({ ...hybrid, deployment: 'centralized' })), '--format', 'json']);
  expect(rejected.ok).toBe(false);
  const message = (rejected.ok ? '' : rejected.stderr).match(/\/sites: (.*)/)?.[1];
  expect(message).toBeTruthy();
  await expect(page.getByTestId('error-sites')).toHaveText(message!);
  // Back to one central pool with nothing of the pattern left: the small model's choice is "none"
  // again, and the section goes.
  await afterPlan(page, () => page.getByTestId('field-sites').fill(''));
  await afterPlan(page, () => page.getByTestId('field-small_model_share').fill(''));
  await afterPlan(page, () => page.getByTestId('field-small_model').selectOption(''));
  await expect(page.getByTestId('stale')).toBeHidden();
  await expect(page.locator('#deployment-section')).toBeHidden();
  expect(new URL(page.url()).searchParams.has('small_model')).toBe(false);
});

test('a first visit starts from the core\'s example request, the one the app starts from', async ({ page }) => {
  await openPlanner(page, '');
  // Llama 3.1 8B at 2e9 tokens a day, first token within 2 s, 50 ms per output token.
  const example = { model: 'llama-3.1-8b', tokens_per_day: 2e9, max_ttft_seconds: 2, max_tpot_seconds: 0.05 };
  await expect(page.getByTestId('field-model')).toHaveValue('llama-3.1-8b');
  await expect(page.getByTestId('field-tokens_per_day')).toHaveValue('2000000000');
  await expect(page.getByTestId('field-max_ttft_seconds')).toHaveValue('2');
  await expect(page.getByTestId('field-max_tpot_seconds')).toHaveValue('0.05');
  deepClose(JSON.parse(await downloaded(page, 'export-plan-json')), cliPlan(example));
});

test('an SLA nothing meets is an answer: the closest configuration, as the CLI says', async ({ page }) => {
  const strict = { model: 'llama-3.1-70b', tokens_per_day: 100000000, max_ttft_seconds: 0.001 };
  await openPlanner(page, query(strict));
  const expected = cliPlan(strict);
  expect(expected['meets_sla']).toBe(false);
  deepClose(JSON.parse(await downloaded(page, 'export-plan-json')), expected);
  await expect(page.getByTestId('plan-verdict')).toContainText('Nothing meets this SLA; the closest is');
  await expect(page.getByTestId('plan-verdict')).toContainText('× the target');
});

test('a volume beyond what the planner sizes gets no plan, and the core\'s note says why', async ({ page }) => {
  // 1e17 tokens a day of Llama 3.1 8B (2,500 tokens a request) is 4.6e8 requests/s: more than a
  // million replicas of any instance the search holds.
  const huge = { model: 'llama-3.1-8b', tokens_per_day: 1e17 };
  await openPlanner(page, query(huge));
  expect(cliPlan(huge)['meets_sla']).toBe(false);
  expect(cliPlan(huge)['beyond_replica_limit']).toBe(true);
  await expect(page.getByTestId('plan-verdict')).toContainText('Nothing is listed: the volume needs more replicas than the planner sizes');
  await expect(page.getByTestId('plan-notes')).toContainText('needs more than 1,000,000 replicas');
});

test('a closest configuration that would need more replicas than the planner sizes quotes no fleet', async ({ page }) => {
  // 3e16 tokens a day at a 1 ms TPOT: the closest runs one request per GB200 instance, so it
  // would need far more than a million of them; its replicas are the limit, not a fleet to price.
  const mixed = { model: 'llama-3.1-8b', tokens_per_day: 3e16, max_tpot_seconds: 0.001 };
  await openPlanner(page, query(mixed));
  const closest = cliPlan(mixed)['closest'] as { beyond_replica_limit: boolean; replicas: number };
  expect(closest.beyond_replica_limit).toBe(true);
  await expect(page.getByTestId('plan-verdict')).toContainText('Nothing meets this SLA; the closest is');
  await expect(page.getByTestId('plan-best')).toHaveText(`At this volume it would need more than ${formatInteger(closest.replicas)} replicas: beyond what the planner sizes.`);
});

test('the target asks the core which price, utilization or volume reaches it, as `pertoken sensitivity` does', async ({ page }) => {
  await openPlanner(page, query(request));
  const plan = cliPlan(request);
  await page.getByTestId('field-target_usd_per_million_tokens').fill('0.05');
  await page.getByTestId('target-ask').click();
  const sensitivity = { ...plan['best'], utilization: plan['sensitivity']['utilization'], relative_step: plan['sensitivity']['relative_step'], target_usd_per_million_tokens: 0.05 };
  const outcome = cli(['sensitivity', '--scenario', scratchFile('sensitivity.json', JSON.stringify(sensitivity)), '--format', 'json']);
  if (!outcome.ok) throw new Error(outcome.stderr);
  // The request the page sends is the plan's own sensitivity: the same tornado.
  deepClose(outcome.result['tornado'], plan['sensitivity']['tornado'], 'tornado');
  const answers = outcome.result['inverse'] as { input: string; value: number | null; answer: string }[];
  expect(answers.length).toBeGreaterThan(0);
  for (const answer of answers) {
    const item = page.getByTestId(`inverse-${answer.input}`);
    await expect(item).toHaveText(answer.answer);
    const value = await item.getAttribute('data-value');
    expectClose(value === '' ? null : Number(value), answer.value, answer.input);
  }
  // The target travels in the link too.
  await expect.poll(() => new URL(page.url()).searchParams.get('target')).toBe('0.05');
  // A target the core rejects is marked at its field, with the core's message.
  await page.getByTestId('field-target_usd_per_million_tokens').fill('abc');
  await page.getByTestId('target-ask').click();
  await expect(page.getByTestId('error-target_usd_per_million_tokens')).toBeVisible();
  await expect(page.getByTestId('error-target_usd_per_million_tokens')).not.toBeEmpty();
});

test('the calculator never requests the planner module; the planner requests only its own', async ({ page, context }) => {
  const recorder = await record(context);
  await page.goto(siteA);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await page.waitForLoadState('networkidle');
  expect(recorder.requests.filter((url) => /pertoken-plan|plan\.js|plan-style/.test(url))).toEqual([]);
  const calculator = recorder.requests.length;
  await page.getByTestId('planner-link').click();
  await expect(page).toHaveURL(/plan\.html/);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  const planner = recorder.requests.slice(calculator);
  expect(planner).toContain(`${siteA}pertoken-plan.wasm`);
  expect(planner).not.toContain(`${siteA}pertoken.wasm`);
});

test('a custom catalog kept by the calculator extends the planner too', async ({ page }) => {
  const custom = {
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
  await page.goto(siteA);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('catalog-file').setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(custom)) });
  await expect(page.getByTestId('catalog-status')).toContainText('mine.json');
  await openPlanner(page, query(request));
  await expect(page.getByTestId('plan-catalog')).toContainText('Using your catalog “mine.json”');
  await afterPlan(page, () => page.getByTestId('field-gpus_allowed').fill('h100-sxm,my-accelerator'));
  await expect(page.getByTestId('error-gpus_allowed')).toBeHidden();
  await afterPlan(page, () => page.getByTestId('field-gpus_allowed').fill('h100-sxm,not-mine'));
  await expect(page.getByTestId('error-gpus_allowed')).toHaveText("unknown accelerator 'not-mine'");
});

test('links round-trip: the request is in the address, and opening it restores the plan', async ({ page, context }) => {
  await openPlanner(page, query({ ...request, pricing: 'owned', max_devices: 8 }));
  await afterPlan(page, () => page.getByTestId('field-max_tpot_seconds').fill('0.04'));
  await expect.poll(() => new URL(page.url()).searchParams.get('max_tpot_seconds')).toBe('0.04');
  const link = page.url();
  const params = new URL(link).searchParams;
  expect(params.get('pricing')).toBe('owned');
  expect(params.get('max_devices')).toBe('8');
  expect(params.get('tokens_per_day')).toBe('500000000');
  const cost = await page.getByTestId('plan-usd_per_month').getAttribute('data-value');
  const other = await context.newPage();
  await other.goto(link);
  await expect(other.locator('html')).toHaveAttribute('data-ready', 'true');
  await expect(other.getByTestId('field-max_tpot_seconds')).toHaveValue('0.04');
  await expect(other.getByTestId('field-pricing')).toHaveValue('owned');
  await expect(other.getByTestId('plan-usd_per_month')).toHaveAttribute('data-value', cost!);
  expect(other.url()).toBe(link);
  await expect(other.getByTestId('notices')).toBeHidden();
});

test('bad input is marked at the field the core names; the last plan stays on screen', async ({ page }) => {
  await openPlanner(page, query(request));
  const cost = await page.getByTestId('plan-usd_per_month').getAttribute('data-value');
  for (const [key, value, words] of [
    // Numbers typed as text: the core's words, as the calculator's fields and the CLI say them.
    ['tokens_per_day', 'lots', "must be a number, got 'lots'"],
    ['tokens_per_day', '2M', "write a plain number like 2000000, not '2M'"],
    ['max_ttft_seconds', '-1', /> ?0|must be/],
    ['gpus_allowed', 'h100-sxm,warp-drive', /unknown accelerator 'warp-drive'/],
    ['peak_to_average', '0.5', /1/],
  ] as const) {
    await afterPlan(page, () => page.getByTestId(`field-${key}`).fill(value));
    await expect(page.getByTestId(`error-${key}`), key).toBeVisible();
    await expect(page.getByTestId(`error-${key}`), key).toHaveText(words);
    await expect(page.getByTestId(`field-${key}`)).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId('stale')).toBeVisible();
    await expect(page.getByTestId('plan-usd_per_month')).toHaveAttribute('data-value', cost!);
    await afterPlan(page, () => page.getByTestId(`field-${key}`).fill(''));
  }
  // A link with a value the core rejects: that field falls back, and a notice names it.
  await openPlanner(page, query({ ...request, max_tpot_seconds: -3 }));
  await expect(page.getByTestId('notices')).toBeVisible();
  await expect(page.getByTestId('notices').locator('li[data-key="max_tpot_seconds"]')).toBeVisible();
  await expect(page.getByTestId('plan-verdict')).not.toBeEmpty();
});

test('the planner works under the CSP with no violation, error or outside request', async ({ page, context }) => {
  const recorder = await record(context);
  const response = await page.goto(`${siteA}plan.html?${query(request)}`);
  expect(response!.headers()['content-security-policy']).toBe(csp);
  await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
  await afterPlan(page, () => page.getByTestId('field-model').selectOption('mixtral-8x7b'));
  await expect(page.locator('html')).toHaveAttribute('data-volumes', /\d/);
  await downloaded(page, 'export-plan-json');
  await downloaded(page, 'export-plan-csv');
  await page.getByTestId('field-target_usd_per_million_tokens').fill('0.1');
  await page.getByTestId('target-ask').click();
  expect(recorder.violations).toEqual([]);
  expect(recorder.errors).toEqual([]);
  expect(outsideOrigins(recorder.requests, [originA])).toEqual([]);
  expect(recorder.nonGet).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the planner has no serious axe violation (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await openPlanner(page, query(request));
    await expect(page.locator('html')).toHaveAttribute('data-volumes', '1');
    await page.locator('#chart-volume details summary').click();
    await page.getByTestId('field-max_ttft_seconds').fill('abc');
    await expect(page.getByTestId('stale')).toBeVisible();
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const result = await axe.run(document, { resultTypes: ['violations'] });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    });
    expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`)).toEqual([]);
  });
}
