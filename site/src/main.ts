// The calculator page (index.html): loads the core, builds the form from its fields, restores the
// state from the link, and recomputes every result and chart on each input.
// The answer first: this module and its static imports are what the headline needs; the charts,
// the comparison, the why-panel, the specs and the exports (panels.ts) are imported once the
// headline is painted (finishStart).
//
// [SECTION] start-up
// [SECTION] recompute
// [SECTION] notices, exports, embed, catalog
import type { CatalogNames, CoreError, EfficiencyFactor, Engine, EstimateResult, Evaluation, GpuEntry, ModelEntry, ScenarioField, Sweep, SweepKind, WorkloadPreset } from '../../web/engine';
import { loadEngine } from '../../web/engine';
import type { ChartData } from './chart-data';
import { pageTitle, renderAnswer, scenarioNames } from './answer';
import type { ChartView } from './chart-view';
import type { Comparison } from './compare';
import { type CatalogStatus, keptCatalog, loadCatalogFile, renderCatalogStatus, resetCatalog, restoreCatalog } from './catalog-file';
import { wireModels } from './custom-models';
import { afterPainted, byId, clear, download, h, setHidden, setText, startupFailed } from './dom';
import { ScenarioForm, fieldLabel } from './form';
import { formatUsd } from './format';
import { renderDetails, renderHeadline, renderMemory } from './results';
import { PresetPicker } from './presets';
import { placePageBody, parsed } from './page-body';
import { prerenderAttribute } from './prerendered';
import { compareVersions, fromQuery, linkSettings, literalDefault, settle, shorten, toJsonValue, toQuery, toScenario, type Notice } from './state';
import { themeButton } from './theme';

type Panels = typeof import('./panels');

// What the budget script and the browser tests read: how many recomputes ran and how long each
// took (input handler to charts drawn, in ms).
interface Probe {
  recomputes: number;
  recomputeMs: number[];
  phasesMs: Record<string, number>[]; // per recompute: evaluate, results, sweeps, charts
  gpuSweepMs: number[]; // each accelerator comparison (the layout search over the catalog), drawn
  startMs: Record<string, number>; // since navigation: main runs, core loaded, form built, answer, ready
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
  private form!: ScenarioForm; // built once the first answer is painted (finishStart)
  private result: EstimateResult | null = null;
  private shownSpecs = '';
  private gpuChartKey = '';
  private gpuTimer = 0;
  private readonly charts = new Map<ChartId, ChartView>();
  private readonly probe: Probe = { recomputes: 0, recomputeMs: [], phasesMs: [], gpuSweepMs: [], startMs };
  private readonly version: string;
  private catalog: CatalogStatus;
  private names: CatalogNames;
  private readonly presets: WorkloadPreset[];
  private presetPicker: PresetPicker | null = null;
  private panels: Panels | null = null; // the charts, comparison, why-panel...: after the first answer
  private comparison: Comparison | null = null;
  private notices: Notice[] = [];
  private resultRaw: Record<string, string> = {}; // the explicit values the result on screen is for
  private full = false; // false until the first answer is on screen (finishStart)
  private gpuSweep: Sweep | null = null; // the accelerator comparison's last sweep
  // The comparison's one price basis: a lens word of the core's ('' = the core's default), over
  // the price catalog, which is fetched once the first answer is on screen (not in the first view).
  // The comparison's own settings (the core's comparison fields: price basis, interactivity
  // floor), as typed; kept in the permalink beside the scenario. Empty: the core's default.
  private comparisonRaw: Record<string, string> = {};
  private prices: 'none' | 'loading' | 'loaded' | 'failed' = 'none';
  private gpuScenario: Record<string, unknown> | null = null;

  constructor(private readonly engine: Engine) {
    window.__pertoken = this.probe;
    this.version = engine.version();
    this.catalog = restoreCatalog(engine);
    this.fields = engine.fields();
    // The answer first: the pickers need the catalog's names only; its full entries (with their
    // sources), the panels and the charts follow once the headline is on screen (finishStart).
    this.names = engine.names();
    startMs['catalog'] = performance.now(); // the catalog's names (the core reads entries as asked)
    this.presets = engine.presets();
    engine.bandsDeferred = true; // the "likely" ranges follow with the panels (finishStart)
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] start-up

  start(): void {
    themeButton(byId<HTMLButtonElement>('theme'), () => {
      if (!this.panels) return; // no chart drawn yet: they read the palette when they are made
      const next = this.panels.readPalette();
      for (const chart of this.charts.values()) chart.setPalette(next);
    });

    const linked = linkSettings(location.search, location.hash);
    const comparisonKeys = this.engine.comparisonFields().map((f) => f.key);
    const { raw, notices, version } = fromQuery(linked, this.fields, comparisonKeys);
    for (const key of comparisonKeys) {
      const value = new URLSearchParams(linked).get(key);
      if (value !== null) this.comparisonRaw[key] = shorten(value, 40);
    }
    if (version !== null && version !== this.version) {
      const age = compareVersions(version, this.version);
      const which = age === 'older' ? 'an older version, ' : age === 'newer' ? 'a newer version, ' : '';
      notices.unshift({ key: 'v', value: version, message: `made with ${which}pertoken ${version}; this page is ${this.version}, whose model may give different numbers for the same settings` });
    }
    const settled = settle(this.engine, this.fields, raw, notices);
    startMs['settled'] = performance.now();
    this.notices = notices;
    this.showNotices(notices);
    // The answer prerendered at build time (prerendered.ts) gives way to this page's own, in this
    // same task: no frame shows the one after the other has been computed.
    withdrawPrerendered();
    // The answer first: the headline goes up before the form, the panels and the charts are made.
    if (settled.evaluation.ok) {
      this.result = settled.evaluation.result;
      this.resultRaw = settled.raw;
      this.showAnswer(settled.evaluation.result);
      renderHeadline(byId('headline'), settled.evaluation.result);
      byId('loading').hidden = true;
      startMs['answer'] = performance.now();
    }
    void this.finishStart(settled);
  }

  // After the first answer is painted: the form, the catalog's full entries, the panels and
  // every chart.
  private async finishStart(settled: { raw: Record<string, string>; evaluation: Evaluation }): Promise<void> {
    if (settled.evaluation.ok) await afterPainted('first-answer');
    this.form = new ScenarioForm(byId('form'), this.fields, this.names.models, this.names.gpus, (key) => this.edited(key));
    byId('form').addEventListener('submit', (event) => event.preventDefault());
    startMs['form'] = performance.now();
    this.form.raw = settled.raw;
    this.presetPicker = new PresetPicker(byId('presets'), document.querySelector<HTMLSelectElement>('#field-preset'), this.presets, (id) => {
      this.applyPreset(id);
      this.recompute();
    });

    byId('every-figure').addEventListener('toggle', () => {
      if (this.result && byId<HTMLDetailsElement>('every-figure').open) renderDetails(byId('details'), this.result);
    });
    this.wireActions();
    this.wireCatalog();
    wireModels({ engine: this.engine, catalogText: () => keptCatalog()?.text ?? '', changed: (model) => this.catalogChanged(this.catalog, model) });
    byId('version').textContent = `pertoken ${this.version}`;
    byId('pin').addEventListener('click', () => {
      const [raw, result] = [this.resultRaw, this.result];
      if (result) this.comparison?.pin(raw, result);
    });
    // The form shows the defaults and any problems of the answer on screen (or, when the defaults
    // themselves fail, of the scenario): the evaluation settle() made, when it is for the form's.
    const again = JSON.stringify(toScenario(this.fields, this.form.raw)) === JSON.stringify(toScenario(this.fields, settled.raw));
    this.recompute(again ? settled.evaluation : undefined);
    byId('loading').hidden = true;
    startMs['answer'] ??= performance.now();
    const panels = (this.panels = await import('./panels'));
    this.comparison = new panels.Comparison(byId('compare'), this.engine, this.fields, () => this.names, () => this.pinsChanged(), (raw) => {
      this.form.raw = raw;
      this.recompute();
    });
    this.comparison.onCsv = (text) => download('pertoken-comparison.csv', 'text/csv', text);
    // The charts measure their boxes (a layout of the whole page): after the answer, too.
    const palette = panels.readPalette();
    for (const id of chartIds) {
      const figure = byId(`chart-${id}`);
      this.charts.set(id, new panels.ChartView(figure, palette));
      this.chartButtons(id, figure);
    }
    this.loadCatalogLists();
    renderCatalogStatus(byId('catalog-status'), byId('catalog-errors'), this.catalog, this.catalog, { gpus: this.gpus.length, models: this.models.length });
    this.engine.bandsDeferred = false;
    this.full = true;
    // Pinned scenarios in the link (each evaluated: after the first answer).
    if (new URLSearchParams(linkSettings(location.search, location.hash)).has('pin')) {
      this.comparison.restoreLink(linkSettings(location.search, location.hash), this.notices);
      this.showNotices(this.notices);
    }
    this.recompute();
    startMs['ready'] = performance.now();
    document.documentElement.dataset['ready'] = 'true';
  }

  // A field changed; picking a preset hands its lengths back to it.
  private edited(key: string): void {
    if (key === 'preset') this.applyPreset(this.form.raw['preset'] ?? '');
    this.recompute();
  }

  private applyPreset(id: string): void {
    const raw = this.form.raw;
    for (const key of this.presetPicker?.keysOf(id) ?? []) delete raw[key];
    if (this.presetPicker?.keysOf(id).length) raw['preset'] = id;
    this.form.raw = raw;
  }

  private pinsChanged(): void {
    if (!this.comparison) return;
    this.comparison.render(this.result);
    byId<HTMLButtonElement>('pin').disabled = this.comparison.full;
    this.scheduleUrl(this.link(this.form.raw));
  }

  // The permalink: the scenario's values, then the pinned scenarios.
  private link(raw: Record<string, string>): string {
    const params = new URLSearchParams(toQuery(this.fields, raw, this.version));
    for (const [key, value] of Object.entries(this.comparisonRaw)) if (value.trim() !== '') params.set(key, value);
    const query = '?' + params.toString();
    return this.comparison ? this.comparison.withPins(query) : query;
  }

  // The comparison settings the core reads with the sweep (its own fields, converted as the
  // scenario's are); the core checks them and names the field when one is wrong.
  private comparisonSettings(): Record<string, unknown> {
    const settings: Record<string, unknown> = {};
    for (const field of this.engine.comparisonFields()) {
      const text = this.comparisonRaw[field.key];
      if (text !== undefined && text.trim() !== '') settings[field.key] = toJsonValue(field, text);
    }
    return settings;
  }

  // The answer bar, the one-line summary and the tab's title, for the result on screen.
  private showAnswer(result: EstimateResult): void {
    const shown = scenarioNames(result, this.names);
    setText(byId('summary'), `${shown.model} on ${String(result.scenario['num_gpus'])} × ${shown.gpu}`);
    renderAnswer(byId('answer-body'), result, this.names, this.presets);
    byId('answer').hidden = false;
    const title = pageTitle(result, this.names);
    if (document.title !== title) document.title = title;
    this.presetPicker?.show(String(result.scenario['preset'] ?? ''));
    if (this.comparison) {
      this.comparison.render(result);
      byId<HTMLButtonElement>('pin').disabled = this.comparison.full;
    }
  }

  private layout(): { num_gpus: number; tp: number; pp: number; ep: number } | undefined {
    const s = this.result?.scenario;
    return s ? { num_gpus: Number(s['num_gpus']), tp: Number(s['tp']), pp: Number(s['pp']), ep: Number(s['ep']) } : undefined;
  }

  private loadCatalogLists(): void {
    this.names = this.engine.names();
    this.models = this.engine.models();
    this.gpus = this.engine.gpus();
    this.efficiency = this.engine.efficiency(); // a custom catalog may carry its own factors
  }

  // ---------------------------------------------------------------------------------------------
  // [SECTION] recompute

  // first: the first answer's evaluation, made already (start).
  recompute(first?: Evaluation): void {
    const started = performance.now();
    const raw = this.form.raw;
    const scenario = toScenario(this.fields, raw);
    this.form.showDefaults(this.engine.scenarioDefaults(scenario));
    const evaluation = first ?? this.engine.evaluate(scenario);
    const evaluated = performance.now();
    if (!evaluation.ok) {
      this.showProblems(evaluation.errors);
      this.record(started);
      return;
    }
    const result = evaluation.result;
    this.result = result;
    this.resultRaw = raw;
    if (!this.full || !this.panels) {
      // The first answer: the headline only. The link is rewritten by the next recompute, with
      // the panels (and the pinned scenarios it may hold).
      this.showProblems([]);
      this.showAnswer(result);
      renderHeadline(byId('headline'), result);
      this.record(started);
      return;
    }
    const { batchingChart, contextChart, memoryChart, renderWhy, gpuSpecs, modelSpecs } = this.panels;
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
    this.showAnswer(result);
    let t = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = now - t;
      t = now;
    };
    renderHeadline(byId('headline'), result, (layout) => {
      const edited = this.form.raw;
      for (const key of ['num_gpus', 'tp', 'pp', 'ep'] as const) edited[key] = String(layout[key]);
      this.form.raw = edited;
      this.recompute();
    });
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

    this.scheduleUrl(this.link(raw));
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
    this.gpuScenario = scenario;
    if (this.prices === 'none' || this.prices === 'loading') return this.loadPrices();
    const { num_gpus: _n, tp: _t, pp: _p, ep: _e, ...comparisonKey } = scenario;
    const key = JSON.stringify(comparisonKey) + JSON.stringify(this.comparisonRaw);
    const figure = this.charts.get('gpus')!.figure;
    clearTimeout(this.gpuTimer);
    if (key === this.gpuChartKey) {
      figure.removeAttribute('aria-busy');
      // Only the layout changed: the same ranking, relabelled with the layout the user chose.
      if (this.gpuSweep) {
        const next = this.panels!.gpuChart(this.gpuSweep, this.layout());
        if (JSON.stringify(next.x.categories) !== JSON.stringify(this.gpuFull?.x.categories)) {
          this.gpuFull = next;
          this.showGpuRows();
        }
      }
      return;
    }
    const run = () => {
      const started = performance.now();
      this.gpuChartKey = key;
      this.gpuSweep = this.sweep('gpus', { ...scenario, ...this.comparisonSettings() });
      this.gpuFull = this.panels!.gpuChart(this.gpuSweep, this.layout());
      setText(byId('chart-gpus-title'), this.gpuFull.title); // it names the price basis
      this.showGpuRows();
      this.probe.gpuSweepMs.push(performance.now() - started);
      figure.removeAttribute('aria-busy');
    };
    if (this.gpuSweep === null) return run(); // the first view draws it at once
    figure.setAttribute('aria-busy', 'true');
    this.gpuTimer = window.setTimeout(run, 200);
  }

  // The price catalog, fetched after the first answer and handed to the core; the comparison is
  // drawn once it is in (or, if it cannot be read, with every accelerator marked as unpriced).
  private loadPrices(): void {
    this.charts.get('gpus')!.figure.setAttribute('aria-busy', 'true');
    if (this.prices !== 'none') return;
    this.prices = 'loading';
    const done = (ok: boolean, why: string) => {
      this.prices = ok ? 'loaded' : 'failed';
      const note = document.getElementById('gpus-price-note');
      if (note) {
        note.hidden = ok;
        note.textContent = ok ? '' : `The price catalog could not be read (${why}): no accelerator has a price on this basis.`;
      }
      if (this.gpuScenario) this.scheduleGpuChart(this.gpuScenario);
    };
    fetch(new URL('../prices.json', import.meta.url), { credentials: 'same-origin' })
      .then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))))
      .then(
        (text) => {
          const loaded = this.engine.setPrices(text);
          done(loaded.ok, loaded.ok ? '' : loaded.errors.map((e) => `${e.path} ${e.message}`).join('; '));
        },
        (error: unknown) => done(false, String(error)),
      );
  }

  // Errors at their fields (and any that name no field above the results); with errors the last
  // valid results stay, marked as stale.
  // A catalog of hundreds of accelerators: the cheapest few are drawn, the rest on request.
  private gpuFull: ChartData | null = null;
  private gpuShowAll = false;
  private static readonly gpuRows = 30;

  private showGpuRows(): void {
    const full = this.gpuFull;
    if (!full) return;
    const count = full.x.values.length;
    const toggle = byId<HTMLButtonElement>('gpus-show-all');
    toggle.hidden = count <= CalculatorPage.gpuRows;
    toggle.setAttribute('aria-pressed', String(this.gpuShowAll));
    setText(toggle, this.gpuShowAll ? `Show the first ${CalculatorPage.gpuRows} only` : `Show all ${count} accelerators`);
    this.charts.get('gpus')!.update(this.gpuShowAll ? full : this.panels!.topRows(full, CalculatorPage.gpuRows));
  }

  // The scenario in one line, printed under an exported chart's title.
  private exportCaption(): string {
    const r = this.result;
    if (!r) return '';
    const s = r.scenario;
    const concurrency = s['request_rate_per_s'] !== undefined && s['request_rate_per_s'] !== null ? `${String(s['request_rate_per_s'])} requests/s` : `concurrency ${String(s['concurrency'] ?? 'max')}`;
    const price = typeof s['usd_per_gpu_hour'] === 'number' ? `${formatUsd(s['usd_per_gpu_hour'])}/GPU-hour` : 'no price';
    return `${byId('summary').textContent ?? ''} · weights ${String(s['weights'])}, KV ${String(s['kv_cache'])} · ${String(s['input_tokens'])} in / ${String(s['output_tokens'])} out tokens · ${concurrency} · ${String(s['engine'])} · ${price} · pertoken ${this.version}`;
  }

  private showProblems(errors: CoreError[]): void {
    const loose = this.form.showErrors(errors);
    const general = byId('general-errors');
    setHidden(general, loose.length === 0);
    setText(general, loose.map((error) => (error.path ? `${error.path}: ${error.message}` : error.message)).join('\n'));
    const stale = errors.length > 0;
    byId('results').classList.toggle('stale', stale);
    byId('answer').classList.toggle('stale', stale);
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
    // Settings read from the fragment (#model=...) move to the query the page writes.
    const hash = location.hash.includes('=') ? '' : location.hash;
    if (this.pendingUrl !== location.search || hash !== location.hash) history.replaceState(null, '', this.pendingUrl + hash);
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
      return field ? fieldLabel(field) : key === 'v' ? 'Version' : key === 'link' ? 'The link' : key;
    };
    // A hostile link may hold thousands of keys: the first few are listed, the rest counted.
    const listed = 20;
    const more = notices.length - listed;
    const dismiss = h('button', { type: 'button', class: 'dismiss' }, 'Dismiss');
    dismiss.addEventListener('click', () => {
      box.hidden = true;
      byId('results').focus();
    });
    // Only what happened: a version notice alone says every setting was read as it was.
    const adjusted = notices.filter((n) => n.key !== 'v' && n.key !== 'link').length;
    box.append(
      h('h2', {}, adjusted > 0 ? 'This link was adjusted' : 'This link comes from another version'),
      h(
        'p',
        { 'data-testid': 'notices-summary' },
        adjusted > 0
          ? `${adjusted === 1 ? 'One setting' : `${adjusted} settings`} in the link could not be used as ${adjusted === 1 ? 'it was' : 'they were'}; below is what was done instead.`
          : 'Every setting in it was read as it was: nothing fell back to a default.',
      ),
      h(
        'ul',
        {},
        ...notices.slice(0, listed).map((n) => h('li', { 'data-key': n.key }, h('strong', {}, label(n.key)), ': “', h('code', {}, n.value), '” ', n.message, '.')),
        more > 0 ? h('li', { 'data-key': 'more' }, `… and ${more} more like ${more === 1 ? 'it' : 'them'}.`) : null,
      ),
      dismiss,
    );
  }

  // The comparison's settings, from the core's comparison fields: the price basis (its lens
  // words, the core's default first selected) and the interactivity floor (its default shown).
  private comparisonControls(): HTMLElement {
    const box = h('p', { class: 'chart-basis' });
    const labels: Record<string, string> = { pricing: 'Price basis (one for every accelerator): ', min_tokens_per_second_per_user: 'Interactivity floor, tokens/s per user: ' };
    const changed = (key: string, value: string, fallback: string) => {
      if (value.trim() === '' || value === fallback) delete this.comparisonRaw[key];
      else this.comparisonRaw[key] = value;
      if (this.gpuScenario) this.scheduleGpuChart(this.gpuScenario);
      this.scheduleUrl(this.link(this.form.raw));
    };
    for (const field of this.engine.comparisonFields()) {
      if (!(field.key in labels)) continue;
      const id = `gpus-${field.key === 'pricing' ? 'pricing' : 'floor'}`;
      const fallback = literalDefault(field) ?? '';
      let control: HTMLInputElement | HTMLSelectElement;
      if (field.values) {
        const linked = this.comparisonRaw[field.key];
        if (linked !== undefined && !field.values.includes(linked)) {
          this.notices.push({ key: field.key, value: linked, message: `is not a price basis of this version (${field.values.join(', ')}); ${fallback} is used` });
          this.showNotices(this.notices);
          delete this.comparisonRaw[field.key];
        }
        const current = this.comparisonRaw[field.key] ?? fallback;
        control = h('select', { id, 'data-testid': id }, ...field.values.map((v) => h('option', { value: v, selected: v === current }, v)));
      } else {
        control = h('input', { id, 'data-testid': id, type: 'text', inputmode: 'decimal', size: 5, value: this.comparisonRaw[field.key] ?? fallback, title: field.meaning });
      }
      control.addEventListener('change', () => changed(field.key, control.value, fallback));
      box.append(h('label', { for: id }, labels[field.key]!), control, ' ');
    }
    return box;
  }

  private chartButtons(id: ChartId, figure: HTMLElement): void {
    const { chartCsv, chartJson, readPalette } = this.panels!;
    const chart = () => this.charts.get(id)!;
    const name = (ext: string) => `pertoken-${id}.${ext}`;
    const make = (kind: string, text: string, action: () => void | Promise<void>) => {
      const button = h('button', { type: 'button', 'data-testid': `export-${id}-${kind}`, 'aria-label': `${text} of the ${figure.dataset['title'] ?? id} chart` }, text);
      button.addEventListener('click', () => void action());
      return button;
    };
    const bar = figure.querySelector('.chart-tools')!;
    if (id === 'gpus') {
      const toggle = h('button', { type: 'button', id: 'gpus-show-all', 'data-testid': 'gpus-show-all', 'aria-pressed': 'false', hidden: true });
      toggle.addEventListener('click', () => {
        this.gpuShowAll = !this.gpuShowAll;
        this.showGpuRows();
      });
      figure.insertBefore(toggle, figure.querySelector('.data-table'));
      bar.before(this.comparisonControls(), h('p', { id: 'gpus-price-note', class: 'notice', role: 'status', hidden: true }));
    }
    bar.append(
      make('png', 'PNG', async () => download(name('png'), 'image/png', await chart().png(this.exportCaption()))),
      make('svg', 'SVG', async () => {
        const data = chart().current();
        // The SVG writer is loaded on the first export: it is no part of the first view.
        const { chartSvg } = await import('./svg');
        if (data) download(name('svg'), 'image/svg+xml', chartSvg(data, readPalette(), 760, this.exportCaption()));
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
      if (this.result && this.panels) download('pertoken-result.csv', 'text/csv', this.panels.resultCsv(this.result));
    });
    byId('export-results-json').addEventListener('click', () => {
      if (this.result && this.panels) download('pertoken-result.json', 'application/json', this.panels.resultJson(this.result));
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

  // `model`: a model just imported from a config.json, chosen.
  private catalogChanged(state: CatalogStatus, model: string | null = null): void {
    this.loadCatalogLists();
    const raw = this.form.raw;
    this.form.setCatalog(this.models, this.gpus);
    if (model) raw['model'] = model;
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

const startMs: Record<string, number> = { script: performance.now() };

// Hides the answer bar prerendered into index.html (prerendered.ts), if it is there.
function withdrawPrerendered(): void {
  const answer = byId('answer');
  if (answer.dataset['prerendered'] === undefined) return;
  delete answer.dataset['prerendered'];
  answer.hidden = true;
}

async function main(): Promise<void> {
  try {
    // The answer prerendered into the page (prerendered.ts) reaches the screen before the core's
    // first run takes the main thread for its compile and evaluation.
    if (document.documentElement.dataset[prerenderAttribute] === 'show') await afterPainted('first-answer');
    await parsed();
    placePageBody();
    const engine = await loadEngine(new URL('../pertoken.wasm', import.meta.url));
    startMs['core'] = performance.now();
    new CalculatorPage(engine).start();
  } catch (error) {
    withdrawPrerendered(); // no calculator behind it: the page says why instead
    startupFailed('The calculator could not start', error);
    throw error;
  }
}

void main();
