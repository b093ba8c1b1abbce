// Starts compiling the core as soon as this small script arrives: an async classic script in the
// page's <head>, so the compile overlaps the HTML, the styles, the modules' download and the
// first layout instead of following them. web/engine.ts takes the compiled module from here; if
// the page's module asks first, it compiles the core itself and this script does nothing.
// It also shows the answer prerendered into index.html when that answer is this page's
// (prerendered.ts): its link names no settings and this browser keeps no catalog or model.
import { earlyCompiles } from '../../web/early-compile';
import { opensAsPrerendered, prerenderAttribute } from './prerendered';

const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return 'unreadable'; // storage we cannot read may hold a catalog: do not assume it is empty
  }
};
if (opensAsPrerendered(location.search, location.hash, stored)) document.documentElement.dataset[prerenderAttribute] = 'show';

const url = new URL('pertoken.wasm', document.baseURI).href;
const compiles = earlyCompiles();
if (!(url in compiles) && typeof WebAssembly.compileStreaming === 'function') {
  const compiled = WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
  compiled.catch(() => {}); // the core's own fetch reports what went wrong
  compiles[url] = compiled;
}
