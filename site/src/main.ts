// The calculator page (index.html): loads the core, builds the form from its fields, restores the
// state from the link, and recomputes every result and chart on each input.
//
// [SECTION] start-up
// [SECTION] recompute
// [SECTION] notices, exports, embed, catalog
import type { CoreError, EfficiencyFactor, Engine, EstimateResult, GpuEntry, ModelEntry, ScenarioField, Sweep, SweepKind } from '../../web/engine';
import { loadEngine } from '../../web/engine';
import { batchingChart, contextChart, gpuChart, memoryChart, type ChartData } from './chart-data';
import { ChartView, readPalette } from './chart-view';
import { type CatalogStatus, loadCatalogFile, renderCatalogStatus, resetCatalog, restoreCatalog } from './catalog-file';
import { byId, clear, download, h, setHidden, setText, startupFailed } from './dom';
import { chartCsv, chartJson, resultCsv, resultJson } from './exports';
import { ScenarioForm, fieldLabel } from './form';
import { renderDetails, renderHeadline, renderMemory } from './results';
import { gpuSpecs, modelSpecs } from './specs';
import { fromQuery, settle, toQuery, toScenario, type Notice } from './state';
import { chartSvg } from './svg';
import { themeButton } from './theme';
import { renderWhy } from './why';

// What the budget script and the browser tests read: how many recomputes ran and how long each
// took (input handler to charts drawn, in ms).
interface Probe {
  recomputes: number;
  recomputeMs: number[];
  phasesMs: Record<string, number>[]; // per recompute: evaluate, results, sweeps, charts
  gpuSweepMs: number[]; // each accelerator comparison (the layout search over the catalog), drawn
}
declare global {
  interface Window {
    __pertoken?: Probe;
  }
}

const chartIds = ['batching', 'gpus', 'memory', 'context'] as const;
type ChartId = (typeof chartIds)[number];

class CalculatorPage {
  private fields: ScenarioField[];
  private models: ModelEntry[] = [];
  private gpus: GpuEntry[] = [];
  private efficiency: EfficiencyFactor[] = [];
  private form: ScenarioForm;
  private result: EstimateResult | null = null;
  private shownSpecs = '';
  private gpuChartKey = '';
  private gpuTimer = 0;
  private readonly charts = new Map<ChartId, ChartView>();
  private readonly probe: Probe = { recomputes: 0, recomputeMs: [], phasesMs: [], gpuSweepMs: [] };
  private readonly version: string;
  private catalog: CatalogStatus;

  constructor(private readonly engine: Engine) {
    window.__pertoken = this.probe;
    this.version = engine.version();
    this.catalog = restoreCatalog(engine);
    this.fields = engine.fields();
    this.loadCatalogLists();
    this.form = new ScenarioForm(byId('form'), this.fields, this.models, this.gpus, () => this.recompute());
    byId('form').addEventListener('submit', (event) => event.preventDefault());
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] start-up

  start(): void {
    const palette = readPalette();
    for (const id of chartIds) {
      const figure = byId(`chart-${id}`);
      this.charts.set(id, new ChartView(figure, palette));
      this.chartButtons(id, figure);
    }
    themeButton(byId<HTMLButtonElement>('theme'), () => {
      const next = readPalette();
      for (const chart of this.charts.values()) chart.setPalette(next);
    });

    const { raw, notices, version } = fromQuery(location.search, this.fields);
    if (version !== null && version !== this.version) {
      notices.unshift({ key: 'v', value: version, message: `made with pertoken ${version}; this is ${this.version}, so numbers may differ` });
    }
    const settled = settle(this.engine, this.fields, raw, notices);
    this.form.raw = settled.raw;
    this.showNotices(notices);

    byId('every-figure').addEventListener('toggle', () => {
      if (this.result && byId<HTMLDetailsElement>('every-figure').open) renderDetails(byId('details'), this.result);
    });
    this.wireActions();
    this.wireCatalog();
    renderCatalogStatus(byId('catalog-status'), byId('catalog-errors'), this.catalog, this.catalog, { gpus: this.gpus.length, models: this.models.length });
    byId('version').textContent = `pertoken ${this.version}`;
    this.recompute();
    byId('loading').hidden = true;
    document.documentElement.dataset['ready'] = 'true';
  }

  private loadCatalogLists(): void {
    this.models = this.engine.models();
    this.gpus = this.engine.gpus();
    this.efficiency = this.engine.efficiency(); // a custom catalog may carry its own factors
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] recompute

  recompute(): void {
    const started = performance.now();
    const raw = this.form.raw;
    const scenario = toScenario(this.fields, raw);
    this.form.showDefaults(this.engine.scenarioDefaults(scenario));
    const evaluation = this.engine.evaluate(scenario);
    const evaluated = performance.now();
    if (!evaluation.ok) {
      this.showProblems(evaluation.errors);
      this.record(started);
      return;
    }
    const result = evaluation.result;
    this.result = result;
    const model = this.models.find((m) => m.id === result.scenario['model']);
    const gpu = this.gpus.find((g) => g.id === result.scenario['gpu']);

    // Charts first: uPlot reads the layout while it draws, which is cheap before the results'
    // text changes and a second full layout after them.
    const data = [batchingChart(this.sweep('batching', scenario)), memoryChart(this.sweep('memory', scenario)), contextChart(this.sweep('context', scenario))];
    const swept = performance.now();
    const phases: Record<string, number> = { evaluate: evaluated - started, sweeps: swept - evaluated };
    let mark = swept;
    for (const chart of data) {
      this.charts.get(chart.id)!.update(chart);
      const now = performance.now();
      phases[`chart_${chart.id}`] = now - mark;
      mark = now;
    }
    phases['charts'] = mark - swept;
    this.scheduleGpuChart(scenario);

    this.showProblems([]);
    setText(byId('summary'), `${model?.name ?? String(result.scenario['model'])} on ${String(result.scenario['num_gpus'])} × ${gpu?.name ?? String(result.scenario['gpu'])}`);
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = now - t;
      t = now;
    };
    renderHeadline(byId('headline'), result);
    lap('headline');
    renderMemory(byId('memory'), result, gpu);
    lap('memory');
    renderWhy(byId('why'), result, gpu, this.efficiency, raw['usd_per_gpu_hour'] !== undefined);
    lap('why');
    // 'Every figure' is folded by default: it is filled when open (and when it opens).
    if (byId<HTMLDetailsElement>('every-figure').open) renderDetails(byId('details'), result);
    const specsKey = `${model?.id}|${gpu?.id}|${this.models.length}|${this.gpus.length}`;
    if (specsKey !== this.shownSpecs) {
      this.shownSpecs = specsKey;
      const box = byId('specs');
      clear(box);
      if (model) box.appendChild(modelSpecs(model));
      if (gpu) box.appendChild(gpuSpecs(gpu));
    }
    phases['results'] = performance.now() - mark;
    this.probe.phasesMs.push(phases);

    this.scheduleUrl(toQuery(this.fields, raw, this.version));
    this.record(started);
  }

  // One of the core's sweeps; a scenario the core rejects (evaluate() accepted it, so this should
  // not happen) leaves an empty chart that says why.
  private sweep(kind: SweepKind, scenario: Record<string, unknown>): Sweep {
    const outcome = this.engine.sweep(kind, scenario);
    if (outcome.ok) return outcome.sweep;
    const why = outcome.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ');
    return { sweep: kind, x: { key: '', label: '', unit: '' }, marker: null, empty: why, points: [] };
  }

  // The accelerator comparison runs the core's layout search on every catalog accelerator: tens
  // of milliseconds, too long for each keystroke. It runs once typing pauses (at once on the
  // first view), and only when something besides the layout changed (the search picks its own).
  private scheduleGpuChart(scenario: Record<string, unknown>): void {
    const { num_gpus: _n, tp: _t, pp: _p, ep: _e, ...comparisonKey } = scenario;
    const key = JSON.stringify(comparisonKey);
    const figure = this.charts.get('gpus')!.figure;
    clearTimeout(this.gpuTimer);
    if (key === this.gpuChartKey) {
      figure.removeAttribute('aria-busy');
      return;
    }
    const run = () => {
      const started = performance.now();
      this.gpuChartKey = key;
      this.charts.get('gpus')!.update(gpuChart(this.sweep('gpus', scenario)));
      this.probe.gpuSweepMs.push(performance.now() - started);
      figure.removeAttribute('aria-busy');
    };
    if (this.probe.recomputes === 0) return run();
    figure.setAttribute('aria-busy', 'true');
    this.gpuTimer = window.setTimeout(run, 200);
  }

  // Errors at their fields (and any that name no field above the results); with errors the last
  // valid results stay, marked as stale.
  private showProblems(errors: CoreError[]): void {
    const loose = this.form.showErrors(errors);
    const general = byId('general-errors');
    setHidden(general, loose.length === 0);
    setText(general, loose.map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join('\n'));
    const stale = errors.length > 0;
    byId('results').classList.toggle('stale', stale);
    setHidden(byId('stale'), !stale);
  }

  // The link follows the state a moment after typing stops: browsers throttle history updates
  // (and each costs milliseconds), so a burst of keystrokes writes it once. Anything that reads
  // the link (copy, embed) flushes it first.
  private pendingUrl: string | null = null;
  private urlTimer = 0;

  private scheduleUrl(query: string): void {
    this.pendingUrl = query;
    clearTimeout(this.urlTimer);
    this.urlTimer = window.setTimeout(() => this.flushUrl(), 150);
  }

  private flushUrl(): void {
    clearTimeout(this.urlTimer);
    if (this.pendingUrl === null) return;
    if (this.pendingUrl !== location.search) history.replaceState(null, '', this.pendingUrl + location.hash);
    this.pendingUrl = null;
  }

  private record(started: number): void {
    this.probe.recomputes += 1;
    this.probe.recomputeMs.push(performance.now() - started);
    document.documentElement.dataset['recomputes'] = String(this.probe.recomputes);
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] notices, exports, embed, catalog

  private showNotices(notices: Notice[]): void {
    const box = byId('notices');
    clear(box);
    box.hidden = notices.length === 0;
    if (notices.length === 0) return;
    const label = (key: string) => {
      const field = this.fields.find((f) => f.key === key);
      return field ? fieldLabel(field) : key === 'v' ? 'Version' : key;
    };
    const dismiss = h('button', { type: 'button', class: 'dismiss' }, 'Dismiss');
    dismiss.addEventListener('click', () => {
      box.hidden = true;
      byId('results').focus();
    });
    box.append(
      h('h2', {}, 'This link was adjusted'),
      h('p', {}, 'Some settings in the link could not be used as they were; each one below fell back to its default.'),
      h('ul', {}, ...notices.map((n) => h('li', { 'data-key': n.key }, h('strong', {}, label(n.key)), ': “', h('code', {}, n.value), '” ', n.message, '.'))),
      dismiss,
    );
  }

  private chartButtons(id: ChartId, figure: HTMLElement): void {
    const chart = () => this.charts.get(id)!;
    const name = (ext: string) => `pertoken-${id}.${ext}`;
    const make = (kind: string, text: string, action: () => void | Promise<void>) => {
      const button = h('button', { type: 'button', 'data-testid': `export-${id}-${kind}`, 'aria-label': `${text} of the ${figure.dataset['title'] ?? id} chart` }, text);
      button.addEventListener('click', () => void action());
      return button;
    };
    const bar = figure.querySelector('.chart-tools')!;
    bar.append(
      make('png', 'PNG', async () => download(name('png'), 'image/png', await chart().png())),
      make('svg', 'SVG', () => {
        const data = chart().current();
        if (data) download(name('svg'), 'image/svg+xml', chartSvg(data, readPalette()));
      }),
      make('csv', 'CSV', () => {
        const data = chart().current();
        if (data) download(name('csv'), 'text/csv', chartCsv(data));
      }),
      make('json', 'JSON', () => {
        const data = chart().current();
        if (data) download(name('json'), 'application/json', chartJson(data));
      }),
    );
  }

  private wireActions(): void {
    byId('export-results-csv').addEventListener('click', () => {
      if (this.result) download('pertoken-result.csv', 'text/csv', resultCsv(this.result));
    });
    byId('export-results-json').addEventListener('click', () => {
      if (this.result) download('pertoken-result.json', 'application/json', resultJson(this.result));
    });
    const copyStatus = byId('copy-status');
    byId('copy-link').addEventListener('click', () => {
      this.flushUrl();
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

    const dialog = byId<HTMLDialogElement>('embed-dialog');
    const snippet = byId<HTMLTextAreaElement>('embed-snippet');
    byId('embed').addEventListener('click', () => {
      this.flushUrl();
      snippet.value = embedSnippet(location.href);
      byId<HTMLAnchorElement>('embed-preview').href = new URL('embed.html' + location.search, location.href).href;
      dialog.showModal();
      snippet.focus();
      snippet.select();
    });
    byId('embed-copy').addEventListener('click', () => {
      snippet.select();
      const status = byId('embed-status');
      if (navigator.clipboard) navigator.clipboard.writeText(snippet.value).then(() => (status.textContent = 'Snippet copied.'), () => (status.textContent = 'Press Ctrl+C to copy.'));
    });
    byId('embed-close').addEventListener('click', () => dialog.close());
  }

  private wireCatalog(): void {
    const input = byId<HTMLInputElement>('catalog-file');
    const zone = byId('catalog');
    const apply = async (file: File | undefined) => {
      if (!file) return;
      const state = await loadCatalogFile(this.engine, file);
      if (state.kind !== 'rejected') this.catalog = state;
      this.catalogChanged(state);
    };
    input.addEventListener('change', () => {
      void apply(input.files?.[0]).then(() => (input.value = ''));
    });
    const hasFiles = (event: DragEvent) => [...(event.dataTransfer?.types ?? [])].includes('Files');
    document.addEventListener('dragover', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      zone.classList.add('dropping');
    });
    document.addEventListener('dragleave', (event) => {
      if (event.relatedTarget === null) zone.classList.remove('dropping');
    });
    document.addEventListener('drop', (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      zone.classList.remove('dropping');
      void apply(event.dataTransfer?.files[0]);
    });
    byId('catalog-reset').addEventListener('click', () => {
      this.catalog = resetCatalog(this.engine);
      this.catalogChanged(this.catalog);
    });
  }

  private catalogChanged(state: CatalogStatus): void {
    this.loadCatalogLists();
    const raw = this.form.raw;
    this.form.setCatalog(this.models, this.gpus);
    // A model or GPU that left the catalog falls back to the page's default.
    for (const key of ['model', 'gpu'] as const) {
      if (raw[key] !== undefined && !this.form.ids(key).includes(raw[key]!)) delete raw[key];
    }
    this.form.raw = raw;
    this.shownSpecs = '';
    this.gpuChartKey = '';
    renderCatalogStatus(byId('catalog-status'), byId('catalog-errors'), state, this.catalog, { gpus: this.gpus.length, models: this.models.length });
    this.recompute();
  }
}

// The iframe snippet for the current state: embed.html with the same query, on this site.
export function embedSnippet(pageUrl: string): string {
  const url = new URL(pageUrl);
  const src = new URL('embed.html' + url.search, url).href;
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return `<iframe src="${escape(src)}" title="pertoken: LLM inference cost estimate" width="380" height="320" style="border:0;max-width:100%" loading="lazy" referrerpolicy="no-referrer"></iframe>`;
}

async function main(): Promise<void> {
  try {
    const engine = await loadEngine(new URL('../pertoken.wasm', import.meta.url));
    new CalculatorPage(engine).start();
  } catch (error) {
    startupFailed('The calculator could not start', error);
    throw error;
  }
}

void main();
