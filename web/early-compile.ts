// Where a page's boot script leaves the compile of the core it started early (site/src/boot.ts):
// globalThis[earlyCompileKey][absolute .wasm URL] is that Promise<WebAssembly.Module>, then
// 'taken' once the core was made from it, or 'compiled by the core' when the core asked first and
// compiled itself. The embed's boot script is async: whichever runs first, the download is one.
export const earlyCompileKey = '__pertokenCompiles';

export type EarlyCompiles = Record<string, Promise<WebAssembly.Module> | 'taken' | 'compiled by the core'>;

export function earlyCompiles(): EarlyCompiles {
  const global = globalThis as unknown as Record<string, EarlyCompiles | undefined>;
  return (global[earlyCompileKey] ??= {});
}

// The early compile of `url` if the boot script started one; either way the URL is marked, so a
// boot script that runs later starts none.
export function takeEarlyCompile(url: URL): Promise<WebAssembly.Module> | undefined {
  const compiles = earlyCompiles();
  const slot = compiles[url.href];
  compiles[url.href] = slot === undefined ? 'compiled by the core' : 'taken';
  return typeof slot === 'object' ? slot : undefined;
}
