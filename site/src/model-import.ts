// The import box (loaded on its first use, see custom-models.ts): a Hugging Face config.json
// pasted, picked or dropped goes to the core's importer, which lives in the planner's WebAssembly
// module (plan_door.cpp), fetched only now; the model is added, chosen, kept and listed with a
// Remove button. Errors are the core's, each naming the config key.
import type { CoreError } from '../../web/engine';
import type { PlanEngine } from '../../web/plan-engine';
import { type ImportBox, type ModelHost, applyKeptModels, keepModels, keptModels } from './custom-models';
import { byId, clear, h, setText } from './dom';
import { formatCount } from './format';

const maxBytes = 4 * 1024 * 1024; // the core's own limit for a config (max_hf_config_bytes)

let importer: Promise<PlanEngine> | null = null;

function planEngine(): Promise<PlanEngine> {
  importer ??= import('../../web/plan-engine').then((m) => m.loadPlanEngine(new URL('../pertoken-plan.wasm', import.meta.url)));
  importer.catch(() => (importer = null)); // a later try loads it again
  return importer;
}

interface Listed {
  id: string;
  name: string;
}

function listed(): { models?: Listed[] } {
  try {
    return JSON.parse(keptModels() ?? '{}') as { models?: Listed[] };
  } catch {
    return {};
  }
}

export function wireImport({ engine, catalogText, changed }: ModelHost): ImportBox {
  const status = byId('model-import-status');
  const errors = byId('model-import-errors');
  const list = byId('custom-models');

  const showModels = () => {
    clear(list);
    const models = (listed().models ?? []).filter((m) => typeof m.id === 'string');
    list.hidden = models.length === 0;
    for (const model of models) {
      const name = String(model.name ?? model.id);
      const remove = h('button', { type: 'button', 'data-testid': `remove-model-${model.id}`, 'aria-label': `Remove ${name}` }, 'Remove');
      remove.addEventListener('click', () => {
        const kept = listed();
        const left = (kept.models ?? []).filter((m) => m.id !== model.id);
        keepModels(left.length ? JSON.stringify({ ...kept, models: left }) : null);
        // Back to the catalog without the model, then the others again.
        engine.setCatalog(catalogText());
        applyKeptModels(engine);
        showModels();
        setText(status, `Removed ${name}.`);
        changed(null);
      });
      list.append(h('li', { 'data-model': model.id }, h('code', {}, model.id), ` ${name} `, remove));
    }
  };

  const showErrors = (what: string, found: CoreError[]) => {
    clear(errors);
    errors.hidden = found.length === 0;
    if (found.length === 0) return;
    errors.append(
      h('p', {}, `${what} was not imported: ${formatCount(found.length, 'error')}.`),
      h('ul', { 'data-testid': 'model-import-error-list' }, ...found.map((e) => h('li', {}, h('code', {}, e.path || '(document)'), ` ${e.message}`))),
    );
  };

  const run = async (what: string, text: string) => {
    if (text.length > maxBytes) {
      showErrors(what, [{ code: 'too_large', path: '', message: `the file is ${Math.round(text.length / 1024)} KiB; configs up to ${maxBytes / 1024 / 1024} MiB are read` }]);
      return;
    }
    setText(status, 'Reading the config…');
    let core: PlanEngine;
    try {
      core = await planEngine();
    } catch (error) {
      setText(status, '');
      showErrors(what, [{ code: 'load_failed', path: '', message: `the importer could not load: ${String(error)}` }]);
      return;
    }
    const outcome = core.importModel(text, byId<HTMLInputElement>('model-id').value.trim(), byId<HTMLInputElement>('model-name').value.trim(), keptModels() ?? '');
    // The new document holds every imported model: laid over the catalog in use, it adds this one.
    const document = outcome.ok ? JSON.stringify(outcome.catalog, null, 2) : '';
    const check = outcome.ok ? engine.addCatalog(document) : outcome;
    if (!outcome.ok || !check.ok) {
      setText(status, '');
      showErrors(what, check.ok ? [] : check.errors);
      return;
    }
    const kept = keepModels(document);
    showErrors(what, []);
    showModels();
    setText(status, `Added ${outcome.name} (id ${outcome.id})${kept ? ', kept in this browser until you remove it' : '; it could not be kept in this browser (storage unavailable)'}.`);
    changed(outcome.id);
  };

  return {
    showModels,
    importFile: (file) => file.text().then((text) => run(file.name, text)),
    importPasted: () => run('The pasted config', byId<HTMLTextAreaElement>('model-config').value),
  };
}
