// The feed page: loads the engine from the code package, ranks the catalog for this
// user at their GCJ-02 location, shows why each offer was chosen, learns from taps and
// purchases and keeps the profile on the phone (wx.setStorageSync). Nothing about the
// user is sent.
//
// goods-ranker comes from npm: `npm i goods-ranker` here, then 构建 npm (WeChat
// DevTools: 工具 → 构建 npm) copies the package's mini-program files to
// miniprogram_npm/goods-ranker/, where `require('goods-ranker')` finds them.
const ranker = require('goods-ranker');
// The package's sample catalog; a real mini-program gets its catalog from its server.
const sample = require('goods-ranker/sample');

/** Code-package paths of the modules (miniprogram_npm/ is made by 构建 npm). */
const WASM_PATH = '/miniprogram_npm/goods-ranker/goods_ranker_bg.wasm.br';
/** Used on WeChat ≥ 8.0.25 (SIMD); elsewhere, or if it fails to load, the scalar module loads. */
const SIMD_PATH = '/miniprogram_npm/goods-ranker/goods_ranker_simd_bg.wasm.br';
const PROFILE_KEY = 'goods-ranker:profile';
/** This demo starts a first-time user from a sample person; a real app starts from `new Profile()`. */
const DEMO_USER = 'grandma';
const FEED_SIZE = 10;
/** WeChat's `wx`, or Douyin's `tt` (same getLocation / storage calls). */
const host = typeof wx !== 'undefined' ? wx : tt;

// One engine for the app's lifetime: the catalog stays in wasm memory between pages.
let enginePromise = null;
function getEngine() {
  if (!enginePromise) {
    enginePromise = ranker.init({ path: WASM_PATH, simdPath: SIMD_PATH }).then(() =>
      // A real mini-program fetches its catalog from its server (wx.request) here.
      ranker.Engine.fromCatalog(sample.catalogAt(Date.now())),
    );
    enginePromise.catch(() => { enginePromise = null; });
  }
  return enginePromise;
}

/** The user's location as GCJ-02 (what WeChat maps use), or null if they said no. */
function getLocation() {
  return new Promise((resolve) => {
    host.getLocation({
      type: 'gcj02',
      success: (res) => resolve({ lat: res.latitude, lng: res.longitude, datum: 'gcj02' }),
      fail: () => resolve(null),
    });
  });
}

function loadProfile() {
  const saved = host.getStorageSync(PROFILE_KEY); // '' when nothing is saved
  if (saved) {
    try {
      return ranker.Profile.load(saved);
    } catch (e) {
      host.removeStorageSync(PROFILE_KEY); // corrupted or from an incompatible version: start fresh
    }
  }
  return ranker.Profile.fromUser(sample.sampleUser(DEMO_USER, Date.now()).user);
}

function formatDistance(m) {
  if (m === undefined) return '';
  return m < 1000 ? `${Math.round(m)} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

Page({
  data: { loading: true, error: '', located: false, offers: [], eventCount: 0 },

  onLoad() {
    this.ready = this.refresh();
    return this.ready;
  },

  onPullDownRefresh() {
    return this.refresh().then(() => host.stopPullDownRefresh());
  },

  refresh() {
    return getEngine()
      .then((engine) => {
        this.engine = engine;
        if (!this.profile) this.profile = loadProfile();
        return getLocation();
      })
      .then((location) => {
        this.location = location;
        this.render();
      })
      .catch((e) => {
        this.setData({ loading: false, error: `加载失败：${e && e.message ? e.message : e}` });
      });
  },

  render() {
    const options = { now: Date.now(), limit: FEED_SIZE };
    if (this.location) options.location = this.location;
    const feed = this.engine.rank(this.profile, options);
    this.setData({
      loading: false,
      error: '',
      located: !!this.location,
      eventCount: this.profile.eventCount,
      offers: feed.map((o) => ({
        offerId: o.offerId,
        title: o.title,
        price: `¥${o.price.toFixed(2)}`,
        storeName: o.storeName,
        distance: formatDistance(o.distanceM),
        reasons: o.reasons.map((r) => r.text),
      })),
    });
  },

  /** Records an event and persists the profile right away (the page may be killed any time). */
  learn(type, offerId) {
    this.engine.record(this.profile, { type, offerId, at: Date.now() });
    host.setStorageSync(PROFILE_KEY, this.profile.toBase64());
  },

  onTapOffer(e) {
    this.learn('click', e.currentTarget.dataset.offerId);
    this.setData({ eventCount: this.profile.eventCount });
    // A real app would wx.navigateTo the offer's detail page here.
  },

  /** A purchase (in a real app: after payment succeeds); the feed is ranked again. */
  onBuy(e) {
    this.learn('purchase', e.currentTarget.dataset.offerId);
    this.render(); // e.g. what was just bought is no longer due for a refill
    host.showToast({ title: '已下单', icon: 'success' });
  },

  onDismiss(e) {
    this.learn('dismiss', e.currentTarget.dataset.offerId);
    this.render(); // the offer leaves the feed
  },

  onUnload() {
    if (this.profile) {
      host.setStorageSync(PROFILE_KEY, this.profile.toBase64());
      this.profile.free();
      this.profile = null;
    }
  },
});
