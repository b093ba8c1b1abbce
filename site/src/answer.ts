// The answer bar: the headline ($ per million tokens, tokens/s per user, time to first token, fit)
// with the scenario it answers restated in one line. It stays at the top of the viewport on every
// width while the inputs are edited, and the page's title follows it. Display only: every figure
// is the core's result, formatted.
import type { CatalogNames, EstimateResult, WorkloadPreset } from '../../web/engine';
import { h, patch } from './dom';
import { formatCount, formatInteger, formatSeconds, formatUsd, resultKeys } from './format';

// Short labels: the bar must stay small on a phone (the cards below give the long ones).
const answerKeys: [string, string][] = [
  ['usd_per_million_tokens', '$ per M tokens'],
  ['tokens_per_second_per_user', 'Tokens/s per user'],
  ['ttft_seconds', 'TTFT'],
];

function text(value: unknown): string {
  return value === null || value === undefined ? '—' : String(value);
}

// The model's and the accelerator's names for the result's ids (the ids when the catalog has none).
export function scenarioNames(result: EstimateResult, names: CatalogNames): { model: string; gpu: string } {
  const s = result.scenario;
  return {
    model: names.models.find((m) => m.id === s['model'])?.name ?? text(s['model']),
    gpu: names.gpus.find((g) => g.id === s['gpu'])?.name ?? text(s['gpu']),
  };
}

// "Llama 3.1 8B · 1 × NVIDIA H100 · weights bf16, KV cache bf16 · 2,000 in / 500 out tokens ·
// $6.88/GPU-hour · tensorrt-llm": the scenario the headline answers.
export function scenarioLine(result: EstimateResult, names: CatalogNames): string {
  const s = result.scenario;
  const { model, gpu } = scenarioNames(result, names);
  const price = typeof s['usd_per_gpu_hour'] === 'number' ? `${formatUsd(s['usd_per_gpu_hour'])}/GPU-hour` : 'no price per GPU-hour';
  const layout = [`tp ${text(s['tp'])}`, s['pp'] !== 1 ? `pp ${text(s['pp'])}` : null, s['ep'] !== 1 ? `ep ${text(s['ep'])}` : null].filter(Boolean).join(', ');
  return [
    model,
    `${text(s['num_gpus'])} × ${gpu} (${layout})`,
    `weights ${text(s['weights'])}, KV cache ${text(s['kv_cache'])}`,
    `${formatInteger(Number(s['input_tokens']))} in / ${formatInteger(Number(s['output_tokens']))} out tokens`,
    price,
    text(s['engine']),
  ].join(' · ');
}

// The tab's title: what the scenario is and its answer.
export function pageTitle(result: EstimateResult, names: CatalogNames): string {
  const { model, gpu } = scenarioNames(result, names);
  const cost = result.usd_per_million_tokens;
  const answer = !result.fits ? 'does not fit' : cost === null ? 'no price' : `${formatUsd(cost)} per M tokens`;
  return `${model} on ${text(result.scenario['num_gpus'])} × ${gpu}: ${answer} — pertoken`;
}

// "Chat target: TTFT ≤ 1 s ✓ · TPOT ≤ 50 ms ✗", or null without a preset.
export function targetLine(result: EstimateResult, presets: WorkloadPreset[]): HTMLElement | null {
  const target = result.latency_target;
  if (!target) return null;
  const name = presets.find((p) => p.id === target.preset)?.name ?? target.preset;
  const mark = (met: boolean | null) => (met === null ? ' (does not run)' : met ? ' ✓ met' : ' ✗ missed');
  const all = target.ttft_met === true && target.tpot_met === true;
  return h(
    'span',
    { class: `target ${all ? 'met' : 'missed'}`, 'data-testid': 'latency-target', 'data-value': all ? 'met' : 'missed' },
    `${name} target: TTFT ≤ ${formatSeconds(target.max_ttft_seconds)}${mark(target.ttft_met)} · TPOT ≤ ${formatSeconds(target.max_tpot_seconds)}${mark(target.tpot_met)}`,
  );
}

// The $ figure carries elementtiming="first-answer": the browser reports when it was first painted
// (the budget script's time to the first answer, scripts/web_budget.mjs).
export function renderAnswer(target: HTMLElement, result: EstimateResult, names: CatalogNames, presets: WorkloadPreset[]): void {
  const container = document.createElement('div');
  const figures = h('dl', { class: 'answer-figures' });
  for (const [key, label] of answerKeys) {
    const spec = resultKeys.find((k) => k.key === key)!;
    const value = result[key];
    const number = typeof value === 'number' ? value : null;
    figures.appendChild(
      h('div', { title: spec.label }, h('dt', {}, label), h('dd', { 'data-testid': `answer-${key}`, 'data-value': number === null ? 'null' : String(number), elementtiming: key === 'usd_per_million_tokens' ? 'first-answer' : null }, spec.format(number))),
    );
  }
  figures.appendChild(
    h(
      'div',
      {},
      h('dt', {}, 'Fit'),
      h('dd', { class: result.fits ? 'fits' : 'no-fit', 'data-testid': 'answer-fits', 'data-value': String(result.fits) }, result.fits ? '✓ fits' : '✗ does not fit'),
    ),
  );
  const notes = result.notes.length;
  container.append(
    h('p', { class: 'answer-scenario', 'data-testid': 'answer-scenario' }, scenarioLine(result, names)),
    figures,
    h(
      'p',
      { class: 'answer-extra' },
      targetLine(result, presets),
      notes ? h('a', { href: '#caveats', class: 'caveat-link', 'data-testid': 'answer-caveats', 'data-value': String(notes) }, `⚠ ${formatCount(notes, 'caveat')}`) : null,
    ),
  );
  patch(target, container);
}
