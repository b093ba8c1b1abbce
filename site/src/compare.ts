// Compare: up to four pinned scenarios beside the current one, every headline figure with its
// difference (current minus pinned), kept in the permalink (one `pin` query value per pinned
// scenario: its explicit values as a query string of their own) and exported as CSV. Each figure
// is the core's result for that scenario; the page only subtracts two of them for display.
import type { CatalogNames, Engine, EstimateResult, ScenarioField } from '../../web/engine';
import { clear, h, setHidden } from './dom';
import { csvLines } from './exports';
import { formatPercent, resultKeys, type ResultKey } from './format';
import { headlineKeys } from './results';
import { scenarioLine } from './answer';
import { normalize, pageDefaults, settle, shorten, type Notice, type RawState } from './state';

export const maxPins = 4;
const maxPinLength = 2000;

export interface Pin {
  raw: RawState; // the pinned scenario's explicit values
  result: EstimateResult;
}

// The `pin` values of a link (in order, at most maxPins), and notices for the ones dropped.
export function pinsOfQuery(search: string, notices: Notice[]): string[] {
  const pins: string[] = [];
  for (const value of new URLSearchParams(search).getAll('pin')) {
    if (pins.length >= maxPins) notices.push({ key: 'pin', value: shorten(value), message: `is more than ${maxPins} pinned scenarios; ignored` });
    else if (value.length > maxPinLength) notices.push({ key: 'pin', value: shorten(value), message: `is longer than ${maxPinLength} characters; ignored` });
    else pins.push(value);
  }
  return pins;
}

// A pinned scenario as a `pin` value: its explicit values (and the page's model and GPU).
export function pinQuery(fields: ScenarioField[], raw: RawState): string {
  const params = new URLSearchParams();
  const explicit = normalize(fields, raw);
  for (const field of fields) {
    const value = explicit[field.key] ?? pageDefaults[field.key];
    if (value !== undefined) params.set(field.key, value);
  }
  return params.toString();
}

// The permalink with the pinned scenarios after the current one's values.
export function withPins(query: string, pins: string[]): string {
  if (pins.length === 0) return query;
  const params = new URLSearchParams(query);
  for (const pin of pins) params.append('pin', pin);
  return '?' + params.toString();
}

const letter = (i: number) => String.fromCharCode(65 + i); // A, B, C, D

function figureOf(result: EstimateResult, key: string): number | null {
  const value = result[key];
  return typeof value === 'number' ? value : null;
}

// current − pinned, and the same as a share of the pinned figure; null where either is unknown.
function difference(current: number | null, pinned: number | null): { delta: number | null; share: number | null } {
  if (current === null || pinned === null) return { delta: null, share: null };
  const delta = current - pinned;
  return { delta, share: pinned !== 0 ? delta / pinned : null };
}

function signed(spec: ResultKey, delta: number | null, share: number | null): string {
  if (delta === null) return '—';
  if (delta === 0) return 'same';
  const sign = delta > 0 ? '+' : '−';
  const percent = share === null ? '' : ` (${sign}${formatPercent(Math.abs(share))})`; // the core's rule, as every percent
  return `${sign}${spec.format(Math.abs(delta))}${percent}`;
}

export class Comparison {
  pins: Pin[] = [];

  constructor(
    private readonly box: HTMLElement,
    private readonly engine: Engine,
    private readonly fields: ScenarioField[],
    private readonly names: () => CatalogNames,
    private readonly changed: () => void, // the pins changed: the link follows
    private readonly load: (raw: RawState) => void, // "Open": the form takes a pinned scenario
  ) {}

  // Pins from a link: each read as the page reads a link (settle), dropped with a notice when
  // nothing of it can be used.
  restore(queries: string[], notices: Notice[]): void {
    for (const query of queries) {
      const raw: RawState = {};
      for (const [key, value] of new URLSearchParams(query)) {
        if (this.fields.some((f) => f.key === key)) raw[key] = value;
      }
      const pinNotices: Notice[] = [];
      const settled = settle(this.engine, this.fields, raw, pinNotices);
      if (!settled.evaluation.ok) {
        notices.push({ key: 'pin', value: shorten(query), message: 'cannot be evaluated; ignored' });
        continue;
      }
      for (const n of pinNotices) notices.push({ ...n, key: `pin`, message: `${n.key}: ${n.message}` });
      this.pins.push({ raw: settled.raw, result: settled.evaluation.result });
    }
  }

  // The pins a link holds (its `pin` values), read as restore() reads them.
  restoreLink(search: string, notices: Notice[]): void {
    this.restore(pinsOfQuery(search, notices), notices);
  }

  // A permalink's query with these pins after the scenario's own values.
  withPins(query: string): string {
    return withPins(query, this.queries());
  }

  get full(): boolean {
    return this.pins.length >= maxPins;
  }

  pin(raw: RawState, result: EstimateResult): void {
    if (this.full) return;
    this.pins.push({ raw: { ...raw }, result });
    this.changed();
  }

  queries(): string[] {
    return this.pins.map((p) => pinQuery(this.fields, p.raw));
  }

  // The comparison as a table: a column per pinned scenario and one for the current scenario;
  // a row per headline figure, each pinned value with the current one's difference from it.
  render(current: EstimateResult | null): void {
    const box = this.box;
    clear(box);
    setHidden(box, this.pins.length === 0 || current === null);
    if (this.pins.length === 0 || current === null) return;
    const names = this.names();
    const specs = headlineKeys.map((key) => resultKeys.find((k) => k.key === key)!);
    const head = h(
      'tr',
      {},
      h('th', { scope: 'col' }, 'Figure'),
      ...this.pins.map((p, i) => {
        const open = h('button', { type: 'button', class: 'link', 'data-testid': `compare-open-${i}` }, 'Open');
        open.addEventListener('click', () => this.load(p.raw));
        const remove = h('button', { type: 'button', class: 'link', 'data-testid': `compare-remove-${i}`, 'aria-label': `Unpin scenario ${letter(i)}` }, 'Unpin');
        remove.addEventListener('click', () => {
          this.pins.splice(i, 1);
          this.changed();
        });
        return h('th', { scope: 'col', 'data-testid': `compare-scenario-${i}` }, `Pinned ${letter(i)}`, h('small', {}, scenarioLine(p.result, names)), h('span', { class: 'pin-actions' }, open, ' ', remove));
      }),
      h('th', { scope: 'col', 'data-testid': 'compare-scenario-current' }, 'Current', h('small', {}, scenarioLine(current, names))),
    );
    const rows = specs.map((spec) => {
      const now = figureOf(current, spec.key);
      return h(
        'tr',
        {},
        h('th', { scope: 'row' }, spec.label),
        ...this.pins.map((p, i) => {
          const pinned = figureOf(p.result, spec.key);
          const { delta, share } = difference(now, pinned);
          return h(
            'td',
            {},
            h('span', { 'data-testid': `compare-${i}-${spec.key}`, 'data-value': pinned === null ? 'null' : String(pinned) }, spec.format(pinned)),
            h('small', { class: 'delta', 'data-testid': `compare-diff-${i}-${spec.key}`, 'data-value': delta === null ? 'null' : String(delta) }, `now ${signed(spec, delta, share)}`),
          );
        }),
        h('td', { 'data-testid': `compare-current-${spec.key}`, 'data-value': now === null ? 'null' : String(now) }, spec.format(now)),
      );
    });
    const fits = h(
      'tr',
      {},
      h('th', { scope: 'row' }, 'Fits'),
      ...this.pins.map((p, i) => h('td', { 'data-testid': `compare-${i}-fits`, 'data-value': String(p.result.fits) }, p.result.fits ? '✓ yes' : '✗ no')),
      h('td', { 'data-testid': 'compare-current-fits', 'data-value': String(current.fits) }, current.fits ? '✓ yes' : '✗ no'),
    );
    const csv = h('button', { type: 'button', 'data-testid': 'export-compare-csv' }, 'Export comparison CSV');
    csv.addEventListener('click', () => this.onCsv?.(this.csv(current)));
    box.append(
      h('h3', { id: 'compare-title' }, 'Compare'),
      h('p', { class: 'hint' }, 'Each pinned scenario beside the current one; under each pinned figure, how the current scenario differs from it (current − pinned).'),
      h('div', { class: 'compare-scroll' }, h('table', { class: 'compare-table', 'aria-labelledby': 'compare-title' }, h('thead', {}, head), h('tbody', {}, ...rows, fits))),
      csv,
    );
  }

  onCsv: ((text: string) => void) | null = null;

  // One row per figure: key, unit, each pinned value, the current value, then current − each
  // pinned (raw SI numbers, the CLI's keys). The first rows say which scenario each column is.
  csv(current: EstimateResult): string {
    const names = this.names();
    const labels = [...this.pins.map((_, i) => `pinned ${letter(i)}`), 'current'];
    const rows: unknown[][] = [
      ['key', 'unit', ...labels, ...this.pins.map((_, i) => `current - pinned ${letter(i)}`)],
      ['scenario', '', ...this.pins.map((p) => scenarioLine(p.result, names)), scenarioLine(current, names), ...this.pins.map(() => '')],
      ['link', '', ...this.pins.map((p) => '?' + pinQuery(this.fields, p.raw)), '', ...this.pins.map(() => '')],
      ['fits', '', ...this.pins.map((p) => p.result.fits), current.fits, ...this.pins.map(() => '')],
    ];
    for (const key of headlineKeys) {
      const spec = resultKeys.find((k) => k.key === key)!;
      const now = figureOf(current, key);
      rows.push([key, spec.unit, ...this.pins.map((p) => figureOf(p.result, key)), now, ...this.pins.map((p) => difference(now, figureOf(p.result, key)).delta)]);
    }
    return csvLines(rows);
  }
}
