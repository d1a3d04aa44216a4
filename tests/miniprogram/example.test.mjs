// The example mini-program (miniprogram/) end to end in the emulated runtime, set up
// as a developer sets it up (example-app.mjs: the packed tarball installed with npm,
// then 构建 npm): the feed page requires 'goods-ranker' (from miniprogram_npm/), loads
// the engine from its code package, ranks the catalog at the GCJ-02 location, renders
// reasons, records taps and purchases, persists the profile with wx.setStorageSync and
// restores it after a restart.
import { before, test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRuntime, tap } from './runtime.mjs';
import { prepareExample } from './example-app.mjs';

const KEY = 'goods-ranker:profile';
const FEED = 'pages/feed/feed';
const NPM = '/miniprogram_npm/goods-ranker';
let EXAMPLE;

before(async () => {
  ({ dir: EXAMPLE } = await prepareExample('example'));
});

describe('example mini-program', () => {
  test('app.json declares the feed page and the location permission', () => {
    const app = JSON.parse(readFileSync(join(EXAMPLE, 'app.json'), 'utf8'));
    assert.deepEqual(app.pages, [FEED]);
    assert.ok(app.requiredPrivateInfos.includes('getLocation'));
    assert.ok(app.permission['scope.userLocation'].desc);
    const wxml = readFileSync(join(EXAMPLE, `${FEED}.wxml`), 'utf8');
    for (const handler of ['onTapOffer', 'onBuy', 'onDismiss']) assert.match(wxml, new RegExp(`tap="${handler}"`));
  });

  test('load, rank, tap, persist, reload', async () => {
    const storage = new Map(); // the phone's storage, kept across restarts
    const rt = createRuntime(EXAMPLE, { storage });
    const page = await rt.openPage(FEED);
    assert.equal(page.data.error, '');
    assert.equal(page.data.loading, false);
    assert.equal(page.data.located, true);
    assert.deepEqual(rt.locationCalls, [{ type: 'gcj02' }], 'asks for GCJ-02 coordinates');
    assert.equal(rt.instantiated.length, 1);
    assert.match(rt.instantiated[0], /^\/miniprogram_npm\/goods-ranker\/goods_ranker(_simd)?_bg\.wasm\.br$/);
    const { offers } = page.data;
    assert.equal(offers.length, 10);
    assert.equal(offers[0].title, '土鸡蛋 30枚装', 'grandma is due for eggs');
    assert.ok(offers[0].reasons.includes('上次购买 6 天前，该补货了'), offers[0].reasons.join(' · '));
    assert.ok(offers.every((o) => o.reasons.length > 0 && /^¥\d+\.\d\d$/.test(o.price)));
    assert.ok(offers.some((o) => /米$/.test(o.distance)));
    const before = page.data.eventCount;

    const tapped = offers[5].offerId;
    page.onTapOffer(tap(tapped));
    page.onTapOffer(tap(tapped));
    assert.equal(page.data.eventCount, before + 2);
    assert.ok(storage.get(KEY), 'saved on every event');

    const dismissed = offers[1].offerId;
    page.onDismiss(tap(dismissed));
    assert.ok(!page.data.offers.some((o) => o.offerId === dismissed), 'a dismissed offer leaves the feed');
    const saved = storage.get(KEY);
    assert.equal(typeof saved, 'string');
    assert.ok(saved.length < 4096, `a saved profile stays small (${saved.length} chars)`);
    page.onUnload();

    // Restart: a new runtime (new wasm instance) with the same storage.
    const rt2 = createRuntime(EXAMPLE, { storage });
    const page2 = await rt2.openPage(FEED);
    assert.equal(page2.data.eventCount, before + 3);
    assert.ok(!page2.data.offers.some((o) => o.offerId === dismissed), 'the dismissal survived the restart');
    const rank = (p, id) => p.data.offers.findIndex((o) => o.offerId === id);
    assert.ok(rank(page2, tapped) !== -1 && rank(page2, tapped) <= 5, `the tapped offer did not fall (now ${rank(page2, tapped)})`);
    assert.deepEqual(rt.touched, []);
    assert.deepEqual(rt2.touched, []);
  });

  test('location denied: the feed still renders (from what the profile knows)', async () => {
    const rt = createRuntime(EXAMPLE, { location: null });
    const page = await rt.openPage(FEED);
    assert.equal(page.data.error, '');
    assert.equal(page.data.located, false);
    assert.equal(page.data.offers.length, 10);
    assert.ok(page.data.offers.every((o) => o.reasons.length > 0));
  });

  test('a corrupted saved profile starts fresh instead of crashing', async () => {
    const storage = new Map([[KEY, 'R1JQRgEAAAAA-not-a-profile']]);
    const rt = createRuntime(EXAMPLE, { storage });
    const page = await rt.openPage(FEED);
    assert.equal(page.data.error, '');
    assert.equal(page.data.offers.length, 10);
    assert.ok(!storage.has(KEY) || storage.get(KEY) !== 'R1JQRgEAAAAA-not-a-profile');
  });

  test('runs on iOS WeChat without SIMD, on Douyin, and on the oldest WXWebAssembly clients', async () => {
    for (const options of [{ platform: 'ios', version: '8.0.20' }, { host: 'douyin', version: '28.0.0' }, { version: '7.0.20' }]) {
      const rt = createRuntime(EXAMPLE, options);
      const page = await rt.openPage(FEED);
      assert.equal(page.data.error, '', JSON.stringify(options));
      assert.equal(page.data.offers[0].title, '土鸡蛋 30枚装');
      assert.deepEqual(rt.instantiated, [`${NPM}/goods_ranker_bg.wasm.br`], JSON.stringify(options));
      assert.deepEqual(rt.touched, []);
    }
  });

  test('a purchase re-ranks the feed: what was just bought is no longer due', async () => {
    const storage = new Map();
    const rt = createRuntime(EXAMPLE, { storage });
    const page = await rt.openPage(FEED);
    const [eggs] = page.data.offers;
    assert.ok(eggs.reasons.includes('上次购买 6 天前，该补货了'), eggs.reasons.join(' · '));
    const before = page.data.eventCount;
    page.onBuy(tap(eggs.offerId));
    assert.equal(page.data.eventCount, before + 1);
    assert.notEqual(page.data.offers[0].offerId, eggs.offerId, 'just bought: no longer first');
    const again = page.data.offers.find((o) => o.offerId === eggs.offerId);
    assert.ok(!again || !again.reasons.includes('上次购买 6 天前，该补货了'), 'just bought: not due any more');
    assert.equal(typeof storage.get(KEY), 'string', 'saved with wx.setStorageSync');
    assert.deepEqual(rt.touched, []);
  });
});
