// The planner's why-panel: how the plan's headline comes out — the traffic at its peak, one
// replica's throughput at the SLA's concurrency, the replicas, the month under the price basis,
// $ per million tokens as the month's bill over its tokens — and the headline's P10-P90 band.
// Every figure is the core's (the plan JSON's "why"); the page computes none of them.
import type { PlanResult } from '../../web/plan-engine';
import { clear, h } from './dom';
import { formatCount, formatInteger, formatNumber, formatPercent, formatUsd } from './format';
import { formatTokens } from './plan-view';

// The "why" object of the plan JSON (null when nothing meets the SLA or the deployment has
// several pools).
export interface PlanWhy {
  tokens_per_day: number;
  tokens_per_request: number;
  requests_per_second: number;
  peak_to_average: number;
  peak_requests_per_second: number;
  concurrency: number;
  devices_per_replica: number;
  replica_requests_per_second: number;
  capacity_basis: 'estimate' | 'p10';
  replica_requests_per_second_estimate: number;
  tokens_per_second_per_user: number;
  replicas: number;
  spare_replicas: number; // spot: held beside them for interruptions
  gpus_total: number;
  utilization: number;
  usd_per_gpu_hour: number;
  price_basis: string;
  reprefill_share: number; // spot: of the bill, for re-prefilling interrupted requests
  hours_per_month: number;
  usd_per_month: number;
  tokens_per_month: number;
  usd_per_million_tokens: number;
  replica_requests_per_second_band: [number, number] | null;
  replicas_band: [number, number] | null;
  usd_per_million_tokens_band: [number, number] | null;
  tokens_per_second_per_user_band: [number, number] | null;
  band_basis: string;
}

export function planWhy(plan: PlanResult): PlanWhy | null {
  return (plan['why'] as PlanWhy | null | undefined) ?? null;
}

// One figure: its text, with the raw value for tests and copy.
function fig(key: string, value: number, text: string): HTMLElement {
  return h('strong', { 'data-testid': `why-plan-${key}`, 'data-value': String(value) }, text);
}

export function renderPlanWhy(box: HTMLElement, plan: PlanResult): void {
  clear(box);
  const w = planWhy(plan);
  box.appendChild(h('h3', { id: 'plan-why-title' }, 'Why this plan costs what it does'));
  if (!w) {
    box.appendChild(h('p', { 'data-testid': 'why-plan-none' }, plan.meets_sla ? 'This deployment has several pools: the table of its parts gives each pool’s fleet.' : 'Nothing meets the SLA: there is no fleet to explain.'));
    return;
  }
  const rate = (v: number) => `${formatNumber(v)} requests/s`;
  box.append(
    h('p', {}, 'Traffic: ', fig('tokens_per_day', w.tokens_per_day, formatTokens(w.tokens_per_day)), ' tokens a day ÷ ', fig('tokens_per_request', w.tokens_per_request, formatInteger(w.tokens_per_request)), ' tokens a request = ', fig('requests_per_second', w.requests_per_second, rate(w.requests_per_second)), ' on average; × ', fig('peak_to_average', w.peak_to_average, formatNumber(w.peak_to_average)), ' peak over average = ', fig('peak_requests_per_second', w.peak_requests_per_second, rate(w.peak_requests_per_second)), ' at the peak, which the fleet is sized for.'),
    h('p', {}, 'One replica (', fig('devices_per_replica', w.devices_per_replica, formatInteger(w.devices_per_replica)), ' device(s)) at ', fig('concurrency', w.concurrency, formatInteger(w.concurrency)), ' requests at once — the most that still meets the SLA — serves ', fig('replica_requests_per_second', w.replica_requests_per_second, rate(w.replica_requests_per_second)), w.capacity_basis === 'p10' ? ` (the low end of its likely range, which the fleet is sized at; the estimate is ${rate(w.replica_requests_per_second_estimate)})` : '', ', each user seeing ', fig('tokens_per_second_per_user', w.tokens_per_second_per_user, `${formatNumber(w.tokens_per_second_per_user)} tokens/s`), '.'),
    h('p', {}, 'Replicas: the peak ÷ one replica’s rate, rounded up = ', fig('replicas', w.replicas, formatInteger(w.replicas)), w.spare_replicas > 0 ? `, and ${formatCount(w.spare_replicas, 'spare')} for spot interruptions` : '', ' (', fig('gpus_total', w.gpus_total, formatInteger(w.gpus_total)), ' devices), busy ', fig('utilization', w.utilization, formatPercent(w.utilization)), ' of the time on average.'),
    h('p', {}, '$ per month: ', formatInteger(w.gpus_total), ' devices × ', fig('usd_per_gpu_hour', w.usd_per_gpu_hour, formatUsd(w.usd_per_gpu_hour)), ' per device-hour × ', fig('hours_per_month', w.hours_per_month, formatInteger(w.hours_per_month)), ' hours', w.reprefill_share > 0 ? ` × (1 + ${formatPercent(w.reprefill_share)} for re-prefilling interrupted requests)` : '', ' = ', fig('usd_per_month', w.usd_per_month, formatUsd(w.usd_per_month)), ` (${w.price_basis}).`),
    h('p', {}, '$ per million tokens: ', formatUsd(w.usd_per_month), ' ÷ ', fig('tokens_per_month', w.tokens_per_month, formatTokens(w.tokens_per_month)), ' tokens a month × 1,000,000 = ', fig('usd_per_million_tokens', w.usd_per_million_tokens, formatUsd(w.usd_per_million_tokens)), '.'),
  );
  const cost = w.usd_per_million_tokens_band;
  const replicas = w.replicas_band;
  const speed = w.tokens_per_second_per_user_band;
  if (cost && replicas) {
    box.appendChild(
      h(
        'p',
        { 'data-testid': 'why-plan-band' },
        'Likely range (P10–P90): ',
        h('span', { 'data-testid': 'why-plan-band-usd_per_million_tokens', 'data-low': String(cost[0]), 'data-high': String(cost[1]) }, `${formatUsd(cost[0])} – ${formatUsd(cost[1])} per million tokens`),
        ` with ${formatInteger(replicas[0])} – ${formatInteger(replicas[1])} replicas`,
        speed ? `, ${formatNumber(speed[0])} – ${formatNumber(speed[1])} tokens/s per user` : '',
        `. ${w.band_basis}.`,
      ),
    );
  } else {
    box.appendChild(h('p', { 'data-testid': 'why-plan-band' }, `${w.band_basis}.`));
  }
}
