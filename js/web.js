// Browser / bundler entry of goods-ranker: `await init()` fetches the SIMD build when
// the browser supports WebAssembly SIMD and the scalar build otherwise (Safari before
// 16.4, older mini-program webviews). Passing a module or URL to init() uses it as is.
//
// Each module's URL is written out as `new URL('./<file>.wasm', import.meta.url)` with
// a literal path: that is the form Vite, Rspack/Rsbuild, webpack 5, Parcel and esbuild
// follow to emit the file into a production build and rewrite the URL. A variable in
// its place is left alone by every bundler and 404s once bundled (tests/clients/ build
// real apps to keep it so).
import initGlue from './goods_ranker.js';
import { simdSupported } from './simd.js';

let loaded = null;
let wasmBuildLoaded = null;

/** Initialises the engine; call once (later calls return the same promise). */
export default function init(input) {
  if (input !== undefined) return initGlue(input);
  if (!loaded) {
    const build = simdSupported() ? 'simd' : 'scalar';
    const url =
      build === 'simd'
        ? new URL('./goods_ranker_simd_bg.wasm', import.meta.url)
        : new URL('./goods_ranker_bg.wasm', import.meta.url);
    loaded = initGlue({ module_or_path: url }).then((exports) => {
      wasmBuildLoaded = build;
      return exports;
    });
    loaded.catch(() => {
      loaded = null; // a failed load can be retried
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
