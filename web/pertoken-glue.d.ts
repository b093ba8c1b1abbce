// Types for the Emscripten glue (build/wasm/web/pertoken.mjs), aliased as 'pertoken-glue' by the
// site's bundler (scripts/web_build.mjs).
declare module 'pertoken-glue' {
  interface CreateOptions {
    locateFile?: (path: string) => string;
    instantiateWasm?: (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => object;
  }
  export default function createPertoken(options?: CreateOptions): Promise<unknown>;
}
