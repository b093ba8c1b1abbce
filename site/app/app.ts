// /app/: pertoken-app compiled to WebAssembly (web/app_platform.cpp + native/app): Dear ImGui
// draws the calculator and the planner into a WebGL 2 canvas. Only this page loads it, so the
// calculator page's first view does not carry it. This script starts it and lends it the
// browser's file picker and downloads.
// @ts-expect-error: the Emscripten glue (build/wasm/web/pertoken-app.mjs) has no types.
import createPertokenApp from 'pertoken-app-glue';

interface AppModule {
  FS: { writeFile(path: string, data: Uint8Array): void };
  _pertoken_app_open(catalog: number): void;
}

const canvas = document.getElementById('canvas') as HTMLCanvasElement;
const status = document.getElementById('status') as HTMLElement;
canvas.addEventListener('contextmenu', (event) => event.preventDefault());
// The app's shortcuts that the browser would otherwise take (open, save, export, help); the app
// still receives the key. Ctrl+1/2, Ctrl+T and Ctrl+Q stay the browser's: use the menus.
window.addEventListener(
  'keydown',
  (event) => {
    if ((event.ctrlKey || event.metaKey) && ['o', 's', 'e', 'h'].includes(event.key.toLowerCase())) event.preventDefault();
  },
  true,
);
canvas.focus();

let app: AppModule | undefined;

// File > Open: the picked file goes into the app's in-memory file system at `path`; the app
// reads and checks it there (catalog: 1, a model config.json to import: 2, scenario: 0).
function pickFile(catalog: number, path: string): void {
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = '.json,application/json';
  input.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file || !app) return;
    app.FS.writeFile(path, new Uint8Array(await file.arrayBuffer()));
    app._pertoken_app_open(catalog);
    canvas.focus();
  });
  input.click();
}

// Save and export: a download, made in the browser (nothing is uploaded).
function saveFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: name.endsWith('.csv') ? 'text/csv' : 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

createPertokenApp({
  canvas,
  // The wasm file sits next to this script (app/pertoken-app.wasm), whatever the site's path.
  locateFile: (path: string) => new URL(path, import.meta.url).href,
  print: (text: string) => console.log(text),
  printErr: (text: string) => console.warn(text),
  pickFile,
  saveFile,
})
  .then((module: AppModule) => {
    app = module;
    status.classList.add('done');
    document.documentElement.dataset['ready'] = 'true';
  })
  .catch((error: unknown) => {
    status.textContent = `The app could not start: ${String(error)}. It needs WebGL 2.`;
  });
