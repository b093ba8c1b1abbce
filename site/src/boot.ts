// The first script of the calculator pages' <head>. It shows the answer prerendered into
// index.html when that answer is this page's (prerendered.ts): its link names no settings and
// this browser keeps no catalog or model. It runs before the body is parsed, so the answer is in
// the page's first paint, and it is small (~1 KB gzipped) because the parser waits for it.
// It starts compiling the core, so the compile overlaps the page's own module loading; web/engine.ts
// takes the compiled module from here. On the calculator it also loads the page's module
// (data-module on this script's tag); where the prerendered answer shows, it waits for that
// answer's first paint, and places the page below the answer bar then (page-body.ts), so that
// paint has only the header and the answer to lay out (scripts/web_budget.mjs prints the page's
// floor: its HTML with no scripts at all).
// The embed loads its own module (an async boot script there: it has no prerendered answer).
import { earlyCompiles } from '../../web/early-compile';
import { placePageBody, parsed } from './page-body';
import { opensAsPrerendered, prerenderAttribute } from './prerendered';

const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return 'unreadable'; // storage we cannot read may hold a catalog: do not assume it is empty
  }
};
if (opensAsPrerendered(location.search, location.hash, stored)) document.documentElement.dataset[prerenderAttribute] = 'show';

const tag = document.currentScript instanceof HTMLScriptElement ? document.currentScript : null;

function compileCore(): void {
  const url = new URL('pertoken.wasm', document.baseURI).href;
  const compiles = earlyCompiles();
  if (!(url in compiles) && typeof WebAssembly.compileStreaming === 'function') {
    const compiled = WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
    compiled.catch(() => {}); // the core's own fetch reports what went wrong
    compiles[url] = compiled;
  }
}

// The page's module and the chunks it imports (data-chunks, written by scripts/web_build.mjs),
// fetched together rather than one round trip after another.
function loadModule(script: HTMLScriptElement, module: string): void {
  for (const chunk of (script.dataset.chunks ?? '').split(' ').filter(Boolean)) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = new URL(chunk, script.src).href;
    document.head.append(link);
  }
  import(new URL(module, document.baseURI).href).catch((error: unknown) => {
    // No calculator behind the prerendered answer: it goes, and the page says why.
    delete document.documentElement.dataset[prerenderAttribute];
    const loading = document.getElementById('loading');
    if (loading === null) return;
    loading.textContent = `The calculator could not start: its script did not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`;
    loading.classList.add('failed');
    loading.hidden = false;
  });
}

const module = tag?.dataset.module;
if (tag === null || module === undefined) {
  compileCore();
} else {
  // The rest of the page (a no-op before the HTML is parsed: main.ts places it then), the core
  // and the page's module, once.
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    placePageBody();
    compileCore();
    loadModule(tag, module);
  };
  if (document.documentElement.dataset[prerenderAttribute] !== 'show') {
    start(); // no answer to show yet: the page's module computes it, so it loads now
  } else {
    // The prerendered answer is painted first: start once the HTML is parsed and the next frame
    // drawn (a timer too: a page opened in a background tab draws none).
    void parsed().then(() => {
      requestAnimationFrame(() => setTimeout(start, 0));
      setTimeout(start, 250);
    });
  }
}
