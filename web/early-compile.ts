// Where a page's boot script leaves the compile of the core it started early (site/src/boot.ts):
// globalThis[earlyCompileKey][absolute .wasm URL] is that Promise<WebAssembly.Module>, or 'taken'
// once the core was made. The boot script is async: whichever runs first, the download is one.
export const earlyCompileKey = '__pertokenCompiles';

export type EarlyCompiles = Record<string, Promise<WebAssembly.Module> | 'taken'>;

export function earlyCompiles(): EarlyCompiles {
  const global = globalThis as unknown as Record<string, EarlyCompiles | undefined>;
  return (global[earlyCompileKey] ??= {});
}

// The early compile of `url` if the boot script started one; either way the URL is marked taken,
// so a boot script that runs later starts none.
export function takeEarlyCompile(url: URL): Promise<WebAssembly.Module> | undefined {
  const compiles = earlyCompiles();
  const slot = compiles[url.href];
  compiles[url.href] = 'taken';
  return slot === 'taken' ? undefined : slot;
}
