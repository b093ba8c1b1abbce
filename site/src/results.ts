// The results panel: headline figures, the memory breakdown with the fit verdict, every other
// number of the result JSON, and the uncertainty band when the core provides one. Each number
// carries its raw SI value in data-value (the browser tests compare it with the CLI's JSON).
import type { EstimateResult, GpuEntry } from '../../web/engine';
import { append, h, patch, sourced } from './dom';
import { decodeBoundWords, formatBytes, formatPercent, resultKeys, type ResultKey } from './format';

export const headlineKeys = [
  'usd_per_million_tokens',
  'usd_per_million_input_tokens',
  'usd_per_million_output_tokens',
  'output_tokens_per_second_per_gpu',
  'tokens_per_second_per_user',
  'ttft_seconds',
  'tpot_seconds',
  'max_concurrency',
];

function numberOf(result: EstimateResult, key: string): number | null {
  const value = result[key];
  return typeof value === 'number' ? value : null;
}

function figure(result: EstimateResult, spec: ResultKey, tag: 'div' | 'tr'): HTMLElement {
  const value = numberOf(result, spec.key);
  const band = result.uncertainty?.[spec.key];
  // A band that runs from the estimate one way only is marked where it is shown; the core's notes
  // (caveats, below) say which regime's runs made it so.
  const oneSided = Array.isArray(band) && band[0] !== band[1] && (value === band[0] || value === band[1]);
  const bandText =
    Array.isArray(band) && band.length === 2 ? `${spec.format(band[0])} – ${spec.format(band[1])}${oneSided ? ' (one-sided)' : ''}` : null;
  const valueElement = h(
    tag === 'div' ? 'p' : 'td',
    { class: 'value', 'data-testid': `result-${spec.key}`, 'data-value': value === null ? 'null' : String(value) },
    spec.format(value),
  );
  const bandElement = bandText
    ? h('span', { class: 'band', 'data-testid': `band-${spec.key}`, 'data-low': String(band![0]), 'data-high': String(band![1]) }, `likely ${bandText}`)
    : null;
  if (tag === 'div') {
    return h('div', { class: 'card' }, h('p', { class: 'label' }, spec.label), valueElement, bandElement);
  }
  return h('tr', {}, h('th', { scope: 'row' }, spec.label), valueElement, h('td', { class: 'band-cell' }, bandElement));
}

// What the "likely" ranges mean, from the core's uncertainty_basis (when it gives one).
function bandBasis(result: EstimateResult): string {
  const basis = (result['uncertainty_basis'] ?? {}) as { percentiles?: number[]; throughput_regime?: string; throughput_regime_rows?: number; ttft_regime?: string; ttft_regime_rows?: number; method?: string };
  const [low, high] = basis.percentiles ?? [];
  const range = low !== undefined && high !== undefined ? ` (${low}th to ${high}th percentile)` : '';
  const method = basis.method ?? 'the spread of measured ÷ predicted over published measurements';
  const rows = basis.throughput_regime_rows ? ` — ${basis.throughput_regime_rows} measurements in this regime${basis.throughput_regime ? ` (${basis.throughput_regime})` : ''}` : '';
  const ttft = basis.ttft_regime ? `, ${basis.ttft_regime_rows} for time to first token (${basis.ttft_regime})` : '';
  return `“Likely” ranges${range}: ${method}${rows}${ttft}.`;
}

// The core's notes (fallbacks, guessed defaults, optimistic collectives, missing prices, stale
// data), beside the figures they qualify.
function caveats(result: EstimateResult): HTMLElement | null {
  if (result.notes.length === 0) return null;
  return h(
    'div',
    { id: 'caveats', class: 'caveats', 'data-testid': 'caveats' },
    h('h3', {}, result.notes.length === 1 ? 'Caveat' : 'Caveats'),
    h('ul', {}, ...result.notes.map((n) => h('li', {}, n))),
  );
}

type Layout = NonNullable<EstimateResult['fewest_devices_that_fit']>;

// use: when given, a deployment that does not fit offers the fewest devices the core found.
export function renderHeadline(target: HTMLElement, result: EstimateResult, use?: (layout: Layout) => void): void {
  const container = document.createElement('div');
  const byKey = new Map(resultKeys.map((k) => [k.key, k]));
  const fewest = result.fewest_devices_that_fit;
  const verdict = result.fits
    ? h('p', { class: 'verdict fits', 'data-testid': 'verdict', 'data-value': 'fits' }, '✓ Fits: ', result.limit_detail)
    : h(
        'p',
        { class: 'verdict no-fit', 'data-testid': 'verdict', 'data-value': 'does-not-fit' },
        '✗ Does not fit: ',
        result.limit_detail,
        fewest && use ? h('button', { type: 'button', class: 'use-layout', 'data-testid': 'use-fewest' }, `Use ${fewest.num_gpus} (tp ${fewest.tp}, pp ${fewest.pp}, ep ${fewest.ep})`) : null,
      );
  if (fewest && use) verdict.querySelector('button')?.addEventListener('click', () => use(fewest));
  const bound = result.decode_bound;
  append(
    container,
    verdict,
    h('div', { class: 'cards' }, ...headlineKeys.map((key) => figure(result, byKey.get(key)!, 'div'))),
    caveats(result),
    result.uncertainty
      ? h('p', { class: 'hint', 'data-testid': 'uncertainty-basis' }, `${bandBasis(result)} `, h('a', { href: './methodology.html#bands' }, 'How they are made'), '.')
      : null,
    h(
      'p',
      { class: 'bound' },
      'Decode is bound by ',
      h('strong', { 'data-testid': 'result-decode_bound', 'data-value': bound ?? 'null' }, bound ? decodeBoundWords[bound] ?? bound : '— (does not run)'),
      '.',
    ),
  );
  patch(target, container);
}

export function renderDetails(target: HTMLElement, result: EstimateResult): void {
  const container = document.createElement('div');
  const rest = resultKeys.filter((k) => !headlineKeys.includes(k.key));
  append(
    container,
    h(
      'table',
      { class: 'details' },
      h('tbody', {}, ...rest.map((spec) => figure(result, spec, 'tr'))),
    ),
    result.notes.length
      ? h('div', { class: 'notes' }, h('h3', {}, 'Notes from the model'), h('ul', { 'data-testid': 'notes' }, ...result.notes.map((n) => h('li', {}, n))))
      : null,
  );
  patch(target, container);
}

// The memory of one GPU as a bar against its capacity, and the same numbers as a list.
export function renderMemory(target: HTMLElement, result: EstimateResult, gpu: GpuEntry | undefined): void {
  const container = document.createElement('div');
  const m = result.memory;
  const capacity = m.capacity_bytes ?? 0;
  const used = m.kv_cache_used_bytes ?? 0;
  const pool = m.kv_cache_pool_bytes ?? 0;
  const parts = [
    { key: 'weights_bytes', label: 'Weights', bytes: m.weights_bytes ?? 0, css: 'm-weights' },
    { key: 'activation_bytes', label: 'Activations', bytes: m.activation_bytes ?? 0, css: 'm-activations' },
    { key: 'runtime_reserved_bytes', label: 'Runtime reserve', bytes: m.runtime_reserved_bytes ?? 0, css: 'm-runtime' },
    { key: 'kv_cache_used_bytes', label: 'KV cache in use', bytes: used, css: 'm-kv' },
    { key: 'kv_cache_free_bytes', label: 'KV pool, free', bytes: Math.max(0, pool - used), css: 'm-kv-free' },
  ];
  const total = parts.reduce((sum, p) => sum + p.bytes, 0);
  const free = Math.max(0, capacity - total);
  const scale = Math.max(capacity, total) || 1;
  const bar = h('div', { class: 'membar', role: 'img', 'aria-label': `Memory per GPU: ${formatBytes(total)} of ${formatBytes(capacity)} planned` });
  for (const part of parts) {
    if (part.bytes <= 0) continue;
    const segment = h('span', { class: `seg ${part.css}`, title: `${part.label}: ${formatBytes(part.bytes)}` });
    segment.style.width = `${(100 * part.bytes) / scale}%`;
    bar.appendChild(segment);
  }
  if (total > capacity) {
    const line = h('span', { class: 'capacity-line', title: `capacity ${formatBytes(capacity)}` });
    line.style.left = `${(100 * capacity) / scale}%`;
    bar.appendChild(line);
  }
  container.append(
    h('h3', {}, 'Memory per GPU'),
    bar,
    h(
      'ul',
      { class: 'memlist' },
      ...parts.map((p) =>
        h('li', {}, h('span', { class: `swatch ${p.css}`, 'aria-hidden': 'true' }), `${p.label} `, h('span', { 'data-testid': `memory-${p.key}`, 'data-value': String(p.bytes) }, formatBytes(p.bytes))),
      ),
      h('li', {}, h('span', { class: 'swatch m-free', 'aria-hidden': 'true' }), 'Unused ', h('span', {}, formatBytes(free))),
      h('li', { class: 'capacity' }, 'Capacity ', h('strong', { 'data-testid': 'memory-capacity_bytes', 'data-value': String(capacity) }, sourced(formatBytes(capacity), gpu?.sources['/memory_gib'])), ` (${formatPercent(capacity ? total / capacity : null)} planned)`),
    ),
  );
  patch(target, container);
}
