// Exports: the result as CSV and JSON (raw SI numbers, the CLI's keys), and each chart's data as
// CSV and JSON. Built in the page and saved through a blob URL: nothing leaves the browser.
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

// One row per figure: key, label, value (SI), unit. The scenario's resolved values come first.
export function resultCsv(result: EstimateResult): string {
  const rows: unknown[][] = [['key', 'label', 'value', 'unit']];
  for (const [key, value] of Object.entries(result.scenario)) rows.push([`scenario.${key}`, key, value, '']);
  rows.push(['fits', 'Fits', result.fits, ''], ['limit_reason', 'What limits the deployment', result.limit_reason, ''], ['decode_bound', 'What bounds decode', result.decode_bound, '']);
  for (const spec of resultKeys) rows.push([spec.key, spec.label, result[spec.key], spec.unit]);
  for (const [key, value] of Object.entries(result.memory)) rows.push([`memory.${key}`, key, value, 'bytes']);
  for (const phase of ['prefill', 'decode_step'] as const) {
    const step = result.breakdown[phase];
    if (step) for (const [key, value] of Object.entries(step)) rows.push([`breakdown.${phase}.${key}`, key, value, key.endsWith('seconds') ? 's' : 'tokens']);
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

export function chartJson(data: ChartData): string {
  return (
    JSON.stringify(
      {
        title: data.title,
        caption: data.caption,
        x: { label: data.x.label, unit: data.x.unit, values: data.x.categories ?? data.x.values },
        series: data.series.map((s) => ({ label: s.label, unit: s.unit, axis: s.axis, values: s.raw ?? s.values })),
        extra: data.extra,
        marker: data.marker,
      },
      null,
      2,
    ) + '\n'
  );
}
