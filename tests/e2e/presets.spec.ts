// Presets (issue 12): named workloads from the core's table (`pertoken list presets`), offered as
// buttons and in the form; picking one sets its lengths (a length typed before is handed back to
// the preset), the permalink keeps it, the headline checks its latency target, and every figure
// is the CLI's for `--preset NAME`.
import { expect, test } from '@playwright/test';
import { afterRecompute, cli, cliEstimate, expectClose, openCalculator, query } from './helpers';

interface Preset {
  id: string;
  name: string;
  input_tokens: number;
  output_tokens: number;
  reason: string;
}

const listed = cli(['list', 'presets', '--format', 'json']);
const presets = (listed.ok ? (listed.result as unknown as Preset[]) : []);

test('the presets are the CLI\'s, each a button with its reason', async ({ page }) => {
  expect(presets.map((p) => p.id)).toEqual(['chat', 'rag', 'code-completion', 'batch-summarisation', 'reasoning']);
  await openCalculator(page, '', undefined, false);
  for (const p of presets) {
    await expect(page.getByTestId(`preset-${p.id}`)).toHaveText(p.name);
    await expect(page.locator(`#field-preset option[value="${p.id}"]`)).toHaveText(p.name);
  }
  await expect(page.getByTestId('latency-target')).toHaveCount(0);
});

for (const preset of ['rag', 'reasoning']) {
  test(`picking ${preset} gives the CLI's --preset ${preset} answer, its target and its link`, async ({ page }) => {
    const base = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' };
    const p = presets.find((q) => q.id === preset)!;
    await openCalculator(page, query({ ...base, input_tokens: 1234 }), undefined, false);
    await afterRecompute(page, () => page.getByTestId(`preset-${preset}`).click());
    const expected = cliEstimate({ ...base, preset });
    expect(expected.ok).toBe(true);
    if (!expected.ok) return;
    // The typed length went back to the preset's.
    expect(expected.result['scenario']['input_tokens']).toBe(p.input_tokens);
    await expect(page.getByTestId('field-input_tokens')).toHaveValue(String(p.input_tokens));
    await expect(page.getByTestId('field-output_tokens')).toHaveValue(String(p.output_tokens));
    expectClose(Number(await page.getByTestId('answer-usd_per_million_tokens').getAttribute('data-value')), expected.result['usd_per_million_tokens'], '$/M tokens');
    await expect(page.getByTestId(`preset-${preset}`)).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByTestId('preset-about')).toContainText(p.reason);
    await expect(page.getByTestId('answer-scenario')).toContainText(`${p.input_tokens.toLocaleString('en-US')} in / ${p.output_tokens.toLocaleString('en-US')} out tokens`);
    const target = expected.result['latency_target'];
    const met = target.ttft_met === true && target.tpot_met === true;
    await expect(page.getByTestId('latency-target')).toHaveAttribute('data-value', met ? 'met' : 'missed');
    await expect(page.getByTestId('latency-target')).toContainText(`TTFT ≤`);
    await expect(page.getByTestId('latency-target')).toContainText(target.ttft_met ? 'met' : 'missed');
    await expect.poll(() => new URL(page.url()).searchParams.get('preset')).toBe(preset);
    expect(new URL(page.url()).searchParams.get('input_tokens')).toBeNull();
  });
}

test('a link with a preset opens it; a length given beside it wins', async ({ page }) => {
  const scenario = { model: 'llama-3.1-8b', gpu: 'h100-sxm', preset: 'code-completion', output_tokens: 80 };
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  expect(expected.result['scenario']['output_tokens']).toBe(80);
  await openCalculator(page, query(scenario), undefined, false);
  await expect(page.getByTestId('notices')).toBeHidden();
  await expect(page.getByTestId('field-preset')).toHaveValue('code-completion');
  await expect(page.getByTestId('field-output_tokens')).toHaveValue('80');
  expectClose(Number(await page.getByTestId('answer-usd_per_million_tokens').getAttribute('data-value')), expected.result['usd_per_million_tokens'], '$/M tokens');
  // Choosing "none" in the form keeps the lengths on screen and drops the target.
  await afterRecompute(page, () => page.getByTestId('field-preset').selectOption('none'));
  await expect(page.getByTestId('latency-target')).toHaveCount(0);
});
