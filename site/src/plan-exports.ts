// The plan as CSV: one row per figure (section, key, value, unit), raw SI numbers and the CLI's
// keys, built in the page and saved through a blob URL (nothing leaves the browser). The JSON
// export is the core's text itself (plan.ts).
import type { PlanResult } from '../../web/plan-engine';
import { csvLines } from './exports';

export function planCsv(plan: PlanResult): string {
  const rows: unknown[][] = [['section', 'key', 'value', 'unit']];
  const headline: [string, unknown, string][] = [
    ['meets_sla', plan.meets_sla, ''],
    ['pricing', plan.pricing, ''],
    ['replicas', plan.replicas, 'replicas'],
    ['gpus_total', plan.gpus_total, 'devices'],
    ['utilization', plan.utilization, 'fraction'],
    ['usd_per_month', plan.usd_per_month, 'USD/month'],
    ['usd_per_million_tokens', plan.usd_per_million_tokens, 'USD/million tokens'],
    ['kwh_per_million_tokens', plan.kwh_per_million_tokens, 'kWh/million tokens'],
    ['carbon_g_per_million_tokens', plan.carbon_g_per_million_tokens, 'gCO2e/million tokens'],
    ['grid_region', plan.grid_region, ''],
    ['searched_configurations', plan.searched_configurations, 'configurations'],
  ];
  for (const [key, value, unit] of headline) rows.push(['plan', key, value, unit]);
  for (const [key, value] of Object.entries(plan.workload)) rows.push(['workload', key, value, '']);
  for (const [key, value] of Object.entries(plan.sla)) rows.push(['sla', key, value, '']);
  const option = plan.best_detail ?? plan.closest;
  if (option) {
    const section = plan.best_detail ? 'best' : 'closest';
    for (const [key, value] of Object.entries(option.scenario)) rows.push([`${section}.scenario`, key, value, '']);
    for (const [key, value] of Object.entries(option.instance)) rows.push([`${section}.instance`, key, value, '']);
    if (option.sla_excess !== undefined) rows.push([section, 'sla_excess', option.sla_excess, 'ratio']);
  }
  for (const b of plan.bill) {
    rows.push([`bill.${b.pricing}`, 'usd_per_gpu_hour', b.usd_per_gpu_hour, 'USD/device-hour'], [`bill.${b.pricing}`, 'replicas', b.replicas, 'replicas'], [`bill.${b.pricing}`, 'usd_per_month', b.usd_per_month, 'USD/month'], [`bill.${b.pricing}`, 'usd_per_million_tokens', b.usd_per_million_tokens, 'USD/million tokens'], [`bill.${b.pricing}`, 'basis', b.basis, '']);
  }
  for (const a of plan.api) {
    rows.push([`api.${a.provider}`, 'usd_per_million_tokens', a.usd_per_million_tokens, 'USD/million tokens'], [`api.${a.provider}`, 'usd_per_month', a.usd_per_month, 'USD/month'], [`api.${a.provider}`, 'break_even_tokens_per_day', a.break_even_tokens_per_day, 'tokens/day']);
    for (const [lens, volume] of Object.entries(a.break_even_tokens_per_day_by_pricing)) rows.push([`api.${a.provider}`, `break_even_tokens_per_day.${lens}`, volume, 'tokens/day']);
  }
  plan.alternatives.forEach((o, i) => {
    rows.push([`alternatives.${i}`, 'configuration', JSON.stringify(o.scenario), ''], [`alternatives.${i}`, 'usd_per_month', o.usd_per_month, 'USD/month'], [`alternatives.${i}`, 'usd_per_million_tokens', o.usd_per_million_tokens, 'USD/million tokens']);
  });
  rows.push(['waterfall', 'baseline', plan.waterfall.baseline, ''], ['waterfall', 'baseline_usd_per_million_tokens', plan.waterfall.baseline_usd_per_million_tokens, 'USD/million tokens']);
  for (const s of plan.waterfall.steps) {
    rows.push([`waterfall.${s.lever}`, 'usd_per_million_tokens_after', s.usd_per_million_tokens_after, 'USD/million tokens'], [`waterfall.${s.lever}`, 'sequential_saving', s.sequential_saving, 'USD/million tokens'], [`waterfall.${s.lever}`, 'shapley_saving', s.shapley_saving, 'USD/million tokens']);
  }
  for (const b of plan.sensitivity?.tornado ?? []) {
    for (const key of ['base', 'low', 'high', 'usd_per_million_tokens_at_low', 'usd_per_million_tokens_at_high', 'swing_usd_per_million_tokens'] as const) {
      rows.push([`tornado.${b.input}`, key, b[key], key.startsWith('base') || key === 'low' || key === 'high' ? '' : 'USD/million tokens']);
    }
  }
  for (const [kind, points] of Object.entries(plan.pareto)) {
    points.forEach((p, i) =>
      rows.push(
        [`pareto.${kind}.${i}`, 'label', p.label, ''],
        [`pareto.${kind}.${i}`, 'output_tokens_per_second_per_gpu', p.output_tokens_per_second_per_gpu, 'tokens/s'],
        [`pareto.${kind}.${i}`, 'tokens_per_second_per_user', p.tokens_per_second_per_user, 'tokens/s'],
        [`pareto.${kind}.${i}`, 'usd_per_million_tokens', p.usd_per_million_tokens, 'USD/million tokens'],
        [`pareto.${kind}.${i}`, 'e2e_latency_seconds', p.e2e_latency_seconds, 's'],
      ),
    );
  }
  plan.notes.forEach((note, i) => rows.push(['notes', String(i), note, '']));
  return csvLines(rows);
}
