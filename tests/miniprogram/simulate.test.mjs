// The example's feed page rendered by miniprogram-simulate (WeChat's unit-test tool for
// mini-program components: j-component over jsdom, WXML compiled by the official wcc),
// the way a developer unit-tests a page that uses goods-ranker: after npm install and
// 构建 npm (example-app.mjs), with the package's test helper
// `goods-ranker/miniprogram/testing` standing in for WXWebAssembly (it reads the
// .wasm.br from the code package) and resolving `require('goods-ranker')` to
// miniprogram_npm/ as WeChat does. `Page()` is forwarded to `Component()`, the usual
// way to load a page into miniprogram-simulate; wx storage and getLocation are mocked.
// Checked: the grandmother's eggs come first with 「上次购买 6 天前，该补货了」; tapping
// 购买 records a purchase, re-ranks the feed and saves the profile (wx.setStorageSync);
// the page opened again restores it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareExample } from './example-app.mjs';
import { ensureTools, TOOLS_DIR } from './wechat-tools.mjs';

const PROFILE_KEY = 'goods-ranker:profile';
const EGGS_DUE = '上次购买 6 天前，该补货了';
const toolsRequire = createRequire(join(TOOLS_DIR, 'package.json'));

const storage = new Map(); // the phone's storage
const located = [];
let app;
let simulate;
let testing;
let wasm;

/** The DOM globals miniprogram-simulate expects (it is made for jest's jsdom environment). */
function installDom() {
  const { JSDOM } = toolsRequire('jsdom');
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { pretendToBeVisual: true });
  globalThis.window = dom.window;
  for (const name of ['document', 'Event', 'CustomEvent', 'Node', 'Element', 'HTMLElement', 'DocumentFragment', 'Text', 'MutationObserver', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame']) {
    globalThis[name] = typeof dom.window[name] === 'function' && /^[a-z]/.test(name) ? dom.window[name].bind(dom.window) : dom.window[name];
  }
}

/** Loads a page into miniprogram-simulate: `Page(options)` becomes a component. */
function forwardPageToComponent() {
  globalThis.Page = (options) => {
    const { data, ...rest } = options;
    const methods = {};
    for (const [key, value] of Object.entries(rest)) if (typeof value === 'function') methods[key] = value;
    globalThis.Component({
      data,
      methods,
      lifetimes: {
        attached() { this.onLoad?.({}); },
        detached() { this.onUnload?.(); },
      },
    });
  };
}

function openFeed() {
  const id = simulate.load(join(app.dir, 'pages', 'feed', 'feed'), { rootPath: app.dir });
  const page = simulate.render(id);
  page.attach(document.createElement('parent-wrapper'));
  return page;
}

const text = (c) => c.dom.textContent.replace(/\s+/g, ' ').trim();
const feedOf = (page) => page.querySelectorAll('.offer').map((offer, i) => ({
  offerId: offer.dom.getAttribute('data-offer-id'),
  title: text(page.querySelectorAll('.title')[i]),
  reasons: Array.from(offer.dom.querySelectorAll('[class$="--reason"]'), (r) => r.textContent.trim()),
}));
const eventCount = (page) => Number(/已记住 (\d+) 次行为/.exec(text(page.querySelector('.foot')))?.[1]);

before(async () => {
  app = await prepareExample('simulate');
  ensureTools();
  installDom();
  // wx as miniprogram-simulate mocks it, with a storage and a location of our own.
  globalThis.wx = {
    getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key, value) => { storage.set(key, value); },
    removeStorageSync: (key) => { storage.delete(key); },
    getLocation(options) {
      located.push(options.type);
      setTimeout(() => options.success({ latitude: 39.9871, longitude: 116.4712, accuracy: 30 }), 0);
    },
  };
  simulate = toolsRequire('miniprogram-simulate');
  forwardPageToComponent();
  // What a developer writes in a test setup file.
  testing = createRequire(join(app.dir, 'package.json'))('goods-ranker/miniprogram/testing');
  wasm = testing.install({ root: app.dir });
});

after(() => wasm?.restore());

describe('feed page in miniprogram-simulate (WXWebAssembly from goods-ranker/miniprogram/testing)', () => {
  let page;
  let first;

  test('renders the ranked feed: the grandmother\'s eggs first, due for a refill', async () => {
    page = openFeed();
    await page.instance.ready;
    assert.equal(page.instance.data.error, '');
    assert.deepEqual(wasm.instantiated.slice(0, 1).map((p) => p.replace('_simd', '')), ['/miniprogram_npm/goods-ranker/goods_ranker_bg.wasm.br'], 'loaded from the code package path');
    assert.deepEqual(located, ['gcj02']);
    first = feedOf(page);
    assert.equal(first.length, 10);
    assert.match(first[0].title, /鸡蛋/);
    assert.ok(first[0].reasons.includes(EGGS_DUE), first[0].reasons.join(' · '));
    assert.ok(first.every((o) => o.reasons.length > 0));
    assert.ok(Number.isInteger(eventCount(page)));
  });

  test('tapping 购买 records a purchase, re-ranks the feed and saves the profile with wx.setStorageSync', async () => {
    const before = eventCount(page);
    assert.equal(storage.has(PROFILE_KEY), false, 'nothing saved before the first event');
    const buy = page.querySelectorAll('.buy')[0];
    assert.equal(buy.dom.getAttribute('data-offer-id'), first[0].offerId);
    buy.dispatchEvent('tap');
    await simulate.sleep(0);
    assert.equal(eventCount(page), before + 1, 'one event: catchtap keeps the tap from also counting as a click');
    const now = feedOf(page);
    assert.notEqual(now[0].offerId, first[0].offerId, 'just bought: no longer first');
    const eggs = now.find((o) => o.offerId === first[0].offerId);
    assert.ok(!eggs || !eggs.reasons.includes(EGGS_DUE), 'just bought: not due any more');
    const saved = storage.get(PROFILE_KEY);
    assert.equal(typeof saved, 'string');
    page.detach();
  });

  test('the page opened again restores the saved profile', async () => {
    const again = openFeed();
    await again.instance.ready;
    assert.equal(again.instance.data.error, '');
    const feed = feedOf(again);
    assert.notEqual(feed[0].offerId, first[0].offerId, 'the purchase survived');
    assert.ok(eventCount(again) >= 1);
    again.detach();
  });
});

describe('goods-ranker/miniprogram/testing', () => {
  test('the WXWebAssembly stand-in refuses what WeChat refuses', async () => {
    const api = testing.createWXWebAssembly(app.dir);
    for (const bad of ['miniprogram_npm/goods-ranker/goods_ranker_bg.wasm.br', 'https://cdn.example.com/x.wasm', '/../package.json', '/miniprogram_npm/goods-ranker/missing.wasm.br', '/app.json']) {
      await assert.rejects(api.instantiate(bad, {}), /WXWebAssembly\.instantiate/, bad);
    }
    assert.deepEqual(api.instantiated, []);
  });

  test('npm requests resolve to miniprogram_npm/ only from the mini-program\'s own files', () => {
    const page = join(app.dir, 'pages', 'feed', 'feed.js');
    assert.equal(testing.resolveMiniprogramNpm(app.dir, 'goods-ranker', page), join(app.dir, 'miniprogram_npm', 'goods-ranker', 'index.js'));
    assert.equal(testing.resolveMiniprogramNpm(app.dir, 'goods-ranker/sample', page), join(app.dir, 'miniprogram_npm', 'goods-ranker', 'sample.js'));
    assert.equal(testing.resolveMiniprogramNpm(app.dir, './feed', page), null);
    assert.equal(testing.resolveMiniprogramNpm(app.dir, 'node:fs', page), null);
    assert.equal(testing.resolveMiniprogramNpm(app.dir, 'goods-ranker', join(tmpdir(), 'elsewhere.js')), null);
    assert.equal(testing.resolveMiniprogramNpm(app.dir, 'goods-ranker', join(app.dir, 'node_modules', 'x', 'index.js')), null);
  });

  test('before 构建 npm, a page\'s require(\'goods-ranker\') says so', () => {
    const bare = mkdtempSync(join(tmpdir(), 'gr-mp-nonpm-'));
    const other = testing.install({ root: bare, global: {} });
    try {
      const require = createRequire(join(bare, 'pages', 'feed', 'feed.js'));
      assert.throws(() => require('goods-ranker'), /run 构建 npm/);
    } finally {
      other.restore();
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
