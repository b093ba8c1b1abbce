// The answer first (issue 12): on a phone and a desktop the headline ($ per million tokens,
// tokens/s per user, time to first token, fit) is in the first viewport and stays in view while
// the last field of the form is edited, with the scenario restated beside it; the tab's title
// follows the scenario; the core's notes sit beside the headline they qualify; one unit for
// memory; the accelerator comparison says which layout each bar is. Expected values come from the
// CLI (the oracle), never from the page.
import { expect, test, type Page } from '@playwright/test';
import { build } from 'esbuild';
import { formatInteger, formatUsd } from '../../site/src/format';
import { afterRecompute, cliEstimate, cliSweep, openCalculator, query, repoRoot } from './helpers';

const headlineBandKeys = ['usd_per_million_tokens', 'usd_per_million_input_tokens', 'usd_per_million_output_tokens', 'output_tokens_per_second_per_gpu', 'tokens_per_second_per_user', 'ttft_seconds', 'tpot_seconds'];

// The headline figures a result puts at an end of their own two-valued band.
function bandEdgeKeys(result: Record<string, unknown>): string[] {
  const bands = (result['uncertainty'] ?? {}) as Record<string, [number, number]>;
  return headlineBandKeys.filter((k) => bands[k] && bands[k][0] !== bands[k][1] && (result[k] === bands[k][0] || result[k] === bands[k][1]));
}

// The page marks each headline figure at an end of its band "(one-sided)" and no other, and shows
// the core's sentence that says which regime made it so (the CLI's notes, verbatim).
async function expectOneSided(page: Page, result: Record<string, unknown>, atEdge: string[]): Promise<void> {
  const bands = (result['uncertainty'] ?? {}) as Record<string, [number, number]>;
  for (const key of atEdge) await expect(page.getByTestId(`band-${key}`)).toContainText('(one-sided)');
  for (const key of headlineBandKeys.filter((k) => !atEdge.includes(k) && bands[k])) await expect(page.getByTestId(`band-${key}`)).not.toContainText('one-sided');
  const said = (result['notes'] as string[]).filter((n) => n.includes('at P10 and P90 alike'));
  expect(said.length > 0).toBe(atEdge.length > 0);
  for (const note of said) await expect(page.getByTestId('caveats').locator('li', { hasText: note })).toHaveCount(1);
}


// The last control of the form, in document order (the field a user reaches last).
async function lastField(page: Page) {
  return page.locator('#form input, #form select').last();
}

async function expectAnswerInView(page: Page): Promise<void> {
  await expect(page.getByTestId('answer')).toBeInViewport({ ratio: 1 });
  for (const id of ['answer-usd_per_million_tokens', 'answer-tokens_per_second_per_user', 'answer-ttft_seconds', 'answer-fits']) {
    await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  }
}

const viewports = [
  { name: 'phone', viewport: { width: 390, height: 844 } },
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
];

for (const { name, viewport } of viewports) {
  test.describe(`${name} ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('the headline is in the first viewport and stays in view while the last field is edited', async ({ page }) => {
      const scenario = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' };
      await openCalculator(page, query(scenario), undefined, false);
      await expect(page.evaluate(() => window.scrollY)).resolves.toBe(0);
      await expectAnswerInView(page);
      const first = cliEstimate(scenario);
      expect(first.ok).toBe(true);
      if (!first.ok) return;
      await expect(page.getByTestId('answer-usd_per_million_tokens')).toHaveAttribute('data-value', String(first.result['usd_per_million_tokens']));

      // Scroll to the last field and edit it, then an earlier one from down there: the answer
      // stays on screen and follows.
      const last = await lastField(page);
      await last.scrollIntoViewIfNeeded();
      expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(300);
      const tag = await last.evaluate((e) => e.tagName);
      await afterRecompute(page, () => (tag === 'SELECT' ? last.selectOption({ index: 1 }) : last.fill('0')));
      await expectAnswerInView(page);
      const output = page.getByTestId('field-output_tokens');
      await afterRecompute(page, () => output.fill('123'));
      await last.scrollIntoViewIfNeeded();
      await expectAnswerInView(page);
      const lastValue = await last.inputValue();
      const edited = cliEstimate({ ...scenario, output_tokens: 123, [String(await last.getAttribute('name'))]: /^\d+$/.test(lastValue) ? Number(lastValue) : lastValue });
      expect(edited.ok).toBe(true);
      if (!edited.ok) return;
      await expect(page.getByTestId('answer-usd_per_million_tokens')).toHaveAttribute('data-value', String(edited.result['usd_per_million_tokens']));
      await expect(page.getByTestId('answer-fits')).toHaveAttribute('data-value', String(edited.result['fits']));
    });
  });
}

test('the answer restates its scenario in one line, and the title follows the scenario', async ({ page }) => {
  const scenario = { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8', input_tokens: 3000, output_tokens: 700, usd_per_gpu_hour: 3.5, engine: 'vllm' };
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  const s = expected.result['scenario'];
  await openCalculator(page, query(scenario), undefined, false);
  const line = page.getByTestId('answer-scenario');
  for (const part of ['Llama 3.1 70B', '4 × NVIDIA H200', 'weights fp8', `KV cache ${s.kv_cache}`, '3,000 in / 700 out tokens', '$3.50/GPU-hour', 'vllm']) {
    await expect(line).toContainText(part);
  }
  await expect(page).toHaveTitle(`Llama 3.1 70B on 4 × NVIDIA H200 SXM 141GB: ${formatUsd(expected.result['usd_per_million_tokens'])} per M tokens — pertoken`);

  await afterRecompute(page, () => page.getByTestId('field-model').selectOption('llama-3.1-8b'));
  const other = cliEstimate({ ...scenario, model: 'llama-3.1-8b' });
  expect(other.ok).toBe(true);
  if (!other.ok) return;
  await expect(page).toHaveTitle(new RegExp(`^Llama 3\\.1 8B on 4 × .*: \\${formatUsd(other.result['usd_per_million_tokens'])} per M tokens`));
  await expect(line).toContainText('Llama 3.1 8B');
  await expect(line).toContainText(`${formatInteger(3000)} in`);
});

// Opens the calculator on `scenario` and checks that the notes beside its headline are the CLI's
// for it, one of which says `said`. Returns those notes.
async function openWithCliNotes(page: Page, scenario: Record<string, string | number>, said: string): Promise<string[]> {
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  const notes = expected.ok ? (expected.result['notes'] as string[]) : [];
  expect(notes.some((n) => n.includes(said))).toBe(true);
  await openCalculator(page, query(scenario), undefined, false);
  await expect(page.getByTestId('caveats').locator('li')).toHaveText(notes);
  return notes;
}

// A figure the catalog estimated (TPU v5p's power: Google publishes none) is named as an estimate
// beside the headline, in the CLI's words, and marked in the specs; a published one is not.
test('an estimated catalog figure is named beside the headline and marked in the specs', async ({ page }) => {
  await openWithCliNotes(page, { model: 'llama-3.1-8b', gpu: 'tpu-v5p', num_gpus: 1 }, 'power (TDP) in the catalog is an estimate');
  await expect(page.getByTestId('caveats')).toContainText('Google Cloud TPU v5p: its power (TDP) in the catalog is an estimate');
  const tdp = page.getByTestId('gpu-specs').locator('tr[data-pointer="/tdp_w"]');
  await expect(tdp.getByTestId('estimate-mark')).toHaveText('(estimate)');
  await expect(page.getByTestId('gpu-specs').getByTestId('estimate-mark')).toHaveCount(1);
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('h100-sxm'));
  await expect(page.getByTestId('gpu-specs').getByTestId('estimate-mark')).toHaveCount(0);
  await expect(page.getByTestId('caveats')).toHaveCount(0);
});

// The SGLang profile was fitted on MoE runs alone: on a dense model its overheads are a guess, which
// the CLI's notes say and the page shows beside the headline; under TensorRT-LLM (fitted on dense
// runs too) the note is gone.
test('a dense model under an engine profile fitted on MoE runs says its overheads are a guess', async ({ page }) => {
  await openWithCliNotes(page, { model: 'llama-3.1-8b', gpu: 'h100-sxm', num_gpus: 1, engine: 'sglang' }, 'on this dense model they are a guess');
  await afterRecompute(page, () => page.getByTestId('field-engine').selectOption('tensorrt-llm'));
  await expect(page.getByTestId('caveats').locator('li', { hasText: 'dense model' })).toHaveCount(0);
});

// The vLLM profile was fitted on AMD MI300X runs alone: on an NVIDIA GPU its multipliers are left
// out and the shared factors stand in, a guess, which the CLI's notes say and the page shows beside
// the headline; on an MI300X the note is gone.
test('an engine profile fitted on another vendor\'s runs says its overheads are a guess', async ({ page }) => {
  await openWithCliNotes(page, { model: 'gpt-oss-120b', gpu: 'h100-sxm', num_gpus: 1, engine: 'vllm' }, 'are left out on this GPU');
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('mi300x'));
  await expect(page.getByTestId('caveats').locator('li', { hasText: 'another vendor' })).toHaveCount(0);
});

// gpt-oss ships MXFP4 experts: on a B200 (FP4 math) they multiply with MXFP8 activations at the
// FP8 rate, which the CLI's notes say and the page shows beside the headline; the model's specs
// name the checkpoint's 4-bit format.
test('an MXFP4 checkpoint names its format in the specs and its W4A8 math beside the headline', async ({ page }) => {
  await openWithCliNotes(page, { model: 'gpt-oss-120b', gpu: 'b200', num_gpus: 1 }, 'MXFP8');
  await expect(page.getByTestId('model-specs').locator('caption')).toContainText('checkpoint fp4, MXFP4');
  await afterRecompute(page, () => page.getByTestId('field-model').selectOption('llama-3.1-8b'));
  await expect(page.getByTestId('model-specs').locator('caption')).toContainText('checkpoint bf16;');
});

test('a chip without FP8 math shows the weight-only note beside the headline', async ({ page }) => {
  const notes = await openWithCliNotes(page, { model: 'llama-3.1-70b', gpu: 'a100-80gb-sxm', num_gpus: 4, weights: 'fp8' }, 'weight-only');
  // "Every figure" stays folded: the note is beside the headline, not only in there.
  await expect(page.getByTestId('every-figure')).not.toHaveAttribute('open', '');
  const caveats = page.getByTestId('caveats');
  await expect(caveats).toBeVisible();
  await expect(caveats).toContainText('weight-only');
  // Between the headline cards and the panels below them.
  const cards = await page.locator('#headline .cards').boundingBox();
  const box = await caveats.boundingBox();
  expect(box!.y).toBeGreaterThan(cards!.y + cards!.height - 1);
  expect(box!.y - (cards!.y + cards!.height)).toBeLessThan(60);
  // The answer bar says there is a caveat and links to it.
  await expect(page.getByTestId('answer-caveats')).toHaveAttribute('data-value', String(notes.length));
  await expect(page.getByTestId('answer-caveats')).toHaveAttribute('href', '#caveats');
  // A chip with FP8 math has no such note.
  await afterRecompute(page, () => page.getByTestId('field-gpu').selectOption('h100-sxm'));
  await expect(page.getByTestId('caveats')).toHaveCount(0);
});

test('a stale catalog price is a caveat beside the headline, aged against today as the CLI does', async ({ page }) => {
  // The CLI ages prices against today's date (its clock); the page against the browser's.
  const scenario = { model: 'llama-2-70b', gpu: 'inferentia2', num_gpus: 12, tp: 24 };
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  const notes = expected.result['notes'] as string[];
  await openCalculator(page, query(scenario), undefined, false);
  await expect(page.getByTestId('caveats').locator('li')).toHaveText(notes);
  const stale = notes.filter((n) => n.includes('older than'));
  test.skip(stale.length === 0, 'the catalog price is not stale on this date');
  await expect(page.getByTestId('caveats')).toContainText(stale[0]!);
});

test('a point estimate at the end of its likely range says why, in the core\'s words', async ({ page }) => {
  // Scenarios whose bands the CLI reports: the page marks every figure that sits at an end of its
  // range, and none other, and shows the core's note naming the regime. (With today's
  // measurements the loaded gpt-oss run's time to first token and the lone dense request's are
  // one-sided; the others straddle the model.)
  const scenarios = [
    { model: 'llama-3.1-8b', gpu: 'h100-sxm' },
    { model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' },
    { model: 'mixtral-8x7b', gpu: 'h100-sxm', num_gpus: 2 },
    { model: 'llama-3.1-8b', gpu: 'h100-sxm', concurrency: 1 },
    { model: 'gpt-oss-120b', gpu: 'h100-sxm', num_gpus: 2, engine: 'vllm', concurrency: 16 },
  ];
  let oneSided = 0;
  for (const scenario of scenarios) {
    const r = cliEstimate(scenario);
    expect(r.ok).toBe(true);
    if (!r.ok) continue;
    const atEdge = bandEdgeKeys(r.result);
    if (atEdge.length > 0) oneSided += 1;
    await openCalculator(page, query(scenario), undefined, false);
    await expectOneSided(page, r.result, atEdge);
  }
  expect(oneSided).toBeGreaterThan(0);
  // How the ranges are made is one click from them: the basis links to the methodology's section.
  const link = page.getByTestId('uncertainty-basis').getByRole('link', { name: 'How they are made' });
  await expect(link).toHaveAttribute('href', './methodology.html#bands');
  await link.click();
  await expect(page).toHaveURL(/methodology\.html#bands$/);
  await expect(page.locator('#bands')).toHaveText(/How the .likely. ranges are made/);
});

test('a one-sided range is marked where it is shown (the page’s renderer, on the CLI’s result)', async ({ page }) => {
  // The CLI's result for a scenario, with the cost band made one-sided as a regime whose runs came
  // in above the model at P10 and P90 alike makes it ([estimate, high]); the page's own headline
  // renderer draws it.
  const r = cliEstimate({ model: 'llama-3.1-70b', gpu: 'h200-sxm', num_gpus: 4, weights: 'fp8' });
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  const result = structuredClone(r.result);
  const bands = result['uncertainty'] as Record<string, [number, number]>;
  const cost = result['usd_per_million_tokens'] as number;
  bands['usd_per_million_tokens'] = [cost, bands['usd_per_million_tokens']![1]];
  const bundle = await build({
    stdin: { contents: "import { renderHeadline } from './site/src/results'; (window as any).renderHeadline = renderHeadline;", resolveDir: repoRoot, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    logLevel: 'silent',
  });
  await page.setContent('<div id="headline"></div>');
  await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  await page.evaluate((edited) => (window as unknown as { renderHeadline: (t: HTMLElement, r: unknown) => void }).renderHeadline(document.getElementById('headline')!, edited), result);
  expect(bandEdgeKeys(result)).toEqual(['usd_per_million_tokens']);
  await expect(page.getByTestId('band-usd_per_million_tokens')).toContainText('(one-sided)');
  for (const key of headlineBandKeys.filter((k) => k !== 'usd_per_million_tokens' && bands[k])) await expect(page.getByTestId(`band-${key}`)).not.toContainText('one-sided');
});

test('memory is in GiB in both the memory panel and the why-panel', async ({ page }) => {
  await openCalculator(page, query({ model: 'llama-3.1-8b', gpu: 'h100-sxm' }), undefined, false);
  await expect(page.getByTestId('why-weights')).toContainText('GiB');
  await expect(page.getByTestId('why-weights')).not.toContainText(/\d GB\b/);
  const weights = await page.getByTestId('memory-weights_bytes').textContent();
  expect(weights).toMatch(/GiB$/);
});

test('the why-panel pays for both pools of a disaggregated deployment, as the core does', async ({ page }) => {
  // 4 decode + 4 prefill H100s at $6.88 an hour: 8 devices, $55.04 an hour (by hand).
  await openCalculator(page, query({ model: 'llama-3.1-70b', gpu: 'h100-sxm', num_gpus: 4, prefill_gpus: 4, usd_per_gpu_hour: 6.88 }), undefined, false);
  await expect(page.getByTestId('why-dollars')).toContainText(`8 devices at ${formatUsd(6.88)}/h cost ${formatUsd(8 * 6.88)}/h`);
});

test('the why-panel says a prompt runs whole without chunked prefill, and claims no step sharing the engine may not do', async ({ page }) => {
  // Off: the prompt runs whole, in a step of its own (scenario.hpp's chunked_prefill).
  await openCalculator(page, query({ model: 'llama-3.1-8b', gpu: 'h100-sxm', chunked_prefill: false }), undefined, false);
  await expect(page.getByTestId('why-prefill')).toContainText('-token prompt, run whole (chunked prefill is off):');
  // On, under SGLang (whose prefill batches run on their own): no claim that chunks share steps.
  await openCalculator(page, query({ model: 'llama-3.1-8b', gpu: 'h100-sxm', engine: 'sglang' }), undefined, false);
  await expect(page.getByTestId('why-prefill')).toContainText('-token prompt:');
  await expect(page.getByTestId('why-prefill')).not.toContainText('share each step');
  await expect(page.getByTestId('why-decode')).not.toContainText('chunked prefill');
  // Under TensorRT-LLM at load, the prompt's chunks ride in steps with the others' decodes, and
  // the parts listed are those whole steps': the panel says how many decodes share them.
  await openCalculator(page, query({ model: 'llama-3.1-8b', gpu: 'h100-sxm', concurrency: 64 }), undefined, false);
  await expect(page.getByTestId('why-prefill')).toContainText(/2,000-token prompt, beside [\d.,]+ decode tokens a step:/);
});

test('the why-panel says what each step carries in the CLI\'s words, a static batch\'s other prompts included', async ({ page }) => {
  // A static batch of 8 prompts of 2,000 tokens: 16,000 tokens in ceil(16,000 / 8,192) = 2 steps
  // of 8,000, this request's prompt 1,000 of each (by hand).
  const scenario = { model: 'llama-3.1-8b', gpu: 'h100-sxm', concurrency: 8, batching: 'static' };
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  const carries = expected.result['step_carries'] as { prefill: string; decode_step: string };
  expect(carries.prefill).toBe("one 2,000-token prompt, beside 7,000 other requests' prompt tokens a step");
  await openCalculator(page, query(scenario), undefined, false);
  await expect(page.getByTestId('why-prefill')).toContainText(`Prefill of ${carries.prefill}:`);
  await expect(page.getByTestId('why-decode')).toContainText(`An average decode step carries ${carries.decode_step} for the`);
});

test('the accelerator comparison labels each bar with its devices and layout, and says which layout is yours', async ({ page }) => {
  const scenario = { model: 'llama-3.1-8b', gpu: 'h100-sxm', num_gpus: 4 };
  const sweep = cliSweep('gpus', scenario);
  expect(sweep.ok).toBe(true);
  if (!sweep.ok) return;
  const points = sweep.result['points'] as { gpu: string; status: string; selected: boolean; num_gpus: number; tp: number; pp: number; ep: number }[];
  const mine = points.find((p) => p.selected)!;
  const layout = (p: { num_gpus: number; tp: number; pp: number; ep: number }) => `${p.num_gpus} × tp ${p.tp}${p.pp > 1 ? `, pp ${p.pp}` : ''}${p.ep > 1 ? `, ep ${p.ep}` : ''}`;
  expect(layout(mine)).not.toBe('4 × tp 4'); // the search finds a cheaper layout than the user's
  await openCalculator(page, query(scenario), undefined, false);
  const table = page.locator('#chart-gpus .data-table');
  await table.locator('summary').click();
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(points.length);
  const labels = await rows.locator('th, td:first-child').allTextContents();
  for (const p of points.filter((q) => q.status === 'fits')) {
    expect(labels.some((l) => l.includes(layout(p))), `${p.gpu} shows ${layout(p)}`).toBe(true);
  }
  expect(labels.some((l) => l.includes(`${layout(mine)} (cheapest; yours: 4 × tp 4)`))).toBe(true);
  // With the user's own layout equal to the cheapest one, the label says so.
  await afterRecompute(page, () => page.getByTestId('field-num_gpus').fill(String(mine.num_gpus)));
  await expect(table).toContainText(`${layout(mine)} (your layout)`);
});

test('a deployment that does not fit offers the fewest devices the core names, and using them fits', async ({ page }) => {
  const scenario = { model: 'llama-3.1-405b', gpu: 'l4' };
  const expected = cliEstimate(scenario);
  expect(expected.ok).toBe(true);
  if (!expected.ok) return;
  const fewest = expected.result['fewest_devices_that_fit'] as { num_gpus: number; tp: number; pp: number; ep: number };
  expect(fewest.num_gpus).toBeGreaterThan(1);
  await openCalculator(page, query(scenario), undefined, false);
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-value', 'does-not-fit');
  const use = page.getByTestId('use-fewest');
  await expect(use).toHaveText(`Use ${fewest.num_gpus} (tp ${fewest.tp}, pp ${fewest.pp}, ep ${fewest.ep})`);
  await afterRecompute(page, () => use.click());
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-value', 'fits');
  await expect(page.getByTestId('field-num_gpus')).toHaveValue(String(fewest.num_gpus));
  await expect(page.getByTestId('field-tp')).toHaveValue(String(fewest.tp));
});
