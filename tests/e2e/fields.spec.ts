// The field table walked through the web form's state: for every scenario field the core lists,
// the page opened with that field set (its permalink, which is the form's state) computes exactly
// what the CLI computes for the same scenario file, and the form shows the value it was given.
// The sample values are the ones the CLI's field walk uses (tests/cli/fixtures/field_samples.json),
// and a field the core adds without a sample fails here as it does there.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterRecompute, cli, cliEstimate, deepClose, openCalculator, query, repoRoot } from './helpers';

const samples = JSON.parse(readFileSync(join(repoRoot, 'tests/cli/fixtures/field_samples.json'), 'utf8')) as Record<
  string,
  { flag: string; json: unknown }
>;
const listed = cli(['list', 'fields', '--format', 'json']);
const fields = (listed.ok ? (listed.result as unknown as { key: string }[]) : []).map((f) => f.key);

async function exportedResult(page: Page): Promise<Record<string, unknown>> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-results-json').click()]);
  return JSON.parse(readFileSync((await download.path())!, 'utf8')) as Record<string, unknown>;
}

test('every field has a sample value', () => {
  expect(fields.length).toBeGreaterThanOrEqual(22);
  for (const key of fields) expect(samples[key], key).toBeDefined();
});

for (const key of fields) {
  test(`field ${key}: form state, scenario file and CLI agree`, async ({ page }) => {
    const sample = samples[key];
    test.skip(sample === undefined, 'no sample (the test above fails)');
    const scenario: Record<string, unknown> = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' };
    if (key === 'draft_tokens' || key === 'acceptance_rate') scenario['speculative'] = 'eagle';
    if (key === 'prefill_tp' || key === 'prefill_ep') scenario['prefill_gpus'] = 4;
    scenario[key] = sample!.json;
    const expected = cliEstimate(scenario);
    expect(expected.ok, `the CLI accepts ${key}`).toBe(true);
    if (!expected.ok) return;
    await openCalculator(page, query(scenario));
    await expect(page.getByTestId('notices')).toBeHidden();
    deepClose(await exportedResult(page), expected.result);
    const input = page.locator(`#field-${key}`);
    const shown = await input.inputValue();
    const want = Array.isArray(sample!.json) ? null : String(sample!.json);
    if (want !== null) expect(shown, `the form shows ${key}`).toBe(want);
  });
}

// A range typed into the form reads as the CLI's flag reads it: "0.6:0.8" is what `--acceptance-rate`
// takes, and the page's other spellings of a range give the same scenario.
for (const typed of ['0.6:0.8', '0.6-0.8', '0.6 to 0.8']) {
  test(`a range typed as "${typed}" is the CLI's --acceptance-rate 0.6:0.8`, async ({ page }) => {
    const scenario = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8', speculative: 'eagle' };
    const outcome = cli(['estimate', '--model', 'llama-3.1-70b', '--gpu', 'h200-sxm', '--gpus', '4', '--weights', 'fp8', '--speculative', 'eagle', '--acceptance-rate', '0.6:0.8', '--format', 'json']);
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    await openCalculator(page, query(scenario));
    await afterRecompute(page, () => page.locator('#field-acceptance_rate').fill(typed));
    await expect(page.getByTestId('error-acceptance_rate')).toBeHidden();
    deepClose(await exportedResult(page), outcome.result);
  });
}

// The engine picker names each profile and the engine versions it was fitted on, as
// assets/engines.json records them, so the page says which engine (and release) its numbers assume.
test('the engine picker shows each profile by name and the versions it was fitted on', async ({ page }) => {
  const shipped = JSON.parse(readFileSync(join(repoRoot, 'assets/engines.json'), 'utf8')) as { engines: { id: string; name: string; versions: string[] }[] };
  await openCalculator(page);
  const options = await page.getByTestId('field-engine').locator('option').evaluateAll((list) => list.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']));
  const expected = shipped.engines.map((e) => [e.id, e.versions.length ? `${e.name} (fitted on ${e.versions.join(', ')})` : e.name]);
  expect(options.filter(([value]) => value !== '')).toEqual(expected);
});
