// Bundles the web site into site/dist: the pages, their TypeScript (esbuild, one ES module per
// page with shared chunks), the CSS and the WebAssembly core built by the `wasm` CMake preset.
// Every URL in the output is relative, so the folder works from a domain root or any sub-path.
// Usage: node scripts/web_build.mjs [--wasm-dir DIR] [--out DIR]
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? resolve(args[i + 1]) : fallback;
};
const wasmDir = option('--wasm-dir', join(root, 'build/wasm/web'));
const out = option('--out', join(root, 'site/dist'));

for (const file of ['pertoken.mjs', 'pertoken.wasm', 'pertoken-plan.mjs', 'pertoken-plan.wasm']) {
  if (!existsSync(join(wasmDir, file))) {
    console.error(`web_build: ${join(wasmDir, file)} is missing; run scripts/web_build.sh (it builds the wasm preset first)`);
    process.exit(2);
  }
}

// esbuild with the options every bundle of the site shares.
const bundle = (options) =>
  build({ absWorkingDir: root, bundle: true, minify: !process.env.NOMINIFY, target: ['es2022', 'chrome110', 'firefox115', 'safari16'], legalComments: 'none', logLevel: 'warning', ...options });

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const started = performance.now();
const built = await bundle({
  entryPoints: {
    main: 'site/src/main.ts',
    embed: 'site/src/embed.ts',
    site: 'site/src/site.css',
    'embed-style': 'site/src/embed.css',
  },
  outdir: join(out, 'assets'),
  splitting: true,
  format: 'esm',
  chunkNames: 'chunk-[hash]',
  // The planner's glue too: the calculator imports a config.json through the planner's module,
  // in a chunk loaded on demand (site/src/model-import.ts).
  alias: { 'pertoken-glue': join(wasmDir, 'pertoken.mjs'), 'pertoken-plan-glue': join(wasmDir, 'pertoken-plan.mjs') },
  metafile: true,
});

// The boot script: the first script in the calculator pages' <head>; it shows the prerendered
// answer and starts compiling the core (site/src/boot.ts).
await bundle({
  entryPoints: { boot: 'site/src/boot.ts' },
  outdir: join(out, 'assets'),
  format: 'iife',
});

// The planner page (plan.html) and the methodology page, which both load the planner's module,
// are bundled on their own, without shared chunks: the calculator's chunks, and so its first
// view, are exactly what they are without them.
await bundle({
  entryPoints: {
    plan: 'site/src/plan.ts',
    'plan-style': 'site/src/plan.css',
    methodology: 'site/src/methodology.ts',
  },
  outdir: join(out, 'assets'),
  format: 'esm',
  alias: { 'pertoken-plan-glue': join(wasmDir, 'pertoken-plan.mjs') },
});

// Each page also names the shared chunks its module imports (<link rel="modulepreload">), so the
// browser fetches them with the module instead of after parsing it: the first answer comes a
// round trip sooner.
const chunksOf = (entry) => {
  const output = Object.entries(built.metafile.outputs).find(([, o]) => o.entryPoint === entry);
  return output ? output[1].imports.filter((i) => i.kind === 'import-statement').map((i) => i.path.split('/').pop()) : [];
};
const pageEntries = { 'index.html': 'site/src/main.ts', 'embed.html': 'site/src/embed.ts', 'methodology.html': 'site/src/methodology.ts' };
for (const page of ['index.html', 'embed.html', 'methodology.html', 'plan.html', 'favicon.svg']) {
  const entry = pageEntries[page];
  if (!entry) {
    copyFileSync(join(root, 'site', page), join(out, page));
    continue;
  }
  const chunks = chunksOf(entry);
  const links = chunks.map((chunk) => `<link rel="modulepreload" href="./assets/${chunk}">`).join('\n  ');
  // The pages' comments and indentation are for whoever edits them; every byte of index.html is in
  // the first view (the indentation alone is ~80 B gzipped). A line break stays, so the browser
  // sees the same whitespace, except in preformatted text, which no page may hold for that reason.
  const source = readFileSync(join(root, 'site', page), 'utf8');
  if (/<pre[\s>]|<textarea[^>]*>[^<]/.test(source)) throw new Error(`${page}: preformatted text would lose its indentation`);
  const html = source.replace(/\n *<!--[\s\S]*?-->/g, '').replace(/\n[ \t]+/g, '\n');
  const script = html.match(/ *<script type="module"[^>]*><\/script>/);
  // A page whose boot script loads its module (data-module) gets the chunk list on that tag: the
  // boot script preloads them when it imports the module, after the first paint.
  const boot = html.match(/<script src="\.\/assets\/boot\.js" data-module="[^"]*"/);
  if (boot) writeFileSync(join(out, page), html.replace(boot[0], `${boot[0]} data-chunks="${chunks.join(' ')}"`));
  else writeFileSync(join(out, page), script && links ? html.replace(script[0], `  ${links}\n${script[0]}`) : html);
}
copyFileSync(join(wasmDir, 'pertoken.wasm'), join(out, 'pertoken.wasm'));
copyFileSync(join(wasmDir, 'pertoken-plan.wasm'), join(out, 'pertoken-plan.wasm'));
// The price catalog: the calculator fetches it after its first answer (its comparison's lens).
// It needs only the device-hour prices (cloud, owned, operating) with their sources and dates: the
// API and grid rows and the prose notes stay in assets/catalog/prices.json (and in catalog/).
const prices = JSON.parse(readFileSync(join(root, 'assets/catalog/prices.json'), 'utf8'));
delete prices.apis;
delete prices.grid;
const withoutNotes = (node) =>
  Array.isArray(node)
    ? node.map(withoutNotes)
    : node && typeof node === 'object'
      ? Object.fromEntries(Object.entries(node).filter(([key]) => key !== 'note' && key !== 'notes').map(([key, value]) => [key, withoutNotes(value)]))
      : node;
writeFileSync(join(out, 'prices.json'), JSON.stringify(withoutNotes(prices)));
// The catalog files as shipped, notes included: the page's wasm leaves the figures' notes out of
// its download and links here for them.
mkdirSync(join(out, 'catalog'), { recursive: true });
for (const file of ['gpus.json', 'models.json', 'prices.json']) copyFileSync(join(root, 'assets/catalog', file), join(out, 'catalog', file));
// The published measurements the methodology page validates (its module takes their texts; the
// core's measurement_set_files names them), in calibration/ as the catalog's files are in catalog/.
mkdirSync(join(out, 'calibration'), { recursive: true });
for (const file of readdirSync(join(root, 'assets/calibration')).filter((f) => f.endsWith('.csv'))) {
  copyFileSync(join(root, 'assets/calibration', file), join(out, 'calibration', file));
}

// pertoken-app in the browser (/app/, web/app_platform.cpp): its own page, script and wasm, built
// when the wasm preset built the app (it needs Dear ImGui's sources, fetched at setup).
if (existsSync(join(wasmDir, 'pertoken-app.mjs'))) {
  await bundle({
    entryPoints: { app: 'site/app/app.ts' },
    outdir: join(out, 'app'),
    format: 'esm',
    alias: { 'pertoken-app-glue': join(wasmDir, 'pertoken-app.mjs') },
  });
  for (const file of ['index.html', 'app.css']) copyFileSync(join(root, 'site/app', file), join(out, 'app', file));
  copyFileSync(join(wasmDir, 'pertoken-app.wasm'), join(out, 'app', 'pertoken-app.wasm'));
}

const list = (dir, prefix = '') =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? list(path, `${prefix}${name}/`) : [[`${prefix}${name}`, statSync(path).size]];
  });
const files = list(out);
const total = files.reduce((sum, [, size]) => sum + size, 0);
console.log(`web_build: ${files.length} files, ${(total / 1024).toFixed(0)} KiB in ${out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
