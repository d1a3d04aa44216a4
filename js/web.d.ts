export * from './goods_ranker.js';
import type { InitInput, InitOutput } from './goods_ranker.js';
/**
 * Initialises the engine. Without an argument it fetches the SIMD build where the
 * browser supports WebAssembly SIMD, else the scalar build; with one it is the
 * generated `init` (a module, bytes or URL).
 */
export default function init(
  input?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;
/** Which build `init()` loaded, or null before it resolves. */
export declare function wasmBuild(): 'simd' | 'scalar' | null;
/** Whether this runtime runs WebAssembly SIMD. */
export declare function simdSupported(): boolean;
