// The demo's state: one Engine over the sample catalog, one Profile for the person
// using the page, and the page settings. The profile is saved with the engine's own
// format (profile.toBase64) in localStorage; the page keeps a small mirror of what it
// set (age, income band, location) to draw its controls, since Profile has no getters.
// The package's browser entry: init() loads the SIMD build where supported.
import init, { Engine, Profile, wasmBuild } from '../pkg/web.js';
import { loadSampleData } from './data.js';
import { toGcj02 } from './geo.js';

export const DAY = 86_400_000;
const PROFILE_KEY = 'goods-ranker:profile';
const STATE_KEY = 'goods-ranker:demo';
const DEFAULT_USER = 'grandma';

export class App {
  static async create() {
    await init();
    const { sampleCatalog, sampleUsers } = await loadSampleData();
    const catalog = sampleCatalog();
    return new App(catalog, sampleUsers(catalog, Date.now()));
  }

  constructor(catalog, users) {
    this.catalog = catalog;
    this.users = users;
    this.engine = Engine.fromCatalog(catalog);
    this.stores = new Map(catalog.stores.map((s) => [s.id, s]));
    this.offers = new Map(catalog.offers.map((o) => [o.id, o]));
    this.listeners = new Set();
    this.previousRanks = null;
    this.warmUp();
    if (!this.restore()) this.selectUser(DEFAULT_USER, { silent: true });
  }

  /** A few throwaway rank calls, so the time shown is the steady state, not wasm tier-up. */
  warmUp() {
    const profile = new Profile();
    for (let i = 0; i < 30; i += 1) this.engine.rank(profile, { limit: 20 });
    profile.free();
  }

  // ---- persistence -------------------------------------------------------------

  restore() {
    const saved = localStorage.getItem(PROFILE_KEY);
    const state = localStorage.getItem(STATE_KEY);
    if (!saved || !state) return false;
    try {
      this.profile = Profile.load(saved);
      this.state = { ...this.defaults(), ...JSON.parse(state) };
      return true;
    } catch (e) {
      console.warn('saved profile ignored:', e.message);
      return false;
    }
  }

  save() {
    localStorage.setItem(PROFILE_KEY, this.profile.toBase64());
    localStorage.setItem(STATE_KEY, JSON.stringify(this.state));
  }

  defaults() {
    return { userId: DEFAULT_USER, age: null, incomeBand: null, location: null, locale: 'zh-CN', dayOffset: 0, limit: 20, log: [] };
  }

  // ---- actions ---------------------------------------------------------------------

  selectUser(id, { silent = false } = {}) {
    const sample = this.users.find((u) => u.id === id) ?? this.users[0];
    this.profile?.free();
    this.profile = Profile.fromUser(sample.user);
    const locale = this.state?.locale ?? 'zh-CN';
    const limit = this.state?.limit ?? 20;
    this.state = {
      ...this.defaults(),
      locale,
      limit,
      userId: sample.id,
      age: sample.user.age ?? null,
      incomeBand: sample.user.incomeBand ?? null,
      location: toGcj02(sample.user.location),
    };
    this.previousRanks = null;
    this.save();
    if (!silent) this.changed();
  }

  setAge(age) {
    this.profile.setUser({ age });
    this.state.age = age;
    this.commit();
  }

  setIncomeBand(incomeBand) {
    this.profile.setUser({ incomeBand });
    this.state.incomeBand = incomeBand;
    this.commit();
  }

  moveTo(lat, lng) {
    const location = { lat: +lat.toFixed(6), lng: +lng.toFixed(6) };
    this.profile.setUser({ location: { ...location, datum: 'gcj02' } });
    this.state.location = location;
    this.commit();
  }

  /** Records one profile event (impression, click, cart, purchase, dismiss) at the simulated now. */
  record(type, offerId) {
    const at = this.now();
    this.engine.record(this.profile, { type, offerId, at });
    this.state.log = [{ type, offerId, at }, ...this.state.log].slice(0, 30);
    this.flash = offerId;
    this.commit();
  }

  advance(days) {
    this.state.dayOffset = days === 0 ? 0 : this.state.dayOffset + days;
    this.commit();
  }

  setLocale(locale) {
    this.state.locale = locale;
    this.save();
    this.changed({ keepRanks: true });
  }

  setLimit(limit) {
    this.state.limit = limit;
    this.save();
    this.changed({ keepRanks: true });
  }

  reset() {
    localStorage.removeItem(PROFILE_KEY);
    localStorage.removeItem(STATE_KEY);
    const locale = this.state.locale;
    this.state = null;
    this.selectUser(DEFAULT_USER, { silent: true });
    this.state.locale = locale;
    this.save();
    this.changed();
  }

  commit() {
    this.save();
    this.changed();
  }

  // ---- ranking -------------------------------------------------------------------

  now() {
    return Date.now() + this.state.dayOffset * DAY;
  }

  /** Ranks and lists the filtered offers; times a batch of rank calls (performance.now is coarse). */
  view() {
    const options = { now: this.now(), limit: this.state.limit, locale: this.state.locale };
    const started = performance.now();
    const feed = this.engine.rank(this.profile, options);
    let runs = 1;
    while (runs < 200 && performance.now() - started < 8) {
      this.engine.rank(this.profile, options);
      runs += 1;
    }
    const ms = (performance.now() - started) / runs;
    const filtered = this.engine.filtered(this.profile, options);
    return { feed, filtered, ms, runs, options, build: wasmBuild() };
  }

  subscribe(fn) {
    this.listeners.add(fn);
  }

  changed({ keepRanks = false } = {}) {
    for (const fn of this.listeners) fn({ keepRanks });
  }
}
