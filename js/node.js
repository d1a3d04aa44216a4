// Node.js entry of goods-ranker: loads the WebAssembly module from the package
// directory synchronously, so `import { Engine } from 'goods-ranker'` is ready to use.
import { readFileSync } from 'node:fs';
import { initSync } from './goods_ranker.js';

initSync({ module: readFileSync(new URL('./goods_ranker_bg.wasm', import.meta.url)) });

export * from './goods_ranker.js';
export { default } from './goods_ranker.js';
