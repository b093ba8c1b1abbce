// Types for the planner module's Emscripten glue (build/wasm/web/pertoken-plan.mjs), aliased as
// 'pertoken-plan-glue' by the site's bundler (scripts/web_build.mjs).
declare module 'pertoken-plan-glue' {
  interface CreateOptions {
    locateFile?: (path: string) => string;
    instantiateWasm?: (
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) => object;
  }
  export default function createPertokenPlan(options?: CreateOptions): Promise<unknown>;
}
