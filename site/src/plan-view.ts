// The planner page's panels, drawn from the plan JSON (`pertoken plan --format json`): the answer
// in words, the headline figures, the bill under each way to pay, the APIs with their break-even
// volumes, the alternatives, the savings waterfall and the tornado. Every number is the core's;
// this file only lays them out (bar lengths are the numbers scaled to the panel's width).
import type { InverseAnswer, PlanOption, PlanResult, SensitivityResult, TornadoBar } from '../../web/plan-engine';
import { clear, h } from './dom';
import { dash, formatInteger, formatNumber, formatPercent, formatSeconds, formatUsd } from './format';

// Counts of tokens a day, people-sized: "150 M", "2.5 B".
export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash;
  if (Math.abs(value) >= 1e12) return `${formatNumber(value / 1e12)} T`;
  if (Math.abs(value) >= 1e9) return `${formatNumber(value / 1e9)} B`;
  if (Math.abs(value) >= 1e6) return `${formatNumber(value / 1e6)} M`;
  if (Math.abs(value) >= 1e3) return `${formatNumber(value / 1e3)} K`;
  return formatNumber(value);
}

// The verdict line and its detail: the core's answer in words, the same the CLI and the app show.
export function renderAnswer(verdict: HTMLElement, words: HTMLElement, plan: PlanResult): void {
  verdict.classList.toggle('fits', plan.meets_sla);
  verdict.classList.toggle('no-fit', !plan.meets_sla);
  verdict.textContent = plan.answer.verdict;
  words.textContent = plan.answer.detail;
}

function card(key: string, label: string, value: number | null, text: string, band?: [number, number] | null, format?: (v: number) => string, slow?: number | null): HTMLElement {
  // The P10-P90 band the core gives (the plan JSON's why), as the calculator shows its own.
  const likely = band && format ? h('span', { class: 'band', 'data-testid': `plan-band-${key}`, 'data-low': String(band[0]), 'data-high': String(band[1]) }, `likely ${format(band[0])} – ${format(band[1])}`) : null;
  // Where the SLA was read at the slow end of the likely range: the figure it was judged by.
  const judged = typeof slow === 'number' && format ? h('span', { class: 'band', 'data-testid': `plan-sla-${key}`, 'data-value': String(slow) }, `${format(slow)} at P90, as the SLA read it`) : null;
  return h('div', { class: 'card' }, h('p', { class: 'label' }, label), h('p', { class: 'value', 'data-testid': `plan-${key}`, 'data-value': value === null ? '' : String(value) }, text), likely, judged);
}

export function renderHeadline(box: HTMLElement, plan: PlanResult): void {
  clear(box);
  const why = plan['why'] as { usd_per_million_tokens_band?: [number, number] | null; tokens_per_second_per_user_band?: [number, number] | null } | null | undefined;
  box.append(
    card('usd_per_million_tokens', '$ per million tokens', plan.usd_per_million_tokens, formatUsd(plan.usd_per_million_tokens), why?.usd_per_million_tokens_band, formatUsd),
    card('usd_per_month', '$ per month', plan.usd_per_month, formatUsd(plan.usd_per_month)),
    card('replicas', 'Replicas', plan.replicas, formatInteger(plan.replicas)),
    card('gpus_total', 'Devices in all', plan.gpus_total, formatInteger(plan.gpus_total)),
    card('utilization', 'Utilization', plan.utilization, formatPercent(plan.utilization)),
    card('tokens_per_day', 'Tokens a day', plan.workload.tokens_per_day, formatTokens(plan.workload.tokens_per_day)),
    card('kwh_per_million_tokens', 'kWh per million tokens', plan.kwh_per_million_tokens, formatNumber(plan.kwh_per_million_tokens)),
    card('carbon_g_per_million_tokens', `gCO₂e per million tokens (${plan.grid_region})`, plan.carbon_g_per_million_tokens, formatNumber(plan.carbon_g_per_million_tokens)),
    card('searched_configurations', 'Configurations searched', plan.searched_configurations, formatInteger(plan.searched_configurations)),
  );
  // Each instance of the fleet at its concurrency: what a user sees against the SLA.
  const option = plan.best_detail ?? plan.closest;
  const instance = option?.instance ?? {};
  const figure = (key: string) => (typeof instance[key] === 'number' ? (instance[key] as number) : null);
  const p90 = plan.sla.sla_basis === 'p90';
  box.append(
    card('ttft_seconds', 'Time to first token', figure('ttft_seconds'), formatSeconds(figure('ttft_seconds')), null, formatSeconds, p90 ? option?.sla_ttft_seconds : null),
    card('tpot_seconds', 'Time per output token', figure('tpot_seconds'), formatSeconds(figure('tpot_seconds')), null, formatSeconds, p90 ? option?.sla_tpot_seconds : null),
    card('tokens_per_second_per_user', 'Tokens/s per user', figure('tokens_per_second_per_user'), formatNumber(figure('tokens_per_second_per_user')), why?.tokens_per_second_per_user_band, formatNumber),
  );
}

export function renderNotes(box: HTMLElement, notes: string[]): void {
  clear(box);
  for (const note of notes) box.appendChild(h('li', {}, note));
}

function table(caption: string, headers: string[], rows: HTMLElement[]): HTMLElement {
  return h(
    'table',
    { class: 'plan-table' },
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, ...headers.map((t, i) => h('th', { scope: 'col', class: i > 0 ? 'num' : null }, t)))),
    h('tbody', {}, ...rows),
  );
}

export function renderBill(box: HTMLElement, plan: PlanResult): void {
  clear(box);
  const rows = plan.bill.filter((b) => b.available).map((b) =>
    h(
      'tr',
      { 'data-testid': `bill-${b.pricing}`, 'data-value': b.usd_per_month === null ? '' : String(b.usd_per_month), class: b.pricing === plan.pricing ? 'ranked' : null },
      h('th', { scope: 'row' }, b.pricing),
      h('td', { class: 'num' }, b.available ? formatUsd(b.usd_per_gpu_hour) : dash),
      h('td', { class: 'num' }, b.available ? formatInteger(b.replicas) : dash),
      h('td', { class: 'num' }, b.available ? formatUsd(b.usd_per_month) : dash),
      h('td', { class: 'num' }, b.available ? formatUsd(b.usd_per_million_tokens) : dash),
      h('td', { class: 'basis' }, b.available ? b.basis : 'no price in the catalog for this accelerator'),
    ),
  );
  box.appendChild(table('The bill under each way to pay', ['Way to pay', '$ per device-hour', 'Replicas', '$ per month', '$ per million tokens', 'Basis'], rows));
  const missing = plan.bill.filter((b) => !b.available).map((b) => b.pricing);
  if (missing.length) box.appendChild(h('p', { class: 'hint', 'data-testid': 'bill-unavailable' }, `The catalog has no price for this accelerator under: ${missing.join(', ')}.`));
}

export function renderApi(box: HTMLElement, plan: PlanResult): void {
  clear(box);
  if (plan.api.length === 0) {
    box.appendChild(h('p', { class: 'empty' }, 'The catalog lists no serverless API for this model.'));
    return;
  }
  const rows = plan.api.map((a) =>
    h(
      'tr',
      { 'data-testid': `api-${a.provider}`, 'data-value': a.break_even_tokens_per_day === null ? '' : String(a.break_even_tokens_per_day) },
      h('th', { scope: 'row' }, a.provider),
      h('td', { class: 'num' }, formatUsd(a.usd_per_million_tokens)),
      h('td', { class: 'num' }, formatUsd(a.usd_per_month)),
      // The break-even of the plan's configuration (a smaller one, planned at a smaller volume, may
      // break even sooner: the volume chart's are over every volume's best).
      h('td', { class: 'num' }, a.break_even_tokens_per_day !== null ? `${formatTokens(a.break_even_tokens_per_day)} tokens/day` : plan.best_detail ? 'never' : 'no fleet to compare'),
      h(
        'td',
        { class: 'basis' },
        Object.entries(a.break_even_tokens_per_day_by_pricing)
          .filter(([, v]) => v !== null)
          .map(([lens, v]) => `${lens} ${formatTokens(v)}`)
          .join(' · ') || dash,
      ),
    ),
  );
  box.appendChild(table('Serverless APIs and break-even volumes', ['Provider', '$ per million tokens', '$ per month at this volume', `Break-even of this configuration (${plan.pricing})`, 'Break-even under other ways to pay (tokens/day)'], rows));
}

// The deployment pattern's pools (edge sites, the central pool, the small model's), each sized
// for its own peak; hidden for one central pool.
export function renderDeployment(section: HTMLElement, box: HTMLElement, plan: PlanResult): void {
  clear(box);
  const d = plan.deployment;
  const shown = !!d && (d.pattern !== 'centralized' || d.parts.length > 1);
  section.hidden = !shown;
  if (!d || !shown) return;
  const small = d.small_model ? `; ${d.small_model} serves ${formatPercent(d.small_model_share)} of the requests` : '';
  const central = d.centralized_usd_per_million_tokens === null ? '' : `; one central pool would cost ${formatUsd(d.centralized_usd_per_million_tokens)} per million tokens`;
  box.appendChild(h('p', { 'data-testid': 'deployment-summary' }, `${d.pattern}, ${formatInteger(d.sites)} ${d.sites === 1 ? 'site' : 'sites'}${small}${central}.`));
  const rows = d.parts.map((part, i) =>
    h(
      'tr',
      { 'data-testid': `deployment-part-${i}`, 'data-value': part.usd_per_month === null ? '' : String(part.usd_per_month) },
      h('th', { scope: 'row' }, `${part.role} (${part.model})`),
      h('td', { class: 'num' }, formatInteger(part.sites)),
      h('td', { class: 'num' }, formatTokens(part.tokens_per_day_per_site)),
      h('td', { class: 'num' }, formatNumber(part.peak_to_average)),
      h('td', {}, part.best ? `${part.best.words}, ${part.best.fleet_words}` : 'no plan (the notes say why)'),
      h('td', { class: 'num' }, formatUsd(part.usd_per_month)),
    ),
  );
  box.appendChild(table('Deployment pools', ['Pool', 'Sites', 'Tokens a day per site', 'Peak over average', 'Configuration and fleet (each site)', '$ per month'], rows));
}

export function renderAlternatives(box: HTMLElement, plan: PlanResult): void {
  clear(box);
  if (plan.alternatives.length === 0) {
    box.appendChild(h('p', { class: 'empty' }, 'No other configuration meets the SLA.'));
    return;
  }
  const rows = plan.alternatives.map((o, i) =>
    h(
      'tr',
      { 'data-testid': `alternative-${i}`, 'data-value': String(o.usd_per_month) },
      h('th', { scope: 'row' }, o.words),
      h('td', { class: 'num' }, formatInteger(o.replicas)),
      h('td', { class: 'num' }, formatInteger(o.gpus_total)),
      h('td', { class: 'num' }, formatPercent(o.utilization)),
      h('td', { class: 'num' }, formatUsd(o.usd_per_month)),
      h('td', { class: 'num' }, formatUsd(o.usd_per_million_tokens)),
    ),
  );
  box.appendChild(table('Alternatives', ['Configuration', 'Replicas', 'Devices', 'Utilization', '$ per month', '$ per million tokens'], rows));
}

// A bar inside a track: `from` and `to` as shares of the track (0..1).
function bar(from: number, to: number, className: string): HTMLElement {
  const span = h('span', { class: `bar ${className}` });
  const left = Math.max(0, Math.min(from, to));
  span.style.left = `${(left * 100).toFixed(2)}%`;
  span.style.width = `${(Math.max(0.004, Math.abs(to - from)) * 100).toFixed(2)}%`;
  return h('span', { class: 'track', 'aria-hidden': 'true' }, span);
}

export function renderWaterfall(baselineBox: HTMLElement, box: HTMLElement, plan: PlanResult): void {
  clear(box);
  const w = plan.waterfall;
  if (w.steps.length === 0) {
    baselineBox.textContent = '';
    box.appendChild(h('p', { class: 'empty' }, 'No waterfall: nothing meets the SLA, so there is no plan to explain.'));
    return;
  }
  baselineBox.textContent = `From a naive baseline (${w.baseline}) at ${formatUsd(w.baseline_usd_per_million_tokens)} per million tokens to the plan, lever by lever: the saving of each in this order, and its order-independent share (Shapley value: the average saving over every order of the levers).`;
  const top = w.baseline_usd_per_million_tokens;
  const share = (v: number) => (top > 0 ? v / top : 0);
  const rows: HTMLElement[] = [
    h('tr', { 'data-testid': 'waterfall-baseline-row' }, h('th', { scope: 'row' }, 'Baseline'), h('td', { class: 'num' }, formatUsd(top)), h('td', { class: 'num' }, dash), h('td', { class: 'num' }, dash), h('td', { class: 'chart-cell' }, bar(0, 1, 'base'))),
  ];
  let before = top;
  for (const step of w.steps) {
    rows.push(
      h(
        'tr',
        { 'data-testid': `waterfall-${step.lever}`, 'data-value': String(step.shapley_saving) },
        h('th', { scope: 'row' }, step.label ?? step.lever),
        h('td', { class: 'num' }, formatUsd(step.usd_per_million_tokens_after)),
        h('td', { class: 'num' }, formatUsd(step.sequential_saving)),
        h('td', { class: 'num' }, formatUsd(step.shapley_saving)),
        h('td', { class: 'chart-cell' }, bar(share(step.usd_per_million_tokens_after), share(before), step.sequential_saving < 0 ? 'up' : 'down')),
      ),
    );
    before = step.usd_per_million_tokens_after;
  }
  box.appendChild(table('Savings waterfall', ['Lever', '$ per million tokens after', 'Saving in this order', 'Shapley share', 'In this order (bar: the step, scaled to the baseline)'], rows));
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function inputWords(bar: TornadoBar): string {
  return `${bar.meaning}${bar.is_guess ? ' (a modelling guess)' : ''}`;
}

export function renderTornado(summary: HTMLElement, box: HTMLElement, sensitivity: SensitivityResult | null): void {
  clear(box);
  if (!sensitivity || !sensitivity.ok) {
    summary.textContent = sensitivity ? sensitivity.notes.join(' ') : 'No tornado: nothing meets the SLA, so there is no plan to move.';
    return;
  }
  summary.textContent = `The best configuration at ${formatPercent(sensitivity.utilization)} utilization costs ${formatUsd(sensitivity.usd_per_million_tokens)} per million tokens; each input moved ${formatPercent(sensitivity.relative_step)} down and up, widest swing first.`;
  const ends = sensitivity.tornado.flatMap((b) => [b.usd_per_million_tokens_at_low, b.usd_per_million_tokens_at_high]).filter((v): v is number => v !== null);
  const base = sensitivity.usd_per_million_tokens ?? 0;
  const min = Math.min(base, ...ends);
  const max = Math.max(base, ...ends);
  const at = (v: number) => (max > min ? (v - min) / (max - min) : 0.5);
  const noted = sensitivity.tornado.some((b) => b.note);
  const rows = sensitivity.tornado.map((b) => {
    const low = b.usd_per_million_tokens_at_low;
    const high = b.usd_per_million_tokens_at_high;
    const cell = h('td', { class: 'chart-cell' });
    if (low !== null && high !== null) {
      const track = bar(at(low), at(high), 'swing');
      const mark = h('span', { class: 'base-mark' });
      mark.style.left = `${(at(base) * 100).toFixed(2)}%`;
      track.appendChild(mark);
      cell.appendChild(track);
    }
    return h(
      'tr',
      { 'data-testid': `tornado-${b.input}`, 'data-value': String(b.swing_usd_per_million_tokens) },
      h('th', { scope: 'row' }, capitalized(inputWords(b)), h('code', { class: 'key' }, b.input)),
      h('td', { class: 'num' }, `${formatNumber(b.low)} → ${formatNumber(b.high)}`),
      h('td', { class: 'num' }, `${formatUsd(low)} → ${formatUsd(high)}`),
      h('td', { class: 'num' }, formatUsd(b.swing_usd_per_million_tokens)),
      cell,
      noted ? h('td', { class: 'basis' }, b.note) : null,
    );
  });
  const headers = ['Input', 'Low → high', '$ per million tokens at low → high', 'Swing', 'Bar (the line is the plan)'];
  box.appendChild(table('Tornado: $ per million tokens as each input moves', noted ? [...headers, 'Note'] : headers, rows));
}

export function renderInverse(box: HTMLElement, answers: InverseAnswer[], notes: string[]): void {
  clear(box);
  for (const a of answers) box.appendChild(h('li', { 'data-testid': `inverse-${a.input}`, 'data-value': a.value === null ? '' : String(a.value) }, a.answer));
  for (const note of notes) box.appendChild(h('li', { class: 'note' }, note));
}
