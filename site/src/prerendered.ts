// The answer prerendered into index.html (scripts/web_prerender.mjs runs the built page in
// Chromium and keeps the answer bar its core computed for the bare URL). It is the answer only for
// a page opened with no settings in its link and no catalog or imported model kept in this
// browser: the boot script (boot.ts) shows it then, and the page's own answer replaces it as soon
// as the core has run. No DOM here beyond the one attribute the boot script sets.
import { linkSettings } from './state';

// The localStorage keys whose contents change what the calculator answers.
export const catalogStorageKey = 'pertoken.catalog';
export const modelsStorageKey = 'pertoken.models';

// <html data-prerender="show">: the style sheet shows the prerendered answer bar only then.
export const prerenderAttribute = 'prerender';

export function opensAsPrerendered(search: string, hash: string, stored: (key: string) => string | null): boolean {
  return linkSettings(search, hash) === '' && stored(catalogStorageKey) === null && stored(modelsStorageKey) === null;
}
