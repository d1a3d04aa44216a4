// No panic crosses the boundary: property tests (fast-check) feed weird values into
// every entry point; each call either succeeds or throws a GoodsRankerError (a
// WebAssembly.RuntimeError such as "unreachable", a TypeError from the glue, or anything
// else fails the property, and fast-check shrinks the input to a small counterexample),
// and the engine still returns its baseline feed afterwards.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Engine, Profile } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';
import { NOW, fixture } from './helpers.mjs';

const { catalog, engine, profile } = fixture();
const small = sampleCatalog({ offers: 30, embeddingDim: 4 });
const OPTS = { now: NOW, limit: 30 };

// A fixed seed: every run (locally and in CI) checks exactly the same cases, so a
// failure reproduces with the same command, and fast-check's report (seed, path,
// shrunk counterexample) replays it directly. `FC_SEED=<integer>` runs another
// sequence of cases locally, to explore beyond the fixed one.
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 0x5eed2025;
// The report shows the error the shrunk counterexample raised, not only the input.
const runs = (numRuns, examples) => ({ numRuns, seed: SEED, includeErrorInReport: true, ...(examples && { examples }) });

// ---------------------------------------------------------------- weird values

const NUMBERS = [
  0, -0, 1, -1, 2, 7, 17, 90, 91, -90.5, 180, 181, 0.5, 1.5, -3, 100, 101, 150, 151, 1000, 1001,
  NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, 1e-300, 3.5e38, 1e39,
  2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 8.64e15, 8.64e15 + 1,
  Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.EPSILON, NOW, -NOW,
];
// No number in [20 000, 1 000 000]: `sampleCatalog({ offers })` would legitimately build a huge catalog.
const notHuge = (x) => !(x >= 20_000 && x <= 1_000_000);
const numberArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NUMBERS) },
  // Any double (NaN, ±Infinity, -0 and subnormals included) and integers up to ±2^53.
  { weight: 1, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()).filter(notHuge) },
);

const STRINGS = [
  '', ' ', 'x', '0', '12', '-3', 'NaN', 'Infinity', 'null', 'undefined', 'true', '[]', '{}',
  '{"version":1}', '{"version":1,"stores":[],"offers":[]}', '{"version":', 'wgs84', 'gcj02', 'bd09',
  'purchase', 'dismiss', 'zh-CN', 'en', 'gauss', 'proximity', 's999', 'no-such-offer',
  '\u0000', '\uffff', '\ud800', '🍺🍺', '酒类', '土鸡蛋', 'R0dQRgE=', 'GRPF', '!!!', '====',
  'x'.repeat(129), '长'.repeat(300), 'a'.repeat(100_000),
];
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const stringArb = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 12 }) },
  // Any UTF-16 code units, lone surrogates included.
  { weight: 1, arbitrary: fc.string({ unit: utf16Unit, maxLength: 12 }) },
);

/** Prints as `label` in fast-check's counterexamples instead of every element. */
const labelled = (value, label) => Object.defineProperty(value, fc.toStringMethod, { value: () => label });

const savedVersion = profile('parent').toBytes()[4];
/** Random bytes, half of them behind a saved profile's `GRPF` magic and version byte. */
const bytesArb = fc
  .constantFrom(0, 1, 4, 5, 6, 16, 64, 300, 5000)
  .chain((n) => fc.tuple(fc.uint8Array({ minLength: n, maxLength: n }), fc.constantFrom('raw', 'magic', 'magic+v1', 'magic+current')))
  .map(([generated, head]) => {
    const b = generated.slice(); // never change a value fast-check generated (it reuses them while shrinking)
    if (b.length >= 5 && head !== 'raw') {
      b.set([0x47, 0x52, 0x50, 0x46]);
      if (head === 'magic+v1') b[4] = 1;
      if (head === 'magic+current') b[4] = savedVersion;
    }
    return b;
  });

const bigintOrSymbolArb = fc.oneof(fc.bigInt(), fc.string({ maxLength: 4 }).map((s) => Symbol(s)));

const OTHER_OBJECTS = [
  () => new Date(NOW), () => new Date(NaN), () => new Map([[1, 2]]), () => new Set([1]), () => Object.create(null),
  () => () => 1, () => new ArrayBuffer(8), () => new Float64Array([NaN, 1]), () => /re/,
  () => new Number(NaN), () => new String('x'), () => new Boolean(false), // eslint-disable-line no-new-wrappers
];
const otherObjectArb = fc.integer({ min: 0, max: OTHER_OBJECTS.length - 1 }).map((i) => OTHER_OBJECTS[i]());

/** Empty, huge (filled) and sparse arrays; small arrays of weird values come from `weirdArb`. */
const specialArrayArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null).map(() => []) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(10_000, 100_000), fc.constantFrom(0, 'x', null, 'object'))
      .map(([n, fill]) => labelled(new Array(n).fill(fill === 'object' ? {} : fill), `new Array(${n}).fill(${fill === 'object' ? '{}' : JSON.stringify(fill)})`)),
  },
  { weight: 1, arbitrary: fc.constant(null).map(() => [, , 1]) }, // eslint-disable-line no-sparse-arrays
);

const KEYS = ['id', 'name', 'lat', 'lng', 'price', 'version', 'offers', 'stores', 'type', 'at', 'limit', 'now', 'weights', 'location', 'x', '__proto__', 'constructor', ''];
/** An object from key/value pairs; `__proto__` becomes an own key, as `JSON.parse` makes it. */
function objectFrom(entries) {
  const o = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/**
 * Weird values nested at most `maxDepth` containers deep: undefined, null, booleans,
 * edge numbers, odd strings, BigInt, Symbol, byte arrays, dates/maps/sets/functions/typed
 * arrays/boxed primitives, empty/huge/sparse arrays, small arrays and objects of weird
 * values with keys the API uses, and whatever `fc.anything` makes of the same leaves.
 */
function weirdArb(maxDepth) {
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { maxDepth }, // past maxDepth the first arbitrary (numbers) is used
      { weight: 20, arbitrary: numberArb },
      { weight: 6, arbitrary: fc.constant(undefined) },
      { weight: 4, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.boolean() },
      { weight: 15, arbitrary: stringArb },
      { weight: 4, arbitrary: bigintOrSymbolArb },
      { weight: 5, arbitrary: bytesArb },
      { weight: 3, arbitrary: otherObjectArb },
      { weight: 4, arbitrary: specialArrayArb },
      { weight: 11, arbitrary: fc.array(tie('value'), { minLength: 1, maxLength: 4 }) },
      { weight: 20, arbitrary: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('value')), { maxLength: 3 }).map(objectFrom) },
      {
        weight: 5,
        arbitrary: fc.anything({
          maxDepth: Math.min(maxDepth, 2),
          values: [numberArb, stringArb, fc.boolean(), fc.constant(null), fc.constant(undefined)],
          withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true,
          withNullPrototype: true, withObjectString: true, withSparseArray: true, withTypedArray: true,
        }),
      },
    ),
  })).value;
}

const WEIRD = weirdArb(3);
const WEIRD_FIELD = weirdArb(1);

/**
 * One change to a (possibly nested) field: walk down a path of objects/arrays (each
 * step picks a key and goes deeper 60 % of the time), then delete that field (15 %) or
 * replace it with a weird value; sometimes also add a misspelt top-level field.
 */
const mutationArb = fc.record({
  path: fc.array(fc.record({ key: fc.nat(), deeper: fc.nat(9) }), { minLength: 4, maxLength: 4 }),
  remove: fc.nat(19),
  value: WEIRD_FIELD,
  typo: fc.oneof(
    { weight: 9, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('typo', 'originalPrce', 'limt'), WEIRD_FIELD) },
  ),
});

/**
 * A copy of `template` with the mutations applied. Values fast-check generated are
 * placed into the copy but never walked into or changed (fast-check reuses them while
 * shrinking).
 */
function applyMutations(template, mutations) {
  const copy = structuredClone(template);
  const generated = new WeakSet();
  const place = (target, k, v) => {
    target[k] = v;
    if ((v !== null && typeof v === 'object') || typeof v === 'function') generated.add(v);
  };
  for (const m of mutations) {
    let target = copy;
    for (const step of m.path) {
      const keys = Object.keys(target);
      if (keys.length === 0) break;
      const k = keys[step.key % keys.length];
      const v = target[k];
      if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v) && !generated.has(v) && step.deeper < 6) {
        target = v;
        continue;
      }
      if (m.remove < 3) delete target[k];
      else place(target, k, m.value);
      break;
    }
    if (m.typo) place(copy, m.typo[0], m.typo[1]);
  }
  return copy;
}

/** Right-shaped copies of `template` with one to three wrong or missing fields. */
const mutantArb = (template) =>
  fc.array(mutationArb, { minLength: 1, maxLength: 3 }).map((ms) => applyMutations(template, ms));

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

/** Plain weird values (two thirds) and right-shaped objects with wrong fields (one third). */
const argsArb = (template, mutantShare = 1 / 3) =>
  fc.oneof(
    { weight: Math.round(100 * (1 - mutantShare)), arbitrary: WEIRD },
    { weight: Math.round(100 * mutantShare), arbitrary: mutantArb(template) },
  );

// ---------------------------------------------------------------- harness

const CODES = ['invalidInput', 'unknownId', 'duplicateId', 'corruptState', 'tooLarge'];
function isGoodsRankerError(e) {
  return (
    e instanceof Error &&
    e.name === 'GoodsRankerError' &&
    typeof e.code === 'string' &&
    CODES.includes(e.code) &&
    typeof e.path === 'string' &&
    (e.path === '' || e.message.startsWith(`${e.path}: `))
  );
}

/**
 * Runs `call()`: returns its result, or `undefined` if it threw a GoodsRankerError;
 * anything else thrown fails the property.
 */
function refusesOrReturns(label, call) {
  try {
    return call();
  } catch (e) {
    if (isGoodsRankerError(e)) return undefined;
    throw new Error(`${label} threw ${e?.constructor?.name}: ${e?.name} ${e?.code ?? ''} ${e?.message}`, { cause: e });
  }
}

/** The property "`fn(x)` succeeds or throws a GoodsRankerError". */
const survives = (label, fn) => (x) => {
  refusesOrReturns(label, () => fn(x));
};

let baseline;
let baselineFiltered;
const grandma = profile('grandma');
before(() => {
  baseline = engine.rank(grandma, OPTS);
  baselineFiltered = engine.filtered(grandma, { now: NOW });
});

// ---------------------------------------------------------------- tests

describe('every entry point survives weird input', () => {
  test('Engine.fromCatalog(catalog) and (catalog, options); whatever loads also ranks', () => {
    const p = profile('office-worker');
    const loadsAndRanks = (label, build) => (x) => {
      const made = refusesOrReturns(label, () => build(x));
      if (made === undefined) return;
      try {
        refusesOrReturns(`rank on the engine ${label} built`, () => made.rank(p, { now: NOW, limit: 5 }));
      } finally {
        made.free();
      }
    };
    fc.assert(fc.property(argsArb(TEMPLATES.catalog), loadsAndRanks('Engine.fromCatalog', (x) => Engine.fromCatalog(x))), runs(450));
    // The JSON text of a mutated catalog (BigInt written as a number), whole or cut short.
    const jsonArb = fc
      .tuple(mutantArb(TEMPLATES.catalog), fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }))
      .map(([m, cut]) => {
        const text = JSON.stringify(m, (k, v) => (typeof v === 'bigint' ? Number(v) : v));
        return cut === null || text === undefined ? text : text.slice(0, cut % (text.length + 1));
      });
    fc.assert(fc.property(jsonArb, loadsAndRanks('Engine.fromCatalog(json)', (x) => Engine.fromCatalog(x))), runs(150));
    fc.assert(fc.property(argsArb(TEMPLATES.engineOptions), loadsAndRanks('Engine.fromCatalog(small, options)', (x) => Engine.fromCatalog(small, x))), runs(450));
  });

  test('engine.rank / engine.filtered options', () => {
    let ok = 0;
    const returnsAFeed = (label, call) => (x) => {
      const out = refusesOrReturns(label, () => call(x));
      if (out === undefined) return;
      assert.ok(Array.isArray(out), `${label} returned ${typeof out}`);
      ok++;
    };
    fc.assert(fc.property(argsArb(TEMPLATES.rankOptions), returnsAFeed('engine.rank', (x) => engine.rank(grandma, x))), runs(450));
    fc.assert(fc.property(argsArb(TEMPLATES.rankOptions), returnsAFeed('engine.filtered', (x) => engine.filtered(grandma, x))), runs(450));
    assert.ok(ok > 0, 'some option sets are valid');
  });

  test('engine.record and profile.record', () => {
    const p1 = profile('parent');
    const p2 = new Profile();
    fc.assert(fc.property(argsArb(TEMPLATES.event), survives('engine.record', (x) => engine.record(p1, x))), runs(450));
    fc.assert(fc.property(argsArb(TEMPLATES.event), survives('profile.record', (x) => p2.record(x))), runs(450));
    // The fuzzed profiles still rank, save and load.
    for (const p of [p1, p2]) {
      assert.ok(Array.isArray(engine.rank(p, OPTS)));
      assert.deepEqual(engine.rank(Profile.load(p.toBytes()), OPTS), engine.rank(p, OPTS));
    }
  });

  test('Profile.fromUser and profile.setUser', () => {
    const p = profile('grandma');
    fc.assert(fc.property(argsArb(TEMPLATES.user), survives('Profile.fromUser', (x) => Profile.fromUser(x))), runs(450));
    fc.assert(fc.property(argsArb(TEMPLATES.user), survives('profile.setUser', (x) => p.setUser(x))), runs(450));
    assert.ok(Array.isArray(engine.rank(p, OPTS)));
  });

  describe('Profile.load', () => {
    const saved = profile('parent').toBytes();
    const savedBase64 = profile('parent').toBase64();
    /** Loads `x`; returns the error it threw (which must be a GoodsRankerError), or undefined. */
    const loadOrError = (x) => {
      let p;
      try {
        p = Profile.load(x);
      } catch (e) {
        if (!isGoodsRankerError(e)) throw new Error(`Profile.load threw ${e?.constructor?.name}: ${e?.name} ${e?.message}`, { cause: e });
        return e;
      }
      refusesOrReturns('rank with the loaded profile', () => engine.rank(p, { now: NOW, limit: 5 }));
      return undefined;
    };

    test('weird values and random bytes load or give corruptState at "profile"', () => {
      const garbageArb = fc.oneof({ weight: 3, arbitrary: WEIRD }, { weight: 1, arbitrary: bytesArb });
      fc.assert(
        fc.property(garbageArb, (x) => {
          const e = loadOrError(x);
          if (e !== undefined) assert.deepEqual([e.code, e.path], ['corruptState', 'profile'], e.message);
        }),
        runs(400),
      );
    });

    test('a saved profile with one to three flipped bits (bytes or base64) is rejected as corruptState', () => {
      const flipsArb = fc.record({
        flips: fc.array(fc.tuple(fc.nat(saved.length - 1), fc.nat(7)), { minLength: 1, maxLength: 3 }),
        asBase64: fc.boolean(),
      });
      fc.assert(
        fc.property(flipsArb, ({ flips, asBase64 }) => {
          const b = saved.slice();
          for (const [i, bit] of flips) b[i] ^= 1 << bit;
          const e = loadOrError(asBase64 ? Buffer.from(b).toString('base64') : b);
          // Flipping the same bit twice restores the saved profile, which loads.
          if (b.every((x, i) => x === saved[i])) assert.equal(e, undefined, 'the intact profile loads');
          else assert.equal(e?.code, 'corruptState', `corrupted bytes must be refused, got ${e ? e.code : 'a loaded profile'}`);
        }),
        runs(200),
      );
    });

    test('a saved profile cut short (bytes or base64 text) is rejected as corruptState', () => {
      const cutArb = fc.oneof(
        fc.nat(saved.length - 1).map((n) => saved.slice(0, n)),
        fc.nat(savedBase64.length - 1).map((n) => savedBase64.slice(0, n)),
      );
      fc.assert(
        fc.property(cutArb, (x) => {
          assert.equal(loadOrError(x)?.code, 'corruptState');
        }),
        runs(100),
      );
    });
  });

  test('upsertOffers / upsertStores / removeOffers / setStock(id, stock) on a scratch engine', () => {
    const scratch = Engine.fromCatalog(small);
    const realIds = small.offers.map((o) => o.id);
    fc.assert(fc.property(argsArb(TEMPLATES.offers), survives('upsertOffers', (x) => scratch.upsertOffers(x))), runs(450));
    fc.assert(fc.property(argsArb(TEMPLATES.stores), survives('upsertStores', (x) => scratch.upsertStores(x))), runs(450));
    fc.assert(fc.property(argsArb([realIds[1], realIds[2], 'fz-offer'], 1 / 4), survives('removeOffers', (x) => scratch.removeOffers(x))), runs(400));
    fc.assert(fc.property(WEIRD, survives('setStock(realId, ·)', (x) => scratch.setStock(realIds[5], x))), runs(300));
    assert.ok(Array.isArray(scratch.rank(profile('grandma'), OPTS)));
    scratch.free();
  });

  test('sampleCatalog(options) and sampleUsers(catalog, now)', () => {
    fc.assert(fc.property(argsArb(TEMPLATES.sampleOptions, 1 / 4), survives('sampleCatalog', (x) => sampleCatalog(x))), runs(400));
    fc.assert(fc.property(argsArb(TEMPLATES.catalog, 1 / 4), survives('sampleUsers(·, NOW)', (x) => sampleUsers(x, NOW))), runs(400));
  });

  // `now` is an Option<f64> parameter: the generated glue converts it with ToNumber.
  test('sampleUsers(catalog, now) with a weird now', () => {
    fc.assert(fc.property(WEIRD, survives('sampleUsers(small, ·)', (x) => sampleUsers(small, x))), runs(300));
  });

  // The profile argument is checked by the wasm-bindgen glue (`_assertClass`) before
  // wasm is entered; it throws its own plain Error (documented in the README). Every
  // non-profile argument must be refused with one of those two messages: a success, a
  // GoodsRankerError or a RuntimeError from inside wasm all fail.
  test('a profile argument that is not a live Profile is refused before wasm is entered', () => {
    const freed = new Profile();
    freed.free();
    const examples = [[freed], [{ __wbg_ptr: 1 }], [Object.create(Profile.prototype)]];
    const GLUE = new Set(['expected instance of Profile', 'null pointer passed to rust']);
    const refusedByGlue = (label, call) => (x) => {
      try {
        call(x);
      } catch (e) {
        if (e?.constructor === Error && GLUE.has(e.message)) return;
        throw new Error(`${label} threw ${e?.constructor?.name}: ${e?.name} ${e?.code ?? ''} ${e?.message}`, { cause: e });
      }
      assert.fail(`${label} accepted a non-profile`);
    };
    fc.assert(fc.property(WEIRD, refusedByGlue('engine.rank(·)', (x) => engine.rank(x, OPTS))), runs(100, examples));
    fc.assert(fc.property(WEIRD, refusedByGlue('engine.filtered(·)', (x) => engine.filtered(x, OPTS))), runs(100, examples));
    fc.assert(fc.property(WEIRD, refusedByGlue('engine.record(·, event)', (x) => engine.record(x, TEMPLATES.event))), runs(100, examples));
  });

  // `offerId` is a &str parameter: the generated glue copies it into wasm memory without
  // checking it is a string, so these run last, right before the baseline check.
  test('mutating calls with weird arguments on the main engine', () => {
    // None of these can be a valid, state-changing update (no real ids, no valid offers),
    // so the main engine must end exactly where it started.
    fc.assert(fc.property(WEIRD, survives('engine.upsertOffers', (x) => engine.upsertOffers(x))), runs(300));
    fc.assert(fc.property(WEIRD, survives('engine.upsertStores', (x) => engine.upsertStores(x))), runs(300));
    fc.assert(fc.property(WEIRD, survives('engine.removeOffers', (x) => engine.removeOffers(x))), runs(300));
    fc.assert(fc.property(WEIRD, survives('engine.setStock(·, 0)', (x) => engine.setStock(x, 0))), runs(300));
    fc.assert(fc.property(WEIRD, WEIRD, (a, b) => survives('engine.setStock(·, ·)', () => engine.setStock(a, b))()), runs(300));
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
