// The typed TypeScript door to the WebAssembly core (door.cpp): JSON strings in and out, plus the
// numeric sweep buffer the charts read. The site talks to the core only through this file.
// No DOM here beyond fetch: the page decides where the .wasm lives.
import createPertoken from 'pertoken-glue';

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
  default: unknown; // a literal default, or a string describing a derived one, or null
  unit: string;
  meaning: string;
  min?: number;
  max?: number;
  min_exclusive?: number;
  values?: string[];
  alias?: string;
}

export interface StepBreakdown {
  decode_tokens: number | null;
  prefill_tokens: number | null;
  weight_reads_seconds: number | null;
  kv_reads_seconds: number | null;
  compute_seconds: number | null;
  communication_seconds: number | null;
  overhead_seconds: number | null;
  overlap_seconds: number | null; // time saved by overlap: total = sum of parts - overlap
  total_seconds: number | null;
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
  usd_per_hour: number | null;
  usd_per_million_tokens: number | null;
  usd_per_million_input_tokens: number | null;
  usd_per_million_output_tokens: number | null;
  joules_per_output_token: number | null;
  memory: MemoryBreakdown;
  breakdown: { prefill: StepBreakdown | null; decode_step: StepBreakdown | null };
  notes: string[];
  // Added by a later core: [low, high] per output key. Absent in older cores.
  uncertainty?: Record<string, [number, number]>;
  [key: string]: unknown;
}

export type Evaluation = { ok: true; result: EstimateResult } | { ok: false; errors: CoreError[] };

export interface Source {
  source: string;
  as_of: string;
  note: string;
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

export interface ValidationReport {
  set: string;
  rows: number;
  rows_failed: number;
  median_absolute_percent_error: number;
  share_within_25_percent: number;
  results: ValidationRow[];
}

export type CatalogCheck =
  | { ok: true; gpus: number; models: number; efficiency: boolean; unsourced: number }
  | { ok: false; errors: CoreError[] };

// One sweep point: the names the door reports (pertoken_sweep_fields), NaN where the result JSON
// would hold null. "ok" is 0 when the point is not a valid scenario (then `text` says why).
export type SweepPoint = Record<string, number> & { text: string };

// ---------------------------------------------------------------------------------------------

interface Module {
  UTF8ToString(pointer: number): string;
  stringToUTF8(text: string, pointer: number, maxBytes: number): void;
  lengthBytesUTF8(text: string): number;
  HEAPF64: Float64Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  [name: string]: unknown;
}

// The names of the sweep buffer this TypeScript was written against; load() checks the door agrees.
const sweepFieldsExpected = [
  'ok', 'fits', 'max_concurrency', 'concurrency', 'ttft_seconds', 'tpot_seconds',
  'e2e_latency_seconds', 'output_tokens_per_second', 'output_tokens_per_second_per_gpu',
  'tokens_per_second_per_user', 'usd_per_million_tokens', 'usd_per_million_input_tokens',
  'usd_per_million_output_tokens', 'capacity_bytes', 'weights_bytes', 'activation_bytes',
  'runtime_reserved_bytes', 'kv_cache_pool_bytes', 'kv_cache_used_bytes', 'num_gpus', 'tp', 'pp',
  'ep', 'usd_per_gpu_hour', 'input_tokens',
] as const;

export class Engine {
  private readonly sweepFields: string[];

  private readonly Point: new (values: Float64Array, text: string) => object;

  constructor(private readonly module: Module) {
    this.sweepFields = JSON.parse(this.call('pertoken_sweep_fields')) as string[];
    if (this.sweepFields.join() !== sweepFieldsExpected.join()) {
      throw new Error('pertoken.wasm and the page disagree on the sweep fields: rebuild both');
    }
    class Point {
      constructor(
        readonly values: Float64Array,
        readonly text: string,
      ) {}
    }
    this.sweepFields.forEach((name, i) =>
      Object.defineProperty(Point.prototype, name, {
        get(this: Point) {
          return this.values[i];
        },
      }),
    );
    this.Point = Point;
  }

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

  efficiency(): EfficiencyFactor[] {
    return JSON.parse(this.call('pertoken_efficiency')) as EfficiencyFactor[];
  }

  // The physical priors the factors were fitted from, and which factors the calibration fits.
  efficiencyMethod(): { priors: EfficiencyFactor[]; fitted: string[] } {
    return JSON.parse(this.call('pertoken_efficiency_method')) as { priors: EfficiencyFactor[]; fitted: string[] };
  }

  validation(set: 'calibration' | 'holdout'): ValidationReport {
    return JSON.parse(this.call('pertoken_validation', set)) as ValidationReport;
  }

  // Scenario in, result or errors out: exactly what `pertoken estimate --format json` prints.
  evaluate(scenario: Record<string, unknown>): Evaluation {
    const parsed = JSON.parse(this.call('pertoken_evaluate', JSON.stringify(scenario))) as EstimateResult & {
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

  // Sweeps start from a base scenario parsed once; errors as for evaluate().
  sweepBase(scenario: Record<string, unknown>): CoreError[] | null {
    const parsed = JSON.parse(this.call('pertoken_sweep_base', JSON.stringify(scenario))) as {
      errors?: CoreError[];
    };
    return parsed.errors ?? null;
  }

  // A point keeps its own copy of the buffer; each field name is a getter into it (a charts'
  // recompute reads ~150 points: building 25-key objects for each cost more than the estimates).
  private readPoint(pointer: number): SweepPoint {
    if (pointer === 0) throw new Error('sweep called without a valid base');
    const start = pointer / 8;
    const values = this.module.HEAPF64.slice(start, start + this.sweepFields.length);
    const ok = values[0] === 1 && values[1] === 1;
    const text = ok ? '' : this.module.UTF8ToString((this.module['_pertoken_sweep_text'] as () => number)());
    return new this.Point(values, text) as unknown as SweepPoint;
  }

  // The base at a fixed concurrency.
  atConcurrency(concurrency: number): SweepPoint {
    return this.readPoint((this.module['_pertoken_sweep_concurrency'] as (c: number) => number)(concurrency));
  }

  // The base with another prompt length.
  atInputTokens(inputTokens: number): SweepPoint {
    return this.readPoint((this.module['_pertoken_sweep_input_tokens'] as (n: number) => number)(inputTokens));
  }

  // The base on another catalog GPU (index into gpus()) and layout.
  atLayout(gpuIndex: number, numGpus: number, tp: number, pp: number, ep: number): SweepPoint {
    const fn = this.module['_pertoken_sweep_layout'] as (...a: number[]) => number;
    return this.readPoint(fn(gpuIndex, numGpus, tp, pp, ep));
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
  const response = await fetch(url, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
  // Streaming compilation needs the application/wasm type; fall back to bytes otherwise.
  if (response.headers.get('Content-Type')?.startsWith('application/wasm')) {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}
