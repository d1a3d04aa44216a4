// Types of the mini-program entry (`goods-ranker/miniprogram`): the engine API of the
// web entry, initialised from a code-package path.
export { Engine, Profile } from '../goods_ranker.js';
export type * from '../goods_ranker.js';

/** What `instantiate` needs from WXWebAssembly / TTWebAssembly (or another host's equivalent). */
export interface MiniProgramWasmApi {
  instantiate(path: string, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: Record<string, unknown> } } | { exports: Record<string, unknown> }>;
}

export interface MiniProgramInitOptions {
  /** Absolute code-package path of the module: after 构建 npm, '/miniprogram_npm/goods-ranker/goods_ranker_bg.wasm.br'. */
  path: string;
  /** Path of the SIMD module ('/miniprogram_npm/goods-ranker/goods_ranker_simd_bg.wasm.br'); tried on clients that support SIMD (WeChat ≥ 8.0.25), `path` is the fallback. */
  simdPath?: string;
  /** The wasm API to use instead of the global WXWebAssembly / TTWebAssembly. */
  wasm?: MiniProgramWasmApi;
}

/** Loads the module once (later calls return the same promise); resolves to its exports. */
export function init(options: MiniProgramInitOptions | string): Promise<Record<string, unknown>>;
export default init;
/** Which module `init` loaded, or null before it resolved. */
export function loadedModule(): { simd: boolean } | null;
/** Whether this client would be given the SIMD module ('wechat' ≥ 8.0.25). */
export function supportsSimd(host: 'wechat' | 'douyin' | 'custom'): boolean;
