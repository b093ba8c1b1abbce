// The specs of the chosen model and accelerator, each figure linked to its public source and
// as-of date (the catalog's "sources", keyed by the figure's JSON pointer in the catalog file).
import type { GpuEntry, ModelEntry, Source } from '../../web/engine';
import { externalLink, h } from './dom';
import { formatBandwidth, formatBytes, formatFlops, formatInteger, formatNumber, formatUsd } from './format';

interface SpecRow {
  label: string;
  value: string;
  pointer: string; // the figure's JSON pointer in the catalog entry
}

function sourceCell(source: Source | undefined): HTMLElement {
  if (!source || !source.source) return h('td', { class: 'source missing' }, 'no source given');
  let host = source.source;
  try {
    host = new URL(source.source).hostname.replace(/^www\./, '');
  } catch {
    // not a URL: shown as given
  }
  return h(
    'td',
    { class: 'source' },
    externalLink(source.source, host),
    h('span', { class: 'as-of' }, ` as of ${source.as_of}`),
    source.note ? h('details', { class: 'source-note' }, h('summary', {}, 'note'), source.note) : null,
  );
}

// A figure the catalog derived rather than read from a publication says so beside its value.
function estimateMark(source: Source | undefined): HTMLElement | null {
  if (!source?.estimate) return null;
  return h('span', { class: 'estimate-mark', 'data-testid': 'estimate-mark', title: 'Not a published figure: the catalog derived it; its note in the catalog file says how' }, ' (estimate)');
}

// The page's core leaves the entries' and figures' prose notes out of its download; the catalog
// file has them.
function notesLink(file: string, sources: Record<string, Source>): HTMLElement | null {
  if (Object.values(sources).some((s) => s.note)) return null;
  return h('p', { class: 'spec-notes' }, 'The entry\'s notes, and each figure\'s note (how it was read from its source): ', h('a', { href: `./catalog/${file}` }, `catalog/${file}`));
}

function table(caption: string, rows: SpecRow[], sources: Record<string, Source>, testid: string, file: string): HTMLElement {
  const used = new Set(rows.map((r) => r.pointer));
  const rest = Object.keys(sources).filter((p) => !used.has(p));
  return h(
    'div',
    { class: 'spec', 'data-testid': testid },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Figure'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Source'))),
      h(
        'tbody',
        {},
        ...rows.map((row) =>
          h('tr', { 'data-pointer': row.pointer }, h('th', { scope: 'row' }, row.label), h('td', {}, row.value, estimateMark(sources[row.pointer])), sourceCell(sources[row.pointer])),
        ),
      ),
    ),
    rest.length
      ? h(
          'details',
          {},
          h('summary', {}, `Sources of ${rest.length} other figures`),
          h('ul', {}, ...rest.map((p) => h('li', {}, h('code', {}, p), ' ', sourceCell(sources[p]).cloneNode(true)))),
        )
      : null,
    notesLink(file, sources),
  );
}

export function gpuSpecs(gpu: GpuEntry): HTMLElement {
  const rows: SpecRow[] = [
    { label: 'Memory', value: `${formatBytes(gpu.memory_capacity_bytes)} ${gpu.memory_type}`, pointer: '/memory_gib' },
    { label: 'Memory bandwidth', value: formatBandwidth(gpu.memory_bandwidth_bytes_per_second), pointer: '/memory_bandwidth_tb_per_s' },
  ];
  for (const [precision, rate] of Object.entries(gpu.dense_flop_per_second)) {
    rows.push({ label: `Dense ${precision}`, value: rate === null ? 'unknown' : formatFlops(rate), pointer: `/dense_tflops/${precision}` });
  }
  rows.push(
    { label: 'TDP', value: gpu.tdp_watts === null ? 'unknown' : `${formatInteger(gpu.tdp_watts)} W`, pointer: '/tdp_w' },
    {
      label: 'Scale-up link',
      value: `${gpu.scale_up_link || '—'}${gpu.scale_up_bytes_per_second_per_direction ? `, ${formatBandwidth(gpu.scale_up_bytes_per_second_per_direction)} per direction` : ''}`,
      pointer: '/scale_up/bandwidth_gb_per_s_per_direction',
    },
    { label: 'Scale-up domain', value: gpu.scale_up_domain_size === null ? 'unknown' : `${formatInteger(gpu.scale_up_domain_size)} devices`, pointer: '/scale_up/domain_size' },
    { label: 'Reference price', value: gpu.reference_usd_per_gpu_hour === null ? 'unknown' : `${formatUsd(gpu.reference_usd_per_gpu_hour)}/h`, pointer: '/reference_usd_per_gpu_hour' },
  );
  return table(`${gpu.name} (confidence: ${gpu.confidence || 'n/a'})`, rows, gpu.sources, 'gpu-specs', 'gpus.json');
}

export function modelSpecs(model: ModelEntry): HTMLElement {
  const billions = (v: number | null) => (v === null ? 'unknown' : `${formatNumber(v / 1e9)} B`);
  const rows: SpecRow[] = [
    { label: 'Parameters', value: billions(model.total_params), pointer: '/total_params_billion' },
    { label: 'Active parameters', value: billions(model.active_params), pointer: '/active_params_billion' },
    { label: 'Layers', value: formatInteger(model.num_layers), pointer: '/num_layers' },
    { label: 'Hidden size', value: formatInteger(model.hidden_size), pointer: '/hidden_size' },
    { label: 'Attention heads', value: `${formatInteger(model.num_attention_heads)} (${model.attention.toUpperCase()})`, pointer: '/num_attention_heads' },
    { label: 'KV heads', value: formatInteger(model.num_kv_heads), pointer: '/num_kv_heads' },
    { label: 'Head size', value: formatInteger(model.head_dim), pointer: '/head_dim' },
    { label: 'Context', value: model.max_context_tokens === null ? 'unknown' : `${formatInteger(model.max_context_tokens)} tokens`, pointer: '/max_context_tokens' },
  ];
  if (model.moe) {
    rows.push(
      { label: 'Experts', value: formatInteger(model.moe.num_experts), pointer: '/moe/num_experts' },
      { label: 'Experts per token', value: formatInteger(model.moe.experts_per_token), pointer: '/moe/experts_per_token' },
    );
  }
  if (model.sliding_window) {
    rows.push({ label: 'Sliding window', value: `${formatInteger(model.sliding_window.window_tokens)} tokens on ${model.sliding_window.num_layers} layers`, pointer: '/sliding_window/window_tokens' });
  }
  // An fp4 checkpoint says which 4-bit format (the core gives it for those only): MXFP4 experts
  // run W4A8 where NVFP4 runs W4A4.
  const checkpoint = model.fp4_format === null ? model.default_weights : `${model.default_weights}, ${model.fp4_format.toUpperCase()}`;
  return table(`${model.name} (checkpoint ${checkpoint}; confidence: ${model.confidence || 'n/a'})`, rows, model.sources, 'model-specs', 'models.json');
}
