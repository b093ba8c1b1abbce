// Starts compiling the core as soon as this small script arrives: an async classic script in the
// page's <head>, so the compile overlaps the HTML, the styles, the modules' download and the
// first layout instead of following them. web/engine.ts takes the compiled module from here; if
// the page's module asks first, it compiles the core itself and this script does nothing.
import { earlyCompiles } from '../../web/early-compile';

const url = new URL('pertoken.wasm', document.baseURI).href;
const compiles = earlyCompiles();
if (!(url in compiles) && typeof WebAssembly.compileStreaming === 'function') {
  const compiled = WebAssembly.compileStreaming(fetch(url, { credentials: 'same-origin' }));
  compiled.catch(() => {}); // the core's own fetch reports what went wrong
  compiles[url] = compiled;
}
