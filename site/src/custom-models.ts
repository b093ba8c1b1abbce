// Models imported from Hugging Face config.json files: kept in localStorage as one catalog
// document (the core writes it) and laid over the catalog in use (built-in + the user's catalog
// file) after every change of it. Nothing is uploaded: the config's text goes only to the core.
// Only the storage and the hooks are here: the import box's code (model-import.ts) and the core's
// importer (in the planner's module) load when the user imports, so the first view carries neither.
import type { CoreError, Engine } from '../../web/engine';
import { byId, storage } from './dom';
import { modelsStorageKey as storageKey } from './prerendered';


// The kept document of imported models, or null.
export function keptModels(): string | null {
  return storage.get(storageKey);
}

// Keeps the document (null: none); false when the browser's storage refused it.
export function keepModels(text: string | null): boolean {
  if (text === null) {
    storage.remove(storageKey);
    return true;
  }
  return storage.set(storageKey, text);
}

// Lays the kept models over the core's catalog in use (after every setCatalog). A kept document
// the core now rejects is dropped, and its errors returned.
export function applyKeptModels(engine: { addCatalog(text: string): { ok: true } | { ok: false; errors: CoreError[] } }): CoreError[] {
  const text = keptModels();
  if (text === null) return [];
  const check = engine.addCatalog(text);
  if (check.ok) return [];
  keepModels(null);
  return check.errors;
}

// What the import box needs from the page: the core, the catalog file's text ("" for none), and
// what to do once the core's catalog changed (with the id of a model just imported, to choose it).
export interface ModelHost {
  engine: Engine;
  catalogText: () => string;
  changed: (model: string | null) => void;
}

// The import box's code (model-import.ts), once loaded.
export interface ImportBox {
  showModels(): void;
  importFile(file: File): Promise<void>;
  importPasted(): Promise<void>;
}

// Hooks the import box: its code loads on the first use (opening the box, a file given or dropped,
// the button) or at once when models are kept (to list them with their Remove buttons).
export function wireModels(host: ModelHost): void {
  const section = byId<HTMLDetailsElement>('model-import');
  const input = byId<HTMLInputElement>('model-config-file');
  let box: Promise<ImportBox> | null = null;
  const load = () => (box ??= import('./model-import').then((m) => m.wireImport(host)));
  const importFile = (file: File | undefined) => file && void load().then((ui) => ui.importFile(file));
  section.addEventListener('toggle', () => void load(), { once: true });
  byId('model-import-button').addEventListener('click', () => void load().then((ui) => ui.importPasted()));
  input.addEventListener('change', () => {
    importFile(input.files?.[0]);
    input.value = '';
  });
  // A file dropped on this box is a config (anywhere else on the page, a catalog file).
  section.addEventListener('dragover', (event) => {
    event.preventDefault();
    event.stopPropagation();
  });
  section.addEventListener('drop', (event) => {
    event.preventDefault();
    event.stopPropagation();
    byId('catalog').classList.remove('dropping');
    importFile(event.dataTransfer?.files[0]);
  });
  if (keptModels() !== null) void load().then((ui) => ui.showModels());
}
