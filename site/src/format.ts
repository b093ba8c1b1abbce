// Number formatting at the edge: SI values from the core -> what a person reads ($/M tokens,
// ms, GiB, tokens/s). Deterministic (en-US) so tests can format the CLI's numbers the same way.
// No DOM here: the browser tests import this file too.

// The core's rules (core/src/text/figure_text.cpp), written again here because the calculator's
// first view cannot afford a call into the module per figure: the page's figures then read as the
// core's sentences beside them do. tests/e2e/decimal.spec.ts holds every formatter here to the
// core's own, value for value (tests/core/figure_text_dump). One difference: a missing or
// non-finite figure is an em dash here, "-" in the core's plain text.

// C's "%.<d>f": the double's exact value rounded to d decimals, an exact tie to the even digit
// (toFixed breaks an exact tie upward: 100.5 -> "101" where C writes "100").
function fixed(value: number, d: number): string {
  const text = value.toFixed(d);
  // An exact tie reads back from d + 1 decimals ending in 5 and from nothing shorter: only then
  // are its every digit spelled out (toFixed(100), too slow for every figure of a recompute).
  const shortest = String(Math.abs(value));
  if (!shortest.endsWith('5') || shortest.split('.')[1]?.length !== d + 1) return text;
  const exact = Math.abs(value).toFixed(100); // every digit of a double in the core's range
  const cut = exact.indexOf('.') + 1 + d;
  if (!/^50*$/.test(exact.slice(cut))) return text;
  const kept = exact.slice(0, d ? cut : cut - 1);
  return +kept.slice(-1) % 2 ? text : (value < 0 ? '-' : '') + kept;
}

// C's "%.2e" ("1.20e-05"), or "%.3g" beyond 1e15 ("1e+17", "1.5e+15") where `trim`.
function exponential(value: number, trim: boolean): string {
  let [mantissa, power] = value.toExponential(2).split('e') as [string, string];
  // toExponential, too, breaks an exact tie upward. Only a whole number can be one here (a tie
  // below 1e-4 would need a decimal expansion no double has).
  const digits = Number.isInteger(value) ? BigInt(Math.abs(value)).toString() : '';
  if (/^\d\d[02468]50*$/.test(digits)) mantissa = (value < 0 ? '-' : '') + digits[0] + '.' + digits.slice(1, 3);
  const p = Number(power);
  return (trim ? mantissa.replace(/\.?0+$/, '') : mantissa) + 'e' + (p < 0 ? '-' : '+') + String(Math.abs(p)).padStart(2, '0');
}

// Whole digits with separators; three significant digits with an exponent from 1e15 up.
function whole(value: number): string {
  return Math.abs(value) >= 1e15 ? exponential(value, true) : fixed(value, 0).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Three significant digits ("0.0940", "23.8", "1.50"), whole numbers from 100 up and where whole.
function significant(value: number): string {
  const a = Math.abs(value);
  if (a === 0) return '0';
  if (a >= 100 || Number.isInteger(value)) return whole(value);
  if (a < 1e-4) return exponential(value, false);
  // As the core: a rounding that carries into a fourth digit ("10.00") takes one decimal fewer.
  const d = 2 - Math.floor(Math.log10(a));
  const text = fixed(value, d);
  return text.replace(/\D/g, '').replace(/^0+/, '').length > 3 ? fixed(value, d - 1) : text;
}

// Whether a figure keeps its unit (from half a unit below the next unit's one it would read "1,000
// ms"): the core's rounds_below, the same arithmetic.
const roundsBelow = (figure: number, nextUnit: number): boolean => Math.abs(figure) < nextUnit - 0.5;

export const dash = '—';

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

// "4,355", "23.8", "0.0878".
export function formatNumber(value: number | null | undefined): string {
  return missing(value) ? dash : significant(value);
}

export function formatUsd(value: number | null | undefined): string {
  if (missing(value)) return dash;
  if (value < 0) return '-' + formatUsd(-value); // "-$0.0237"
  return '$' + (value >= 99.995 ? whole(value) : value >= 1 ? fixed(value, 2) : significant(value));
}

// Seconds -> "850 µs", "70.7 ms", "22.1 s".
export function formatSeconds(value: number | null | undefined): string {
  if (missing(value)) return dash;
  // 999.6 ms reads "1.00 s", not "1,000 ms".
  if (value && roundsBelow(value * 1e6, 1000)) return significant(value * 1e6) + ' µs';
  return roundsBelow(value * 1e3, 1000) ? significant(value * 1e3) + ' ms' : significant(value) + ' s';
}

// "15 GiB", "1.50 GiB", "320 MiB" (binary units, as memory is sold).
export function formatBytes(value: number | null | undefined): string {
  if (missing(value)) return dash;
  const kib = value / 1024;
  const mib = kib / 1024;
  if (!roundsBelow(mib, 1024)) return significant(mib / 1024) + ' GiB';
  return roundsBelow(kib, 1024) ? significant(kib) + ' KiB' : significant(mib) + ' MiB';
}

// Bytes per second -> "3.35 TB/s" (decimal, as datasheets print bandwidth).
export function formatBandwidth(value: number | null | undefined): string {
  if (missing(value)) return dash;
  return roundsBelow(value / 1e9, 1000) ? significant(value / 1e9) + ' GB/s' : significant(value / 1e12) + ' TB/s';
}

export function formatFlops(value: number | null | undefined): string {
  if (missing(value)) return dash;
  return formatNumber(value / 1e12) + ' TFLOP/s';
}

export function formatPercent(fraction: number | null | undefined): string {
  return missing(fraction) ? dash : significant(fraction * 100) + '%';
}

export function formatInteger(value: number | null | undefined): string {
  return missing(value) ? dash : whole(value);
}

// A count and its noun, plural unless one (the core's format_count): "1 error", "2,000 tokens".
export function formatCount(count: number, noun: string): string {
  return `${formatInteger(count)} ${noun}${count === 1 ? '' : 's'}`;
}

// How each result key of the CLI contract is shown: label, unit formatter.
export type Formatter = (value: number | null | undefined) => string;

export interface ResultKey {
  key: string;
  label: string;
  format: Formatter;
  unit: string; // for CSV exports: the SI unit of the raw value
}

export const resultKeys: ResultKey[] = [
  { key: 'usd_per_million_tokens', label: '$ per million tokens (all)', format: formatUsd, unit: 'USD' },
  { key: 'usd_per_million_input_tokens', label: '$ per million input tokens', format: formatUsd, unit: 'USD' },
  { key: 'usd_per_million_output_tokens', label: '$ per million output tokens', format: formatUsd, unit: 'USD' },
  { key: 'output_tokens_per_second_per_gpu', label: 'Output tokens/s per GPU', format: formatNumber, unit: 'tokens/s' },
  { key: 'tokens_per_second_per_user', label: 'Tokens/s per user', format: formatNumber, unit: 'tokens/s' },
  { key: 'ttft_seconds', label: 'Time to first token', format: formatSeconds, unit: 's' },
  { key: 'tpot_seconds', label: 'Time per output token', format: formatSeconds, unit: 's' },
  { key: 'max_concurrency', label: 'Max concurrency', format: formatInteger, unit: 'requests' },
  { key: 'concurrency', label: 'Requests in flight', format: formatNumber, unit: 'requests' },
  { key: 'e2e_latency_seconds', label: 'End-to-end latency', format: formatSeconds, unit: 's' },
  { key: 'output_tokens_per_second', label: 'Output tokens/s (deployment)', format: formatNumber, unit: 'tokens/s' },
  { key: 'input_tokens_per_second', label: 'Input tokens/s (deployment)', format: formatNumber, unit: 'tokens/s' },
  { key: 'requests_per_second', label: 'Requests/s', format: formatNumber, unit: 'requests/s' },
  { key: 'usd_per_hour', label: 'Deployment cost per hour', format: formatUsd, unit: 'USD/h' },
  { key: 'joules_per_output_token', label: 'Energy per output token (at TDP)', format: formatNumber, unit: 'J' },
  { key: 'weights_bytes_per_gpu', label: 'Weights per GPU', format: formatBytes, unit: 'bytes' },
  { key: 'kv_cache_bytes_per_gpu', label: 'KV cache in use per GPU', format: formatBytes, unit: 'bytes' },
  { key: 'kv_cache_bytes_per_token', label: 'KV cache per token (whole model)', format: formatBytes, unit: 'bytes' },
  { key: 'memory_capacity_bytes_per_gpu', label: 'Memory per GPU', format: formatBytes, unit: 'bytes' },
];

// The core's words (core/src/text/result_words.cpp), kept here because the calculator's first view
// cannot afford a door call for them; tests/e2e/parity.spec.ts holds them to the CLI's table.
export const decodeBoundWords: Record<string, string> = {
  memory_bandwidth: 'memory bandwidth',
  compute: 'compute',
  communication: 'communication',
  overhead: 'per-step overhead',
};
