// The demo's state: one Engine over the sample catalog, one Profile for the person
// using the page, and the page settings. The profile is saved with the engine's own
// format (profile.toBase64) in localStorage; the page keeps a small mirror of what it
// set (age, income band, location) to draw its controls, since Profile has no getters.
// The package's browser entry: init() loads the SIMD build where supported.
import init, { Engine, Group, Profile, assignVariant, wasmBuild } from '../pkg/web.js';
import { loadSampleData } from './data.js';
import { toGcj02 } from './geo.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
/** China Standard Time, the profile's default time zone (minutes east of UTC). */
const UTC_OFFSET_MS = 480 * 60_000;

/**
 * The demo's A/B experiment: half the users get the plain feed, half a diverse one
 * (at most 2 per category, MMR, one exploration slot). The page's switch can also
 * force a variant: the same experiment with the other variant's split set to 0.
 */
export const EXPERIMENT = {
  name: 'demo-diverse-feed',
  variants: [
    { name: 'control', split: 0.5 },
    { name: 'diverse', split: 0.5, diversity: { maxPerCategory: 2, mmrLambda: 0.8 }, explore: { seed: 1, slots: 1 } },
  ],
};
export const EXPERIMENT_MODES = ['off', 'auto', 'control', 'diverse'];
/** Group members the page starts with: three very different neighbours. */
const DEFAULT_MEMBERS = ['grandma', 'parent', 'office-worker'];
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
    return {
      userId: DEFAULT_USER, age: null, incomeBand: null, location: null, locale: 'zh-CN', dayOffset: 0, limit: 20, log: [],
      experiment: 'off', pushHour: 10, pushBudget: 2, groupMembers: DEFAULT_MEMBERS, groupLimit: 5,
    };
  }

  // ---- actions ---------------------------------------------------------------------

  selectUser(id, { silent = false } = {}) {
    const sample = this.users.find((u) => u.id === id) ?? this.users[0];
    this.profile?.free();
    this.profile = Profile.fromUser(sample.user);
    const locale = this.state?.locale ?? 'zh-CN';
    const limit = this.state?.limit ?? 20;
    // Page settings that are not about the user survive switching users.
    const keep = this.state
      ? { experiment: this.state.experiment, pushHour: this.state.pushHour, pushBudget: this.state.pushBudget, groupMembers: this.state.groupMembers, groupLimit: this.state.groupLimit }
      : {};
    this.state = {
      ...this.defaults(),
      ...keep,
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

  /** Records one profile event (impression, click, cart, purchase, dismiss, push) at the simulated now. */
  record(type, offerId, at = this.now()) {
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

  /** Page settings of the feed-intelligence panels (no profile change). */
  setting(key, value) {
    this.state[key] = value;
    this.save();
    this.changed({ keepRanks: key !== 'experiment' });
  }

  toggleMember(id) {
    const members = new Set(this.state.groupMembers);
    if (members.has(id)) members.delete(id);
    else members.add(id);
    this.setting('groupMembers', this.users.map((u) => u.id).filter((u) => members.has(u)));
  }

  commit() {
    this.save();
    this.changed();
  }

  // ---- ranking -------------------------------------------------------------------

  now() {
    return Date.now() + this.state.dayOffset * DAY;
  }

  /** The experiment for the A/B switch: the real one, or one variant forced. */
  experiment() {
    const mode = this.state.experiment;
    if (mode === 'off' || !EXPERIMENT_MODES.includes(mode)) return null;
    if (mode === 'auto') return EXPERIMENT;
    return { ...EXPERIMENT, variants: EXPERIMENT.variants.map((v) => ({ ...v, split: v.name === mode ? 1 : 0 })) };
  }

  /** Which variant the user id would get in the real experiment. */
  assignment() {
    return assignVariant(this.state.userId, EXPERIMENT);
  }

  /** Ranks and lists the filtered offers; times a batch of rank calls (performance.now is coarse). */
  view() {
    const options = { now: this.now(), limit: this.state.limit, locale: this.state.locale };
    const experiment = this.experiment();
    if (experiment) Object.assign(options, { experiment, userId: this.state.userId });
    const started = performance.now();
    const { items: feed, variant } = this.engine.rankWithVariant(this.profile, options);
    let runs = 1;
    while (runs < 200 && performance.now() - started < 8) {
      this.engine.rankWithVariant(this.profile, options);
      runs += 1;
    }
    const ms = (performance.now() - started) / runs;
    const filtered = this.engine.filtered(this.profile, options);
    return { feed, variant: variant ?? null, filtered, ms, runs, options, build: wasmBuild() };
  }

  // ---- push gate -------------------------------------------------------------------

  /** The push gate's clock: the simulated day (Beijing time) at `hour`:00. */
  gateNow(hour = this.state.pushHour) {
    const local = this.now() + UTC_OFFSET_MS;
    return Math.floor(local / DAY) * DAY - UTC_OFFSET_MS + hour * HOUR;
  }

  gateOptions(now) {
    return { now, budgetPerDay: this.state.pushBudget, locale: this.state.locale };
  }

  shouldNotify() {
    return this.engine.shouldNotify(this.profile, this.gateOptions(this.gateNow()));
  }

  /**
   * A whole simulated day of the gate, every 30 minutes, on a copy of the profile that
   * records each push it allows: what the user's phone would see.
   */
  simulateDay() {
    const copy = Profile.load(this.profile.toBytes());
    try {
      return Array.from({ length: 48 }, (_, slot) => {
        const at = this.gateNow(0) + slot * 30 * 60_000;
        const d = this.engine.shouldNotify(copy, this.gateOptions(at));
        if (d.notify) this.engine.record(copy, { type: 'push', offerId: d.offer.offerId, at });
        return { slot, at, notify: d.notify, code: d.reason.code, text: d.reason.text, title: d.offer?.title ?? null };
      });
    } finally {
      copy.free();
    }
  }

  /** Sends the push the gate allows now (records it in the profile). */
  sendPush(offerId) {
    this.record('push', offerId, this.gateNow());
  }

  // ---- group selection -------------------------------------------------------------

  /** The 团长's picks for the chosen members, by coverage and (for comparison) by mean. */
  group() {
    const group = new Group();
    const profiles = [];
    try {
      for (const id of this.state.groupMembers) {
        const u = this.users.find((x) => x.id === id);
        if (!u) continue;
        const p = Profile.fromUser(u.user);
        profiles.push(p);
        group.add(p, this.state.locale === 'en' ? u.nameEn : u.name);
      }
      if (group.size === 0) return null;
      const options = { now: this.now(), limit: this.state.groupLimit, locale: this.state.locale };
      return {
        coverage: this.engine.rankForGroup(group, options),
        mean: this.engine.rankForGroup(group, { ...options, objective: 'mean' }),
      };
    } finally {
      for (const p of profiles) p.free();
      group.free();
    }
  }

  subscribe(fn) {
    this.listeners.add(fn);
  }

  changed({ keepRanks = false } = {}) {
    for (const fn of this.listeners) fn({ keepRanks });
  }
}
