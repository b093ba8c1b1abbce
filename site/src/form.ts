// The scenario form, built from the core's field list (pertoken_scenario_fields), so a field the
// core adds appears here without a page change. Errors from the core are shown at their field.
// The form knows which fields the user set (explicit values, kept as given) and shows the others
// at the default the core will use (pertoken_scenario_defaults): a value, or "auto (...)".
import type { CoreError, GpuEntry, ModelEntry, ScenarioField } from '../../web/engine';
import { clear, h, setHidden, setText } from './dom';
import { fieldForPath, literalDefault, normalize, type RawState } from './state';

// Where known fields go; anything else lands in "More settings".
const groups: { title: string; keys: string[] }[] = [
  { title: 'Model and hardware', keys: ['model', 'gpu', 'num_gpus'] },
  { title: 'Parallelism', keys: ['tp', 'pp', 'ep'] },
  { title: 'Precision', keys: ['weights', 'kv_cache'] },
  { title: 'Workload', keys: ['preset', 'input_tokens', 'output_tokens', 'concurrency', 'request_rate_per_s'] },
  { title: 'Price', keys: ['usd_per_gpu_hour'] },
  { title: 'Engine', keys: ['max_batch_size', 'max_num_tokens', 'batching', 'chunked_prefill', 'kv_layout', 'prefix_cache_hit_rate'] },
  { title: 'Speculative decoding', keys: ['speculative', 'draft_tokens', 'acceptance_rate'] },
  { title: 'Disaggregated prefill', keys: ['prefill_gpus', 'prefill_tp', 'prefill_ep'] },
];

const labels: Record<string, string> = {
  model: 'Model',
  gpu: 'Accelerator',
  num_gpus: 'Devices',
  tp: 'Tensor parallel (tp)',
  pp: 'Pipeline stages (pp)',
  ep: 'Expert parallel (ep)',
  weights: 'Weights',
  kv_cache: 'KV cache',
  preset: 'Workload preset',
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  concurrency: 'Concurrency',
  request_rate_per_s: 'Request rate',
  num_prompts: 'Requests in a benchmark run',
  usd_per_gpu_hour: 'Price per device-hour',
  max_batch_size: 'Max batch size',
  max_num_tokens: 'Max tokens per step',
  batching: 'Batching',
  chunked_prefill: 'Chunked prefill',
  kv_layout: 'KV-cache layout',
  prefix_cache_hit_rate: 'Prefix-cache hit rate',
  prefill_gpus: 'Prefill devices (separate pool)',
  prefill_tp: 'Prefill tensor parallel',
  prefill_ep: 'Prefill expert parallel',
  speculative: 'Speculative decoding',
  draft_tokens: 'Draft tokens per step',
  acceptance_rate: 'Acceptance rate',
};

const units: Record<string, string> = { 'USD/device-hour': '$/h' };

// What the pickers need of a catalog entry (the core's names list, or the full entries).
type PickerModel = Pick<ModelEntry, 'id' | 'name' | 'family'>;
type PickerGpu = Pick<GpuEntry, 'id' | 'name' | 'vendor'>;

export function fieldLabel(field: ScenarioField): string {
  const known = labels[field.key];
  if (known) return known;
  const words = field.key.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface Control {
  field: ScenarioField;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
  hint: HTMLElement;
  suggestions: HTMLDataListElement | null;
}

export class ScenarioForm {
  private readonly controls = new Map<string, Control>();
  private readonly explicit = new Set<string>(); // the fields the user (or the link) set
  private readonly labels: Record<string, string>;

  constructor(
    container: HTMLElement,
    readonly fields: ScenarioField[],
    models: PickerModel[],
    gpus: PickerGpu[],
    onInput: (key: string) => void,
    // Another page's grouping and labels (the planner's): its fields, the same controls.
    layout: { groups: { title: string; keys: string[] }[]; labels: Record<string, string> } = { groups, labels: {} },
  ) {
    clear(container);
    this.labels = layout.labels;
    const placed = new Set<string>();
    const sections = [...layout.groups, { title: 'More settings', keys: [] as string[] }];
    for (const group of sections) {
      const members =
        group.title === 'More settings'
          ? fields.filter((f) => !placed.has(f.key))
          : group.keys.map((k) => fields.find((f) => f.key === k)).filter((f): f is ScenarioField => !!f);
      if (members.length === 0) continue;
      const fieldset = h('fieldset', { class: 'group' }, h('legend', {}, group.title));
      for (const field of members) {
        placed.add(field.key);
        fieldset.appendChild(this.build(field, onInput));
      }
      container.appendChild(fieldset);
    }
    this.setCatalog(models, gpus);
  }

  private build(field: ScenarioField, onInput: (key: string) => void): HTMLElement {
    const id = `field-${field.key}`;
    const literal = literalDefault(field);
    let input: HTMLInputElement | HTMLSelectElement;
    let suggestions: HTMLDataListElement | null = null;
    if (field.type === 'model_id' || field.type === 'gpu_id' || field.type === 'enum' || field.type === 'boolean') {
      input = h('select', { id, name: field.key });
      if (field.type !== 'model_id' && field.type !== 'gpu_id' && literal === null) input.appendChild(h('option', { value: '' }, 'auto'));
      if (field.type === 'boolean') {
        input.append(h('option', { value: 'true' }, 'on'), h('option', { value: 'false' }, 'off'));
      } else if (field.type === 'enum') {
        for (const value of field.values ?? []) input.appendChild(h('option', { value }, field.value_labels?.[value] ?? value));
      }
    } else if (field.values) {
      // A value from a list that has patterns in it (speculative: "draft:MODEL"): free text with
      // suggestions, the patterns filled in from the catalog by setCatalog().
      suggestions = h('datalist', { id: `${id}-values` });
      input = h('input', { id, name: field.key, type: 'text', list: `${id}-values`, autocomplete: 'off', spellcheck: 'false', placeholder: literal ?? 'auto' });
    } else {
      const decimal = field.type === 'number';
      input = h('input', {
        id,
        name: field.key,
        type: 'text',
        inputmode: field.type === 'id_list' ? null : decimal ? 'decimal' : 'numeric',
        autocomplete: 'off',
        spellcheck: 'false',
        placeholder: literal ?? 'auto',
      });
    }
    input.dataset['testid'] = id;
    const errorId = `${id}-error`;
    const hintId = `${id}-hint`;
    input.setAttribute('aria-describedby', `${hintId} ${errorId}`);
    input.addEventListener('input', () => {
      // A value the user gives is theirs, even one equal to the default; clearing a field (or
      // choosing "auto") hands it back to the core's default.
      if (input.value.trim() === '') this.explicit.delete(field.key);
      else this.explicit.add(field.key);
      onInput(field.key);
    });
    const unit = units[field.unit] ?? field.unit;
    const picked = field.type === 'model_id' || field.type === 'gpu_id';
    const defaultText = picked || !field.default_rule ? '' : `default ${field.default_rule}`;
    const hint = h('small', { id: hintId, class: 'hint' }, [field.meaning, defaultText].filter(Boolean).join('; '));
    const error = h('p', { id: errorId, class: 'field-error', 'data-testid': `error-${field.key}`, role: 'alert', hidden: true });
    this.controls.set(field.key, { field, input, error, hint, suggestions });
    const row = h(
      'div',
      { class: `field field-${field.type}` },
      h('label', { for: id }, this.labels[field.key] ?? fieldLabel(field), unit && field.type !== 'model_id' ? h('span', { class: 'unit' }, ` (${unit})`) : null),
      input,
      suggestions,
      hint,
      error,
    );
    return row;
  }

  // Fills the model and GPU lists (after a custom catalog is loaded or reset), keeping choices.
  setCatalog(models: PickerModel[], gpus: PickerGpu[]): void {
    for (const control of this.controls.values()) {
      const { field, input } = control;
      if (control.suggestions) {
        clear(control.suggestions);
        for (const value of field.values ?? []) {
          const expanded = value.endsWith(':MODEL') ? models.map((m) => value.replace(/MODEL$/, m.id)) : [value];
          for (const v of expanded) control.suggestions.appendChild(h('option', { value: v }));
        }
      }
      if (field.type !== 'model_id' && field.type !== 'gpu_id') continue;
      const select = input as HTMLSelectElement;
      const previous = select.value;
      clear(select);
      // An optional id (the planner's small model): its empty choice, named by the core's rule.
      if (literalDefault(field) === null) select.appendChild(h('option', { value: '' }, field.default_rule || 'auto'));
      const entries: { id: string; name: string; group: string }[] =
        field.type === 'model_id'
          ? models.map((m) => ({ id: m.id, name: m.name, group: m.family || 'other' }))
          : gpus.map((g) => ({ id: g.id, name: g.name, group: g.vendor || 'other' }));
      const byGroup = new Map<string, HTMLOptGroupElement>();
      for (const entry of entries) {
        let group = byGroup.get(entry.group);
        if (!group) {
          group = h('optgroup', { label: entry.group });
          byGroup.set(entry.group, group);
          select.appendChild(group);
        }
        group.appendChild(h('option', { value: entry.id }, entry.name));
      }
      if (previous && entries.some((e) => e.id === previous)) select.value = previous;
    }
  }

  has(key: string): boolean {
    return this.controls.has(key);
  }

  ids(key: 'model' | 'gpu'): string[] {
    const control = this.controls.get(key);
    return control ? [...(control.input as HTMLSelectElement).options].map((o) => o.value) : [];
  }

  // The explicit values, as given.
  get raw(): RawState {
    const raw: RawState = {};
    for (const key of this.explicit) raw[key] = this.controls.get(key)?.input.value ?? '';
    return normalize(this.fields, raw);
  }

  // Shows a state: explicit values as given, other fields at their literal default (or auto).
  set raw(state: RawState) {
    this.explicit.clear();
    for (const [key, control] of this.controls) {
      const given = state[key]?.trim() ? state[key]! : undefined;
      const value = given ?? literalDefault(control.field) ?? '';
      control.input.value = value;
      if (control.input instanceof HTMLSelectElement && control.input.value !== value) {
        // Not among the options (should not happen after settle()): show the default.
        control.input.value = literalDefault(control.field) ?? '';
        continue;
      }
      if (given !== undefined) this.explicit.add(key);
    }
  }

  // Marks each field named by an error; returns the errors that name no field.
  showErrors(errors: CoreError[]): CoreError[] {
    const byField = new Map<string, CoreError[]>();
    const loose: CoreError[] = [];
    for (const error of errors) {
      const key = fieldForPath(this.fields, error.path);
      if (key !== null && this.controls.has(key)) {
        byField.set(key, [...(byField.get(key) ?? []), error]);
      } else {
        loose.push(error);
      }
    }
    for (const [key, control] of this.controls) {
      const list = byField.get(key);
      setHidden(control.error, !list);
      setText(control.error, list ? [...new Set(list.map((e) => e.message))].join('; ') : '');
      if (list) control.input.setAttribute('aria-invalid', 'true');
      else if (control.input.hasAttribute('aria-invalid')) control.input.removeAttribute('aria-invalid');
    }
    return loose;
  }

  // Shows the default the core will use for each field the user left out (tp = num_gpus / pp,
  // the KV cache following the weights, the catalog price...), from pertoken_scenario_defaults
  // for the scenario on screen: "auto (fp16)" in a list, the value as a placeholder in a box.
  showDefaults(defaults: Record<string, unknown>): void {
    for (const [key, control] of this.controls) {
      const value = defaults[key];
      const text = value === null || value === undefined ? 'not set' : String(value);
      const derived = literalDefault(control.field) === null;
      if (control.input instanceof HTMLInputElement) {
        const placeholder = derived ? `auto: ${text}` : text;
        if (control.input.placeholder !== placeholder) control.input.placeholder = placeholder;
        // A field shown at its default follows the default the core will use now (a preset's
        // lengths); one the user is clearing or typing in is left alone.
        const input = control.input;
        if (!derived && !this.explicit.has(key) && input.value !== '' && input.value !== text && value !== null && value !== undefined && document.activeElement !== input) input.value = text;
      } else if (derived) {
        const auto = control.input.querySelector<HTMLOptionElement>('option[value=""]');
        if (auto) setText(auto, `auto (${text})`);
      }
    }
  }

  focus(key: string): void {
    this.controls.get(key)?.input.focus();
  }
}
