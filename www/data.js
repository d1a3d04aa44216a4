// The sample data (the 望京 catalog and the five sample users): the ONLY place in www/
// that imports it. Today's package ships it in its own module, pkg/sample/ (own wasm,
// own init); older builds exported it from the engine module — both are handled, so
// the page works with either build, and moving it again is a change to this file only.
import * as engine from '../pkg/goods_ranker.js';

/** @returns {Promise<{ sampleCatalog: Function, sampleUsers: Function }>} */
export async function loadSampleData() {
  if (typeof engine.sampleCatalog === 'function') return engine; // engine module already initialised
  const sample = await import('../pkg/sample/goods_ranker_sample.js');
  await sample.default();
  return sample;
}
