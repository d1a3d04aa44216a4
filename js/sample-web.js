// Browser / bundler entry of goods-ranker/sample (the sample-data module): `await init()`
// fetches goods_ranker_sample_bg.wasm from a literal `new URL('./…', import.meta.url)`,
// the form every major bundler follows into a production build.
import initGlue from './goods_ranker_sample.js';

let loaded = null;

/** Initialises the sample module; call once (later calls return the same promise). */
export default function init(input) {
  if (input !== undefined) return initGlue(input);
  if (!loaded) {
    loaded = initGlue({ module_or_path: new URL('./goods_ranker_sample_bg.wasm', import.meta.url) });
    loaded.catch(() => {
      loaded = null; // a failed load can be retried
    });
  }
  return loaded;
}

export * from './goods_ranker_sample.js';
