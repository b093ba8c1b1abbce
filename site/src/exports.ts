// Exports: the result as CSV and JSON (raw SI numbers, the CLI's keys), and each chart's data as
// CSV (the data table's columns) and JSON (the core's sweep, exactly what `pertoken sweep KIND
// --format json` prints). Built in the page and saved through a blob URL: nothing leaves the
// browser.
import type { EstimateResult } from '../../web/engine';
import type { ChartData } from './chart-data';
import { tableColumns } from './chart-view';
import { resultKeys } from './format';

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLines(rows: unknown[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

function stepUnit(key: string): string {
  if (key.endsWith('bytes_per_second')) return 'bytes/s';
  if (key.endsWith('seconds')) return 's';
  return key.includes('bytes') ? 'bytes' : 'tokens';
}

// One row per figure: key, label, value (SI), unit. The scenario's resolved values come first.
export function resultCsv(result: EstimateResult): string {
  const rows: unknown[][] = [['key', 'label', 'value', 'unit']];
  for (const [key, value] of Object.entries(result.scenario)) rows.push([`scenario.${key}`, key, value, '']);
  rows.push(['fits', 'Fits', result.fits, ''], ['limit_reason', 'What limits the deployment', result.limit_reason, ''], ['decode_bound', 'What bounds decode', result.decode_bound, '']);
  for (const spec of resultKeys) rows.push([spec.key, spec.label, result[spec.key], spec.unit]);
  for (const [key, value] of Object.entries(result.memory)) rows.push([`memory.${key}`, key, value, 'bytes']);
  for (const phase of ['prefill', 'decode_step'] as const) {
    const step = result.breakdown[phase];
    if (step) for (const [key, value] of Object.entries(step)) rows.push([`breakdown.${phase}.${key}`, key, value, stepUnit(key)]);
  }
  if (result.uncertainty) {
    for (const [key, band] of Object.entries(result.uncertainty)) {
      rows.push([`uncertainty.${key}.low`, key, band[0], ''], [`uncertainty.${key}.high`, key, band[1], '']);
    }
  }
  return csvLines(rows);
}

// The result exactly as the core returned it (the `pertoken estimate --format json` contract).
export function resultJson(result: EstimateResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

export function chartCsv(data: ChartData): string {
  const columns = tableColumns(data);
  const rows: unknown[][] = [columns.map((c) => c.header)];
  data.x.values.forEach((_, row) => rows.push(columns.map((c) => c.raw(row))));
  return csvLines(rows);
}

// The core's sweep the chart was drawn from, as the core returned it.
export function chartJson(data: ChartData): string {
  return JSON.stringify(data.sweep, null, 2) + '\n';
}
