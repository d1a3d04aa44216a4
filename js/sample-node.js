// Node.js entry of goods-ranker/sample: the sample-data module, loaded synchronously.
import { readFileSync } from 'node:fs';
import { initSync } from './goods_ranker_sample.js';

initSync({ module: readFileSync(new URL('./goods_ranker_sample_bg.wasm', import.meta.url)) });

export * from './goods_ranker_sample.js';
export { default } from './goods_ranker_sample.js';
