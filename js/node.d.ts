export * from './goods_ranker.js';
export { default } from './goods_ranker.js';
/** Which build this process loaded. */
export declare const wasmBuild: 'simd' | 'scalar';
/** Whether this runtime runs WebAssembly SIMD. */
export declare function simdSupported(): boolean;
