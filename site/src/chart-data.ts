// The data of the four charts, mapped from the core's sweeps (engine.sweep: the batching
// trade-off, memory against concurrency, context length, and every accelerator at the cheapest
// layout the core's layout search finds). Pure mapping of the core's fields to series: the axis,
// the points, the ranking and the verdicts are the core's. Rendering is chart-view.ts, exports
// are exports.ts (the JSON export is the core's sweep itself).
import type { Sweep, SweepPoint } from '../../web/engine';

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
  raw?: (number | null)[]; // what hover, tables and exports show when values are drawn stacked
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
  extra: { label: string; values: (string | number | null)[]; format?: Axis['format'] }[]; // more columns for tables and CSV
  empty: string | null; // why there is nothing to plot
  sweep: Sweep; // the core's sweep the chart was drawn from (the JSON export)
}

const figure = (key: keyof SweepPoint) => (p: SweepPoint) => {
  const v = p[key];
  return typeof v === 'number' ? v : null;
};
const memory = (key: string) => (p: SweepPoint) => p.memory?.[key] ?? null;

function axis(sweep: Sweep, log: boolean): ChartData['x'] {
  return { label: sweep.x.label, unit: sweep.x.unit, values: sweep.points.map((p) => p.x), log };
}

export function batchingChart(sweep: Sweep): ChartData {
  const points = sweep.points;
  return {
    id: 'batching',
    title: 'Batching trade-off',
    caption:
      'Cost per million tokens (all tokens, left axis) and each user\'s speed (right axis) as more requests share the GPUs, from 1 to the most that fit.',
    x: axis(sweep, true),
    y: { label: '$ per million tokens', unit: 'USD', format: 'usd', log: true },
    y2: { label: 'Tokens/s per user', unit: 'tokens/s', format: 'number' },
    series: [
      { label: '$ per million tokens', unit: 'USD', axis: 'y', kind: 'line', color: 0, values: points.map(figure('usd_per_million_tokens')) },
      { label: 'Tokens/s per user', unit: 'tokens/s', axis: 'y2', kind: 'line', color: 1, values: points.map(figure('tokens_per_second_per_user')) },
    ],
    marker: sweep.marker,
    extra: [
      { label: 'Output tokens/s per GPU', values: points.map(figure('output_tokens_per_second_per_gpu')) },
      { label: 'Time to first token (s)', values: points.map(figure('ttft_seconds')) },
      { label: 'Time per output token (s)', values: points.map(figure('tpot_seconds')) },
    ],
    empty: sweep.empty,
    sweep,
  };
}

// The memory components drawn stacked (each area's top is the sum of those below it); hover,
// the data table and the CSV show each component itself.
const stack = [
  { key: 'weights_bytes', label: 'Weights', color: 2 },
  { key: 'activation_bytes', label: 'Activations', color: 3 },
  { key: 'runtime_reserved_bytes', label: 'Runtime reserve', color: 4 },
  { key: 'kv_cache_used_bytes', label: 'KV cache in use', color: 0 },
];

export function memoryChart(sweep: Sweep): ChartData {
  const points = sweep.points;
  const series: Series[] = [];
  let below: number[] = points.map(() => 0);
  for (const [i, part] of stack.entries()) {
    const raw = points.map(memory(part.key));
    const top = raw.map((v, j) => (v ?? 0) + below[j]!);
    series.push({ label: part.label, unit: 'bytes', axis: 'y', kind: 'area', color: part.color, values: top, raw, stackedOn: i === 0 ? undefined : i - 1 });
    below = top;
  }
  // The KV pool sits on weights + workspace + reserve: the dashed line is where a full pool ends,
  // named for what it is and read (hover, table, CSV) as that total, as the memory panel's
  // "planned" is; the pool's own size is a column of its own.
  const pool = points.map(memory('kv_cache_pool_bytes'));
  const base = series[2]!.values;
  series.push(
    { label: 'Planned with the KV pool full', unit: 'bytes', axis: 'y', kind: 'line', color: 1, dash: true, values: pool.map((v, j) => (v === null ? null : v + base[j]!)) },
    { label: 'Capacity', unit: 'bytes', axis: 'y', kind: 'line', color: 5, values: points.map(memory('capacity_bytes')) },
  );
  return {
    id: 'memory',
    title: 'Memory per GPU',
    caption:
      'Weights, activation workspace, runtime reserve and the KV cache of the requests in flight, stacked, against the GPU\'s capacity, as concurrency grows. The dashed line is the memory planned with the KV pool full (weights + activations + reserve + pool); the pool\'s own size is in the table.',
    x: axis(sweep, true),
    y: { label: 'Memory per GPU', unit: 'bytes', format: 'bytes' },
    series,
    marker: sweep.marker,
    extra: [{ label: 'KV pool (bytes)', values: pool, format: 'bytes' }],
    empty: sweep.empty,
    sweep,
  };
}

export function contextChart(sweep: Sweep): ChartData {
  const points = sweep.points;
  return {
    id: 'context',
    title: 'Context length',
    caption: 'Time to first token (left axis) and cost per million tokens (right axis) as the prompt grows, with the output length and concurrency setting unchanged.',
    x: axis(sweep, true),
    y: { label: 'Time to first token', unit: 's', format: 'seconds', log: true },
    y2: { label: '$ per million tokens', unit: 'USD', format: 'usd' },
    series: [
      { label: 'Time to first token', unit: 's', axis: 'y', kind: 'line', color: 1, values: points.map(figure('ttft_seconds')) },
      { label: '$ per million tokens', unit: 'USD', axis: 'y2', kind: 'line', color: 0, values: points.map(figure('usd_per_million_tokens')) },
    ],
    marker: sweep.marker,
    extra: [
      { label: 'Max concurrency', values: points.map(figure('max_concurrency')) },
      { label: 'Fits', values: points.map((p) => (p.fits ? 'yes' : 'no')) },
    ],
    empty: sweep.empty,
    sweep,
  };
}

const marks: Record<string, string> = { fits: '', does_not_fit: ' ✗', unknown: ' ?' };

// "4 × tp 4", "8 × tp 1, ep 8": a layout as a bar's label shows it.
export interface Layout {
  num_gpus: number;
  tp: number;
  pp: number;
  ep: number;
}
export function layoutText(l: Layout): string {
  return `${l.num_gpus} × tp ${l.tp}${l.pp > 1 ? `, pp ${l.pp}` : ''}${l.ep > 1 ? `, ep ${l.ep}` : ''}`;
}

// `yours`: the layout the scenario on screen uses. The accelerator it names is drawn at the
// search's cheapest layout like the others; its label says so when that is not the user's.
export function gpuChart(sweep: Sweep, yours?: Layout): ChartData {
  const points = sweep.points;
  const fits = (p: SweepPoint) => p.status === 'fits';
  const cost = figure('usd_per_million_tokens');
  const layout = (key: 'num_gpus' | 'tp' | 'pp' | 'ep') => points.map((p) => (fits(p) ? p[key] : null));
  // Fits but has no price on the sweep's basis: said so, never priced on another basis.
  const unpriced = (p: SweepPoint) => fits(p) && (p.usd_per_gpu_hour === null || p.usd_per_gpu_hour === undefined);
  const basis = sweep.price_basis ?? '';
  const floor = sweep.min_tokens_per_second_per_user;
  const floorTitle = floor === undefined ? '' : floor > 0 ? `, ≥ ${floor} tokens/s per user` : ', as many requests as fit';
  const floorCaption =
    floor === undefined ? '' : floor > 0 ? ` Each runs the largest batch whose users still get ${floor} tokens/s or more (the interactivity floor).` : ' Each runs as many requests as fit (no interactivity floor).';
  const label = (p: SweepPoint) => {
    const name = (p.gpu_name ?? p.gpu) + (marks[p.status ?? 'fits'] ?? '') + (unpriced(p) ? ' (no price)' : '');
    if (!fits(p)) return p.selected ? `${name} (yours)` : name;
    const at = layoutText(p);
    if (!p.selected) return `${name}: ${at}`;
    const own = yours ? layoutText(yours) : at;
    return own === at ? `${name}: ${at} (your layout)` : `${name}: ${at} (cheapest; yours: ${own})`;
  };
  return {
    id: 'gpus',
    title: (basis ? `Accelerator comparison at ${basis} prices` : 'Accelerator comparison') + floorTitle,
    caption: `Cost per million tokens for this model and workload on every accelerator of the catalog, each at the cheapest layout the core's layout search finds (device count, tensor, pipeline and expert parallelism, up to ${sweep.max_devices} devices), every one priced on one basis: ${basis || 'the core\'s default'}.${floorCaption} (no price): no offer on this basis; ✗: does not fit on up to ${sweep.max_devices} devices; ?: the catalog lacks a figure the model needs.`,
    x: { ...axis(sweep, false), categories: points.map(label) },
    y: { label: '$ per million tokens', unit: 'USD', format: 'usd' },
    series: [
      { label: '$ per million tokens', unit: 'USD', axis: 'y', kind: 'bar', color: 0, values: points.map((p) => (p.selected ? null : cost(p))) },
      { label: 'Your accelerator, at the layout its label gives', unit: 'USD', axis: 'y', kind: 'bar', color: 1, values: points.map((p) => (p.selected ? cost(p) : null)) },
      { label: 'Does not fit', unit: '', axis: 'y', kind: 'points', color: 5, values: points.map((p) => (p.status === 'does_not_fit' ? 0 : null)) },
      { label: 'Cannot be estimated', unit: '', axis: 'y', kind: 'points', color: 2, values: points.map((p) => (p.status === 'unknown' ? 0 : null)) },
      { label: `No price on this basis (${basis})`, unit: '', axis: 'y', kind: 'points', color: 3, values: points.map((p) => (unpriced(p) ? 0 : null)) },
    ],
    marker: sweep.marker,
    extra: [
      { label: 'Accelerator id', values: points.map((p) => p.gpu) },
      { label: 'Devices', values: layout('num_gpus') },
      { label: 'tp', values: layout('tp') },
      { label: 'pp', values: layout('pp') },
      { label: 'ep', values: layout('ep') },
      { label: 'Price per device-hour (USD)', values: points.map((p) => (fits(p) ? p.usd_per_gpu_hour : null)) },
      { label: 'Price from', values: points.map((p) => p.price_source ?? '') },
      { label: 'Tokens/s per user', values: points.map((p) => (fits(p) ? figure('tokens_per_second_per_user')(p) : null)) },
      { label: 'Why not', values: points.map((p) => p.reason ?? '') },
    ],
    empty: sweep.empty,
    sweep,
  };
}

// A long category chart cut to its first n rows (the core's ranking: cheapest first), keeping the
// scenario's own accelerator wherever it ranks, so that a catalog of hundreds stays readable; the
// caption says how many are shown. The JSON export keeps the whole sweep.
export function topRows(data: ChartData, n: number): ChartData {
  const count = data.x.values.length;
  if (!data.x.categories || count <= n) return data;
  const keep = data.x.values.map((_, i) => i).filter((i) => i < n || data.sweep.points[i]?.selected === true);
  const pick = <T>(values: T[]): T[] => keep.map((i) => values[i] as T);
  return {
    ...data,
    caption: `${data.caption} Shown: the first ${keep.length} of ${count}.`,
    x: { ...data.x, values: keep.map((_, j) => j), categories: pick(data.x.categories) },
    series: data.series.map((s) => ({ ...s, values: pick(s.values), ...(s.raw ? { raw: pick(s.raw) } : {}) })),
    extra: data.extra.map((e) => ({ ...e, values: pick(e.values) })),
  };
}
