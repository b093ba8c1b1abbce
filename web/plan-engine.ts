// The typed TypeScript door to the planner's WebAssembly module (plan_door.cpp): JSON strings in,
// typed JSON out. The planner and methodology pages import this file; the calculator loads it
// (and the planner module) only when the user imports a model from a config.json. No DOM here
// beyond fetch; no rule of the core (every figure is the core's).
import createPertokenPlan from 'pertoken-plan-glue';
import type { CatalogNames, CoreError, EfficiencyFactor, ScenarioField, ValidationReport } from './engine';

// ---------------------------------------------------------------------------------------------
// Shapes of the plan JSON (`pertoken plan --format json`; SI units, the CLI's keys).

// One instance of a configuration and the fleet built from it.
export interface PlanOption {
  scenario: Record<string, unknown>; // the estimate's scenario keys
  words: string; // the instance in the core's words: "8 × NVIDIA H100 SXM (tp 8, ...)"
  fleet_words: string; // "2 replicas, 16 devices in all"
  replicas: number;
  spare_replicas: number; // spot: held beside them for interruptions (in gpus_total)
  beyond_replica_limit: boolean; // the volume needs more replicas than the planner sizes (replicas is that limit)
  gpus_total: number;
  capacity_requests_per_second: number; // one replica's, as the fleet is sized (its capacity basis)
  utilization: number;
  usd_per_gpu_hour: number;
  price_basis: string;
  usd_per_month: number;
  usd_per_million_tokens: number;
  meets_sla: boolean;
  sla_excess?: number; // closest only: worst measured / target over the SLA's terms
  sla_ttft_seconds: number; // the latencies the SLA was read against (its basis)
  sla_tpot_seconds: number;
  instance: Record<string, number | string | null>; // the estimate's headline figures
}

export interface PlanBill {
  pricing: string;
  available: boolean;
  usd_per_gpu_hour: number | null;
  replicas: number | null;
  usd_per_month: number | null;
  usd_per_million_tokens: number | null;
  basis: string;
}

export interface PlanApi {
  provider: string;
  usd_per_million_tokens: number;
  usd_per_month: number;
  break_even_tokens_per_day: number | null; // at the plan's pricing lens
  break_even_tokens_per_day_by_pricing: Record<string, number | null>;
}

export interface ParetoPoint {
  label: string;
  output_tokens_per_second_per_gpu: number;
  tokens_per_second_per_user: number;
  usd_per_million_tokens: number;
  e2e_latency_seconds: number;
}

export interface WaterfallStep {
  lever: string;
  label?: string; // the lever in words (the core's lever_words)
  usd_per_million_tokens_after: number;
  sequential_saving: number;
  shapley_saving: number;
}

export interface TornadoBar {
  input: string;
  meaning: string;
  is_guess: boolean;
  base: number;
  low: number;
  high: number;
  usd_per_million_tokens_at_low: number | null;
  usd_per_million_tokens_at_high: number | null;
  swing_usd_per_million_tokens: number;
  note: string;
}

export interface InverseAnswer {
  input: string;
  value: number | null;
  answer: string;
}

// `pertoken sensitivity --format json`, also the plan's `sensitivity`.
export interface SensitivityResult {
  scenario: Record<string, unknown>;
  ok: boolean;
  utilization: number;
  relative_step: number;
  usd_per_million_tokens: number | null;
  capacity_tokens_per_day: number | null;
  tornado: TornadoBar[];
  target_usd_per_million_tokens: number | null;
  inverse: InverseAnswer[];
  notes: string[];
  [key: string]: unknown;
}

// One pool of a deployment pattern (edge sites, the central pool, the small model's pool).
export interface DeploymentPart {
  role: string;
  model: string;
  sites: number;
  tokens_per_day_per_site: number;
  peak_to_average: number;
  meets_sla: boolean;
  best: PlanOption | null;
  usd_per_month: number | null;
}

export interface PlanDeployment {
  pattern: string;
  sites: number;
  small_model: string | null;
  small_model_share: number;
  parts: DeploymentPart[];
  centralized_usd_per_million_tokens: number | null;
}

export interface PlanResult {
  meets_sla: boolean;
  beyond_replica_limit: boolean; // nothing listed because the volume, not the SLA, is out of reach
  answer: { verdict: string; detail: string }; // the core's answer in words (the CLI and the app show it too)
  pricing: string;
  best: Record<string, unknown> | null;
  replicas: number | null;
  gpus_total: number | null;
  utilization: number | null;
  usd_per_month: number | null;
  usd_per_million_tokens: number | null;
  best_detail: PlanOption | null;
  closest: PlanOption | null;
  workload: { tokens_per_day: number; requests_per_second: number; peak_to_average: number; capacity_basis: 'estimate' | 'p10' };
  sla: { max_ttft_seconds: number | null; max_tpot_seconds: number | null; min_tokens_per_second_per_user: number | null; sla_basis: 'estimate' | 'p90' };
  bill: PlanBill[];
  api: PlanApi[];
  alternatives: PlanOption[];
  pareto: { throughput_vs_interactivity: ParetoPoint[]; cost_vs_latency: ParetoPoint[] };
  waterfall: { baseline: string; baseline_usd_per_million_tokens: number; steps: WaterfallStep[] };
  deployment?: PlanDeployment; // absent in cores before deployment patterns
  kwh_per_million_tokens: number | null;
  carbon_g_per_million_tokens: number | null;
  grid_region: string;
  sensitivity: SensitivityResult | null;
  searched_configurations: number;
  estimates: number;
  notes: string[];
  [key: string]: unknown;
}

// `pertoken sweep volume --format json`: the plan at each volume of the core's ladder.
export interface VolumeSweepPoint {
  tokens_per_day: number;
  multiple: number;
  meets_sla: boolean;
  beyond_replica_limit: boolean; // nothing listed at this volume because it needs too many replicas
  replicas: number | null;
  gpus_total: number | null;
  usd_per_month: number | null;
  usd_per_million_tokens: number | null; // null where nothing meets the SLA
  best_detail: PlanOption | null;
  usd_per_million_tokens_by_pricing: Record<string, number | null>;
}

export interface VolumeSweepResult {
  sweep: 'volume';
  pricing: string;
  tokens_per_day: number; // the request's own
  points: VolumeSweepPoint[];
  api: { provider: string; usd_per_million_tokens: number; break_even_tokens_per_day: number | null; break_even_tokens_per_day_by_pricing: Record<string, number | null> }[];
  notes: string[];
}

// The answer with the exact text the core returned (the JSON export is that text).
export type PlanOutcome = { ok: true; plan: PlanResult; text: string } | { ok: false; errors: CoreError[] };
export type SensitivityOutcome = { ok: true; sensitivity: SensitivityResult; text: string } | { ok: false; errors: CoreError[] };

// ---------------------------------------------------------------------------------------------

interface Module {
  UTF8ToString(pointer: number): string;
  stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  lengthBytesUTF8(text: string): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  [name: string]: unknown;
}

export class PlanEngine {
  constructor(private readonly module: Module) {}

  private call(name: string, ...args: string[]): string {
    const fn = this.module['_' + name] as (...a: number[]) => number;
    const pointers = args.map((text) => {
      const bytes = this.module.lengthBytesUTF8(text) + 1;
      const pointer = this.module._malloc(bytes);
      this.module.stringToUTF8(text, pointer, bytes);
      return pointer;
    });
    try {
      return this.module.UTF8ToString(fn(...pointers));
    } finally {
      for (const pointer of pointers) this.module._free(pointer);
    }
  }

  version(): string {
    return this.call('pertoken_plan_version');
  }

  // The plan's own fields (workload, SLA, search bounds, pricing lens).
  planFields(): ScenarioField[] {
    return JSON.parse(this.call('pertoken_plan_fields')) as ScenarioField[];
  }

  // The request a first visit starts from: the core's example (the app starts from it too).
  planExample(): Record<string, unknown> {
    return JSON.parse(this.call('pertoken_plan_example')) as Record<string, unknown>;
  }

  // The scenario fields a plan request takes (the planner searches the others).
  scenarioFields(): ScenarioField[] {
    return JSON.parse(this.call('pertoken_plan_scenario_fields')) as ScenarioField[];
  }

  // The sensitivity request's own fields (utilization, relative_step, target).
  sensitivityFields(): ScenarioField[] {
    return JSON.parse(this.call('pertoken_sensitivity_fields')) as ScenarioField[];
  }

  names(): CatalogNames {
    return JSON.parse(this.call('pertoken_plan_catalog_names')) as CatalogNames;
  }

  // The methodology page's calls: every scenario field, the factors in use, how they were fitted,
  // and the scoreboard of a shipped measurement set.
  fields(): ScenarioField[] {
    return JSON.parse(this.call('pertoken_scenario_fields')) as ScenarioField[];
  }

  efficiency(): EfficiencyFactor[] {
    return JSON.parse(this.call('pertoken_efficiency')) as EfficiencyFactor[];
  }

  efficiencyMethod(): { priors: EfficiencyFactor[]; fitted: string[] } {
    return JSON.parse(this.call('pertoken_efficiency_method')) as { priors: EfficiencyFactor[]; fitted: string[] };
  }

  // The files a shipped measurement set is made of, as paths from the project root (the site
  // carries assets/calibration/ at calibration/).
  measurementSetFiles(set: 'calibration' | 'holdout'): string[] {
    return JSON.parse(this.call('pertoken_measurement_set_files', set)) as string[];
  }

  // The set's scoreboard from its files' texts, in measurementSetFiles' order.
  validation(set: 'calibration' | 'holdout', texts: string[]): ValidationReport | { errors: CoreError[] } {
    return JSON.parse(this.call('pertoken_validation', set, JSON.stringify(texts))) as ValidationReport | { errors: CoreError[] };
  }

  // Plan request in, plan or errors out: exactly what `pertoken plan --format json` prints.
  plan(request: Record<string, unknown>): PlanOutcome {
    const text = this.call('pertoken_plan', JSON.stringify(request));
    const parsed = JSON.parse(text) as PlanResult & { errors?: CoreError[] };
    if (parsed.errors) return { ok: false, errors: parsed.errors };
    return { ok: true, plan: parsed, text };
  }

  // A plan's JSON text (plan()'s `text`) in, its CSV out, without planning again: exactly what
  // `pertoken plan --format csv` prints for that request (null when the text is not a plan).
  planJsonCsv(planText: string): string | null {
    const text = this.call('pertoken_plan_json_csv', planText);
    return text.startsWith('{') ? null : text;
  }

  // Plan request in, cost against volume out: exactly what `pertoken sweep volume --format json`
  // prints (null when the core rejects the request; the plan call shows why).
  volumeSweep(request: Record<string, unknown>): VolumeSweepResult | null {
    const parsed = JSON.parse(this.call('pertoken_volume_sweep', JSON.stringify(request))) as VolumeSweepResult & { errors?: CoreError[] };
    return parsed.errors ? null : parsed;
  }

  // Sensitivity request in: exactly what `pertoken sensitivity --format json` prints.
  sensitivity(request: Record<string, unknown>): SensitivityOutcome {
    const text = this.call('pertoken_sensitivity', JSON.stringify(request));
    const parsed = JSON.parse(text) as SensitivityResult & { errors?: CoreError[] };
    if (parsed.errors) return { ok: false, errors: parsed.errors };
    return { ok: true, sensitivity: parsed, text };
  }

  // The calculator's catalog document (a custom catalog kept in this browser); "" restores the
  // built-in one. Errors as the calculator's door returns them.
  setCatalog(text: string): { ok: true } | { ok: false; errors: CoreError[] } {
    const parsed = JSON.parse(this.call('pertoken_plan_set_catalog', text)) as { errors?: CoreError[] };
    if (parsed.errors) return { ok: false, errors: parsed.errors };
    return { ok: true };
  }

  // The calculator's imported models (a catalog document) laid over the catalog in use.
  addCatalog(text: string): { ok: true } | { ok: false; errors: CoreError[] } {
    const parsed = JSON.parse(this.call('pertoken_plan_add_catalog', text)) as { errors?: CoreError[] };
    if (parsed.errors) return { ok: false, errors: parsed.errors };
    return { ok: true };
  }

  // A Hugging Face config.json's text -> the model (the core's importer) added to `models`, the
  // document of models imported so far ("" for none); id and name "" for the importer's own.
  importModel(config: string, id: string, name: string, models: string): ImportOutcome {
    const parsed = JSON.parse(this.call('pertoken_import_model', config, id, name, models)) as
      | { ok: true; id: string; name: string; catalog: Record<string, unknown> }
      | { errors: CoreError[] };
    if ('errors' in parsed) return { ok: false, errors: parsed.errors };
    return parsed;
  }
}

// The imported model's id and name, and the document of imported models with it added.
export type ImportOutcome = { ok: true; id: string; name: string; catalog: Record<string, unknown> } | { ok: false; errors: CoreError[] };

// Loads the planner module from `wasmUrl` (resolved by the page, so any sub-path works).
export async function loadPlanEngine(wasmUrl: URL): Promise<PlanEngine> {
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const created = createPertokenPlan({
    locateFile: () => wasmUrl.href,
    instantiateWasm(imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      instantiate(wasmUrl, imports).then(({ instance, module }) => done(instance, module), fail);
      return {};
    },
  });
  const module = (await Promise.race([created, failed])) as Module;
  return new PlanEngine(module);
}

async function instantiate(url: URL, imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
