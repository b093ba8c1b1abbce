// The methodology page: the efficiency factors and the scoreboard of predicted vs published
// measurements, all read from the core (pertoken_efficiency, pertoken_efficiency_method,
// pertoken_validation) so the page cannot disagree with the calculator. It loads the planner's
// module (the calculator's leaves these out of its first view) and fetches the measurement files
// the module validates (the planner's page need not download them).
import type { ValidationReport } from '../../web/engine';
import { loadPlanEngine } from '../../web/plan-engine';
import { byId, clear, externalLink, h, startupFailed } from './dom';
import { formatInteger, formatNumber, formatPercent } from './format';
import { themeButton } from './theme';

function factorText(name: string, value: number): string {
  if (name.endsWith('_bytes')) return `${formatNumber(value / 1024 ** 3)} GiB`;
  if (name.endsWith('_s')) return value < 1e-3 ? `${formatNumber(value * 1e6)} µs` : `${formatNumber(value * 1e3)} ms`;
  return formatNumber(value);
}

// A scoreboard shows its first rows and the rest on request: the holdout holds about 1,500,
// whose table (each row with its assumptions) takes seconds to lay out and to walk.
const firstRows = 200;

function scoreboardRow(r: ValidationReport['results'][number], closeEnough: number): HTMLElement {
  return h(
    'tr',
    { 'data-id': r.id },
    h('td', {}, r.id),
    h('td', {}, r.model),
    h('td', {}, r.gpu),
    h('td', {}, `${r.num_gpus} × (tp ${r.tp}${r.ep > 1 ? `, ep ${r.ep}` : ''})`),
    h('td', {}, `${r.weights} / KV ${r.kv_cache}`),
    h('td', {}, `${formatInteger(r.input_tokens)} in, ${formatInteger(r.output_tokens)} out, concurrency ${String(r.concurrency)}`),
    h('td', {}, r.metric),
    h('td', { class: 'num', 'data-value': String(r.measured) }, formatNumber(r.measured)),
    h('td', { class: 'num', 'data-value': r.predicted === null ? 'null' : String(r.predicted) }, r.predicted === null ? r.error || '—' : formatNumber(r.predicted)),
    h('td', { class: `num${r.percent_error !== null && Math.abs(r.percent_error) > closeEnough ? ' err-high' : ''}` }, r.percent_error === null ? '—' : `${r.percent_error > 0 ? '+' : ''}${formatNumber(r.percent_error)}%`),
    h('td', {}, externalLink(r.source_url, r.framework || 'source'), r.assumptions ? h('details', { class: 'source-note' }, h('summary', {}, 'assumptions'), r.assumptions) : null),
  );
}

function scoreboard(report: ValidationReport): { summary: string; table: HTMLElement[]; body: HTMLElement } {
  const summary =
    `${formatInteger(report.rows)} measurements` +
    (report.rows_failed ? ` (${report.rows_failed} could not be predicted)` : '') +
    `: median absolute error ${formatNumber(report.median_absolute_percent_error)}%, ` +
    `${formatPercent(report.share_within_25_percent)} of rows within ±${formatNumber(report.close_enough_percent)}%.`;
  const head = h(
    'thead',
    {},
    h('tr', {}, ...['ID', 'Model', 'Accelerator', 'Layout', 'Precision', 'Workload', 'Metric', 'Measured', 'Predicted', 'Error', 'Source'].map((t, i) => h('th', { scope: 'col', class: i >= 7 && i <= 9 ? 'num' : null }, t))),
  );
  const body = h('tbody', {}, ...report.results.slice(0, firstRows).map((r) => scoreboardRow(r, report.close_enough_percent)));
  return { summary, table: [head, body], body };
}

// A set's groups (all, dense, moe, each engine, ttft, each accelerator...), as the CLI prints them.
function groupTable(report: ValidationReport): HTMLElement[] {
  const head = h(
    'thead',
    {},
    h('tr', {}, ...['Group', 'Rows', 'Median abs. error', `Within ±${formatNumber(report.close_enough_percent)}%`, 'Speed ratio', 'Sources', 'By source'].map((t, i) => h('th', { scope: 'col', class: i >= 1 ? 'num' : null }, t))),
  );
  const body = h(
    'tbody',
    {},
    ...report.groups.map((g) =>
      h(
        'tr',
        { 'data-group': g.name },
        h('th', { scope: 'row' }, g.name),
        h('td', { class: 'num' }, formatInteger(g.rows)),
        h('td', { class: `num${g.median_absolute_percent_error > report.close_enough_percent ? ' err-high' : ''}`, 'data-value': String(g.median_absolute_percent_error) }, `${formatNumber(g.median_absolute_percent_error)}%`),
        h('td', { class: 'num' }, formatPercent(g.share_within_25_percent)),
        h('td', { class: 'num' }, formatNumber(g.geomean_speed_ratio)),
        h('td', { class: 'num' }, formatInteger(g.sources)),
        h('td', { class: 'num', 'data-value': String(g.source_weighted_median_absolute_percent_error) }, g.sources > 1 ? `${formatNumber(g.source_weighted_median_absolute_percent_error)}%` : '—'),
      ),
    ),
  );
  return [head, body];
}

// Below a scoreboard that shows its first rows only: a button that adds the rest.
function showAllButton(set: string, report: ValidationReport, body: HTMLElement): HTMLElement {
  const button = h('button', { type: 'button', class: 'show-all', 'data-testid': `${set}-show-all` }, `Show all ${formatInteger(report.results.length)} rows (the first ${formatInteger(firstRows)} are shown)`);
  button.addEventListener('click', () => {
    body.append(...report.results.slice(firstRows).map((r) => scoreboardRow(r, report.close_enough_percent)));
    button.remove();
  });
  return button;
}

// A shipped measurement file, fetched from the site rather than carried in the module. The site
// holds the project's assets/ folders at its root (assets/calibration/x.csv at calibration/x.csv,
// as assets/catalog/ at catalog/).
async function fetchText(path: string): Promise<string> {
  const response = await fetch(new URL(`../${path.replace(/^assets\//, '')}`, import.meta.url));
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.text();
}

async function main(): Promise<void> {
  themeButton(byId<HTMLButtonElement>('theme'), () => {});
  const engine = await loadPlanEngine(new URL('../pertoken-plan.wasm', import.meta.url));
  byId('version').textContent = `pertoken ${engine.version()}`;

  const fields = byId('fields');
  clear(fields);
  for (const f of engine.fields()) {
    const allowed = f.values ? ` (${f.values.join(', ')})` : '';
    fields.appendChild(
      h('tr', {}, h('th', { scope: 'row' }, h('code', {}, f.key)), h('td', {}, f.meaning + allowed), h('td', {}, f.default === null ? '—' : String(f.default)), h('td', {}, f.unit || '—')),
    );
  }

  const factors = engine.efficiency();
  const method = engine.efficiencyMethod();
  const tbody = byId('efficiency');
  clear(tbody);
  for (const f of factors) {
    const prior = method.priors.find((p) => p.name === f.name);
    const fitted = method.fitted.includes(f.name);
    tbody.appendChild(
      h(
        'tr',
        { id: `factor-${f.name}`, 'data-factor-row': f.name },
        h('th', { scope: 'row' }, h('code', {}, f.name)),
        h('td', { class: 'num', 'data-value': String(f.value) }, factorText(f.name, f.value)),
        h('td', { class: 'num' }, prior ? factorText(f.name, prior.value) : '—'),
        h('td', {}, fitted ? 'fitted to the calibration set' : 'prior (not fitted)'),
        h('td', {}, f.meaning),
      ),
    );
  }
  for (const span of document.querySelectorAll<HTMLElement>('[data-factor]')) {
    const f = factors.find((x) => x.name === span.dataset['factor']);
    span.textContent = f ? factorText(f.name, f.value) : '—';
  }

  const sets = ['calibration', 'holdout'] as const;
  const texts = await Promise.all(sets.map((set) => Promise.all(engine.measurementSetFiles(set).map(fetchText))));
  for (const [i, set] of sets.entries()) {
    if (i > 0) {
      // The sets before it are on screen while the holdout's ~1,500 rows are predicted (about a
      // second of WebAssembly): paint first.
      byId(`${set}-summary`).textContent = `Predicting the ${set} set's measurements…`;
      await new Promise((painted) => requestAnimationFrame(() => setTimeout(painted, 0)));
    }
    const outcome = engine.validation(set, texts[i] ?? []);
    if ('errors' in outcome) throw new Error(outcome.errors.map((e) => `${e.path}: ${e.message}`).join('; '));
    const report = outcome;
    const { summary, table, body } = scoreboard(report);
    byId(`${set}-summary`).textContent = summary;
    const groups = byId(`${set}-groups`);
    clear(groups);
    groups.append(...groupTable(report));
    const element = byId(`${set}-table`);
    clear(element);
    element.append(...table);
    if (report.results.length > firstRows) element.parentElement?.after(showAllButton(set, report, body));
  }
  byId('loading').hidden = true;
  document.documentElement.dataset['ready'] = 'true';
}

main().catch((error: unknown) => startupFailed('The figures could not be loaded', error));
