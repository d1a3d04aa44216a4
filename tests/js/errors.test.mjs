// Bad input from JS gives a GoodsRankerError naming the path, and never damages the
// engine or the profile: after every error the same engine still ranks identically.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Profile } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';
import { NOW, fixture, assertGrError } from './helpers.mjs';

const { catalog, engine, profile } = fixture();
const grandma = profile('grandma');
const OPTS = { now: NOW, limit: 50 };
let baseline;
let baselineFiltered;
let grandmaBytes;

before(() => {
  baseline = engine.rank(grandma, OPTS);
  baselineFiltered = engine.filtered(grandma, { now: NOW });
  grandmaBytes = grandma.toBytes();
  assert.equal(baseline.length, 50);
});

/** The shared engine and profile still behave exactly as at the start. */
function assertIntact(label) {
  assert.equal(engine.offerCount, catalog.offers.length, `${label}: offerCount`);
  assert.deepEqual(engine.rank(grandma, OPTS), baseline, `${label}: feed changed`);
  assert.deepEqual(engine.filtered(grandma, { now: NOW }), baselineFiltered, `${label}: filtered changed`);
  assert.deepEqual(grandma.toBytes(), grandmaBytes, `${label}: profile changed`);
}

/** Expects a GoodsRankerError, then checks nothing was damaged. */
function expectError(label, fn, code, path) {
  const e = assertGrError(fn, code, path, label);
  assertIntact(label);
  return e;
}

/** A deep copy of the catalog with one change. */
function bad(mutate) {
  const c = structuredClone(catalog);
  mutate(c);
  return c;
}

describe('catalog errors (Engine.fromCatalog)', () => {
  test('wrong types', () => {
    const e1 = expectError('price "12"', () => Engine.fromCatalog(bad((c) => { c.offers[0].price = '12'; })), 'invalidInput', 'offers[0].price');
    assert.match(e1.message, /string/);
    expectError('stores {}', () => Engine.fromCatalog(bad((c) => { c.stores = {}; })), 'invalidInput', 'stores');
    expectError('stores "x"', () => Engine.fromCatalog(bad((c) => { c.stores = 's001'; })), 'invalidInput', 'stores');
    expectError('offers null', () => Engine.fromCatalog(bad((c) => { c.offers = null; })), 'invalidInput', 'offers');
    expectError('title number', () => Engine.fromCatalog(bad((c) => { c.offers[7].title = 7; })), 'invalidInput', 'offers[7].title');
    expectError('tags string', () => Engine.fromCatalog(bad((c) => { c.offers[7].tags = 'a,b'; })), 'invalidInput', 'offers[7].tags');
    expectError('catalog 5', () => Engine.fromCatalog(5), 'invalidInput', '');
    expectError('catalog undefined', () => Engine.fromCatalog(undefined), 'invalidInput', '');
    expectError('catalog "null"', () => Engine.fromCatalog('null'), 'invalidInput', '');
  });

  test('NaN and Infinity', () => {
    const e1 = expectError('price NaN', () => Engine.fromCatalog(bad((c) => { c.offers[3].price = NaN; })), 'invalidInput', 'offers[3].price');
    assert.match(e1.message, /NaN/);
    const e2 = expectError('price Infinity', () => Engine.fromCatalog(bad((c) => { c.offers[3].price = Infinity; })), 'invalidInput', 'offers[3].price');
    assert.match(e2.message, /Infinity/);
    expectError('lng -Infinity', () => Engine.fromCatalog(bad((c) => { c.stores[2].lng = -Infinity; })), 'invalidInput', 'stores[2].lng');
    expectError('popularity NaN', () => Engine.fromCatalog(bad((c) => { c.offers[5].popularity = NaN; })), 'invalidInput', 'offers[5].popularity');
    expectError('endsAt Infinity', () => Engine.fromCatalog(bad((c) => { c.offers[5].endsAt = Infinity; })), 'invalidInput', 'offers[5].endsAt');
  });

  test('missing required fields', () => {
    const e = expectError('offer without id', () => Engine.fromCatalog(bad((c) => { delete c.offers[2].id; })), 'invalidInput');
    assert.ok(e.path === 'offers[2]' || e.path === 'offers[2].id', e.path);
    assert.match(e.message, /\bid\b/);
    const v = expectError('no version', () => Engine.fromCatalog(bad((c) => { delete c.version; })), 'invalidInput');
    assert.match(v.message, /version/);
    const s = expectError('store without lat', () => Engine.fromCatalog(bad((c) => { delete c.stores[4].lat; })), 'invalidInput');
    assert.ok(s.path.startsWith('stores[4]'), s.path);
    assert.match(s.message, /lat/);
  });

  test('out-of-range values', () => {
    const e = expectError('lat 91', () => Engine.fromCatalog(bad((c) => { c.stores[0].lat = 91; })), 'invalidInput', 'stores[0].lat');
    assert.match(e.message, /91/);
    expectError('lng 181', () => Engine.fromCatalog(bad((c) => { c.stores[0].lng = 181; })), 'invalidInput', 'stores[0].lng');
    const neg = expectError('price -3', () => Engine.fromCatalog(bad((c) => { c.offers[12].price = -3; })), 'invalidInput', 'offers[12].price');
    assert.equal(neg.message, 'offers[12].price: expected a positive number, got -3');
    expectError('price 0', () => Engine.fromCatalog(bad((c) => { c.offers[12].price = 0; })), 'invalidInput', 'offers[12].price');
    expectError('originalPrice < price', () => Engine.fromCatalog(bad((c) => { c.offers[1].originalPrice = c.offers[1].price / 2; })), 'invalidInput', 'offers[1].originalPrice');
    expectError('boost 2', () => Engine.fromCatalog(bad((c) => { c.offers[1].boost = 2; })), 'invalidInput', 'offers[1].boost');
    expectError('stock -1', () => Engine.fromCatalog(bad((c) => { c.offers[1].stock = -1; })), 'invalidInput', 'offers[1].stock');
    expectError('incomeBands [9]', () => Engine.fromCatalog(bad((c) => { c.offers[1].incomeBands = [9]; })), 'invalidInput', 'offers[1].incomeBands[0]');
    expectError('ageMax < ageMin', () => Engine.fromCatalog(bad((c) => { c.offers[1].ageMin = 50; c.offers[1].ageMax = 10; })), 'invalidInput', 'offers[1].ageMax');
    expectError('endsAt < startsAt', () => Engine.fromCatalog(bad((c) => { c.offers[1].startsAt = NOW; c.offers[1].endsAt = NOW - 1; })), 'invalidInput', 'offers[1].endsAt');
    expectError('empty id', () => Engine.fromCatalog(bad((c) => { c.offers[1].id = ''; })), 'invalidInput', 'offers[1].id');
  });

  test('duplicate and unknown ids', () => {
    const d = expectError('duplicate offer id', () => Engine.fromCatalog(bad((c) => { c.offers[5].id = c.offers[1].id; })), 'duplicateId', 'offers[5].id');
    assert.ok(d.message.includes(catalog.offers[1].id), d.message);
    expectError('duplicate store id', () => Engine.fromCatalog(bad((c) => { c.stores[3].id = c.stores[1].id; })), 'duplicateId', 'stores[3].id');
    const u = expectError('unknown storeId', () => Engine.fromCatalog(bad((c) => { c.offers[4].storeId = 's999'; })), 'unknownId', 'offers[4].storeId');
    assert.ok(u.message.includes('s999'), u.message);
  });

  test('embeddings', () => {
    const e = expectError('embedding length 2', () => Engine.fromCatalog(bad((c) => { c.offers[4].embedding = [1, 2]; })), 'invalidInput', 'offers[4].embedding');
    assert.match(e.message, /16/);
    expectError('embedding NaN', () => Engine.fromCatalog(bad((c) => { c.offers[4].embedding[3] = NaN; })), 'invalidInput', 'offers[4].embedding[3]');
    expectError('embedding string', () => Engine.fromCatalog(bad((c) => { c.offers[4].embedding[3] = 'x'; })), 'invalidInput', 'offers[4].embedding[3]');
    expectError('embeddingDim 0', () => Engine.fromCatalog(bad((c) => { c.embeddingDim = 0; })), 'invalidInput', 'embeddingDim');
    expectError('embeddingDim 513', () => Engine.fromCatalog(bad((c) => { c.embeddingDim = 513; })), 'invalidInput', 'embeddingDim');
  });

  test('size limits give tooLarge', () => {
    expectError('id of 200 bytes', () => Engine.fromCatalog(bad((c) => { c.offers[0].id = 'x'.repeat(200); })), 'tooLarge', 'offers[0].id');
    expectError('40 tags', () => Engine.fromCatalog(bad((c) => { c.offers[0].tags = Array(40).fill('t'); })), 'tooLarge', 'offers[0].tags');
    expectError('title of 600 bytes', () => Engine.fromCatalog(bad((c) => { c.offers[0].title = '长'.repeat(200); })), 'tooLarge', 'offers[0].title');
    expectError('sampleCatalog 2e6 offers', () => sampleCatalog({ offers: 2_000_000 }), 'tooLarge', 'options.offers');
    // Arrays past the largest catalog are refused before they are copied into wasm
    // memory (not after running out of it).
    const long = expectError('1 000 001 offers', () => Engine.fromCatalog({ version: 1, stores: [], offers: new Array(1_000_001).fill(0) }), 'invalidInput', 'offers');
    assert.match(long.message, /more than 1000000 elements/);
    expectError('1 000 001 embedding values', () => Engine.fromCatalog(bad((c) => { c.offers[4].embedding = new Float32Array(1_000_001); })), 'invalidInput', 'offers[4].embedding');
  });

  test('throwing getters and Proxy traps become errors at their path', () => {
    const getter = { limit: 3, get now() { throw new Error('boom'); } };
    expectError('throwing getter', () => engine.rank(grandma, getter), 'invalidInput', 'options.now');
    const keys = new Proxy({}, { ownKeys() { throw new Error('boom'); } });
    expectError('throwing ownKeys', () => engine.rank(grandma, { now: NOW, weights: keys }), 'invalidInput', 'options.weights');
    const items = new Proxy(['o00001', 'o00002'], { get(t, k) { if (k === '1') throw new Error('boom'); return Reflect.get(t, k); } });
    expectError('throwing array element', () => engine.removeOffers(items), 'invalidInput', 'ids[1]');
  });

  test('JSON text and version', () => {
    const j = expectError('JSON syntax error', () => Engine.fromCatalog('{"version": 1, "stores": [,], "offers": []}'), 'invalidInput', '');
    assert.match(j.message, /JSON/);
    expectError('JSON bad field', () => Engine.fromCatalog(JSON.stringify(bad((c) => { c.offers[12].price = -3; }))), 'invalidInput', 'offers[12].price');
    const v = expectError('version 2', () => Engine.fromCatalog(bad((c) => { c.version = 2; })), 'invalidInput', 'version');
    assert.match(v.message, /\b2\b/);
    expectError('version "1"', () => Engine.fromCatalog(bad((c) => { c.version = '1'; })), 'invalidInput', 'version');
    // The good JSON text loads.
    assert.equal(Engine.fromCatalog(JSON.stringify(catalog)).offerCount, catalog.offers.length);
  });

  // A typo must fail loudly rather than be ignored.
  test('an unknown field (typo) is rejected', () => {
    const e = expectError('originalPrce', () => Engine.fromCatalog(bad((c) => { c.offers[1].originalPrce = 99; })), 'invalidInput');
    assert.ok(e.path.startsWith('offers[1]'), e.path);
    assert.match(e.message, /originalPrce/);
  });
});

describe('engine option and rank option errors', () => {
  test('bad rank options name options.*', () => {
    for (const fn of [(o) => engine.rank(grandma, o), (o) => engine.filtered(grandma, o)]) {
      expectError('limit 0', () => fn({ now: NOW, limit: 0 }), 'invalidInput', 'options.limit');
      expectError('limit 1001', () => fn({ now: NOW, limit: 1001 }), 'invalidInput', 'options.limit');
      expectError('limit 1.5', () => fn({ now: NOW, limit: 1.5 }), 'invalidInput', 'options.limit');
      expectError('limit "3"', () => fn({ now: NOW, limit: '3' }), 'invalidInput', 'options.limit');
      expectError('location lat 91', () => fn({ now: NOW, location: { lat: 91, lng: 116 } }), 'invalidInput', 'options.location.lat');
      expectError('location lng NaN', () => fn({ now: NOW, location: { lat: 40, lng: NaN } }), 'invalidInput', 'options.location.lng');
      expectError('datum bd09', () => fn({ now: NOW, location: { lat: 40, lng: 116, datum: 'bd09' } }), 'invalidInput', 'options.location.datum');
      expectError('weights.proximity -1', () => fn({ now: NOW, weights: { proximity: -1 } }), 'invalidInput', 'options.weights.proximity');
      expectError('weights.boost 101', () => fn({ now: NOW, weights: { boost: 101 } }), 'invalidInput', 'options.weights.boost');
      expectError('weights.boost NaN', () => fn({ now: NOW, weights: { boost: NaN } }), 'invalidInput', 'options.weights.boost');
      expectError('now NaN', () => fn({ now: NaN }), 'invalidInput', 'options.now');
      expectError('locale fr', () => fn({ now: NOW, locale: 'fr' }), 'invalidInput', 'options.locale');
      expectError('decay 2', () => fn({ now: NOW, proximity: { decay: 2 } }), 'invalidInput', 'options.proximity.decay');
      expectError('scaleKm 0', () => fn({ now: NOW, proximity: { scaleKm: 0 } }), 'invalidInput', 'options.proximity.scaleKm');
      expectError('function cubic', () => fn({ now: NOW, proximity: { function: 'cubic' } }), 'invalidInput', 'options.proximity.function');
      expectError('exclude string', () => fn({ now: NOW, exclude: 'o00001' }), 'invalidInput', 'options.exclude');
      expectError('options 5', () => fn(5), 'invalidInput', 'options');
      expectError('options "abc"', () => fn('abc'), 'invalidInput', 'options');
    }
  });

  test('all weights zero is rejected', () => {
    const zero = Object.fromEntries(['proximity', 'ageFit', 'priceFit', 'itemAffinity', 'categoryAffinity', 'embedding', 'repurchase', 'popularity', 'freshness', 'discount', 'boost'].map((k) => [k, 0]));
    expectError('rank zero weights', () => engine.rank(grandma, { now: NOW, weights: zero }), 'invalidInput', 'options.weights');
    expectError('engine zero weights', () => Engine.fromCatalog(catalog, { weights: zero }), 'invalidInput', 'options.weights');
  });

  test('bad engine options name options.*', () => {
    expectError('engine weights -1', () => Engine.fromCatalog(catalog, { weights: { proximity: -1 } }), 'invalidInput', 'options.weights.proximity');
    expectError('engine locale', () => Engine.fromCatalog(catalog, { locale: 'de' }), 'invalidInput', 'options.locale');
    expectError('engine allowUnknownAge "yes"', () => Engine.fromCatalog(catalog, { allowUnknownAge: 'yes' }), 'invalidInput', 'options.allowUnknownAge');
    expectError('engine options "x"', () => Engine.fromCatalog(catalog, 'x'), 'invalidInput', 'options');
  });

  test('an unknown option key is rejected', () => {
    const e = expectError('rank { limt: 3 }', () => engine.rank(grandma, { now: NOW, limt: 3 }), 'invalidInput');
    assert.match(e.message, /limt/);
    assert.ok(e.path.startsWith('options'), e.path);
    expectError('weights { proximty: 5 }', () => engine.rank(grandma, { now: NOW, weights: { proximty: 5 } }), 'invalidInput');
    expectError('engine { limit: 3 }', () => Engine.fromCatalog(catalog, { limit: 3 }), 'invalidInput');
  });
});

describe('event and user errors', () => {
  test('bad events in engine.record', () => {
    const u = expectError('unknown offerId', () => engine.record(grandma, { type: 'purchase', offerId: 'o99999', at: NOW }), 'unknownId', 'event.offerId');
    assert.match(u.message, /o99999/);
    expectError('at NaN', () => engine.record(grandma, { type: 'purchase', offerId: 'o00001', at: NaN }), 'invalidInput', 'event.at');
    expectError('at Infinity', () => engine.record(grandma, { type: 'click', offerId: 'o00001', at: Infinity }), 'invalidInput', 'event.at');
    expectError('at missing', () => engine.record(grandma, { type: 'click', offerId: 'o00001' }), 'invalidInput');
    expectError('type buy', () => engine.record(grandma, { type: 'buy', offerId: 'o00001', at: NOW }), 'invalidInput', 'event.type');
    expectError('quantity 0', () => engine.record(grandma, { type: 'purchase', offerId: 'o00001', at: NOW, quantity: 0 }), 'invalidInput', 'event.quantity');
    expectError('event null', () => engine.record(grandma, null), 'invalidInput', 'event');
    expectError('event "click"', () => engine.record(grandma, 'click'), 'invalidInput', 'event');
  });

  test('bad events in profile.record leave the profile unchanged', () => {
    expectError('price -1', () => grandma.record({ type: 'purchase', offerId: 'o00001', at: NOW, price: -1 }), 'invalidInput', 'event.price');
    expectError('at NaN', () => grandma.record({ type: 'purchase', offerId: 'o00001', at: NaN }), 'invalidInput', 'event.at');
    expectError('empty offerId', () => grandma.record({ type: 'purchase', offerId: '', at: NOW }), 'invalidInput', 'event.offerId');
  });

  test('bad users in Profile.fromUser and setUser', () => {
    expectError('age -1', () => Profile.fromUser({ age: -1 }), 'invalidInput', 'user.age');
    expectError('age 200', () => Profile.fromUser({ age: 200 }), 'invalidInput', 'user.age');
    expectError('incomeBand 9', () => Profile.fromUser({ incomeBand: 9 }), 'invalidInput', 'user.incomeBand');
    expectError('monthlyIncome NaN', () => Profile.fromUser({ monthlyIncome: NaN }), 'invalidInput', 'user.monthlyIncome');
    expectError('location lat 91', () => Profile.fromUser({ location: { lat: 91, lng: 0 } }), 'invalidInput', 'user.location.lat');
    expectError('history at NaN', () => Profile.fromUser({ history: [{ offerId: 'o00001', at: NaN }] }), 'invalidInput', 'user.history[0].at');
    expectError('history[1] price -1', () => Profile.fromUser({ history: [{ offerId: 'o00001', at: NOW }, { offerId: 'o00001', at: NOW, price: -1 }] }), 'invalidInput', 'user.history[1].price');
    // setUser is all or nothing: the valid age is not applied when incomeBand is bad.
    expectError('setUser incomeBand 9', () => grandma.setUser({ age: 12, incomeBand: 9 }), 'invalidInput', 'user.incomeBand');
    expectError('setUser lat 91', () => grandma.setUser({ age: 12, location: { lat: 91, lng: 0 } }), 'invalidInput', 'user.location.lat');
    expectError('setUser null', () => grandma.setUser(null), 'invalidInput', 'user');
  });

  // BUG (engine): setUser accepts `history` (it is part of UserInput) but neither applies
  // nor validates it, so a NaN timestamp passes silently.
  test('setUser rejects a history with a NaN timestamp', () => {
    const p = profile('grandma');
    assertGrError(() => p.setUser({ history: [{ offerId: 'o00001', at: NaN }] }), 'invalidInput', 'user.history[0].at');
  });
});

describe('saved profile errors', () => {
  const saved = profile('parent').toBytes();
  const load = (x) => () => Profile.load(x);

  test('corrupted bytes give corruptState', () => {
    assert.ok(saved.length > 20);
    const flipped = saved.slice();
    flipped[flipped.length >> 1] ^= 0x55;
    expectError('flip a middle byte', load(flipped), 'corruptState', 'profile');
    for (const i of [5, 6, 7, saved.length - 1, saved.length - 2]) {
      const b = saved.slice();
      b[i] ^= 0x01;
      expectError(`flip byte ${i}`, load(b), 'corruptState', 'profile');
    }
    expectError('truncated by 5', load(saved.slice(0, saved.length - 5)), 'corruptState', 'profile');
    expectError('truncated to half', load(saved.slice(0, saved.length >> 1)), 'corruptState', 'profile');
    expectError('truncated to 4', load(saved.slice(0, 4)), 'corruptState', 'profile');
    expectError('empty', load(new Uint8Array(0)), 'corruptState', 'profile');
    const v = saved.slice();
    v[4] = 9;
    const ve = expectError('version byte 9', load(v), 'corruptState', 'profile');
    assert.match(ve.message, /version/);
    const rnd = Uint8Array.from({ length: 200 }, (_, i) => (i * 73 + 41) & 255);
    expectError('random bytes', load(rnd), 'corruptState', 'profile');
    const magicThenJunk = Uint8Array.from([...Buffer.from('GRPF'), 1, ...rnd]);
    expectError('magic + junk', load(magicThenJunk), 'corruptState', 'profile');
    expectError('extra trailing byte', load(Uint8Array.from([...saved, 0])), 'corruptState', 'profile');
  });

  test('bad base64 and wrong types give corruptState', () => {
    expectError('base64 garbage', load('!!!not*base64***'), 'corruptState', 'profile');
    expectError('valid base64, not a profile', load(Buffer.from('hello world').toString('base64')), 'corruptState', 'profile');
    expectError('empty string', load(''), 'corruptState', 'profile');
    const b64 = profile('parent').toBase64();
    expectError('base64 truncated', load(b64.slice(0, b64.length - 8)), 'corruptState', 'profile');
    expectError('object', load({ bytes: saved }), 'corruptState', 'profile');
    expectError('array of numbers', load([...saved]), 'corruptState', 'profile');
    expectError('number', load(42), 'corruptState', 'profile');
    expectError('ArrayBuffer', load(saved.buffer.slice(0)), 'corruptState', 'profile');
    // The intact forms still load.
    assert.equal(Profile.load(saved).eventCount, profile('parent').eventCount);
    assert.equal(Profile.load(b64).eventCount, profile('parent').eventCount);
  });
});

describe('failed updates change nothing', () => {
  test('a failed upsertOffers batch leaves offerCount and the feed as before', () => {
    const eggs = catalog.offers.find((o) => o.id === 'o00001');
    const good1 = { id: 'new-1', title: '新品 鸭蛋 20枚', category: '蛋品', price: 19.9, storeId: 's002', popularity: 1e6, boost: 1 };
    const replaced = { ...eggs, price: 1, title: '改过的鸡蛋' };
    const cases = [
      [{ ...good1, id: 'new-2', price: -1 }, 'invalidInput', 'offers[2].price'],
      [{ ...good1, id: 'new-2', storeId: 's999' }, 'unknownId', 'offers[2].storeId'],
      [{ ...good1, id: 'new-2', embedding: [1, 2, 3] }, 'invalidInput', 'offers[2].embedding'],
      [{ ...good1, id: 'new-2', price: '3' }, 'invalidInput', 'offers[2].price'],
      [{ ...good1 }, 'duplicateId', 'offers[2].id'],
    ];
    for (const [badOffer, code, path] of cases) {
      expectError(`upsert with ${path} (${code})`, () => engine.upsertOffers([good1, replaced, badOffer]), code, path);
    }
    expectError('upsert {}', () => engine.upsertOffers({}), 'invalidInput', 'offers');
    expectError('upsert null', () => engine.upsertOffers(null), 'invalidInput', 'offers');
    assert.ok(!engine.rank(grandma, { now: NOW, limit: 1000 }).some((o) => o.offerId === 'new-1'));
  });

  test('a failed upsertStores batch leaves the feed as before', () => {
    const s002 = catalog.stores.find((s) => s.id === 's002');
    const moved = { ...s002, lat: s002.lat + 0.05 };
    expectError('second store lng 200', () => engine.upsertStores([moved, { id: 's100', name: 'x', lat: 40, lng: 200 }]), 'invalidInput', 'stores[1].lng');
    expectError('duplicate in batch', () => engine.upsertStores([moved, { ...s002 }]), 'duplicateId', 'stores[1].id');
    expectError('missing name', () => engine.upsertStores([moved, { id: 's100', lat: 40, lng: 116 }]), 'invalidInput');
    expectError('not an array', () => engine.upsertStores(moved), 'invalidInput', 'stores');
  });

  test('a failed removeOffers removes nothing', () => {
    const ids = baseline.slice(0, 3).map((o) => o.offerId);
    const u = expectError('one unknown id', () => engine.removeOffers([...ids, 'o99999']), 'unknownId', 'ids[3]');
    assert.match(u.message, /o99999/);
    expectError('duplicate id', () => engine.removeOffers([ids[0], ids[0]]), 'duplicateId', 'ids[1]');
    expectError('not an array', () => engine.removeOffers(ids[0]), 'invalidInput', 'ids');
    expectError('number inside', () => engine.removeOffers([ids[0], 7]), 'invalidInput', 'ids[1]');
  });

  test('a failed setStock changes nothing', () => {
    expectError('unknown id', () => engine.setStock('o99999', 0), 'unknownId');
    expectError('stock -1', () => engine.setStock('o00001', -1), 'invalidInput', 'stock');
    expectError('stock 1.5', () => engine.setStock('o00001', 1.5), 'invalidInput', 'stock');
    expectError('stock NaN', () => engine.setStock('o00001', NaN), 'invalidInput', 'stock');
    expectError('stock "3"', () => engine.setStock('o00001', '3'), 'invalidInput', 'stock');
  });

  test('sampleUsers and sampleCatalog reject bad arguments', () => {
    expectError('sampleUsers({})', () => sampleUsers({}, NOW), 'invalidInput', 'catalog');
    expectError('sampleUsers now NaN', () => sampleUsers(catalog, NaN), 'invalidInput', 'now');
    expectError('sampleCatalog offers -1', () => sampleCatalog({ offers: -1 }), 'invalidInput', 'options.offers');
    expectError('sampleCatalog embeddingDim 513', () => sampleCatalog({ embeddingDim: 513 }), 'invalidInput', 'options.embeddingDim');
  });
});

// Accepted finite values must not turn into NaN scores. (The engine stores some
// columns as f32, where 1e39 is Infinity.)
describe('accepted extremes still give finite scores', () => {
  const finiteOrRejected = (label, make, rankOpts = {}) => {
    let feed;
    try {
      feed = make().rank(profile('grandma'), { now: NOW, limit: 1000, ...rankOpts });
    } catch (err) {
      assert.equal(err.name, 'GoodsRankerError', `${label}: ${err}`);
      assert.equal(err.code, 'invalidInput', `${label}: ${err}`);
      assertIntact(label);
      return;
    }
    const bad = feed.filter((o) => !(o.score >= 0 && o.score <= 1)).map((o) => `${o.offerId} #${o.rank}: score ${o.score}, breakdown ${JSON.stringify(o.breakdown)}`);
    assert.deepEqual(bad, [], label);
  };

  // BUG (engine): popularity above f32::MAX (~3.4e38) is accepted and gives score NaN.
  test('popularity 1e39 is rejected or ranked with a finite score', () => {
    finiteOrRejected('popularity 1e39', () => Engine.fromCatalog(bad((c) => { c.offers[0].popularity = 1e39; })));
  });

  // BUG (engine): a positive weight that is 0 in f32 (5e-324) passes "at least one weight
  // must be positive" and makes every score NaN.
  test('a single denormal weight is rejected or ranked with finite scores', () => {
    const weights = { proximity: 5e-324, ageFit: 0, priceFit: 0, itemAffinity: 0, categoryAffinity: 0, embedding: 0, repurchase: 0, popularity: 0, freshness: 0, discount: 0, boost: 0 };
    finiteOrRejected('weights 5e-324', () => engine, { weights });
  });
});
