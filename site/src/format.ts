// Number formatting at the edge: SI values from the core -> what a person reads ($/M tokens,
// ms, GiB, tokens/s). Deterministic (en-US) so tests can format the CLI's numbers the same way.
// No DOM here: the browser tests import this file too.

import { fixedText, significantText } from './decimal';

// Intl.NumberFormat's en-US text, without the ~70 ms its first use costs a fresh page (decimal.ts).
const sig3 = { format: (value: number) => significantText(value, 3) };
const whole = { format: (value: number) => fixedText(value, 0, 0) };
const oneDecimal = { format: (value: number) => fixedText(value, 1, 1) };
const twoDecimals = { format: (value: number) => fixedText(value, 2, 2) };

export const dash = '—';

function missing(value: number | null | undefined): value is null | undefined {
  return value === null || value === undefined || !Number.isFinite(value);
}

// Three significant digits, whole numbers above 1,000 ("4,355", "23.8", "0.0878").
export function formatNumber(value: number | null | undefined): string {
  if (missing(value)) return dash;
  return Math.abs(value) >= 1000 ? whole.format(value) : sig3.format(value);
}

export function formatUsd(value: number | null | undefined): string {
  if (missing(value)) return dash;
  if (value < 0) return '-' + formatUsd(-value); // "-$0.0237", as the core's format_usd
  if (value >= 100) return '$' + whole.format(value);
  if (value >= 1) return '$' + twoDecimals.format(value);
  return '$' + sig3.format(value);
}

// Seconds -> "70.7 ms" below one second, "21.0 s" above.
export function formatSeconds(value: number | null | undefined): string {
  if (missing(value)) return dash;
  if (Math.abs(value) < 1) return sig3.format(value * 1000) + ' ms';
  if (Math.abs(value) < 1000) return sig3.format(value) + ' s';
  return whole.format(value) + ' s';
}

export const gib = 1024 ** 3;

export function formatBytes(value: number | null | undefined): string {
  if (missing(value)) return dash;
  if (Math.abs(value) >= gib) return oneDecimal.format(value / gib) + ' GiB';
  if (Math.abs(value) >= 1024 ** 2) return oneDecimal.format(value / 1024 ** 2) + ' MiB';
  if (Math.abs(value) >= 1024) return oneDecimal.format(value / 1024) + ' KiB';
  return whole.format(value) + ' B';
}

// Bytes per second -> "3.35 TB/s" (decimal, as datasheets print bandwidth).
export function formatBandwidth(value: number | null | undefined): string {
  if (missing(value)) return dash;
  if (value >= 1e12) return sig3.format(value / 1e12) + ' TB/s';
  return sig3.format(value / 1e9) + ' GB/s';
}

export function formatFlops(value: number | null | undefined): string {
  if (missing(value)) return dash;
  return formatNumber(value / 1e12) + ' TFLOP/s';
}

export function formatPercent(fraction: number | null | undefined): string {
  if (missing(fraction)) return dash;
  return sig3.format(fraction * 100) + '%';
}

export function formatInteger(value: number | null | undefined): string {
  if (missing(value)) return dash;
  return whole.format(value);
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
