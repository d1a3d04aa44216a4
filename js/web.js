// Browser / bundler entry of goods-ranker: `await init()` fetches the SIMD build when
// the browser supports WebAssembly SIMD and the scalar build otherwise (Safari before
// 16.4, older mini-program webviews). Passing a module or URL to init() uses it as is.
import initGlue from './goods_ranker.js';
import { simdSupported } from './simd.js';

let loaded = null;
let wasmBuildLoaded = null;

/** Initialises the engine; call once (later calls return the same promise). */
export default function init(input) {
  if (input !== undefined) return initGlue(input);
  if (!loaded) {
    const build = simdSupported() ? 'simd' : 'scalar';
    const file = build === 'simd' ? './goods_ranker_simd_bg.wasm' : './goods_ranker_bg.wasm';
    loaded = initGlue({ module_or_path: new URL(file, import.meta.url) }).then((exports) => {
      wasmBuildLoaded = build;
      return exports;
    });
  }
  return loaded;
}

/** Which build `init()` loaded, or null before it resolves. */
export function wasmBuild() {
  return wasmBuildLoaded;
}

export { simdSupported };
export * from './goods_ranker.js';
