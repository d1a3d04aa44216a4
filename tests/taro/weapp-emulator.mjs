// A minimal WeChat mini-program logic layer in Node, enough to run a Taro `weapp`
// build's dist/ (not a test file itself). Code runs in its own V8 context with the
// ECMAScript built-ins, timers and what WeChat provides:
// - `require` over the files of dist/ (relative or absolute, no npm resolution: Taro's
//   webpack has bundled every dependency);
// - `WXWebAssembly.instantiate(path, imports)`, which like WeChat's accepts only the
//   absolute code-package path of a `.wasm` or `.wasm.br` file (brotli is decompressed
//   here); the standard `WebAssembly` object (and fetch, URL, TextEncoder/Decoder) are absent;
// - `wx` stubs: storage (kept in a Map that can outlive a "restart"), getLocation,
//   system/app/device info, stopPullDownRefresh;
// - `App`, `Page`, `Component`, `getApp`, `getCurrentPages`.
// A page instance keeps its `data` as WeChat's view layer would: Taro's setData keys are
// paths ('root.cn.[0].cn.[2].v'), applied to the tree; `texts()` reads its text nodes.
import vm from 'node:vm';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/** Globals a mini-program's logic layer does not offer (WeChat on iOS has no `WebAssembly`). */
const ABSENT = ['WebAssembly', 'fetch', 'XMLHttpRequest', 'importScripts', 'TextEncoder', 'TextDecoder', 'URL'];

export function createWeapp(distDir, options = {}) {
  const opts = { storage: new Map(), location: { latitude: 39.9871, longitude: 116.4712 }, ...options };
  const root = realpathSync(distDir);
  const instantiated = [];
  const context = vm.createContext({});
  const g = vm.runInContext('globalThis', context);
  const make = (value) => vm.runInContext('(v) => v', context)(value);

  for (const name of ABSENT) delete g[name];
  Object.assign(g, { console, setTimeout, clearTimeout, setInterval, clearInterval });

  function codePackageFile(path) {
    if (typeof path !== 'string' || !path.startsWith('/')) throw new Error(`WXWebAssembly.instantiate: not an absolute code-package path: ${path}`);
    if (!/\.wasm(\.br)?$/.test(path)) throw new Error(`WXWebAssembly.instantiate: only .wasm or .wasm.br files: ${path}`);
    const file = resolve(root, `.${path}`);
    if (relative(root, file).startsWith('..') || !existsSync(file) || !statSync(file).isFile()) {
      throw new Error(`WXWebAssembly.instantiate: no such file in the code package: ${path}`);
    }
    return file;
  }
  g.WXWebAssembly = make({
    instantiate(path, imports) {
      return new Promise((done, fail) => {
        try {
          let bytes = readFileSync(codePackageFile(path));
          if (path.endsWith('.br')) bytes = brotliDecompressSync(bytes);
          const module = new WebAssembly.Module(bytes);
          const instance = new WebAssembly.Instance(module, imports);
          instantiated.push(path);
          done(make({ module, instance }));
        } catch (e) {
          fail(e);
        }
      });
    },
  });

  const storage = opts.storage;
  const info = { SDKVersion: '3.8.0', version: '8.0.50', platform: 'android', language: 'zh_CN', system: 'Android 13', pixelRatio: 2, screenWidth: 375, screenHeight: 812, windowWidth: 375, windowHeight: 812, statusBarHeight: 20 };
  g.wx = make({
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync(key, value) {
      storage.set(key, value);
    },
    removeStorageSync(key) {
      storage.delete(key);
    },
    getLocation(o) {
      setTimeout(() => {
        if (opts.location) o.success?.({ ...opts.location, accuracy: 30, speed: -1, errMsg: 'getLocation:ok' });
        else o.fail?.({ errMsg: 'getLocation:fail auth deny' });
        o.complete?.();
      }, 1);
    },
    getSystemInfoSync: () => ({ ...info }),
    getAppBaseInfo: () => ({ ...info }),
    getDeviceInfo: () => ({ ...info }),
    getWindowInfo: () => ({ ...info }),
    stopPullDownRefresh() {},
    canIUse: () => true,
  });

  let app = null;
  let pageConfig = null;
  const pages = [];
  g.App = (config) => {
    app = { ...config };
  };
  g.getApp = () => app;
  g.Page = (config) => {
    pageConfig = config;
  };
  g.Component = () => {}; // Taro's recursive comp (comp.js): rendering is not emulated
  g.getCurrentPages = () => pages.slice();

  // CommonJS `require` over dist/, like the mini-program's.
  const cache = new Map();
  function load(file) {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const fn = vm.compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { parsingContext: context, filename: file });
    fn.call(module.exports, module.exports, makeRequire(dirname(file)), module, file, dirname(file));
    return module.exports;
  }
  function makeRequire(dir) {
    return (spec) => {
      if (!spec.startsWith('.') && !spec.startsWith('/')) throw new Error(`require: no npm module resolution in a mini-program: ${spec}`);
      let file = spec.startsWith('/') ? resolve(root, `.${spec}`) : resolve(dir, spec);
      if (!file.endsWith('.js')) file += '.js';
      if (!file.startsWith(root + sep) || !existsSync(file)) throw new Error(`require: not in the code package: ${spec}`);
      return load(file);
    };
  }

  return {
    instantiated,
    storage,
    /** Loads app.js (App + onLaunch), then the page at `route`, and runs its onLoad. */
    openPage(route, query = {}) {
      if (!app) {
        load(join(root, 'app.js'));
        if (!app) throw new Error('app.js did not call App()');
        app.onLaunch?.call(app, { path: route, query, scene: 1001 });
        app.onShow?.call(app, { path: route, query, scene: 1001 });
      }
      pageConfig = null;
      load(join(root, `${route}.js`));
      if (!pageConfig) throw new Error(`${route}.js did not call Page()`);
      const page = makePage(pageConfig, route);
      pages.push(page);
      page.onLoad(query);
      page.onShow?.();
      page.onReady?.();
      return page;
    },
    closePage(page) {
      page.onUnload?.();
      pages.splice(pages.indexOf(page), 1);
    },
  };
}

/** Splits a setData key ('root.cn.[0].v' or 'a[1].b') into object keys and array indexes. */
function pathKeys(path) {
  return [...path.matchAll(/\[(\d+)\]|[^.[\]]+/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[0]));
}

function makePage(config, route) {
  const page = Object.create(null);
  for (const [key, value] of Object.entries(config)) page[key] = typeof value === 'function' ? value.bind(page) : value;
  page.route = route;
  page.__route__ = route;
  page.data = structuredClone(config.data ?? {});
  page.setData = (patch, cb) => {
    for (const [path, value] of Object.entries(patch)) {
      const keys = pathKeys(path);
      let target = page.data;
      for (let i = 0; i < keys.length - 1; i++) {
        if (target[keys[i]] == null) target[keys[i]] = typeof keys[i + 1] === 'number' ? [] : {};
        target = target[keys[i]];
      }
      target[keys.at(-1)] = value === undefined ? undefined : JSON.parse(JSON.stringify(value)); // data crosses to the view layer as JSON
    }
    if (cb) setTimeout(cb, 0);
  };
  return page;
}

/** Every element node under `node` (depth first), with `texts` of its subtree. */
export function* elements(node) {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node.cn)) {
    yield node;
    for (const child of node.cn) yield* elements(child);
  }
}

/** The text of a node's subtree, text nodes (`v`) in order. */
export function textOf(node) {
  if (!node || typeof node !== 'object') return '';
  if (typeof node.v === 'string') return node.v;
  return Array.isArray(node.cn) ? node.cn.map(textOf).join('') : '';
}

/** Elements whose class list has `className`. */
export function byClass(root, className) {
  return [...elements(root)].filter((n) => typeof n.cl === 'string' && n.cl.split(/\s+/).includes(className));
}

/** A tap on an element, as WeChat passes it to Taro's `eh` handler (bindtap="eh" data-sid). */
export function tapEvent(node) {
  const target = { id: node.uid || node.sid, dataset: { sid: node.sid }, offsetLeft: 0, offsetTop: 0 };
  return { type: 'tap', timeStamp: Date.now(), target, currentTarget: target, detail: { x: 10, y: 10 }, touches: [], changedTouches: [] };
}

/** Resolves once `predicate()` is true, checking every 10 ms; rejects with `what` after `limitMs`. */
export async function until(predicate, what, limitMs = 20_000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
