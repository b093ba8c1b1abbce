// Workload presets on the page: a row of buttons ("start from a workload") and the form's preset
// list labelled with the presets' names, with the chosen one's reason and latency target beside
// it. The presets themselves (lengths, targets, reasons) are the core's (pertoken_presets).
import type { WorkloadPreset } from '../../web/engine';
import { clear, h, setText } from './dom';
import { formatInteger, formatSeconds } from './format';

export function presetSummary(p: WorkloadPreset): string {
  return `${formatInteger(p.input_tokens)} in / ${formatInteger(p.output_tokens)} out tokens; target TTFT ≤ ${formatSeconds(p.max_ttft_seconds)}, TPOT ≤ ${formatSeconds(p.max_tpot_seconds)}: ${p.reason}.`;
}

export class PresetPicker {
  private readonly about: HTMLElement;

  // `choose(id)`: the user picked a preset (a button, or the form's list).
  constructor(
    private readonly row: HTMLElement,
    private readonly select: HTMLSelectElement | null,
    private readonly presets: WorkloadPreset[],
    choose: (id: string) => void,
  ) {
    clear(row);
    const buttons = presets.map((p) => {
      const button = h('button', { type: 'button', class: 'preset', 'data-testid': `preset-${p.id}`, 'aria-pressed': 'false', title: presetSummary(p) }, p.name);
      button.addEventListener('click', () => choose(p.id));
      return button;
    });
    row.append(h('span', { class: 'presets-label' }, 'Start from a workload:'), ...buttons);
    this.about = h('p', { class: 'hint preset-about', 'data-testid': 'preset-about', 'aria-live': 'polite' });
    row.appendChild(this.about);
    if (select) {
      for (const option of select.options) {
        const preset = presets.find((p) => p.id === option.value);
        if (preset) option.textContent = preset.name;
      }
    }
  }

  // Marks the preset in use (the result's scenario.preset) and says what it stands for.
  show(id: string): void {
    const preset = this.presets.find((p) => p.id === id);
    for (const button of this.row.querySelectorAll<HTMLButtonElement>('button.preset')) {
      const on = button.dataset['testid'] === `preset-${id}`;
      if (button.getAttribute('aria-pressed') !== String(on)) button.setAttribute('aria-pressed', String(on));
    }
    setText(this.about, preset ? `${preset.name}: ${presetSummary(preset)}` : '');
    this.about.hidden = !preset;
  }

  // The scenario keys a preset sets besides itself (its lengths): cleared when it is picked, so
  // that the preset's values apply.
  keysOf(id: string): string[] {
    const preset = this.presets.find((p) => p.id === id);
    return preset ? Object.keys(preset.scenario) : [];
  }
}
