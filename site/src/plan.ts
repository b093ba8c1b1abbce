// The planner page (plan.html): loads the planner's own WebAssembly module (the calculator page
// never does), grows its form from the core's field lists (the plan's fields and the scenario
// fields a plan takes), and shows the core's plan: the answer, the bill under each way to pay, the
// APIs and break-even volumes, the Pareto fronts, cost against volume, the waterfall, the tornado.
//
// [SECTION] start-up
// [SECTION] plan
// [SECTION] cost against volume
// [SECTION] target, exports, links, notices
import type { CatalogNames, CoreError, ScenarioField } from '../../web/engine';
import { loadPlanEngine, type PlanEngine, type PlanOutcome, type PlanResult } from '../../web/plan-engine';
import { keptCatalog } from './catalog-file';
import { compactText } from './decimal';
import { applyKeptModels } from './custom-models';
import { byId, clear, download, h, setHidden, setText, startupFailed } from './dom';
import { ScenarioForm } from './form';
import { PlanChart, paretoChart, readPalette, volumeChart, type VolumePoint } from './plan-charts';
import { renderPlanWhy } from './plan-why';
import { renderAlternatives, renderAnswer, renderDeployment, renderApi, renderBill, renderHeadline, renderInverse, renderNotes, renderTornado, renderWaterfall } from './plan-view';
import { compareVersions, fieldForPath, fromQuery, linkSettings, shorten, toJsonValue, toQuery, toScenario, type Notice, type RawState } from './state';
import { themeButton } from './theme';

// What the budget script and the browser tests read.
interface PlanProbe {
  plans: number; // plans answered (each input that the core accepted or rejected)
  planMs: number[]; // per plan: request to panels drawn
  readyMs: number; // navigation start to the first plan drawn
  volumeMs: number[]; // per volume sweep: every plan of the sweep, drawn
  volumes: number; // volume sweeps drawn
}
declare global {
  interface Window {
    __pertokenPlan?: PlanProbe;
  }
}

// Where each field goes on this page; a field the core adds lands in "More settings".
const layout = {
  groups: [
    { title: 'Model and workload', keys: ['model', 'preset', 'tokens_per_day', 'requests_per_second', 'peak_to_average', 'capacity_basis', 'input_tokens', 'output_tokens', 'prefix_cache_hit_rate'] },
    { title: 'Latency target (SLA)', keys: ['max_ttft_seconds', 'max_tpot_seconds', 'min_tokens_per_second_per_user', 'sla_basis'] },
    { title: 'Deployment', keys: ['deployment', 'sites', 'site_peak_to_average', 'small_model', 'small_model_share'] },
    { title: 'Ways to pay and where', keys: ['pricing', 'gpus_allowed', 'grid_region'] },
    { title: 'Search', keys: ['max_devices', 'search_speculative', 'top'] },
    { title: 'Engine', keys: ['engine', 'max_batch_size', 'max_num_tokens', 'batching', 'chunked_prefill', 'kv_layout'] },
    { title: 'Speculative decoding', keys: ['speculative', 'draft_tokens', 'acceptance_rate'] },
  ],
  labels: {
    tokens_per_day: 'Tokens a day',
    requests_per_second: 'Requests per second',
    peak_to_average: 'Peak over average',
    capacity_basis: 'Size the fleet at',
    max_ttft_seconds: 'Longest time to first token',
    max_tpot_seconds: 'Longest time per output token',
    min_tokens_per_second_per_user: 'Slowest speed per user',
    sla_basis: 'Read the target at',
    gpus_allowed: 'Accelerators allowed',
    pricing: 'Price basis the search ranks by',
    grid_region: 'Grid region (carbon)',
    deployment: 'Pattern',
    sites: 'Sites',
    site_peak_to_average: 'Peak over average at one site',
    small_model: 'Small model',
    small_model_share: 'Small model’s share',
    max_devices: 'Largest instance',
    search_speculative: 'Also try speculative decoding',
    top: 'Configurations listed',
  } as Record<string, string>,
};


class PlannerPage {
  private readonly fields: ScenarioField[];
  private readonly form: ScenarioForm;
  private readonly names: CatalogNames;
  private readonly version: string;
  private readonly targetField: ScenarioField | undefined;
  private readonly probe: PlanProbe = { plans: 0, planMs: [], readyMs: 0, volumeMs: [], volumes: 0 };
  private readonly volumeView: PlanChart;
  private readonly throughputView: PlanChart;
  private readonly costView: PlanChart;
  private plan: PlanResult | null = null;
  private planText = '';
  private request: Record<string, unknown> = {};
  private timer = 0;
  private generation = 0; // a new plan cancels the volume sweep of the last one
  private target = '';

  constructor(private readonly engine: PlanEngine) {
    // A custom catalog loaded in the calculator (kept in this browser) extends the planner's too.
    const kept = keptCatalog();
    const catalogNotice = kept ? engine.setCatalog(kept.text) : null;
    applyKeptModels(engine); // and the models imported there from config.json files
    this.version = engine.version();
    this.names = engine.names();
    this.fields = [...engine.scenarioFields(), ...engine.planFields()];
    this.targetField = engine.sensitivityFields().find((f) => f.key === 'target_usd_per_million_tokens');
    this.form = new ScenarioForm(byId('form'), this.fields, this.names.models, this.names.gpus, () => this.schedule(), layout);
    const palette = readPalette();
    this.volumeView = new PlanChart(byId('chart-volume'), palette);
    this.throughputView = new PlanChart(byId('chart-throughput'), palette);
    this.costView = new PlanChart(byId('chart-cost'), palette);
    themeButton(byId<HTMLButtonElement>('theme'), () => {
      const next = readPalette();
      for (const view of [this.volumeView, this.throughputView, this.costView]) view.setPalette(next);
    });
    window.__pertokenPlan = this.probe;
    setText(byId('version'), `pertoken ${this.version}`);
    this.wire();
    this.restore();
    if (kept && catalogNotice) this.showCatalog(kept.name, catalogNotice.ok ? [] : catalogNotice.errors);
    byId('loading').hidden = true;
    this.probe.readyMs = performance.now();
    document.documentElement.dataset['ready'] = 'true';
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] start-up

  // Reads the link field by field: what the core rejects falls back to its default, with a notice.
  private restore(): void {
    const settings = new URLSearchParams(linkSettings(location.search, location.hash));
    this.target = settings.get('target') ?? '';
    settings.delete('target');
    const { raw, notices, version } = fromQuery(settings.toString(), this.fields);
    if (version !== null && version !== this.version) {
      const relation = compareVersions(version, this.version);
      notices.push({ key: 'v', value: version, message: `this link was made by ${relation === 'newer' ? 'a newer' : relation === 'older' ? 'an older' : 'another'} version (${this.version} here); every setting was read, and any it no longer knows is listed here` });
    }
    // A first visit (no settings in the link) starts from the core's example request: a plan
    // needs a volume, and the core has no default for it.
    const example: RawState = Object.fromEntries(Object.entries(this.engine.planExample()).map(([key, value]) => [key, String(value)]));
    const start = [...settings.keys()].some((k) => k !== 'v') ? raw : example;
    let first: PlanOutcome | null = null;
    const started = performance.now();
    for (let round = 0; round <= this.fields.length; ++round) {
      const outcome = this.engine.plan(toScenario(this.fields, start));
      first = outcome;
      if (outcome.ok) break;
      const blamed = outcome.errors.filter((e) => {
        const key = fieldForPath(this.fields, e.path);
        return key !== null && start[key] !== undefined;
      });
      if (blamed.length === 0) break; // shown at their fields by the first plan below
      first = null;
      for (const error of blamed) {
        const key = fieldForPath(this.fields, error.path)!;
        if (start[key] === undefined) continue;
        notices.push({ key, value: shorten(start[key]!), message: `${error.message}; the default is used` });
        delete start[key];
      }
    }
    this.form.raw = start;
    byId<HTMLInputElement>('target').value = this.target;
    this.showNotices(notices);
    this.recompute(first ?? undefined, started);
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] plan

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.recompute(), 200);
  }

  // `known`: the answer for the form's request when the caller has it already (start-up).
  private recompute(known?: PlanOutcome, started = performance.now()): void {
    clearTimeout(this.timer);
    const raw = this.form.raw;
    const request = toScenario(this.fields, raw);
    const outcome = known ?? this.engine.plan(request);
    const stale = !outcome.ok;
    byId('plan').classList.toggle('stale', stale);
    setHidden(byId('stale'), !stale || this.plan === null);
    const general = byId('general-errors');
    if (!outcome.ok) {
      this.showErrors(general, this.form.showErrors(outcome.errors));
    } else {
      this.form.showErrors([]);
      this.showErrors(general, []);
      this.plan = outcome.plan;
      this.planText = outcome.text;
      this.request = request;
      this.render(outcome.plan);
      this.writeUrl(raw);
      this.startVolumeSweep(outcome.plan);
    }
    this.probe.plans += 1;
    this.probe.planMs.push(performance.now() - started);
    document.documentElement.dataset['plans'] = String(this.probe.plans);
  }

  private showErrors(box: HTMLElement, errors: CoreError[]): void {
    clear(box);
    setHidden(box, errors.length === 0);
    if (errors.length) box.appendChild(h('ul', {}, ...errors.map((e) => h('li', {}, e.path ? `${e.path}: ${e.message}` : e.message))));
  }

  private render(plan: PlanResult): void {
    renderAnswer(byId('verdict'), byId('best-words'), plan);
    renderHeadline(byId('headline'), plan);
    renderPlanWhy(byId('plan-why'), plan);
    renderNotes(byId('notes'), plan.notes);
    renderBill(byId('bill'), plan);
    renderApi(byId('api'), plan);
    renderAlternatives(byId('alternatives'), plan);
    renderDeployment(byId('deployment-section'), byId('deployment'), plan);
    renderWaterfall(byId('waterfall-baseline'), byId('waterfall'), plan);
    renderTornado(byId('tornado-summary'), byId('tornado'), plan.sensitivity);
    this.throughputView.update(paretoChart(plan.pareto.throughput_vs_interactivity, 'tokens_per_second_per_user', 'output_tokens_per_second_per_gpu'));
    this.costView.update(paretoChart(plan.pareto.cost_vs_latency, 'e2e_latency_seconds', 'usd_per_million_tokens'));
    document.title = `pertoken planner — ${plan.best ? `${formatRequestModel(plan)}: ${plan.meets_sla ? 'plan' : 'nothing meets the SLA'}` : 'nothing meets the SLA'}`;
    if (this.target.trim()) this.askTarget();
    else renderInverse(byId('inverse'), [], []);
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] cost against volume

  // The core's volume sweep (the plan at each volume of its ladder, the APIs and the break-even
  // volumes), asked for after the plan is drawn so the answer comes first.
  private startVolumeSweep(plan: PlanResult): void {
    const generation = ++this.generation;
    const figure = byId('chart-volume');
    figure.setAttribute('aria-busy', 'true');
    const request = this.request;
    window.setTimeout(() => {
      if (generation !== this.generation) return;
      const started = performance.now();
      const sweep = this.engine.volumeSweep(request);
      if (generation !== this.generation) return;
      const points: VolumePoint[] = (sweep?.points ?? []).map((p) => ({
        tokens_per_day: p.tokens_per_day,
        usd_per_million_tokens: p.meets_sla ? p.usd_per_million_tokens : null,
        usd_per_month: p.meets_sla ? p.usd_per_month : null,
        gpus_total: p.gpus_total,
        configuration: p.best_detail ? `${formatVolume(p.tokens_per_day)}: ${p.best_detail.words}, ${p.best_detail.fleet_words}` : null,
      }));
      this.volumeView.update(volumeChart(points, sweep?.api ?? plan.api, sweep?.tokens_per_day ?? plan.workload.tokens_per_day));
      figure.removeAttribute('aria-busy');
      this.probe.volumes += 1;
      this.probe.volumeMs.push(performance.now() - started);
      document.documentElement.dataset['volumes'] = String(this.probe.volumes);
    }, 0);
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] target, exports, links, notices

  // The inverse questions for the plan's best configuration at its utilization: which price,
  // utilization or daily volume reaches the target (the core's sensitivity answers them).
  private askTarget(): void {
    const error = byId('target-error');
    const input = byId<HTMLInputElement>('target');
    const plan = this.plan;
    const text = this.target.trim();
    const showError = (message: string) => {
      setHidden(error, message === '');
      setText(error, message);
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    };
    if (!plan || !plan.best_detail || !plan.sensitivity || !this.targetField) {
      showError('');
      renderInverse(byId('inverse'), [], text ? ['No plan meets the SLA, so there is no configuration to ask about.'] : []);
      return;
    }
    if (!text) {
      showError('');
      renderInverse(byId('inverse'), [], []);
      return;
    }
    const outcome = this.engine.sensitivity({
      ...plan.best_detail.scenario,
      utilization: plan.sensitivity.utilization,
      relative_step: plan.sensitivity.relative_step,
      target_usd_per_million_tokens: toJsonValue(this.targetField, text),
    });
    if (!outcome.ok) {
      const own = outcome.errors.filter((e) => e.path === `/${this.targetField!.key}`);
      showError(own.map((e) => e.message).join('; '));
      renderInverse(byId('inverse'), [], outcome.errors.filter((e) => !own.includes(e)).map((e) => `${e.path}: ${e.message}`));
      return;
    }
    showError('');
    renderInverse(byId('inverse'), outcome.sensitivity.inverse, outcome.sensitivity.notes);
  }

  private wire(): void {
    if (this.targetField) setText(byId('target-hint'), `${this.targetField.meaning}: for the best configuration at its utilization`);
    byId('target-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.target = byId<HTMLInputElement>('target').value;
      this.askTarget();
      this.writeUrl(this.form.raw);
    });
    byId('export-plan-json').addEventListener('click', () => {
      if (this.plan) download('pertoken-plan.json', 'application/json', this.planText + '\n');
    });
    byId('export-plan-csv').addEventListener('click', () => {
      // The core's CSV of the plan on screen, the CLI's file byte for byte, written from the plan
      // the page holds rather than planned again.
      const csv = this.plan ? this.engine.planJsonCsv(this.planText) : null;
      if (csv !== null) download('pertoken-plan.csv', 'text/csv', csv);
    });
    // Each chart as PNG (twice its size, with title and caption) and SVG, as the calculator's.
    const views: [string, PlanChart][] = [['volume', this.volumeView], ['throughput', this.throughputView], ['cost', this.costView]];
    for (const [id, view] of views) {
      const figure = byId(`chart-${id}`);
      const title = () => figure.querySelector('h3')?.textContent ?? id;
      const button = (kind: 'png' | 'svg') => {
        const b = h('button', { type: 'button', 'data-testid': `export-plan-${id}-${kind}`, 'aria-label': `${kind.toUpperCase()} of the ${title()} chart` }, kind.toUpperCase());
        b.addEventListener('click', () => void this.exportChart(id, view, title(), kind));
        return b;
      };
      figure.querySelector('figcaption')!.appendChild(h('div', { class: 'chart-tools', role: 'group', 'aria-label': `Export the ${title()} chart` }, button('png'), button('svg')));
    }
    const copyStatus = byId('copy-status');
    byId('copy-link').addEventListener('click', () => {
      const done = () => (copyStatus.textContent = 'Link copied.');
      const manual = () => {
        const input = byId<HTMLInputElement>('link-text');
        input.hidden = false;
        input.value = location.href;
        input.select();
        copyStatus.textContent = 'Copy the selected link.';
      };
      if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, manual);
      else manual();
    });
  }

  private async exportChart(id: string, view: PlanChart, title: string, kind: 'png' | 'svg'): Promise<void> {
    const data = view.current();
    if (!data || data.empty !== null) return;
    const caption = this.exportCaption();
    if (kind === 'png') {
      download(`pertoken-plan-${id}.png`, 'image/png', await view.png(title, caption));
      return;
    }
    // The SVG writer is loaded on the first export: it is no part of the page's first view.
    const { planChartSvg } = await import('./plan-svg');
    download(`pertoken-plan-${id}.svg`, 'image/svg+xml', planChartSvg(data, readPalette(), title, caption));
  }

  // The request in one line, printed under an exported chart's title.
  private exportCaption(): string {
    const plan = this.plan;
    if (!plan) return '';
    const sla = Object.entries(plan.sla)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => `${k.replace(/_/g, ' ')} ${String(v)}`);
    return [formatRequestModel(plan), `${formatVolume(plan.workload.tokens_per_day)}, peak ${String(plan.workload.peak_to_average)}× average`, ...(sla.length ? [`SLA: ${sla.join(', ')}`] : []), `prices: ${plan.pricing}`, `pertoken ${this.version}`].filter(Boolean).join(' · ');
  }

  // The link holds every value set (the plan request) and the target, if any.
  private writeUrl(raw: RawState): void {
    let query = toQuery(this.fields, raw, this.version);
    if (this.target.trim()) query += `&target=${encodeURIComponent(this.target.trim())}`;
    const hash = location.hash.includes('=') ? '' : location.hash;
    if (query !== location.search || hash !== location.hash) history.replaceState(null, '', query + hash);
  }

  private showCatalog(name: string, errors: CoreError[]): void {
    const line = h(
      'p',
      { 'data-testid': 'plan-catalog' },
      errors.length === 0
        ? `Using your catalog “${name}” (kept in this browser by the calculator) on top of the built-in one.`
        : `Your catalog “${name}” (kept in this browser) was not used here: ${errors.map((e) => `${e.path || '(document)'} ${e.message}`).join('; ')}.`,
    );
    byId('plan').insertBefore(line, byId('verdict'));
  }

  private showNotices(notices: Notice[]): void {
    const box = byId('notices');
    clear(box);
    box.hidden = notices.length === 0;
    if (notices.length === 0) return;
    box.append(
      h('h2', {}, 'Some settings of this link were not used'),
      h('ul', {}, ...notices.map((n) => h('li', { 'data-key': n.key }, h('strong', {}, n.key), ': “', h('code', {}, n.value), '” ', n.message, '.'))),
    );
  }
}

function formatRequestModel(plan: PlanResult): string {
  return String(plan.best?.['model'] ?? '');
}

function formatVolume(tokensPerDay: number): string {
  return `${compactText(tokensPerDay, 3)} tokens/day`;
}

async function start(): Promise<void> {
  try {
    const engine = await loadPlanEngine(new URL('../pertoken-plan.wasm', import.meta.url));
    new PlannerPage(engine);
  } catch (error) {
    startupFailed('The planner could not start', error);
  }
}

void start();
