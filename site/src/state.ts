// The page state: the values the user set for each scenario field, as raw text. It becomes the
// scenario JSON the core evaluates and the permalink's query string, and is read back from a
// link field by field (a value the core rejects falls back to its default, with a notice).
// No DOM here.
import type { CoreError, Engine, Evaluation, ScenarioField } from '../../web/engine';

// key -> the text the user gave; a key that is absent takes its default.
export type RawState = Record<string, string>;

export const pageDefaults: Record<string, string> = { model: 'llama-3.1-8b', gpu: 'h100-sxm' };

// Query keys that are not scenario fields: the link's version, the embed's theme.
export const reservedKeys = new Set(['v', 'theme', 'pin']); // pin: a pinned scenario (compare.ts)

const maxValueLength = 120;

// Many static hosts refuse a request line much over 8 KB (README, Permalinks): a longer link is
// still read here, and says so.
export const longLinkLength = 8 * 1024;

// The settings part of a link: its query (?model=...), or its fragment (#model=...), which no
// server sees, so no host's limit applies to it.
export function linkSettings(search: string, hash: string): string {
  return hash.length > 1 && hash.includes('=') ? hash.slice(1) : search;
}

// The default the form shows as a value: the page's model and GPU, or the literal default of the
// core's field table; null when a rule derives the default from other fields (tp = num_gpus / pp,
// the model's checkpoint precision, the catalog price): those show "auto (...)" with the value
// the core's scenario_defaults gives.
export function literalDefault(field: ScenarioField): string | null {
  if (field.key in pageDefaults) return pageDefaults[field.key]!;
  const d = field.default;
  return typeof d === 'number' || typeof d === 'string' || typeof d === 'boolean' ? String(d) : null;
}

const numeric = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

// A plain number as JSON can carry it ("1e309" is not: it would become null).
const plainNumber = (text: string): boolean => numeric.test(text) && Number.isFinite(Number(text));

// Text -> the JSON value the core expects. Text that is not a plain number ("$3.50", "4k",
// "1e309") stays the string the user typed, so the core (not the page) says in words what to
// write instead, at the field, as the CLI does.
export function toJsonValue(field: ScenarioField, text: string): unknown {
  const value = text.trim();
  switch (field.type) {
    case 'integer':
    case 'number':
    case 'integer_or_max': {
      if (field.type === 'integer_or_max' && value === 'max') return 'max';
      return plainNumber(value) ? Number(value) : value;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    case 'number_or_range': {
      // "0.7", or a range "0.6:0.8" (the CLI's) / "0.6-0.8" / "0.6 to 0.8" / "0.6, 0.8" -> [0.6, 0.8]
      const plain = value.replace(/\s+to\s+|[–,:\s]+/g, ' ').trim();
      if (plainNumber(plain)) return Number(plain);
      const range = plain.match(/^(\S+?)(?:\s|-(?=\d|\.))(\S+)$/);
      if (range && plainNumber(range[1]!) && plainNumber(range[2]!)) return [Number(range[1]), Number(range[2])];
      return value;
    }
    case 'enum':
    case 'model_id':
    case 'gpu_id':
      return value;
    default:
      return plainNumber(value) ? Number(value) : value;
  }
}

// The explicit values only: every non-empty value of a known field, kept as the user gave it even
// when it equals a default (a default may follow other fields, as the KV cache follows the
// weights, or change with the core: the state says what the user asked for).
export function normalize(fields: ScenarioField[], raw: RawState): RawState {
  const out: RawState = {};
  for (const field of fields) {
    const text = raw[field.key];
    if (text === undefined) continue;
    const trimmed = text.trim();
    if (trimmed !== '') out[field.key] = trimmed;
  }
  return out;
}

// The scenario JSON for the core: page defaults for model and GPU, then every explicit value.
export function toScenario(fields: ScenarioField[], raw: RawState): Record<string, unknown> {
  const scenario: Record<string, unknown> = {};
  const explicit = normalize(fields, raw);
  for (const field of fields) {
    const text = explicit[field.key] ?? pageDefaults[field.key];
    if (text !== undefined) scenario[field.key] = toJsonValue(field, text);
  }
  return scenario;
}

// The permalink's query string: the version first, then each explicit value in field order.
export function toQuery(fields: ScenarioField[], raw: RawState, version: string): string {
  const params = new URLSearchParams();
  params.set('v', version);
  const explicit = normalize(fields, raw);
  for (const field of fields) {
    if (field.key in pageDefaults) {
      params.set(field.key, explicit[field.key] ?? pageDefaults[field.key]!);
    } else if (explicit[field.key] !== undefined) {
      params.set(field.key, explicit[field.key]!);
    }
  }
  return '?' + params.toString();
}

export interface Notice {
  key: string; // the field (or query key) concerned
  value: string; // what the link said, shortened
  message: string; // why it was not used
}

// "older" or "newer" for a link's version against the page's ("0.1.0" vs "0.2.0"), or null when
// either is not dotted numbers.
export function compareVersions(link: string, page: string): 'older' | 'newer' | 'same' | null {
  const parts = (v: string) => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : null);
  const a = parts(link);
  const b = parts(page);
  if (!a || !b) return null;
  for (let i = 0; i < Math.max(a.length, b.length); ++i) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d < 0 ? 'older' : 'newer';
  }
  return 'same';
}

export function shorten(text: string, length = 40): string {
  return text.length > length ? text.slice(0, length) + '…' : text;
}

function canonicalKey(fields: ScenarioField[], key: string): string | null {
  for (const field of fields) {
    if (field.key === key || field.alias === key) return field.key;
  }
  return null;
}

// Reads a query string. Keys the core does not know, repeated keys and absurdly long values are
// dropped here with a notice; values are checked by the core afterwards (settle()). `ownKeys`:
// keys the page reads itself (the calculator's comparison settings), neither scenario nor unknown.
export function fromQuery(
  search: string,
  fields: ScenarioField[],
  ownKeys: readonly string[] = [],
): { raw: RawState; notices: Notice[]; version: string | null } {
  const params = new URLSearchParams(search);
  const raw: RawState = {};
  const notices: Notice[] = [];
  if (search.length > longLinkLength) {
    notices.push({
      key: 'link',
      value: `${(search.length / 1024).toFixed(1)} KB`,
      message: `is longer than many web hosts accept (about ${longLinkLength / 1024} KB); it was read here in full, and the link this page writes holds only the settings it uses`,
    });
  }
  let version: string | null = null;
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (reservedKeys.has(key) || ownKeys.includes(key)) {
      if (key === 'v' && version === null) version = shorten(value, 20);
      continue;
    }
    const canonical = canonicalKey(fields, key);
    if (canonical === null) {
      notices.push({ key: shorten(key, 30), value: shorten(value), message: 'is not a setting of this version; ignored' });
      continue;
    }
    if (seen.has(canonical)) {
      notices.push({ key: canonical, value: shorten(value), message: 'appears twice in the link; the first one is used' });
      continue;
    }
    seen.add(canonical);
    if (value.length > maxValueLength) {
      notices.push({ key: canonical, value: shorten(value), message: `is longer than ${maxValueLength} characters; the default is used` });
      continue;
    }
    raw[canonical] = value;
  }
  return { raw, notices, version };
}

// The field a core error points at ("/tp" -> tp, "/gpus" -> num_gpus, "/model/num_layers" ->
// model), or null for errors about the whole document.
export function fieldForPath(fields: ScenarioField[], path: string): string | null {
  const token = path.split('/')[1];
  if (!token) return null;
  return canonicalKey(fields, token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

// Falls back field by field until the core accepts the state: each round resets the explicit
// fields the core's errors point at (or, when the errors point only at defaults, the last
// explicit value). Every reset becomes a notice carrying the core's own message.
export function settle(
  engine: Engine,
  fields: ScenarioField[],
  state: RawState,
  notices: Notice[],
): { raw: RawState; evaluation: Evaluation } {
  const raw = normalize(fields, state);
  for (let round = 0; ; ++round) {
    const evaluation = engine.evaluate(toScenario(fields, raw));
    if (evaluation.ok || round > fields.length + 1) return { raw, evaluation };
    const blamed = new Map<string, CoreError>();
    for (const error of evaluation.errors) {
      const key = fieldForPath(fields, error.path);
      if (key !== null && raw[key] !== undefined && !blamed.has(key)) blamed.set(key, error);
    }
    if (blamed.size === 0) {
      // The errors point at defaulted fields (tp = num_gpus / pp when num_gpus = 3...): blame the
      // explicit value whose removal leaves the fewest errors.
      let best: { key: string; errors: number } | null = null;
      for (const key of Object.keys(raw)) {
        const without = { ...raw };
        delete without[key];
        const trial = engine.evaluate(toScenario(fields, without));
        const errors = trial.ok ? 0 : trial.errors.length;
        if (best === null || errors < best.errors) best = { key, errors };
      }
      if (best === null) return { raw, evaluation }; // the defaults themselves fail
      blamed.set(best.key, evaluation.errors[0]!);
    }
    for (const [key, error] of blamed) {
      const where = fieldForPath(fields, error.path);
      const message = where === key ? error.message : `${error.path}: ${error.message}`;
      // An id this catalog lacks is most likely from a custom catalog loaded where the link was made.
      const custom = error.code === 'unknown_id' && where === key && (key === 'gpu' || key === 'model');
      const needs = !custom
        ? ''
        : key === 'model'
          ? `; it is not in the catalog here: the link needs the custom model it names (import that model's config.json under “Import a model” with this id, or load the catalog file that defines it, then open the link again)`
          : `; it is not in the catalog here: the link needs the custom catalog that defines it (load that file under “Your own catalog”, then open the link again)`;
      notices.push({ key, value: shorten(raw[key]!), message: `${message}${needs}; the default is used` });
      delete raw[key];
    }
  }
}
