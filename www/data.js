// The sample data (the 望京 catalog and the five sample users) — the ONLY place in www/
// that imports it, so where the package ships it is a change to this file alone. It
// lives in its own module, goods-ranker/sample (own wasm, own init), so the engine
// module carries no sample tables.
import initSample, { sampleCatalog, sampleUsers } from '../pkg/sample/goods_ranker_sample.js';

/** @returns {Promise<{ sampleCatalog: typeof sampleCatalog, sampleUsers: typeof sampleUsers }>} */
export async function loadSampleData() {
  await initSample();
  return { sampleCatalog, sampleUsers };
}
