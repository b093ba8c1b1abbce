// Parity: for scenarios across the catalog, every number the page shows equals what
// `pertoken estimate --format json` prints for the same scenario (raw value to 1e-12, and the
// text on screen is that value formatted), a scenario the CLI rejects is rejected at the same
// field with the same message, and each chart's data (its JSON export, the core's sweep) equals
// what `pertoken sweep KIND --format json` prints.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { resultKeys } from '../../site/src/format';
import { afterRecompute, cliEstimate, cliPath, cliSweep, deepClose, dataValues, expectClose, openCalculator, query, scratchFile } from './helpers';

const scenarios: Record<string, string | number>[] = [
  { model: 'llama-3.1-8b', gpu: 'h100-sxm' },
  { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8', kv_cache: 'fp8', input_tokens: 1000, output_tokens: 1000, concurrency: 64, usd_per_gpu_hour: 3.5 },
  { model: 'deepseek-r1', gpu: 'h200-sxm', num_gpus: 8, tp: 1, ep: 8 },
  { model: 'mixtral-8x7b', gpu: 'h100-sxm', num_gpus: 2 },
  { model: 'llama-3.1-8b', gpu: 'l40s', request_rate_per_s: 2 },
  { model: 'qwen2.5-7b', gpu: 'l4' },
  { model: 'gpt-oss-120b', gpu: 'b200' },
  { model: 'gpt-oss-20b', gpu: 'rtx-5090' },
  { model: 'llama-3.1-405b', gpu: 'mi300x', num_gpus: 8, weights: 'fp8' },
  { model: 'gemma-2-27b', gpu: 'mi325x' },
  { model: 'gemma-3-27b', gpu: 'gaudi3', num_gpus: 2 },
  { model: 'phi-4', gpu: 'a100-80gb-sxm' },
  { model: 'phi-3-mini-4k', gpu: 'a100-40gb-sxm', input_tokens: 1000, output_tokens: 500 },
  { model: 'mistral-7b-v0.1', gpu: 'h100-pcie', concurrency: 16 },
  { model: 'qwen3-32b', gpu: 'h200-nvl', num_gpus: 2 },
  { model: 'qwen3-235b-a22b', gpu: 'b300', num_gpus: 4, weights: 'fp8' },
  { model: 'llama-2-70b', gpu: 'gaudi2', num_gpus: 8 },
  { model: 'llama-2-13b', gpu: 'tpu-v5e', num_gpus: 4 },
  { model: 'llama-3.3-70b', gpu: 'tpu-v6e', num_gpus: 8 },
  { model: 'falcon-180b', gpu: 'mi355x', num_gpus: 4, input_tokens: 1000, output_tokens: 500 },
  { model: 'deepseek-v3', gpu: 'gb200', num_gpus: 8, weights: 'fp4' },
  { model: 'llama-2-7b', gpu: 'inferentia2' },
  { model: 'qwen2.5-72b', gpu: 'trainium2', weights: 'fp8', input_tokens: 500, output_tokens: 200 },
  { model: 'whisper-large-v3', gpu: 'l4', input_tokens: 200, output_tokens: 100 },
  { model: 'llama-3.1-405b', gpu: 'l4' }, // does not fit: performance and cost are null
  { model: 'mixtral-8x22b', gpu: 'h100-nvl', num_gpus: 4, pp: 2, tp: 2 },
  { model: 'gpt-3-175b', gpu: 'a100-80gb-pcie', num_gpus: 8, max_batch_size: 64, max_num_tokens: 4096, input_tokens: 1024, output_tokens: 512 },
  { model: 'llama-3.1-8b', gpu: 'h100-sxm', weights: 'int4', kv_cache: 'fp8', output_tokens: 2000, concurrency: 'max' },
  { model: 'llama-2-13b', gpu: 'mi250x', usd_per_gpu_hour: 0 },
];

const memoryKeys = ['weights_bytes', 'activation_bytes', 'runtime_reserved_bytes', 'kv_cache_used_bytes', 'capacity_bytes'];

test.describe('the page equals the CLI', () => {
  for (const scenario of scenarios) {
    test(`${scenario['model']} on ${scenario['gpu']} ${query(scenario).replace(/^model=[^&]*&gpu=[^&]*&?/, '')}`, async ({ page }) => {
      const expected = cliEstimate(scenario);
      expect(expected.ok, 'the CLI accepts this scenario').toBe(true);
      if (!expected.ok) return;
      const cli = expected.result;
      await openCalculator(page, query(scenario));
      await expect(page.getByTestId('notices')).toBeHidden();

      const shown = await dataValues(page, 'result-');
      for (const spec of resultKeys) {
        const raw = shown[spec.key];
        expect(raw, `${spec.key} is shown`).toBeDefined();
        const want = cli[spec.key] as number | null;
        expectClose(raw === 'null' ? null : Number(raw), want, spec.key);
        await expect(page.getByTestId(`result-${spec.key}`).first()).toHaveText(new RegExp('^' + escapeRegExp(spec.format(want))));
      }
      expect(shown['decode_bound']).toBe(cli['decode_bound'] === null ? 'null' : cli['decode_bound']);
      if (cli['decode_bound']) {
        // In the core's words (pertoken/text/result_words.hpp), as the CLI's table says them: the
        // page keeps its own copy in its first view, held to the core's here.
        const table = execFileSync(cliPath, ['estimate', '--scenario', scratchFile('scenario.json', JSON.stringify(scenario))], { encoding: 'utf8' });
        const words = /\n {2}decode bound by +(.+)\n/.exec(table)?.[1];
        expect(words, 'the CLI table says what bounds decode').toBeDefined();
        await expect(page.getByTestId('result-decode_bound')).toHaveText(words!);
      }
      await expect(page.getByTestId('verdict')).toHaveAttribute('data-value', cli['fits'] ? 'fits' : 'does-not-fit');
      await expect(page.getByTestId('verdict')).toContainText(cli['limit_detail']);

      const memory = await dataValues(page, 'memory-');
      for (const key of memoryKeys) expectClose(Number(memory[key]), cli['memory'][key], `memory.${key}`);
    });
  }

  test('a scenario the CLI rejects is marked at the same field with the same message', async ({ page }) => {
    // Two MI250X need its scale-up link, which the catalog does not give.
    const scenario = { model: 'llama-3.1-8b', gpu: 'mi250x', num_gpus: 2 };
    const expected = cliEstimate(scenario);
    expect(expected.ok).toBe(false);
    await openCalculator(page);
    await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill('2'));
    await page.getByTestId('field-gpu').selectOption('mi250x');
    const error = page.getByTestId('error-gpu');
    await expect(error).toBeVisible();
    const message = (await error.textContent())!;
    expect(message.length).toBeGreaterThan(10);
    expect(!expected.ok && expected.stderr).toContain(message);
    await expect(page.getByTestId('stale')).toBeVisible();
    await expect(page.getByTestId('field-gpu')).toHaveAttribute('aria-invalid', 'true');
  });
});

async function exported(page: Page, testid: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
  return readFileSync((await download.path())!, 'utf8');
}

test.describe('the charts equal pertoken sweep', () => {
  for (const scenario of scenarios) {
    test(`${scenario['model']} on ${scenario['gpu']} ${query(scenario).replace(/^model=[^&]*&gpu=[^&]*&?/, '')}`, async ({ page }) => {
      await openCalculator(page, query(scenario), undefined, false);
      await expect(page.getByTestId('notices')).toBeHidden();
      for (const kind of ['batching', 'memory', 'context', 'gpus']) {
        const expected = cliSweep(kind, scenario);
        expect(expected.ok, `pertoken sweep ${kind} accepts this scenario`).toBe(true);
        const shown = JSON.parse(await exported(page, `export-${kind}-json`));
        if (expected.ok) deepClose(shown, expected.result, `sweep ${kind}`);
        if (kind !== 'batching' || !expected.ok) continue;
        // What the chart draws is that sweep: the CSV's cost column is the points' cost.
        const rows = (await exported(page, 'export-batching-csv')).trim().split(/\r?\n/).slice(1);
        const costs = rows.map((row) => row.split(',')[1]!).map((cell) => (cell === '' ? null : Number(cell)));
        expect(costs).toEqual(shown.points.map((p: { usd_per_million_tokens?: number | null }) => p.usd_per_million_tokens ?? null));
      }
    });
  }
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
