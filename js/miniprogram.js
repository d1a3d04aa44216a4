// Mini-program entry of goods-ranker (`goods-ranker/miniprogram`): the same API as the
// web entry (`init`, `Engine`, `Profile`), loaded with WeChat's `WXWebAssembly` or
// Douyin's `TTWebAssembly` from a file inside the code package (`.wasm` or `.wasm.br`).
// CommonJS, and it never touches TextEncoder/TextDecoder (a bundled UTF-8 codec is used),
// fetch, URL, import.meta or the standard `WebAssembly` object.
//
// After `npm i goods-ranker` and 构建 npm (WeChat DevTools: 工具 → 构建 npm), this folder
// is miniprogram_npm/goods-ranker/ in the code package:
//
//   const ranker = require('goods-ranker');
//   await ranker.init({
//     path: '/miniprogram_npm/goods-ranker/goods_ranker_bg.wasm.br',
//     simdPath: '/miniprogram_npm/goods-ranker/goods_ranker_simd_bg.wasm.br',
//   });
//   const engine = ranker.Engine.fromCatalog(catalog);
'use strict';

const bg = require('./goods_ranker_bg.js');

/** The wasm import module name the glue answers (wasm-bindgen bundler target). */
const GLUE_MODULE = './goods_ranker_bg.js';
/** WeChat supports wasm SIMD from client 8.0.25 (WXWebAssembly documentation). */
const WECHAT_SIMD_VERSION = [8, 0, 25];

let ready = null;
let loaded = null;

/** The host's wasm API: WXWebAssembly (WeChat), TTWebAssembly (Douyin), or none. */
function hostWasm() {
  if (typeof WXWebAssembly !== 'undefined') return { api: WXWebAssembly, host: 'wechat' };
  if (typeof TTWebAssembly !== 'undefined') return { api: TTWebAssembly, host: 'douyin' };
  return null;
}

function compareVersions(a, b) {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] || 0) - (b[i] || 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The client's version and platform, from the newest API the base library has. */
function clientInfo(host) {
  const api = host === 'wechat' ? (typeof wx === 'object' ? wx : null) : (typeof tt === 'object' ? tt : null);
  if (!api) return { version: '', platform: '' };
  try {
    const base = typeof api.getAppBaseInfo === 'function' ? api.getAppBaseInfo() : null;
    const device = typeof api.getDeviceInfo === 'function' ? api.getDeviceInfo() : null;
    const legacy = (!base || !device) && typeof api.getSystemInfoSync === 'function' ? api.getSystemInfoSync() : {};
    return {
      version: String((base && base.version) || legacy.version || ''),
      platform: String((device && device.platform) || legacy.platform || ''),
    };
  } catch (e) {
    return { version: '', platform: '' };
  }
}

/**
 * Whether to try the SIMD module: WeChat ≥ 8.0.25 (WXWebAssembly has no `validate`, so
 * the client version decides). Douyin documents no SIMD support: never. A SIMD module
 * that fails to instantiate anyway falls back to the scalar one.
 */
function supportsSimd(host) {
  if (host !== 'wechat') return false;
  const { version } = clientInfo(host);
  const parts = version.split('.').map(Number);
  if (parts.length < 2 || parts.some((n) => !Number.isFinite(n))) return false;
  return compareVersions(parts, WECHAT_SIMD_VERSION) >= 0;
}

function instantiate(api, path) {
  const imports = {};
  imports[GLUE_MODULE] = bg;
  return Promise.resolve(api.instantiate(path, imports)).then((result) => {
    const instance = result && result.instance ? result.instance : result;
    if (!instance || !instance.exports || !instance.exports.memory) throw new Error(`goods-ranker: ${path} did not instantiate to a wasm instance`);
    return instance.exports;
  });
}

/**
 * Loads the engine module once; later calls return the same promise. `options`:
 * - `path` (required): absolute code-package path of `goods_ranker_bg.wasm.br` (or `.wasm`);
 * - `simdPath`: the SIMD module's path; used on clients that support SIMD, with
 *   `path` as the fallback;
 * - `wasm`: the wasm API object to use instead of WXWebAssembly / TTWebAssembly
 *   (e.g. another platform's equivalent with the same `instantiate(path, imports)`).
 * A string is taken as `{ path }`. Resolves to the module's exports (like the web `init`).
 */
function init(options) {
  if (ready) return ready;
  const opts = typeof options === 'string' ? { path: options } : options || {};
  if (typeof opts.path !== 'string' || opts.path === '') {
    return Promise.reject(new TypeError('goods-ranker: init({ path }) needs the code-package path of goods_ranker_bg.wasm.br'));
  }
  const found = opts.wasm ? { api: opts.wasm, host: 'custom' } : hostWasm();
  if (!found) {
    return Promise.reject(new Error('goods-ranker: no WXWebAssembly/TTWebAssembly here (WeChat base library ≥ 2.13.0, Douyin ≥ 2.34.0.0); pass { wasm } or use the web/Node entry'));
  }
  const useSimd = typeof opts.simdPath === 'string' && opts.simdPath !== '' && supportsSimd(found.host);
  const first = useSimd
    ? instantiate(found.api, opts.simdPath).then(
        (exports) => ({ exports, simd: true }),
        () => instantiate(found.api, opts.path).then((exports) => ({ exports, simd: false })),
      )
    : instantiate(found.api, opts.path).then((exports) => ({ exports, simd: false }));
  ready = first.then(
    (result) => {
      bg.__wbg_set_wasm(result.exports);
      if (typeof result.exports.__wbindgen_start === 'function') result.exports.__wbindgen_start();
      loaded = result;
      return result.exports;
    },
    (error) => {
      ready = null; // allow a retry (e.g. after fixing the path)
      throw error;
    },
  );
  return ready;
}

/** Which module was loaded: `{ simd }`, or null before `init` resolves. */
function loadedModule() {
  return loaded ? { simd: loaded.simd } : null;
}

Object.defineProperty(exports, '__esModule', { value: true }); // `import init from` under Babel/devtools ES→CJS
exports.default = init;
exports.init = init;
exports.loadedModule = loadedModule;
exports.supportsSimd = supportsSimd;
exports.Engine = bg.Engine;
exports.Profile = bg.Profile;
