// Bundles the web site into site/dist: the pages, their TypeScript (esbuild, one ES module per
// page with shared chunks), the CSS and the WebAssembly core built by the `wasm` CMake preset.
// Every URL in the output is relative, so the folder works from a domain root or any sub-path.
// Usage: node scripts/web_build.mjs [--wasm-dir DIR] [--out DIR]
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
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

for (const file of ['pertoken.mjs', 'pertoken.wasm']) {
  if (!existsSync(join(wasmDir, file))) {
    console.error(`web_build: ${join(wasmDir, file)} is missing; run scripts/web_build.sh (it builds the wasm preset first)`);
    process.exit(2);
  }
}

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });

const started = performance.now();
await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'site/src/main.ts',
    embed: 'site/src/embed.ts',
    methodology: 'site/src/methodology.ts',
    site: 'site/src/site.css',
    'embed-style': 'site/src/embed.css',
  },
  outdir: join(out, 'assets'),
  bundle: true,
  splitting: true,
  format: 'esm',
  chunkNames: 'chunk-[hash]',
  minify: process.env.NOMINIFY ? false : true,
  target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
  alias: { 'pertoken-glue': join(wasmDir, 'pertoken.mjs') },
  legalComments: 'none',
  logLevel: 'warning',
});

for (const page of ['index.html', 'embed.html', 'methodology.html', 'favicon.svg']) {
  copyFileSync(join(root, 'site', page), join(out, page));
}
copyFileSync(join(wasmDir, 'pertoken.wasm'), join(out, 'pertoken.wasm'));

const list = (dir, prefix = '') =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? list(path, `${prefix}${name}/`) : [[`${prefix}${name}`, statSync(path).size]];
  });
const files = list(out);
const total = files.reduce((sum, [, size]) => sum + size, 0);
console.log(`web_build: ${files.length} files, ${(total / 1024).toFixed(0)} KiB in ${out} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
