// A custom catalog from the user's disk (file picker or drag-and-drop): read in the browser,
// checked by the core (every error listed by JSON path), kept in localStorage until reset.
// Nothing is uploaded: the file's text goes only to the WebAssembly core.
import type { CatalogCheck, CoreError, Engine } from '../../web/engine';
import { applyKeptModels } from './custom-models';
import { clear, h, storage } from './dom';
import { formatCount } from './format';
import { catalogStorageKey as storageKey } from './prerendered';

// The page's own limit, below the CLI's and the app's (none, 16 MiB): the file is kept in
// localStorage, which browsers cap at a few megabytes per site; the shipped catalog is 280 KB.
const maxBytes = 4 * 1024 * 1024;

interface Stored {
  name: string;
  text: string;
}

export type CatalogStatus = { kind: 'builtin' } | { kind: 'custom'; name: string; check: CatalogCheck & { ok: true }; kept: boolean } | { kind: 'rejected'; name: string; errors: CoreError[] };

// Applies the catalog kept from an earlier visit, if any. A kept file that the core now rejects
// is dropped (and reported). The models imported from config.json files go on top, as after every
// change of the catalog file (custom-models.ts).
export function restoreCatalog(engine: Engine): CatalogStatus {
  const state = restoreFile(engine);
  applyKeptModels(engine);
  return state;
}

function restoreFile(engine: Engine): CatalogStatus {
  const saved = storage.get(storageKey);
  if (!saved) return { kind: 'builtin' };
  let stored: Stored;
  try {
    stored = JSON.parse(saved) as Stored;
    if (typeof stored.text !== 'string' || typeof stored.name !== 'string') throw new Error('bad entry');
  } catch {
    storage.remove(storageKey);
    return { kind: 'builtin' };
  }
  const check = engine.setCatalog(stored.text);
  if (!check.ok) {
    engine.setCatalog('');
    storage.remove(storageKey);
    return { kind: 'rejected', name: stored.name, errors: check.errors };
  }
  return { kind: 'custom', name: stored.name, check, kept: true };
}

export async function loadCatalogFile(engine: Engine, file: File): Promise<CatalogStatus> {
  if (file.size > maxBytes) {
    return { kind: 'rejected', name: file.name, errors: [{ code: 'too_large', path: '', message: `the file is ${Math.round(file.size / 1024)} KiB; catalogs up to ${maxBytes / 1024 / 1024} MiB are read` }] };
  }
  const text = await file.text();
  const check = engine.setCatalog(text);
  // A rejected file leaves the core's catalog as it was.
  if (!check.ok) return { kind: 'rejected', name: file.name, errors: check.errors };
  applyKeptModels(engine);
  const kept = storage.set(storageKey, JSON.stringify({ name: file.name, text } satisfies Stored));
  return { kind: 'custom', name: file.name, check, kept };
}

// The catalog file kept by the calculator, for another page's core (the planner's): its name and
// text, or null when none is kept.
export function keptCatalog(): Stored | null {
  try {
    const stored = JSON.parse(storage.get(storageKey) ?? 'null') as Stored | null;
    return stored && typeof stored.text === 'string' && typeof stored.name === 'string' ? stored : null;
  } catch {
    return null;
  }
}

export function resetCatalog(engine: Engine): CatalogStatus {
  storage.remove(storageKey);
  engine.setCatalog('');
  applyKeptModels(engine);
  return { kind: 'builtin' };
}

export function renderCatalogStatus(status: HTMLElement, errors: HTMLElement, state: CatalogStatus, active: CatalogStatus, counts: { gpus: number; models: number }): void {
  clear(status);
  clear(errors);
  errors.hidden = state.kind !== 'rejected';
  const activeText =
    active.kind === 'custom'
      ? `Using ${active.name} on top of the built-in catalog (${counts.gpus} accelerators, ${counts.models} models${active.check.unsourced ? `; ${formatCount(active.check.unsourced, 'figure')} without a source` : ''}).`
      : `Using the built-in catalog (${counts.gpus} accelerators, ${counts.models} models).`;
  status.append(activeText);
  if (active.kind === 'custom') status.append(active.kept ? ' Kept in this browser until you reset it.' : ' It could not be kept in this browser (storage unavailable).');
  if (state.kind === 'rejected') {
    errors.append(
      h('p', {}, `${state.name} was not loaded: ${formatCount(state.errors.length, 'error')}.`),
      h('ul', { 'data-testid': 'catalog-error-list' }, ...state.errors.map((e) => h('li', {}, h('code', {}, e.path || '(document)'), ` ${e.message}`))),
    );
  }
}
