// Types of `goods-ranker/miniprogram/testing` (Node only): a WXWebAssembly stand-in and
// WeChat's npm resolution, for unit tests of mini-program pages (miniprogram-simulate).
import type { MiniProgramWasmApi } from '../miniprogram/index.js';

export interface TestWasmApi extends MiniProgramWasmApi {
  /** Code-package paths instantiated so far, in order. */
  readonly instantiated: string[];
  readonly Memory: typeof WebAssembly.Memory;
  readonly Table: typeof WebAssembly.Table;
  readonly Global: typeof WebAssembly.Global;
  readonly RuntimeError: typeof WebAssembly.RuntimeError;
}

export interface InstallOptions {
  /** The mini-program root (the folder with app.json and, after 构建 npm, miniprogram_npm/). */
  root: string;
  /** Where to set the API; default globalThis. */
  global?: object;
  /** The global's name; default 'WXWebAssembly' ('TTWebAssembly' for Douyin). */
  name?: 'WXWebAssembly' | 'TTWebAssembly';
  /** Resolve `require('pkg')` from files under root to miniprogram_npm/ as WeChat does; default true. */
  npm?: boolean;
}

export interface Installed {
  WXWebAssembly: TestWasmApi;
  /** Same array as `WXWebAssembly.instantiated`. */
  instantiated: string[];
  /** Removes the global and the require hook. */
  restore(): void;
}

/** Installs the WXWebAssembly stand-in (and WeChat's npm resolution) for a mini-program root. */
export function install(options: InstallOptions | string): Installed;
/** A WXWebAssembly stand-in reading code-package paths under `root` (.wasm.br is decompressed). */
export function createWXWebAssembly(root: string): TestWasmApi;
/** The file WeChat's `require(specifier)` from `fromFile` loads from miniprogram_npm/, or null. */
export function resolveMiniprogramNpm(root: string, specifier: string, fromFile: string): string | null;
