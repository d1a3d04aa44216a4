// An emulated mini-program runtime in Node (not a test file itself). Code runs in its
// own V8 context that has the ECMAScript built-ins only, like a mini-program's logic
// layer: no TextEncoder/TextDecoder, fetch, URL, Request, WebAssembly, process or
// Buffer — touching one (even `typeof`) is recorded and throws. It provides:
// - `require` over the files of one package directory (no node_modules, no escape),
//   npm packages resolved from miniprogram_npm/ as WeChat does;
// - `WXWebAssembly` / `TTWebAssembly` whose `instantiate(path, imports)` accepts only
//   an absolute path of a `.wasm` or `.wasm.br` file inside the package (like WeChat),
//   and on iOS refuses modules that export a Global;
// - `wx` / `tt` stubs: getLocation, storage (with WeChat's 1 MB per key limit),
//   getAppBaseInfo / getDeviceInfo / getSystemInfoSync;
// - `App`, `Page`, `getApp`, and `openPage` to drive a page's lifecycle.
import vm from 'node:vm';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';

/** Globals a mini-program does not have (or the adapter must not use). */
export const FORBIDDEN = ['TextEncoder', 'TextDecoder', 'fetch', 'URL', 'URLSearchParams', 'Request', 'Response', 'XMLHttpRequest', 'WebAssembly', 'importScripts', 'process', 'Buffer', 'window', 'self', 'document', 'location'];

const ONE_MB = 1024 * 1024;

/**
 * Creates a runtime over `root` (the mini-program's directory).
 * options: host 'wechat' | 'douyin'; version (client version, e.g. '8.0.30'); platform
 * ('ios' | 'android' | 'devtools'); location ({ latitude, longitude } or null = denied);
 * storage (a Map to share between runs, i.e. a persisted phone); failPaths (paths whose
 * instantiate rejects, e.g. a SIMD module on a client without SIMD).
 */
export function createRuntime(root, options = {}) {
  const opts = { host: 'wechat', version: '8.0.50', platform: 'android', location: { latitude: 39.9871, longitude: 116.4712 }, storage: new Map(), failPaths: [], ...options };
  const pkgRoot = realpathSync(root);
  const touched = [];
  const instantiated = [];
  const locationCalls = [];
  const context = vm.createContext({});
  const g = vm.runInContext('globalThis', context);

  for (const name of FORBIDDEN) {
    delete g[name];
    Object.defineProperty(g, name, {
      configurable: true,
      get() {
        touched.push(name);
        throw new ReferenceError(`${name} is not defined (emulated mini-program runtime)`);
      },
    });
  }

  // Host objects are created inside the context so their prototypes are the context's.
  const make = (value) => vm.runInContext('(v) => v', context)(value);
  g.console = console;
  g.setTimeout = setTimeout;
  g.clearTimeout = clearTimeout;

  function packagePath(path) {
    if (typeof path !== 'string') throw new TypeError(`instantiate: the first argument must be a code-package path string, got ${Object.prototype.toString.call(path)}`);
    if (!path.startsWith('/')) throw new Error(`instantiate: not an absolute code-package path: ${path}`);
    if (/^\/\/|^[a-z]+:/i.test(path.slice(1)) || path.includes('://')) throw new Error(`instantiate: not support wxfile: or http: path: ${path}`);
    if (!/\.wasm(\.br)?$/.test(path)) throw new Error(`instantiate: only .wasm or .wasm.br files: ${path}`);
    const file = resolve(pkgRoot, `.${path}`);
    if (relative(pkgRoot, file).startsWith('..') || !existsSync(file) || !statSync(file).isFile()) throw new Error(`instantiate: no such file in the code package: ${path}`);
    return file;
  }

  const wasmApi = {
    instantiate(path, imports) {
      return new Promise((resolvePromise, reject) => {
        try {
          const file = packagePath(path);
          if (opts.failPaths.includes(path)) throw new Error(`instantiate: CompileError (emulated) for ${path}`);
          let bytes = readFileSync(file);
          if (path.endsWith('.br')) bytes = brotliDecompressSync(bytes);
          const module = new WebAssembly.Module(bytes);
          if (opts.platform === 'ios' && WebAssembly.Module.exports(module).some((e) => e.kind === 'global')) {
            throw new Error('instantiate: exporting a Global is not supported on iOS');
          }
          const instance = new WebAssembly.Instance(module, imports);
          instantiated.push(path);
          resolvePromise(make({ module, instance }));
        } catch (e) {
          reject(e);
        }
      });
    },
    Memory: WebAssembly.Memory,
    Table: WebAssembly.Table,
    Global: WebAssembly.Global,
  };

  const storage = opts.storage;
  const api = {
    getLocation(o) {
      locationCalls.push({ type: o.type });
      setTimeout(() => {
        if (opts.location) o.success?.({ ...opts.location, accuracy: 30, speed: -1 });
        else o.fail?.({ errMsg: 'getLocation:fail auth deny' });
        o.complete?.();
      }, 1);
    },
    getStorageSync(key) {
      return storage.has(key) ? storage.get(key) : '';
    },
    setStorageSync(key, value) {
      if (typeof value === 'string' && value.length > ONE_MB) throw new Error('setStorageSync:fail exceed max size 1MB');
      storage.set(key, value);
    },
    removeStorageSync(key) {
      storage.delete(key);
    },
    getAppBaseInfo: () => ({ SDKVersion: '3.0.0', version: opts.version, language: 'zh_CN' }),
    getDeviceInfo: () => ({ platform: opts.platform, system: opts.platform === 'ios' ? 'iOS 16.0' : 'Android 13' }),
    getSystemInfoSync: () => ({ SDKVersion: '3.0.0', version: opts.version, platform: opts.platform }),
    stopPullDownRefresh() {},
    showToast() {},
  };
  if (opts.host === 'wechat') {
    g.wx = make(api);
    g.WXWebAssembly = make(wasmApi);
  } else {
    g.tt = make(api);
    g.TTWebAssembly = make(wasmApi);
  }

  let app = null;
  let pageConfig = null;
  g.App = (config) => {
    app = config;
  };
  g.getApp = () => app;
  g.Page = (config) => {
    pageConfig = config;
  };

  // CommonJS `require` over the package's files, like the mini-program's.
  const cache = new Map();
  function load(file) {
    if (cache.has(file)) return cache.get(file).exports;
    const module = { exports: {} };
    cache.set(file, module);
    const fn = vm.compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { parsingContext: context, filename: file });
    fn.call(module.exports, module.exports, makeRequire(dirname(file)), module, file, dirname(file));
    return module.exports;
  }
  // npm packages, as WeChat resolves them: from the nearest miniprogram_npm/ (what
  // 构建 npm makes) between the requiring file's folder and the package root,
  // `<name>.js` or `<name>/index.js`; never node_modules.
  function npmFile(dir, spec) {
    for (let d = dir; d === pkgRoot || d.startsWith(pkgRoot + sep); d = dirname(d)) {
      const npm = join(d, 'miniprogram_npm');
      for (const file of [join(npm, spec), join(npm, `${spec}.js`), join(npm, spec, 'index.js')]) {
        if (file.endsWith('.js') && existsSync(file) && statSync(file).isFile()) return file;
      }
      if (d === pkgRoot) break;
    }
    throw new Error(`require: module '${spec}' not found in miniprogram_npm/ (no 构建 npm?)`);
  }
  function makeRequire(dir) {
    return (spec) => {
      if (!spec.startsWith('.') && !spec.startsWith('/')) return load(npmFile(dir, spec));
      let file = spec.startsWith('/') ? resolve(pkgRoot, `.${spec}`) : resolve(dir, spec);
      if (!file.endsWith('.js')) file += '.js';
      if (!(file === pkgRoot || file.startsWith(pkgRoot + sep)) || !existsSync(file)) throw new Error(`require: module not found in the package: ${spec}`);
      return load(file);
    };
  }

  return {
    context,
    global: g,
    /** Forbidden globals touched so far. */
    touched,
    /** Paths WXWebAssembly/TTWebAssembly instantiated. */
    instantiated,
    locationCalls,
    storage,
    require: makeRequire(pkgRoot),
    /** Evaluates a script in the runtime. */
    run: (code) => vm.runInContext(code, context),
    /** Loads app.js and a page, runs its onLoad and waits for what it returns. */
    async openPage(route, query = {}) {
      if (!app && existsSync(join(pkgRoot, 'app.js'))) load(join(pkgRoot, 'app.js'));
      pageConfig = null;
      const file = join(pkgRoot, `${route}.js`);
      cache.delete(file); // each open evaluates the page file (the page's `Page()` call) again
      load(file);
      if (!pageConfig) throw new Error(`${route}.js did not call Page()`);
      const page = makePage(pageConfig);
      await page.onLoad?.(query);
      return page;
    },
  };
}

function makePage(config) {
  const page = { data: structuredClone(config.data ?? {}), route: 'page' };
  for (const [key, value] of Object.entries(config)) {
    if (key === 'data') continue;
    page[key] = typeof value === 'function' ? value.bind(page) : value;
  }
  page.setData = (patch, cb) => {
    for (const [key, value] of Object.entries(patch)) page.data[key] = JSON.parse(JSON.stringify(value)); // data crosses to the view layer as JSON
    cb?.();
  };
  return page;
}

/** A tap event as WeChat passes it to a handler bound with bindtap + data-offer-id. */
export const tap = (offerId) => ({ type: 'tap', currentTarget: { dataset: { offerId } }, target: { dataset: { offerId } } });
