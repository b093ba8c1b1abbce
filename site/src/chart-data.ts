// The data of the four charts, computed with the core's sweep (engine.atConcurrency...): the
// batching trade-off, the accelerator comparison, memory against capacity, and context length.
// Pure data: rendering is chart-view.ts, exports are exports.ts. NaN from the core becomes null.
import type { Engine, EstimateResult, GpuEntry, ModelEntry, SweepPoint } from '../../web/engine';

export type SeriesKind = 'line' | 'bar' | 'area' | 'points';

export interface Series {
  label: string;
  unit: string;
  values: (number | null)[];
  axis: 'y' | 'y2';
  kind: SeriesKind;
  color: number; // index into the theme's chart palette
  dash?: boolean;
  stackedOn?: number; // areas: index of the series this one is stacked on (values are cumulative)
  raw?: (number | null)[]; // areas: the component itself (values minus the one below)
}

export interface Axis {
  label: string;
  unit: string;
  format: 'usd' | 'seconds' | 'bytes' | 'number';
  log?: boolean; // values span decades: a log scale
}

export interface ChartData {
  id: 'batching' | 'gpus' | 'memory' | 'context';
  title: string;
  caption: string;
  x: { label: string; unit: string; values: number[]; log: boolean; categories?: string[] };
  y: Axis;
  y2?: Axis;
  series: Series[];
  marker: number | null; // x of the scenario on screen
  extra: { label: string; values: (string | number | null)[] }[]; // more columns for exports
  empty: string | null; // why there is nothing to plot
}

const value = (n: number | undefined): number | null => (n === undefined || Number.isNaN(n) ? null : n);

// Whole numbers from 1 to max, about `count` of them spaced evenly on a log scale, plus extras.
export function logSteps(min: number, max: number, count: number, extras: number[] = []): number[] {
  const steps = new Set<number>();
  if (max < min) return [];
  for (let i = 0; i < count; ++i) {
    const t = count === 1 ? 0 : i / (count - 1);
    steps.add(Math.round(Math.exp(Math.log(min) + t * (Math.log(max) - Math.log(min)))));
  }
  for (const e of extras) if (e >= min && e <= max && Number.isInteger(e)) steps.add(e);
  return [...steps].sort((a, b) => a - b);
}

export interface SweepSet {
  concurrency: number[];
  points: SweepPoint[];
}

// The concurrency sweep shared by the batching and memory charts.
export function sweepConcurrency(engine: Engine, result: EstimateResult): SweepSet {
  const max = result.max_concurrency;
  const current = typeof result.concurrency === 'number' ? Math.round(result.concurrency) : 0;
  const concurrency = max >= 1 ? logSteps(1, max, 24, [current]) : [1];
  return { concurrency, points: concurrency.map((c) => engine.atConcurrency(c)) };
}

export function batchingChart(result: EstimateResult, sweep: SweepSet): ChartData {
  const fitting = sweep.points.map((p) => p['fits'] === 1);
  return {
    id: 'batching',
    title: 'Batching trade-off',
    caption:
      'Cost per million tokens (all tokens, left axis) and each user\'s speed (right axis) as more requests share the GPUs, from 1 to the most that fit.',
    x: { label: 'Concurrency', unit: 'requests', values: sweep.concurrency, log: true },
    y: { label: '$ per million tokens', unit: 'USD', format: 'usd', log: true },
    y2: { label: 'Tokens/s per user', unit: 'tokens/s', format: 'number' },
    series: [
      { label: '$ per million tokens', unit: 'USD', axis: 'y', kind: 'line', color: 0, values: sweep.points.map((p) => value(p['usd_per_million_tokens'])) },
      { label: 'Tokens/s per user', unit: 'tokens/s', axis: 'y2', kind: 'line', color: 1, values: sweep.points.map((p) => value(p['tokens_per_second_per_user'])) },
    ],
    marker: typeof result.concurrency === 'number' ? result.concurrency : null,
    extra: [
      { label: 'Output tokens/s per GPU', values: sweep.points.map((p) => value(p['output_tokens_per_second_per_gpu'])) },
      { label: 'Time to first token (s)', values: sweep.points.map((p) => value(p['ttft_seconds'])) },
      { label: 'Time per output token (s)', values: sweep.points.map((p) => value(p['tpot_seconds'])) },
    ],
    empty: result.max_concurrency < 1 || !fitting.some(Boolean) ? 'Nothing fits: no batch to trade off.' : null,
  };
}

export function memoryChart(result: EstimateResult, sweep: SweepSet): ChartData {
  const get = (key: string) => sweep.points.map((p) => value(p[key]) ?? 0);
  const weights = get('weights_bytes');
  const activations = get('activation_bytes');
  const runtime = get('runtime_reserved_bytes');
  const kv = get('kv_cache_used_bytes');
  const pool = get('kv_cache_pool_bytes');
  const capacity = get('capacity_bytes');
  const layers = [weights, activations, runtime, kv];
  const cumulative: number[][] = [];
  layers.forEach((layer, i) => cumulative.push(layer.map((v, j) => v + (i ? cumulative[i - 1]![j]! : 0))));
  const labels = ['Weights', 'Activations', 'Runtime reserve', 'KV cache in use'];
  const series: Series[] = layers.map((layer, i) => ({
    label: labels[i]!,
    unit: 'bytes',
    axis: 'y',
    kind: 'area',
    color: [2, 3, 4, 0][i]!,
    values: cumulative[i]!,
    raw: layer,
    stackedOn: i === 0 ? undefined : i - 1,
  }));
  series.push(
    { label: 'KV pool limit', unit: 'bytes', axis: 'y', kind: 'line', color: 1, dash: true, values: pool.map((p, j) => p + cumulative[2]![j]!) },
    { label: 'Capacity', unit: 'bytes', axis: 'y', kind: 'line', color: 5, values: capacity },
  );
  return {
    id: 'memory',
    title: 'Memory per GPU',
    caption: 'Weights, activation workspace, runtime reserve and the KV cache of the requests in flight, against the GPU\'s capacity, as concurrency grows.',
    x: { label: 'Concurrency', unit: 'requests', values: sweep.concurrency, log: true },
    y: { label: 'Memory per GPU', unit: 'bytes', format: 'bytes' },
    series,
    marker: typeof result.concurrency === 'number' ? result.concurrency : null,
    extra: [],
    empty: null,
  };
}

// Prompt lengths from 128 tokens to what the context allows with this output length.
export function contextChart(engine: Engine, result: EstimateResult, model: ModelEntry | undefined): ChartData {
  const output = Number(result.scenario['output_tokens']) || 0;
  const input = Number(result.scenario['input_tokens']) || 1;
  const context = model?.max_context_tokens ?? 131072;
  const top = Math.max(1, context - output);
  const xs = logSteps(Math.min(128, top), top, 16, [input]);
  const kept: number[] = [];
  const points: SweepPoint[] = [];
  for (const x of xs) {
    const point = engine.atInputTokens(x);
    if (point['ok'] !== 1) continue;
    kept.push(x);
    points.push(point);
  }
  return {
    id: 'context',
    title: 'Context length',
    caption: 'Time to first token (left axis) and cost per million tokens (right axis) as the prompt grows, with the output length and concurrency setting unchanged.',
    x: { label: 'Input tokens', unit: 'tokens', values: kept, log: true },
    y: { label: 'Time to first token', unit: 's', format: 'seconds', log: true },
    y2: { label: '$ per million tokens', unit: 'USD', format: 'usd' },
    series: [
      { label: 'Time to first token', unit: 's', axis: 'y', kind: 'line', color: 1, values: points.map((p) => value(p['ttft_seconds'])) },
      { label: '$ per million tokens', unit: 'USD', axis: 'y2', kind: 'line', color: 0, values: points.map((p) => value(p['usd_per_million_tokens'])) },
    ],
    marker: input,
    extra: [
      { label: 'Max concurrency', values: points.map((p) => value(p['max_concurrency'])) },
      { label: 'Fits', values: points.map((p) => (p['fits'] === 1 ? 'yes' : 'no')) },
    ],
    empty: points.some((p) => p['fits'] === 1) ? null : 'Nothing fits at any prompt length from 128 tokens up.',
  };
}

interface Layout {
  gpu: GpuEntry;
  point: SweepPoint | null; // the best fitting layout, or null
  reason: string; // why nothing fits, or why the core cannot estimate it
  unknown: boolean; // the core cannot estimate this accelerator (a figure it needs is unknown)
}

const maxDevices = 128;

// The tensor-parallel degree for n devices: the largest power of two within the scale-up
// domain and the attention heads; pipeline stages take the rest.
function tensorParallel(n: number, gpu: GpuEntry, model: ModelEntry | undefined): number {
  const limit = Math.min(n, gpu.scale_up_domain_size ?? 8, model?.num_attention_heads ?? n);
  let tp = 1;
  while (tp * 2 <= limit && n % (tp * 2) === 0) tp *= 2;
  return tp;
}

// One device count on one accelerator: the widest valid tensor parallelism, narrowing when the
// core rejects it (KV heads that tp must divide, for instance).
function tryDevices(engine: Engine, index: number, gpu: GpuEntry, model: ModelEntry | undefined, n: number): SweepPoint {
  let tp = tensorParallel(n, gpu, model);
  for (;;) {
    const point = engine.atLayout(index, n, tp, n / tp, 1);
    if (point['ok'] === 1 || tp === 1) return point;
    tp /= 2;
  }
}

// The cheapest layout that fits: the fewest devices that hold the weights, and twice and four
// times as many (more devices leave more room for the KV cache, so a bigger batch).
function bestLayout(engine: Engine, index: number, gpu: GpuEntry, model: ModelEntry | undefined): Layout {
  const single = tryDevices(engine, index, gpu, model, 1);
  let n = 1;
  let first: SweepPoint | null = single['fits'] === 1 ? single : null;
  let reason = single.text;
  if (single['ok'] !== 1) return { gpu, point: null, reason, unknown: true };
  if (!first) {
    const room = (single['capacity_bytes'] ?? 0) - (single['activation_bytes'] ?? 0) - (single['runtime_reserved_bytes'] ?? 0);
    const weights = single['weights_bytes'] ?? NaN;
    if (!(room > 0) || !Number.isFinite(weights)) return { gpu, point: null, reason: reason || 'no room', unknown: false };
    n = 2 ** Math.max(1, Math.ceil(Math.log2(weights / room)));
    for (; n <= maxDevices && !first; n *= 2) {
      const point = tryDevices(engine, index, gpu, model, n);
      // More devices need a figure the catalog lacks (its scale-up link, say): no estimate.
      if (point['ok'] !== 1) return { gpu, point: null, reason: point.text, unknown: true };
      if (point['fits'] === 1) first = point;
      else reason = point.text;
    }
    if (!first) return { gpu, point: null, reason: `${reason} (up to ${maxDevices} devices)`, unknown: false };
    n = first['num_gpus']!;
  }
  let best = first;
  for (const more of [2 * n, 4 * n]) {
    if (more > maxDevices) break;
    const point = tryDevices(engine, index, gpu, model, more);
    const cost = point['usd_per_million_tokens'];
    const bestCost = best['usd_per_million_tokens'];
    if (point['fits'] === 1 && cost !== undefined && !Number.isNaN(cost) && (Number.isNaN(bestCost!) || cost < bestCost!)) best = point;
  }
  return { gpu, point: best, reason: '', unknown: false };
}

export function gpuChart(engine: Engine, result: EstimateResult, gpus: GpuEntry[], model: ModelEntry | undefined): ChartData {
  const layouts = gpus.map((gpu, index) => bestLayout(engine, index, gpu, model));
  const cost = (l: Layout) => {
    const c = l.point?.['usd_per_million_tokens'];
    return c === undefined || Number.isNaN(c) ? null : c;
  };
  // Cheapest first; fitting ones without a price next; those that do not fit last.
  const order = layouts.slice().sort((a, b) => {
    const rank = (l: Layout) => (l.point ? (cost(l) === null ? 1 : 0) : l.unknown ? 3 : 2);
    return rank(a) - rank(b) || (cost(a) ?? 0) - (cost(b) ?? 0) || a.gpu.name.localeCompare(b.gpu.name);
  });
  const selected = String(result.scenario['gpu']);
  const xs = order.map((_, i) => i);
  return {
    id: 'gpus',
    title: 'Accelerator comparison',
    caption:
      'Cost per million tokens for this model and workload on every accelerator of the catalog, each with the cheapest of the smallest device count that fits and twice and four times as many (tensor parallel within the scale-up domain, pipeline stages beyond it), at the catalog\'s reference price (yours for the accelerator you chose). ✗: does not fit on up to 128 devices; ?: the catalog lacks a figure the model needs.',
    x: { label: 'Accelerator', unit: '', values: xs, log: false, categories: order.map((l) => l.gpu.name + (l.point ? '' : l.unknown ? ' ?' : ' ✗')) },
    y: { label: '$ per million tokens', unit: 'USD', format: 'usd' },
    series: [
      { label: '$ per million tokens', unit: 'USD', axis: 'y', kind: 'bar', color: 0, values: order.map((l) => (l.gpu.id === selected ? null : cost(l))) },
      { label: 'Your accelerator', unit: 'USD', axis: 'y', kind: 'bar', color: 1, values: order.map((l) => (l.gpu.id === selected ? cost(l) : null)) },
      { label: 'Does not fit', unit: '', axis: 'y', kind: 'points', color: 5, values: order.map((l) => (l.point || l.unknown ? null : 0)) },
      { label: 'Cannot be estimated', unit: '', axis: 'y', kind: 'points', color: 2, values: order.map((l) => (l.unknown ? 0 : null)) },
    ],
    marker: null,
    extra: [
      { label: 'Accelerator id', values: order.map((l) => l.gpu.id) },
      { label: 'Devices', values: order.map((l) => (l.point ? l.point['num_gpus']! : null)) },
      { label: 'tp', values: order.map((l) => (l.point ? l.point['tp']! : null)) },
      { label: 'pp', values: order.map((l) => (l.point ? l.point['pp']! : null)) },
      { label: 'Price per device-hour (USD)', values: order.map((l) => (l.point ? value(l.point['usd_per_gpu_hour']) : null)) },
      { label: 'Tokens/s per user', values: order.map((l) => (l.point ? value(l.point['tokens_per_second_per_user']) : null)) },
      { label: 'Why not', values: order.map((l) => (l.point ? '' : l.reason)) },
    ],
    empty: null,
  };
}
