// A minimal WeChat mini-program runtime in Node, enough to run a uni-app (Vue 3)
// `mp-weixin` build (not a test file itself). uni-app registers each page with
// WeChat's `Component()` constructor (its runtime is a Vue renderer that sends the
// template's data to the view with setData), so this hosts components as pages.
//
// Logic layer: code runs in its own V8 context with the ECMAScript built-ins, timers
// and what WeChat provides:
// - `require` over the files of the build (relative or absolute, no npm resolution:
//   uni-app's Vite build bundles every dependency into common/vendor.js);
// - `WXWebAssembly.instantiate(path, imports)`, which like WeChat's accepts only the
//   absolute code-package path of a `.wasm` or `.wasm.br` file (brotli is decompressed
//   here); the standard `WebAssembly` object (and fetch, URL, TextEncoder/Decoder) are absent;
// - `wx` stubs: storage (kept in a Map that can outlive a "restart"), getLocation,
//   system/app/device/account/launch info, stopPullDownRefresh; the network APIs
//   (request, downloadFile, uploadFile, connectSocket, preloadAssets, reportEvent,
//   reportAnalytics, reportMonitor) only record what was asked in `outbound` and fail
//   (no network);
// - a console whose errors and warnings are also kept in `logged` (Vue reports errors
//   thrown by event handlers there; lifecycle throws are kept in `errors`);
// - `App`, `getApp`, `Page`, `Component`, `getCurrentPages`, `global`.
// A page opened with `openPage` is created as WeChat creates a Component-built page:
// created → attached → onLoad(query) → onShow → pageLifetimes.show → ready; `closePage`
// runs onUnload → detached. `setData` applies its path keys ('d[0].e[1].a') to `data`
// (which is also `properties`, as in WeChat) after a JSON round trip, as data crosses
// to the view layer.
//
// View layer: `view(page)` renders the page's WXML with WeChat's own compiler (wcc,
// from tests/miniprogram/tools) over the page's current data, giving the element tree
// WeChat's renderer gets ({ tag: 'wx-view', attr: { class, bindtap, … }, children });
// `tap(page, node)` dispatches a tap to the handler the node's `bindtap` names, looked
// up on the page instance at dispatch time, as WeChat does.
import vm from 'node:vm';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { ensureTools, TOOLS_DIR } from '../miniprogram/wechat-tools.mjs';

/** Globals a mini-program's logic layer does not offer (WeChat on iOS has no `WebAssembly`). */
const ABSENT = ['WebAssembly', 'fetch', 'XMLHttpRequest', 'importScripts', 'TextEncoder', 'TextDecoder', 'URL'];
/** wx APIs that reach the network: recorded, never performed. */
const NETWORK_APIS = ['request', 'downloadFile', 'uploadFile', 'connectSocket', 'preloadAssets', 'reportEvent', 'reportAnalytics', 'reportMonitor'];

export function createMiniProgram(distDir, options = {}) {
  const opts = { storage: new Map(), location: { latitude: 39.9871, longitude: 116.4712 }, ...options };
  const root = realpathSync(distDir);
  const instantiated = [];
  const outbound = [];
  const errors = [];
  const timers = new Set();
  const context = vm.createContext({});
  const g = vm.runInContext('globalThis', context);
  const make = (value) => vm.runInContext('(v) => v', context)(value);

  for (const name of ABSENT) delete g[name];
  // Timers are tracked so that `dispose()` can cancel what the app left pending.
  const later = (fn, ms, ...args) => {
    const id = setTimeout(() => {
      timers.delete(id);
      fn(...args);
    }, ms);
    timers.add(id);
    return id;
  };
  // The app's console: errors and warnings (Vue reports handler errors there) are kept.
  const logged = [];
  const appConsole = Object.create(console);
  for (const level of ['error', 'warn']) {
    appConsole[level] = (...args) => {
      logged.push({ level, text: args.map((a) => (a instanceof Error || (a && a.stack) ? a.stack : String(a))).join(' ') });
      console[level](...args);
    };
  }
  Object.assign(g, {
    console: appConsole,
    setTimeout: later,
    clearTimeout(id) {
      timers.delete(id);
      clearTimeout(id);
    },
    setInterval: () => {
      throw new Error('setInterval is not emulated');
    },
  });
  g.global = make({}); // WeChat's logic layer has a `global` object of its own

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
  const info = { SDKVersion: '3.8.0', version: '8.0.50', platform: 'android', language: 'zh_CN', system: 'Android 13', pixelRatio: 2, screenWidth: 375, screenHeight: 812, windowWidth: 375, windowHeight: 812, statusBarHeight: 20, theme: 'light' };
  const launch = { path: '', query: {}, scene: 1001, referrerInfo: {} };
  const wx = {
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync(key, value) {
      storage.set(key, value);
    },
    removeStorageSync(key) {
      storage.delete(key);
    },
    setStorage(o) {
      storage.set(o.key, o.data);
      later(() => {
        o.success?.({ errMsg: 'setStorage:ok' });
        o.complete?.();
      }, 0);
    },
    getLocation(o) {
      later(() => {
        if (opts.location) o.success?.({ ...opts.location, accuracy: 30, speed: -1, errMsg: 'getLocation:ok' });
        else o.fail?.({ errMsg: 'getLocation:fail auth deny' });
        o.complete?.();
      }, 1);
    },
    getSystemInfoSync: () => ({ ...info }),
    getAppBaseInfo: () => ({ ...info }),
    getDeviceInfo: () => ({ ...info }),
    getWindowInfo: () => ({ ...info }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'touristappid', envVersion: 'develop', version: '' } }),
    getLaunchOptionsSync: () => structuredClone(launch),
    getEnterOptionsSync: () => structuredClone(launch),
    onAppShow() {},
    onAppHide() {},
    stopPullDownRefresh() {},
    canIUse: () => true,
  };
  for (const api of NETWORK_APIS) {
    wx[api] = (o = {}) => {
      const urls = api === 'preloadAssets' ? (o.data ?? []).map((d) => d.src) : [o.url];
      outbound.push({ api, urls, data: o.data ?? null });
      later(() => {
        o.fail?.({ errMsg: `${api}:fail no network in this emulator` });
        o.complete?.();
      }, 0);
    };
  }
  g.wx = make(wx);

  let app = null;
  let definition = null; // what the page file registered with Page() or Component()
  const pages = [];
  g.App = (config) => {
    app = config;
    return app;
  };
  g.getApp = () => app;
  g.Page = (config) => {
    definition = { kind: 'page', config };
  };
  g.Component = (config) => {
    definition = { kind: 'component', config };
  };
  g.getCurrentPages = () => pages.slice();

  // CommonJS `require` over the build, like the mini-program's.
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

  /** Runs a lifecycle function; a throw is recorded and rethrown, as WeChat reports it. */
  function call(fn, self, args, what) {
    if (typeof fn !== 'function') return undefined;
    try {
      return fn.apply(self, args);
    } catch (e) {
      errors.push({ what, error: e });
      throw e;
    }
  }

  function makeComponentPage(config, route) {
    const page = {};
    const properties = config.properties ?? {};
    const data = structuredClone(config.data ?? {});
    for (const [key, prop] of Object.entries(properties)) {
      if (!(key in data)) data[key] = prop && typeof prop === 'object' && 'value' in prop ? structuredClone(prop.value) : defaultOf(prop?.type ?? prop);
    }
    Object.assign(page, {
      is: route,
      route,
      __route__: route,
      __wxExparserNodeId__: `node-${route}`,
      __wxWebviewId__: pages.length + 1,
      data,
      properties: data, // the same object, as in WeChat
      options: {},
      setData: makeSetData(page),
      triggerEvent() {}, // a page has no parent to hear it
      selectComponent: () => null,
      selectAllComponents: () => [],
      getOpenerEventChannel: () => ({ on() {}, emit() {}, once() {}, off() {} }),
      createSelectorQuery() {
        throw new Error('createSelectorQuery is not emulated');
      },
    });
    for (const [key, value] of Object.entries(config.methods ?? {})) page[key] = value;
    const lifetimes = config.lifetimes ?? {};
    const life = (name) => lifetimes[name] ?? config[name];
    return {
      page,
      open(query) {
        call(life('created'), page, [], 'created');
        call(life('attached'), page, [], 'attached');
        call(page.onLoad, page, [query], 'onLoad');
        call(page.onShow, page, [], 'onShow');
        call(config.pageLifetimes?.show, page, [], 'pageLifetimes.show');
        call(life('ready'), page, [], 'ready');
      },
      close() {
        call(page.onUnload, page, [], 'onUnload');
        call(life('detached'), page, [], 'detached');
      },
    };
  }

  function makePlainPage(config, route) {
    const page = {};
    for (const [key, value] of Object.entries(config)) page[key] = value;
    Object.assign(page, { route, __route__: route, data: structuredClone(config.data ?? {}), options: {} });
    page.setData = makeSetData(page);
    return {
      page,
      open(query) {
        call(page.onLoad, page, [query], 'onLoad');
        call(page.onShow, page, [], 'onShow');
        call(page.onReady, page, [], 'onReady');
      },
      close() {
        call(page.onUnload, page, [], 'onUnload');
      },
    };
  }

  function makeSetData(page) {
    return function setData(patch, cb) {
      for (const [path, value] of Object.entries(patch)) {
        const keys = pathKeys(path);
        let target = page.data;
        for (let i = 0; i < keys.length - 1; i++) {
          if (target[keys[i]] == null) target[keys[i]] = typeof keys[i + 1] === 'number' ? [] : {};
          target = target[keys[i]];
        }
        target[keys.at(-1)] = value === undefined ? undefined : JSON.parse(JSON.stringify(value)); // data crosses to the view layer as JSON
      }
      if (typeof cb === 'function') later(() => cb.call(page), 0);
    };
  }

  const opened = new Map();
  return {
    instantiated,
    storage,
    outbound,
    errors,
    logged,
    /** Loads app.js (App() + onLaunch + onShow) once, then the page at `route`, and opens it. */
    openPage(route, query = {}) {
      if (!app) {
        Object.assign(launch, { path: route, query });
        load(join(root, 'app.js'));
        if (!app) throw new Error('app.js did not call App()');
        call(app.onLaunch, app, [structuredClone(launch)], 'App.onLaunch');
        call(app.onShow, app, [structuredClone(launch)], 'App.onShow');
      }
      definition = null;
      load(join(root, `${route}.js`));
      if (!definition) throw new Error(`${route}.js did not call Page() or Component()`);
      const made = definition.kind === 'component' ? makeComponentPage(definition.config, route) : makePlainPage(definition.config, route);
      pages.push(made.page);
      opened.set(made.page, made);
      made.open(query);
      return made.page;
    },
    closePage(page) {
      opened.get(page).close();
      opened.delete(page);
      pages.splice(pages.indexOf(page), 1);
    },
    /** Cancels the timers the app left pending (e.g. delayed requests). */
    dispose() {
      for (const id of timers) clearTimeout(id);
      timers.clear();
    },
  };
}

function defaultOf(type) {
  if (type === String) return '';
  if (type === Number) return 0;
  if (type === Boolean) return false;
  if (type === Array) return [];
  if (type === Object) return null;
  return null;
}

/** Splits a setData key ('d[0].e[1].a' or 'a.b') into object keys and array indexes. */
function pathKeys(path) {
  return [...path.matchAll(/\[(\d+)\]|[^.[\]]+/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[0]));
}

/**
 * The view layer's templates: every .wxml of the build compiled together by WeChat's
 * wcc (as the tools do). Returns `render(route, data)` → the element tree.
 */
export function wxmlRenderer(distDir, files) {
  ensureTools();
  const compiler = createRequire(join(TOOLS_DIR, 'package.json'))('miniprogram-compiler');
  const js = compiler.wxmlToJs(realpathSync(distDir), { wxmlList: files, wxsList: [], maxBuffer: 256 << 20 });
  const gwx = vm.runInContext(`(function () {\n${js}\n})()`, vm.createContext({ window: {}, console }));
  if (typeof gwx !== 'function') throw new Error('wcc did not produce $gwx');
  return (route, data) => {
    const generate = gwx(`${route}.wxml`);
    if (typeof generate !== 'function') throw new Error(`wcc has no template for ${route}.wxml`);
    return generate(JSON.parse(JSON.stringify(data)));
  };
}

/** Every element under `node` (depth first). */
export function* elements(node) {
  if (!node || typeof node !== 'object') return;
  yield node;
  for (const child of node.children ?? []) yield* elements(child);
}

/** The text of a node's subtree, in order. */
export function textOf(node) {
  if (typeof node === 'string' || typeof node === 'number') return String(node);
  return (node?.children ?? []).map(textOf).join('');
}

/** Elements whose class list has `className`. */
export function byClass(root, className) {
  return [...elements(root)].filter((n) => typeof n.attr?.class === 'string' && n.attr.class.split(/\s+/).includes(className));
}

/** The dataset WeChat builds from a node's data-* attributes (data-offer-id → offerId). */
function datasetOf(node) {
  const dataset = {};
  for (const [name, value] of Object.entries(node.attr ?? {})) {
    if (name.startsWith('data-')) dataset[name.slice(5).replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = value;
  }
  return dataset;
}

/**
 * A tap on `node`, as WeChat dispatches it: the handler named by the node's `bindtap`
 * (a method name, possibly set by setData), looked up on the page now, called with
 * the event object.
 */
export function tap(page, node) {
  const name = node.attr?.bindtap;
  if (typeof name !== 'string' || name === '') throw new Error('tap: the node has no bindtap');
  const handler = page[name];
  if (typeof handler !== 'function') throw new Error(`tap: the page has no method ${name} (WeChat: 'Component "${page.route}" does not have a method "${name}" to handle event "tap"')`);
  const target = { id: node.attr.id ?? '', dataset: datasetOf(node), offsetLeft: 0, offsetTop: 0 };
  return handler.call(page, { type: 'tap', timeStamp: Date.now(), target, currentTarget: target, detail: { x: 10, y: 10 }, touches: [], changedTouches: [], mark: {} });
}
