// Node.js entry of goods-ranker: loads the WebAssembly module from the package
// directory synchronously — the SIMD build when the runtime supports it, else the
// scalar one (GOODS_RANKER_WASM=scalar|simd forces a choice) — so
// `import { Engine } from 'goods-ranker'` is ready to use.
import { readFileSync } from 'node:fs';
import { initSync } from './goods_ranker.js';
import { simdSupported } from './simd.js';

const forced = process.env.GOODS_RANKER_WASM;
if (forced !== undefined && forced !== 'simd' && forced !== 'scalar') {
  throw new Error(`GOODS_RANKER_WASM must be "simd" or "scalar", got "${forced}"`);
}
const build = forced ?? (simdSupported() ? 'simd' : 'scalar');
// Literal URLs (not a variable), so server bundlers that follow
// `new URL('./x.wasm', import.meta.url)` keep both files next to the bundle.
const url =
  build === 'simd'
    ? new URL('./goods_ranker_simd_bg.wasm', import.meta.url)
    : new URL('./goods_ranker_bg.wasm', import.meta.url);
initSync({ module: readFileSync(url) });

/** Which build this process loaded. */
export const wasmBuild = build;
export { simdSupported };
export * from './goods_ranker.js';
export { default } from './goods_ranker.js';
