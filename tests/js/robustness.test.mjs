// No panic crosses the boundary: ~300 seeded weird values go into every entry point;
// each call either succeeds or throws a GoodsRankerError (a WebAssembly.RuntimeError
// such as "unreachable", a TypeError from the glue, or anything else fails), and the
// engine still returns its baseline feed afterwards.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Profile } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';
import { NOW, fixture, mulberry32 } from './helpers.mjs';

const { catalog, engine, profile } = fixture();
const small = sampleCatalog({ offers: 30, embeddingDim: 4 });
const OPTS = { now: NOW, limit: 30 };
const rng = mulberry32(0x5eed2025);
const pick = (xs) => xs[Math.floor(rng() * xs.length)];
const chance = (p) => rng() < p;

// ---------------------------------------------------------------- weird values

const NUMBERS = [
  0, -0, 1, -1, 2, 7, 17, 90, 91, -90.5, 180, 181, 0.5, 1.5, -3, 100, 101, 150, 151, 1000, 1001,
  NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, 1e-300, 3.5e38, 1e39,
  2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 8.64e15, 8.64e15 + 1,
  Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.EPSILON, NOW, -NOW,
];
// (No number in [20 000, 1 000 000]: `sampleCatalog({ offers })` would legitimately build a huge catalog.)
const STRINGS = [
  '', ' ', 'x', '0', '12', '-3', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}',
  '{"version":1}', '{"version":1,"stores":[],"offers":[]}', '{"version":', 'wgs84', 'gcj02', 'bd09',
  'purchase', 'dismiss', 'zh-CN', 'en', 'gauss', 'proximity', 's999', 'no-such-offer',
  '\u0000', '\uffff', '\ud800', '🍺🍺', '酒类', '土鸡蛋', 'R0dQRgE=', 'GRPF', '!!!', '====',
  'x'.repeat(129), '长'.repeat(300), 'a'.repeat(100_000),
];
const BYTES = () => {
  const n = pick([0, 1, 4, 5, 6, 16, 64, 300, 5000]);
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rng() * 256);
  if (n >= 5 && chance(0.5)) b.set([0x47, 0x52, 0x50, 0x46, chance(0.5) ? 1 : b[4]]); // "GRPF" + version
  return b;
};

function weird(depth = 0) {
  const r = rng();
  if (r < 0.06) return undefined;
  if (r < 0.1) return null;
  if (r < 0.13) return chance(0.5);
  if (r < 0.33) return chance(0.8) ? pick(NUMBERS) : Math.floor((rng() - 0.5) * 2 ** (1 + Math.floor(rng() * 60)));
  if (r < 0.48) return pick(STRINGS);
  if (r < 0.52) return chance(0.5) ? BigInt(Math.floor(rng() * 1e6)) : Symbol('weird');
  if (r < 0.57) return BYTES();
  if (r < 0.6) return pick([new Date(NOW), new Map([[1, 2]]), new Set([1]), Object.create(null), () => 1, new ArrayBuffer(8), new Float64Array([NaN, 1]), /re/]);
  if (depth >= 3) return pick(NUMBERS);
  if (r < 0.75) {
    // arrays: empty, small, huge, sparse
    const kind = rng();
    if (kind < 0.2) return [];
    if (kind < 0.3) return new Array(pick([10_000, 100_000])).fill(pick([0, 'x', null, {}]));
    if (kind < 0.35) return [, , 1]; // eslint-disable-line no-sparse-arrays
    return Array.from({ length: 1 + Math.floor(rng() * 4) }, () => weird(depth + 1));
  }
  // objects, nested
  const keys = ['id', 'name', 'lat', 'lng', 'price', 'version', 'offers', 'stores', 'type', 'at', 'limit', 'now', 'weights', 'location', 'x', '__proto__', 'constructor', ''];
  const o = {};
  const n = Math.floor(rng() * 4);
  for (let i = 0; i < n; i++) {
    const k = pick(keys);
    if (k === '__proto__') continue;
    o[k] = weird(depth + 1);
  }
  return o;
}

/** A copy of `template` with one to three (possibly nested) fields replaced by weird values. */
function mutant(template) {
  const copy = structuredClone(template);
  const n = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < n; i++) {
    let target = copy;
    // Walk down a random path of objects/arrays.
    for (let d = 0; d < 4; d++) {
      const keys = Object.keys(target);
      if (keys.length === 0) break;
      const k = pick(keys);
      const v = target[k];
      if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && chance(0.6)) {
        target = v;
        continue;
      }
      if (chance(0.15)) delete target[k];
      else target[k] = weird(2);
      break;
    }
    if (chance(0.1)) copy[pick(['typo', 'originalPrce', 'limt'])] = weird(2);
  }
  return copy;
}

const offerTemplate = { ...structuredClone(small.offers[3]), id: 'fz-offer' };
const storeTemplate = { ...structuredClone(small.stores[1]), id: 'fz-store' };
const TEMPLATES = {
  catalog: { ...structuredClone(small), offers: small.offers.slice(0, 6), stores: small.stores },
  offers: [offerTemplate, { ...offerTemplate, id: 'fz-offer-2', embedding: [0.1, 0.2, 0.3, 0.4] }],
  stores: [storeTemplate],
  event: { type: 'purchase', offerId: 'o00001', at: NOW - 86400e3, quantity: 2, price: 9.9, category: '蛋品' },
  user: { age: 30, incomeBand: 3, monthlyIncome: 9000, location: { lat: 39.99, lng: 116.47, datum: 'gcj02' }, history: [{ offerId: 'o00001', category: '蛋品', price: 25.9, quantity: 1, at: NOW - 6 * 86400e3 }] },
  rankOptions: { now: NOW, limit: 10, locale: 'en', location: { lat: 39.99, lng: 116.47, datum: 'wgs84' }, weights: { proximity: 2, boost: 0.5 }, proximity: { function: 'exp', offsetKm: 0.1, scaleKm: 2, decay: 0.4 }, exclude: ['o00001'], allowUnknownAge: true },
  engineOptions: { weights: { popularity: 3 }, proximity: { function: 'linear', scaleKm: 1 }, locale: 'zh-CN', allowUnknownAge: false },
  sampleOptions: { offers: 20, embeddingDim: 4, seed: 7 },
};

/** ~300 weird values: plain weird values and right-shaped objects with wrong fields. */
const VALUES = Array.from({ length: 300 }, () => weird());

// ---------------------------------------------------------------- harness

function describeValue(v) {
  const seen = new WeakSet();
  let s;
  try {
    s = JSON.stringify(v, (k, x) => {
      if (typeof x === 'bigint') return `${x}n`;
      if (typeof x === 'symbol') return x.toString();
      if (typeof x === 'function') return 'function';
      if (typeof x === 'number' && !Number.isFinite(x)) return String(x);
      if (x === undefined) return 'undefined';
      if (x instanceof Uint8Array) return `Uint8Array(${x.length})`;
      if (x !== null && typeof x === 'object') {
        if (seen.has(x)) return '[cycle]';
        seen.add(x);
        if (Array.isArray(x) && x.length > 8) return `Array(${x.length})`;
      }
      if (typeof x === 'string' && x.length > 40) return `${x.slice(0, 20)}…(${x.length})`;
      return x;
    });
  } catch {
    s = Object.prototype.toString.call(v);
  }
  if (s === undefined) s = typeof v === 'symbol' ? v.toString() : String(v);
  return s.length > 160 ? `${s.slice(0, 160)}…` : s;
}

/**
 * Calls `fn(arg)` for every arg; collects every outcome that is neither success nor a
 * GoodsRankerError. Returns the number of successes.
 */
function fuzz(label, args, fn, violations) {
  let ok = 0;
  for (const arg of args) {
    try {
      fn(arg);
      ok++;
    } catch (e) {
      const good =
        e instanceof Error &&
        e.name === 'GoodsRankerError' &&
        typeof e.code === 'string' &&
        ['invalidInput', 'unknownId', 'duplicateId', 'corruptState', 'tooLarge'].includes(e.code) &&
        typeof e.path === 'string' &&
        (e.path === '' || e.message.startsWith(`${e.path}: `));
      if (!good) {
        violations.push(`${label}(${describeValue(arg)}) threw ${e?.constructor?.name}: ${e?.name} ${e?.code ?? ''} ${e?.message}`);
      }
    }
  }
  return ok;
}

/** Fails with a readable list, grouping violations by their error. */
function assertNoViolations(violations) {
  if (violations.length === 0) return;
  const groups = new Map();
  for (const v of violations) {
    const key = v.replace(/^.*? threw /, '');
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(v);
  }
  const lines = [...groups.entries()].map(([k, vs]) => `${vs.length}× ${k}\n      e.g. ${vs.slice(0, 3).join('\n           ')}`);
  assert.fail(`${violations.length} calls threw something other than a GoodsRankerError:\n  ${lines.join('\n  ')}`);
}

let baseline;
let baselineFiltered;
const grandma = profile('grandma');
before(() => {
  baseline = engine.rank(grandma, OPTS);
  baselineFiltered = engine.filtered(grandma, { now: NOW });
});

const args = (template, n = 150) => [...VALUES, ...Array.from({ length: n }, () => mutant(template))];

// ---------------------------------------------------------------- tests

describe('every entry point survives weird input', () => {
  test('Engine.fromCatalog(catalog) and (catalog, options)', () => {
    const v = [];
    const made = [];
    fuzz('Engine.fromCatalog', args(TEMPLATES.catalog), (x) => made.push(Engine.fromCatalog(x)), v);
    fuzz('Engine.fromCatalog(json)', VALUES.slice(0, 60).map((x) => { try { return JSON.stringify(mutant(TEMPLATES.catalog)); } catch { return String(x); } }), (x) => made.push(Engine.fromCatalog(x)), v);
    fuzz('Engine.fromCatalog(small, options)', args(TEMPLATES.engineOptions), (x) => made.push(Engine.fromCatalog(small, x)), v);
    // Whatever loaded also ranks without crashing.
    const p = profile('office-worker');
    fuzz('rank on a fuzz-built engine', made, (e) => e.rank(p, { now: NOW, limit: 5 }), v);
    for (const e of made) e.free();
    assertNoViolations(v);
  });

  test('engine.rank / engine.filtered options', () => {
    const v = [];
    let ok = fuzz('engine.rank', args(TEMPLATES.rankOptions), (x) => {
      const out = engine.rank(grandma, x);
      assert.ok(Array.isArray(out));
    }, v);
    ok += fuzz('engine.filtered', args(TEMPLATES.rankOptions), (x) => {
      const out = engine.filtered(grandma, x);
      assert.ok(Array.isArray(out));
    }, v);
    assert.ok(ok > 0, 'some option sets are valid');
    assertNoViolations(v);
  });

  test('engine.record and profile.record', () => {
    const v = [];
    const p1 = profile('parent');
    const p2 = new Profile();
    fuzz('engine.record', args(TEMPLATES.event), (x) => engine.record(p1, x), v);
    fuzz('profile.record', args(TEMPLATES.event), (x) => p2.record(x), v);
    // The fuzzed profiles still rank, save and load.
    for (const p of [p1, p2]) {
      assert.ok(Array.isArray(engine.rank(p, OPTS)));
      assert.deepEqual(engine.rank(Profile.load(p.toBytes()), OPTS), engine.rank(p, OPTS));
    }
    assertNoViolations(v);
  });

  test('Profile.fromUser and profile.setUser', () => {
    const v = [];
    const p = profile('grandma');
    fuzz('Profile.fromUser', args(TEMPLATES.user), (x) => Profile.fromUser(x), v);
    fuzz('profile.setUser', args(TEMPLATES.user), (x) => p.setUser(x), v);
    assert.ok(Array.isArray(engine.rank(p, OPTS)));
    assertNoViolations(v);
  });

  test('Profile.load on garbage, flipped bytes and bad base64', () => {
    const v = [];
    const saved = profile('parent').toBytes();
    const flipped = Array.from({ length: 200 }, () => {
      const b = saved.slice();
      const flips = 1 + Math.floor(rng() * 3);
      for (let i = 0; i < flips; i++) b[Math.floor(rng() * b.length)] ^= 1 << Math.floor(rng() * 8);
      return chance(0.3) ? Buffer.from(b).toString('base64') : b;
    });
    const truncated = Array.from({ length: 40 }, () => saved.slice(0, Math.floor(rng() * saved.length)));
    let loaded = 0;
    fuzz('Profile.load', [...VALUES, ...flipped, ...truncated, ...Array.from({ length: 100 }, BYTES)], (x) => {
      const p = Profile.load(x);
      loaded++;
      engine.rank(p, { now: NOW, limit: 5 });
    }, v);
    assertNoViolations(v);
  });

  test('upsertOffers / upsertStores / removeOffers / setStock(id, stock) on a scratch engine', () => {
    const v = [];
    const scratch = Engine.fromCatalog(small);
    const realIds = small.offers.map((o) => o.id);
    fuzz('upsertOffers', [...VALUES, ...Array.from({ length: 150 }, () => mutant(TEMPLATES.offers))], (x) => scratch.upsertOffers(x), v);
    fuzz('upsertStores', [...VALUES, ...Array.from({ length: 150 }, () => mutant(TEMPLATES.stores))], (x) => scratch.upsertStores(x), v);
    fuzz('removeOffers', [...VALUES, ...Array.from({ length: 100 }, () => mutant([realIds[1], realIds[2], 'fz-offer']))], (x) => scratch.removeOffers(x), v);
    fuzz('setStock(realId, ·)', VALUES, (x) => scratch.setStock(realIds[5], x), v);
    assert.ok(Array.isArray(scratch.rank(profile('grandma'), OPTS)));
    scratch.free();
    assertNoViolations(v);
  });

  test('sampleCatalog(options) and sampleUsers(catalog, now)', () => {
    const v = [];
    fuzz('sampleCatalog', args(TEMPLATES.sampleOptions, 100), (x) => sampleCatalog(x), v);
    fuzz('sampleUsers(·, NOW)', args(TEMPLATES.catalog, 100), (x) => sampleUsers(x, NOW), v);
    assertNoViolations(v);
  });

  // `now` is an Option<f64> parameter: the generated glue converts it with ToNumber.
  test('sampleUsers(catalog, now) with a weird now', () => {
    const v = [];
    fuzz('sampleUsers(small, ·)', VALUES, (x) => sampleUsers(small, x), v);
    assertNoViolations(v);
  });

  // The profile argument is checked by the wasm-bindgen glue (`_assertClass`) before
  // wasm is entered; it throws its own plain Error (documented in the README). Those two
  // messages are the only acceptable non-GoodsRankerError outcomes here, and anything
  // else (a RuntimeError from inside wasm in particular) fails.
  test('a profile argument that is not a live Profile is refused before wasm is entered', () => {
    const v = [];
    const freed = new Profile();
    freed.free();
    const notProfiles = [...VALUES.slice(0, 40), freed, { __wbg_ptr: 1 }, Object.create(Profile.prototype)];
    const GLUE = new Set(['expected instance of Profile', 'null pointer passed to rust']);
    let refused = 0;
    const glueChecked = (label, fn) => (x) => {
      try {
        fn(x);
      } catch (e) {
        if (e?.constructor === Error && GLUE.has(e.message)) {
          refused++;
          return;
        }
        throw e;
      }
    };
    fuzz('engine.rank(·)', notProfiles, glueChecked('rank', (x) => engine.rank(x, OPTS)), v);
    fuzz('engine.filtered(·)', notProfiles, glueChecked('filtered', (x) => engine.filtered(x, OPTS)), v);
    fuzz('engine.record(·, event)', notProfiles, glueChecked('record', (x) => engine.record(x, TEMPLATES.event)), v);
    assertNoViolations(v);
    assert.equal(refused, notProfiles.length * 3, 'every non-profile argument must be refused');
  });

  // `offerId` is a &str parameter: the generated glue copies it into wasm memory without
  // checking it is a string, so these run last, right before the baseline check.
  test('mutating calls with weird arguments on the main engine', () => {
    const v = [];
    // None of these can be a valid, state-changing update (no real ids, no valid offers),
    // so the main engine must end exactly where it started.
    fuzz('engine.upsertOffers', VALUES, (x) => engine.upsertOffers(x), v);
    fuzz('engine.upsertStores', VALUES, (x) => engine.upsertStores(x), v);
    fuzz('engine.removeOffers', VALUES, (x) => engine.removeOffers(x), v);
    fuzz('engine.setStock(·, 0)', VALUES, (x) => engine.setStock(x, 0), v);
    fuzz('engine.setStock(·, ·)', VALUES.map((x, i) => [x, VALUES[(i * 7 + 3) % VALUES.length]]), ([a, b]) => engine.setStock(a, b), v);
    assertNoViolations(v);
  });
});

test('after all of that, the engine still returns the baseline feed', () => {
  assert.equal(engine.offerCount, catalog.offers.length);
  assert.equal(engine.embeddingDim, 16);
  assert.deepEqual(engine.rank(grandma, OPTS), baseline);
  assert.deepEqual(engine.filtered(grandma, { now: NOW }), baselineFiltered);
  // A fresh engine and profile built now agree with the old ones.
  assert.deepEqual(Engine.fromCatalog(catalog).rank(profile('grandma'), OPTS), baseline);
});
