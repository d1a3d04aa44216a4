export * from './goods_ranker_sample.js';
import type { InitInput, InitOutput } from './goods_ranker_sample.js';
/**
 * Initialises the sample-data module. Without an argument it fetches
 * goods_ranker_sample_bg.wasm next to this file; with one it is the generated `init`
 * (a module, bytes or URL).
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;
