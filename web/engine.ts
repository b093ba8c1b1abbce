// The typed TypeScript door to the WebAssembly core (door.cpp): JSON strings in, typed JSON out.
// The site talks to the core only through this file.
// No DOM here beyond fetch: the page decides where the .wasm lives.
import createPertoken from 'pertoken-glue';
import { takeEarlyCompile } from './early-compile';

// ---------------------------------------------------------------------------------------------
// Shapes of the core's JSON (SI units; key names are the CLI's --format json contract).

export interface CoreError {
  code: string;
  path: string; // JSON pointer into the scenario or catalog document, "" for the whole document
  message: string;
}

export interface ScenarioField {
  key: string;
  type: string; // model_id | gpu_id | integer | number | enum | integer_or_max | (future types)
  default: unknown; // the literal default (a JSON value), or null when a rule derives it
  default_rule: string; // the default in words ("num_gpus / pp", "2000")
  unit: string;
  meaning: string;
  flag: string; // the CLI flag that sets it
  min?: number;
  max?: number;
  min_exclusive?: number;
  values?: string[];
  value_labels?: Record<string, string>; // what a picker shows for a value (an engine profile's name and versions)
  alias?: string;
}

export interface StepBreakdown {
  decode_tokens: number | null;
  prefill_tokens: number | null;
  beside_prompt_tokens: number | null; // the other requests' prompt tokens in each prefill step (0 in the decode step)
  weight_reads_seconds: number | null;
  kv_reads_seconds: number | null;
  compute_seconds: number | null;
  communication_seconds: number | null;
  overhead_seconds: number | null;
  overlap_seconds: number | null; // time saved by overlap: total = sum of parts - overlap
  total_seconds: number | null;
  // What the read times stand for (per GPU of the slowest stage): bytes streamed, at the achieved
  // memory bandwidth. Absent in older cores.
  weight_bytes_read_per_gpu?: number | null;
  kv_bytes_read_per_gpu?: number | null;
  achieved_memory_bandwidth_bytes_per_second?: number | null;
}

export interface MemoryBreakdown {
  capacity_bytes: number | null;
  weights_bytes: number | null;
  activation_bytes: number | null;
  runtime_reserved_bytes: number | null;
  kv_cache_pool_bytes: number | null;
  kv_cache_used_bytes: number | null;
  kv_cache_bytes_per_token_per_gpu: number | null;
  kv_cache_bytes_per_request_per_gpu: number | null;
  [key: string]: number | null;
}

export interface EstimateResult {
  pertoken_version: string;
  scenario: Record<string, unknown>;
  fits: boolean;
  limit_reason: string;
  limit_detail: string;
  fewest_devices_that_fit: { num_gpus: number; tp: number; pp: number; ep: number } | null;
  weights_bytes_per_gpu: number | null;
  kv_cache_bytes_per_gpu: number | null;
  kv_cache_bytes_per_token: number | null;
  memory_capacity_bytes_per_gpu: number | null;
  max_concurrency: number;
  concurrency: number | null;
  ttft_seconds: number | null;
  tpot_seconds: number | null;
  e2e_latency_seconds: number | null;
  output_tokens_per_second: number | null;
  output_tokens_per_second_per_gpu: number | null;
  input_tokens_per_second: number | null;
  tokens_per_second_per_user: number | null;
  requests_per_second: number | null;
  decode_bound: string | null;
  devices_in_deployment: number; // every device usd_per_hour pays for (a prefill pool's too)
  usd_per_hour: number | null;
  usd_per_million_tokens: number | null;
  usd_per_million_input_tokens: number | null;
  usd_per_million_output_tokens: number | null;
  joules_per_output_token: number | null;
  memory: MemoryBreakdown;
  breakdown: {
    prefill: StepBreakdown | null;
    decode_step: StepBreakdown | null;
    // Two pools (prefill_gpus > 0): the prefill pool's load and the KV cache's crossing.
    disaggregated?: { prefill_gpus: number; prefill_busy_fraction: number | null; prefill_wait_seconds: number | null; kv_transfer_seconds: number | null; [key: string]: unknown };
  };
  // What each step carries, in the core's words ("one 2,000-token prompt, beside 62.9 decode
  // tokens a step"); null where the deployment does not run.
  step_carries: { prefill: string; decode_step: string } | null;
  notes: string[];
  // Added by a later core: [low, high] per output key. Absent in older cores.
  uncertainty?: Record<string, [number, number]> | null; // null: left out (evaluate's bandsDeferred)
  // The preset's latency target and whether the deployment meets it; null without a preset.
  latency_target?: LatencyTarget | null;
  [key: string]: unknown;
}

export interface LatencyTarget {
  preset: string;
  max_ttft_seconds: number;
  max_tpot_seconds: number;
  ttft_met: boolean | null; // null: the deployment does not run
  tpot_met: boolean | null;
}

// A named workload (chat, RAG...): its lengths, latency target and why (pertoken list presets).
export interface WorkloadPreset {
  id: string;
  name: string;
  input_tokens: number;
  output_tokens: number;
  max_ttft_seconds: number;
  max_tpot_seconds: number;
  reason: string;
  scenario: Record<string, unknown>; // the scenario keys the preset sets
}

// The catalog's ids and names only (what the pickers need before the full entries).
export interface CatalogNames {
  models: { id: string; name: string; family: string }[];
  gpus: { id: string; name: string; vendor: string }[];
}

export type Evaluation = { ok: true; result: EstimateResult } | { ok: false; errors: CoreError[] };

export interface Source {
  source: string;
  as_of: string;
  note: string;
  estimate?: true; // the catalog's estimate, not a published figure (its note says how)
}

export interface GpuEntry {
  id: string;
  name: string;
  vendor: string;
  kind: string;
  form_factor: string;
  memory_type: string;
  memory_capacity_bytes: number;
  memory_bandwidth_bytes_per_second: number;
  dense_flop_per_second: Record<string, number | null>;
  tdp_watts: number | null;
  scale_up_link: string;
  scale_up_bytes_per_second_per_direction: number | null;
  scale_up_domain_size: number | null;
  purchase_price_usd: number | null;
  reference_usd_per_gpu_hour: number | null;
  confidence: string;
  notes: string;
  sources: Record<string, Source>; // keyed by the catalog file's JSON pointer ("/memory_gib")
}

export interface ModelEntry {
  id: string;
  name: string;
  family: string;
  num_layers: number;
  hidden_size: number;
  num_attention_heads: number;
  num_kv_heads: number;
  head_dim: number;
  intermediate_size: number;
  vocab_size: number;
  attention: string;
  max_context_tokens: number | null;
  total_params: number | null;
  active_params: number | null;
  moe: { num_experts: number; experts_per_token: number; num_shared_experts: number } | null;
  sliding_window: { window_tokens: number; num_layers: number } | null;
  default_weights: string;
  fp4_format: 'nvfp4' | 'mxfp4' | null; // an fp4 checkpoint's block-scaled 4-bit format; null for others
  confidence: string;
  notes: string;
  sources: Record<string, Source>;
}

export interface EfficiencyFactor {
  name: string;
  value: number;
  meaning: string;
}

export interface ValidationRow {
  id: string;
  gpu: string;
  model: string;
  num_gpus: number;
  tp: number;
  ep: number;
  weights: string;
  kv_cache: string;
  input_tokens: number;
  output_tokens: number;
  concurrency: string | number;
  metric: string;
  measured: number;
  predicted: number | null;
  percent_error: number | null;
  error: string;
  framework: string;
  assumptions: string;
  source_url: string;
}

// One subset of a scoreboard (all, dense, moe, each engine, ttft, each accelerator...).
export interface ValidationGroup {
  name: string;
  rows: number;
  rows_failed: number;
  median_absolute_percent_error: number;
  share_within_25_percent: number;
  geomean_speed_ratio: number;
  sources: number;
  source_weighted_median_absolute_percent_error: number;
}

export interface ValidationReport {
  set: string;
  rows: number;
  rows_failed: number;
  median_absolute_percent_error: number;
  share_within_25_percent: number;
  // The core's threshold behind share_within_25_percent: rows and groups beyond it are marked.
  close_enough_percent: number;
  groups: ValidationGroup[];
  results: ValidationRow[];
}

export type CatalogCheck =
  | { ok: true; gpus: number; models: number; efficiency: boolean; unsourced: number }
  | { ok: false; errors: CoreError[] };

// The value each scenario field takes when the scenario leaves it out (given the other fields);
// null when it cannot be derived (no model chosen yet, an invalid field it depends on...).
export type ScenarioDefaults = Record<string, unknown>;

export type SweepKind = 'batching' | 'memory' | 'context' | 'gpus';

// The result JSON's headline figures, as a sweep point carries them when it ran.
type Headline = Pick<
  EstimateResult,
  | 'max_concurrency'
  | 'concurrency'
  | 'ttft_seconds'
  | 'tpot_seconds'
  | 'e2e_latency_seconds'
  | 'output_tokens_per_second'
  | 'output_tokens_per_second_per_gpu'
  | 'input_tokens_per_second'
  | 'tokens_per_second_per_user'
  | 'requests_per_second'
  | 'decode_bound'
  | 'devices_in_deployment'
  | 'usd_per_hour'
  | 'usd_per_million_tokens'
  | 'usd_per_million_input_tokens'
  | 'usd_per_million_output_tokens'
  | 'joules_per_output_token'
>;

// One point of a sweep, exactly as `pertoken sweep KIND --format json` prints it.
export interface SweepPoint extends Partial<Headline> {
  x: number; // concurrency, input tokens, or the accelerator's place in the ranking
  gpu: string;
  num_gpus: number;
  tp: number;
  pp: number;
  ep: number;
  usd_per_gpu_hour: number | null;
  ran: boolean; // false: not a valid scenario (problem says why); no figures then
  problem: string;
  fits: boolean;
  limit_reason: string | null;
  running_concurrency?: number | null;
  memory?: MemoryBreakdown;
  // gpus only: the layout search's verdict for the accelerator.
  gpu_name?: string;
  status?: 'fits' | 'does_not_fit' | 'unknown';
  reason?: string; // why nothing fits, or why it cannot be estimated
  candidates?: number; // layouts considered
  selected?: boolean; // the accelerator the scenario names
  price_source?: string; // the offer the price came from ("Lambda", "catalog", "no offer")
}

export interface Sweep {
  sweep: SweepKind;
  x: { key: string; label: string; unit: string };
  marker: number | null; // x of the scenario itself
  empty: string | null; // why there is nothing to plot
  points: SweepPoint[];
  price_basis?: string; // gpus only: the one price basis of every accelerator (a lens, or reference)
  min_tokens_per_second_per_user?: number; // gpus only: the interactivity floor
  max_devices?: number; // gpus only: the largest instance the layout search considered
}

export type SweepOutcome = { ok: true; sweep: Sweep } | { ok: false; errors: CoreError[] };

// ---------------------------------------------------------------------------------------------

interface Module {
  UTF8ToString(pointer: number): string;
  stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  lengthBytesUTF8(text: string): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  [name: string]: unknown;
}

export class Engine {
  constructor(private readonly module: Module) {}

  // Calls an exported function with string arguments and copies its string result.
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
    return this.call('pertoken_version');
  }

  fields(): ScenarioField[] {
    return JSON.parse(this.call('pertoken_scenario_fields')) as ScenarioField[];
  }

  gpus(): GpuEntry[] {
    return JSON.parse(this.call('pertoken_gpus')) as GpuEntry[];
  }

  models(): ModelEntry[] {
    return JSON.parse(this.call('pertoken_models')) as ModelEntry[];
  }

  names(): CatalogNames {
    return JSON.parse(this.call('pertoken_catalog_names')) as CatalogNames;
  }

  presets(): WorkloadPreset[] {
    return JSON.parse(this.call('pertoken_presets')) as WorkloadPreset[];
  }

  efficiency(): EfficiencyFactor[] {
    return JSON.parse(this.call('pertoken_efficiency')) as EfficiencyFactor[];
  }

  // (How the factors were fitted and the scoreboard are the methodology page's: web/plan-engine.ts.)

  // While true, evaluate() leaves out the uncertainty bands (null), which take the core a while to
  // build the first time: a page's first view sets it, shows the answer, then clears it.
  bandsDeferred = false;

  // Scenario in, result or errors out: exactly what `pertoken estimate --format json` prints
  // (the CLI ages prices against today's UTC date; so does this, with the browser's clock).
  evaluate(scenario: Record<string, unknown>): Evaluation {
    const today = new Date().toISOString().slice(0, 10);
    const door = this.bandsDeferred ? 'pertoken_evaluate_point' : 'pertoken_evaluate';
    const parsed = JSON.parse(this.call(door, JSON.stringify(scenario), today)) as EstimateResult & {
      errors?: CoreError[];
    };
    if (parsed.errors) return { ok: false, errors: parsed.errors };
    return { ok: true, result: parsed };
  }

  // Checks a catalog document; when valid the core uses it (extending the built-in catalog)
  // until the next call. An empty string restores the built-in catalog.
  setCatalog(text: string): CatalogCheck {
    const parsed = JSON.parse(this.call('pertoken_set_catalog', text)) as
      | { ok: true; gpus: number; models: number; efficiency: boolean; unsourced: number }
      | { errors: CoreError[] };
    if ('errors' in parsed) return { ok: false, errors: parsed.errors };
    return parsed;
  }

  // Lays a second catalog document over the catalog in use (after setCatalog): the models the
  // user imported from config.json files. A rejected document leaves the catalog as it was.
  addCatalog(text: string): CatalogCheck {
    const parsed = JSON.parse(this.call('pertoken_add_catalog', text)) as
      | { ok: true; gpus: number; models: number; efficiency: boolean; unsourced: number }
      | { errors: CoreError[] };
    if ('errors' in parsed) return { ok: false, errors: parsed.errors };
    return parsed;
  }

  // The scenario along one axis: the series the charts draw, exactly what
  // `pertoken sweep KIND --format json` prints. Errors as for evaluate().
  sweep(kind: SweepKind, scenario: Record<string, unknown>): SweepOutcome {
    const parsed = JSON.parse(this.call('pertoken_sweep', kind, JSON.stringify(scenario))) as Sweep & { errors?: CoreError[] };
    if (parsed.errors) return { ok: false, errors: parsed.errors };
    return { ok: true, sweep: parsed };
  }

  // The price catalog's text (assets/catalog/prices.json), loaded after the first answer: the
  // accelerator comparison then prices every accelerator on one lens.
  setPrices(text: string): { ok: true } | { ok: false; errors: CoreError[] } {
    const parsed = JSON.parse(this.call('pertoken_set_prices', text)) as { errors?: CoreError[] };
    return parsed.errors ? { ok: false, errors: parsed.errors } : { ok: true };
  }

  // The accelerator comparison's own keys: its price basis (lens words), floor, largest instance.
  comparisonFields(): ScenarioField[] {
    return JSON.parse(this.call('pertoken_comparison_fields')) as ScenarioField[];
  }

  // What each field becomes when the (partial, possibly invalid) scenario leaves it out.
  scenarioDefaults(scenario: Record<string, unknown>): ScenarioDefaults {
    return JSON.parse(this.call('pertoken_scenario_defaults', JSON.stringify(scenario))) as ScenarioDefaults;
  }
}

// Loads the core from `wasmUrl` (resolved by the caller, so the site works under any sub-path).
export async function loadEngine(wasmUrl: URL): Promise<Engine> {
  let fail: (error: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const created = createPertoken({
    locateFile: () => wasmUrl.href,
    instantiateWasm(
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      instantiate(wasmUrl, imports).then(({ instance, module }) => done(instance, module), fail);
      return {};
    },
  });
  const module = (await Promise.race([created, failed])) as Module;
  return new Engine(module);
}

async function instantiate(url: URL, imports: WebAssembly.Imports): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  const early = takeEarlyCompile(url);
  if (early) {
    const module = await early.catch(() => null);
    if (module) return { module, instance: await WebAssembly.instantiate(module, imports) };
  }
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  // Streaming compilation needs the application/wasm type; fall back to bytes otherwise.
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
