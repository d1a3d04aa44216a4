// The sample users get visibly different, sensible feeds; ranking invariants hold;
// events, weights and catalog updates change the feed the way they should.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Profile } from '../../pkg/node.js';
import { NOW, FEATURES, fixture } from './helpers.mjs';

const { catalog, engine, users, profile } = fixture();
const offerById = new Map(catalog.offers.map((o) => [o.id, o]));
const storeById = new Map(catalog.stores.map((s) => [s.id, s]));
const USER_IDS = ['office-worker', 'grandma', 'parent', 'student', 'newcomer'];
const isAlcohol = (id) => {
  const o = offerById.get(id);
  return o.category === '酒类' || o.minAge !== undefined;
};
const hasCjk = (s) => /[\u4e00-\u9fff]/.test(s);
const restricted = catalog.offers.filter((o) => (o.minAge ?? 0) >= 18).map((o) => o.id);

/** Checks the invariants every feed must satisfy. */
function assertWellFormed(feed, label, offers = offerById) {
  feed.forEach((o, i) => {
    const where = `${label} #${i + 1} ${o.offerId}`;
    assert.equal(o.rank, i + 1, `${where}: ranks are 1..n`);
    assert.ok(Number.isFinite(o.score) && o.score >= 0 && o.score <= 1, `${where}: score ${o.score} in [0,1]`);
    if (i > 0) assert.ok(feed[i - 1].score >= o.score, `${where}: scores non-increasing`);
    assert.deepEqual(Object.keys(o.breakdown).sort(), [...FEATURES].sort(), `${where}: breakdown keys`);
    const sum = Object.values(o.breakdown).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - o.score) <= 1e-9, `${where}: breakdown sums to ${sum}, score ${o.score}`);
    for (const [k, v] of Object.entries(o.breakdown)) {
      assert.ok(Number.isFinite(v) && v >= 0, `${where}: breakdown.${k} = ${v}`);
    }
    const src = offers.get(o.offerId);
    assert.ok(src, `${where}: offer exists in catalog`);
    assert.equal(o.storeId, src.storeId, `${where}: storeId`);
    assert.equal(o.title, src.title, `${where}: title`);
    assert.equal(o.category, src.category, `${where}: category`);
    assert.equal(o.storeName, storeById.get(src.storeId).name, `${where}: storeName`);
    // Deep-tail offers whose every contribution is weak may carry no reason; the
    // head of the feed always explains itself.
    if (o.rank <= 50) assert.ok(o.reasons.length > 0, `${where}: has reasons`);
    let rest = o.reasons;
    const cold = rest.findIndex((r) => r.code === 'coldStart');
    if (cold >= 0) {
      assert.equal(cold, 0, `${where}: coldStart comes first`);
      rest = rest.slice(1);
    }
    for (let j = 1; j < rest.length; j++) {
      assert.ok(rest[j - 1].weight >= rest[j].weight, `${where}: reasons sorted by weight desc: ${JSON.stringify(rest)}`);
    }
    for (const r of o.reasons) {
      assert.equal(typeof r.text, 'string', `${where}: reason text`);
      assert.ok(r.text.length > 0, `${where}: reason text non-empty`);
      assert.ok(Number.isFinite(r.weight), `${where}: reason weight finite`);
    }
    const ids = new Set(feed.map((x) => x.offerId));
    assert.equal(ids.size, feed.length, `${label}: no duplicate offers`);
  });
}

describe('sample users', () => {
  test('every sample user exists and gets a well-formed, non-empty feed', () => {
    assert.deepEqual(Object.keys(users).sort(), [...USER_IDS].sort());
    for (const id of USER_IDS) {
      const feed = engine.rank(profile(id), { now: NOW });
      assert.equal(feed.length, 20, `${id}: default limit 20`);
      assertWellFormed(feed, id);
      const wide = engine.rank(profile(id), { now: NOW, limit: 1000 });
      assertWellFormed(wide, `${id} (limit 1000)`);
      assert.ok(wide.length > 20, `${id}: more than 20 offers survive the filters`);
    }
  });

  test('limit is respected and a shorter feed is a prefix of a longer one', () => {
    const p = profile('parent');
    const five = engine.rank(p, { now: NOW, limit: 5 });
    const fifty = engine.rank(p, { now: NOW, limit: 50 });
    assert.equal(five.length, 5);
    assert.equal(fifty.length, 50);
    assert.deepEqual(five, fifty.slice(0, 5));
  });

  test("the grandma's top-20 contains no alcohol", () => {
    const feed = engine.rank(profile('grandma'), { now: NOW, limit: 20 });
    assert.equal(feed.length, 20);
    const alcohol = feed.filter((o) => isAlcohol(o.offerId));
    assert.deepEqual(alcohol.map((o) => o.title), []);
  });

  test("the grandma's eggs are due for repurchase, in zh-CN and en", () => {
    const feed = engine.rank(profile('grandma'), { now: NOW, limit: 20 });
    const eggs = feed.find((o) => o.offerId === 'o00001');
    assert.ok(eggs, 'eggs o00001 are in the top-20');
    const due = eggs.reasons.find((r) => r.code === 'repurchaseDue');
    assert.ok(due, `repurchaseDue reason among ${JSON.stringify(eggs.reasons)}`);
    assert.equal(due.text, '上次购买 6 天前，该补货了');
    assert.equal(due.daysSince, 6);
    assert.equal(due.cycleDays, offerById.get('o00001').repurchaseDays);

    const en = engine.rank(profile('grandma'), { now: NOW, limit: 20, locale: 'en' });
    const eggsEn = en.find((o) => o.offerId === 'o00001');
    const dueEn = eggsEn.reasons.find((r) => r.code === 'repurchaseDue');
    assert.ok(dueEn);
    assert.equal(dueEn.daysSince, 6);
    assert.ok(!hasCjk(dueEn.text), `English text: ${dueEn.text}`);
    assert.match(dueEn.text, /\b6\b/);
    assert.match(dueEn.text, /[A-Za-z]{3,}/);
    // Only the texts differ between locales.
    const strip = (f) => f.map((o) => ({ ...o, reasons: o.reasons.map(({ text, ...r }) => r) }));
    assert.deepEqual(strip(en), strip(feed));
    // Engine-level locale gives the same English texts.
    const enEngine = Engine.fromCatalog(catalog, { locale: 'en' });
    assert.deepEqual(enEngine.rank(profile('grandma'), { now: NOW, limit: 20 }), en);
  });

  test('the student (age 12) never sees an age-restricted offer; filtered() says why', () => {
    assert.ok(restricted.length > 0, 'the sample catalog has alcohol');
    const p = profile('student');
    const feed = engine.rank(p, { now: NOW, limit: 1000 });
    assert.ok(feed.length > 0);
    assert.deepEqual(feed.filter((o) => offerById.get(o.offerId).minAge !== undefined).map((o) => o.offerId), []);
    const filtered = engine.filtered(p, { now: NOW });
    const byId = new Map(filtered.map((f) => [f.offerId, f]));
    for (const id of restricted) {
      assert.ok(byId.has(id), `${id} is listed as filtered`);
      assert.ok(byId.get(id).codes.includes('ageRestricted'), `${id}: codes ${byId.get(id).codes}`);
    }
    // Filtered and ranked partition the catalog.
    assert.equal(filtered.length + feed.length, catalog.offers.length);
    for (const f of filtered) {
      assert.ok(!feed.some((o) => o.offerId === f.offerId), `${f.offerId} both ranked and filtered`);
      assert.ok(f.codes.length > 0);
      assert.equal(typeof f.text, 'string');
      assert.equal(f.title, offerById.get(f.offerId).title);
    }
    // Even with allowUnknownAge, a known age of 12 keeps alcohol out.
    const allow = engine.rank(p, { now: NOW, limit: 1000, allowUnknownAge: true });
    assert.ok(!allow.some((o) => restricted.includes(o.offerId)));
  });

  test('the newcomer (unknown age) is age-restricted unless allowUnknownAge', () => {
    const p = profile('newcomer');
    const feed = engine.rank(p, { now: NOW, limit: 1000 });
    assert.ok(!feed.some((o) => offerById.get(o.offerId).minAge !== undefined));
    const filtered = engine.filtered(p, { now: NOW });
    for (const id of restricted) {
      const f = filtered.find((x) => x.offerId === id);
      assert.ok(f && f.codes.includes('ageRestricted'), `${id} ageRestricted for newcomer`);
    }
    for (const opened of [
      { ranked: engine.rank(p, { now: NOW, limit: 1000, allowUnknownAge: true }), filtered: engine.filtered(p, { now: NOW, allowUnknownAge: true }) },
      (() => {
        const e = Engine.fromCatalog(catalog, { allowUnknownAge: true });
        return { ranked: e.rank(p, { now: NOW, limit: 1000 }), filtered: e.filtered(p, { now: NOW }) };
      })(),
    ]) {
      assert.ok(opened.ranked.some((o) => restricted.includes(o.offerId)), 'some alcohol is ranked');
      assert.ok(!opened.filtered.some((f) => f.codes.includes('ageRestricted')), 'no ageRestricted code');
    }
    // The per-call option overrides the engine option.
    const e = Engine.fromCatalog(catalog, { allowUnknownAge: true });
    assert.ok(!e.rank(p, { now: NOW, limit: 1000, allowUnknownAge: false }).some((o) => restricted.includes(o.offerId)));
  });

  test("office-worker and grandma feeds barely overlap; the newcomer's are cold-start", () => {
    const a = engine.rank(profile('office-worker'), { now: NOW, limit: 10 }).map((o) => o.offerId);
    const b = engine.rank(profile('grandma'), { now: NOW, limit: 10 }).map((o) => o.offerId);
    const overlap = a.filter((id) => b.includes(id));
    assert.ok(overlap.length < 5, `overlap ${overlap}`);
    const cold = engine.rank(profile('newcomer'), { now: NOW, limit: 20 });
    assert.ok(profile('newcomer').isCold);
    assert.ok(!profile('grandma').isCold);
    for (const o of cold) assert.equal(o.reasons[0].code, 'coldStart', `${o.offerId}: ${JSON.stringify(o.reasons)}`);
    for (const id of ['office-worker', 'grandma', 'parent']) {
      const f = engine.rank(profile(id), { now: NOW, limit: 20 });
      assert.ok(!f.some((o) => o.reasons.some((r) => r.code === 'coldStart')), `${id} is not cold`);
      // Users with a history see it in their reasons.
      assert.ok(f.some((o) => o.reasons.some((r) => r.code === 'boughtBefore' || r.code === 'frequentCategory')), id);
    }
    // Without a location, no distance and no proximity contribution.
    for (const o of cold) {
      assert.equal(o.distanceM, undefined);
      assert.equal(o.breakdown.proximity, 0);
    }
  });

  test('nearby reasons report the distance to the store', () => {
    const feed = engine.rank(profile('grandma'), { now: NOW, limit: 50 });
    let seen = 0;
    for (const o of feed) {
      assert.equal(typeof o.distanceM, 'number', `${o.offerId} has distanceM`);
      const near = o.reasons.find((r) => r.code === 'nearby');
      if (near) {
        seen++;
        assert.ok(Math.abs(near.distanceM - o.distanceM) <= 50, `${near.distanceM} vs ${o.distanceM}`);
        assert.equal(near.storeName, o.storeName);
      }
    }
    assert.ok(seen > 0);
  });
});

describe('location', () => {
  const s002 = catalog.stores.find((s) => s.id === 's002');
  const stats = (feed) => {
    const ranks = feed.filter((o) => o.storeId === 's002').map((o) => o.rank);
    return {
      share: ranks.length / feed.length,
      meanRank: ranks.length ? ranks.reduce((a, b) => a + b, 0) / ranks.length : Infinity,
      top10: ranks.filter((r) => r <= 10).length,
    };
  };

  test("standing next to pickup point s002 lifts its offers", () => {
    assert.equal(catalog.datum, 'gcj02');
    assert.equal(s002.kind, 'pickupPoint');
    const p = new Profile();
    const nearLoc = { lat: s002.lat, lng: s002.lng, datum: 'gcj02' };
    // ~3 km due south: 0.027° of latitude ≈ 3.0 km.
    const farLoc = { lat: s002.lat - 0.027, lng: s002.lng, datum: 'gcj02' };
    const near = engine.rank(p, { now: NOW, limit: 50, location: nearLoc });
    const far = engine.rank(p, { now: NOW, limit: 50, location: farLoc });
    assertWellFormed(near, 'near');
    assertWellFormed(far, 'far');
    const n = stats(near);
    const f = stats(far);
    assert.ok(n.share >= f.share + 0.2, `share near ${n.share} vs far ${f.share}`);
    assert.ok(n.meanRank < f.meanRank, `mean rank near ${n.meanRank} vs far ${f.meanRank}`);
    assert.ok(n.top10 >= 3, `s002 offers in top-10 near: ${n.top10}`);
    for (const o of near.filter((x) => x.storeId === 's002')) {
      assert.ok(o.distanceM < 30, `distance to s002 from s002: ${o.distanceM}`);
    }
    for (const o of far.filter((x) => x.storeId === 's002')) {
      assert.ok(o.distanceM > 2500, `distance from far point ${o.distanceM}`);
    }
    // The same location given through the profile works the same as per call.
    const located = Profile.fromUser({ location: nearLoc });
    assert.deepEqual(engine.rank(located, { now: NOW, limit: 50 }), near);
    // And a per-call location overrides the profile's.
    assert.deepEqual(engine.rank(located, { now: NOW, limit: 50, location: farLoc }), far);
    // Far from s002 (pickup radius 1 km), filtered() says outOfRange for its offers.
    const hidden = engine.filtered(p, { now: NOW, location: farLoc });
    const s002Offers = catalog.offers.filter((o) => o.storeId === 's002');
    for (const o of s002Offers) {
      const fo = hidden.find((x) => x.offerId === o.id);
      assert.ok(fo && fo.codes.includes('outOfRange'), `${o.id} outOfRange far away`);
    }
  });

  test('the datum matters: GCJ-02 coordinates mislabelled as WGS-84 land hundreds of metres off', () => {
    const p = new Profile();
    const right = engine.rank(p, { now: NOW, limit: 200, location: { lat: s002.lat, lng: s002.lng, datum: 'gcj02' } });
    const wrong = engine.rank(p, { now: NOW, limit: 200, location: { lat: s002.lat, lng: s002.lng, datum: 'wgs84' } });
    const dist = (feed) => feed.find((o) => o.storeId === 's002')?.distanceM;
    const dr = dist(right);
    const dw = dist(wrong);
    assert.equal(typeof dr, 'number');
    assert.equal(typeof dw, 'number');
    assert.ok(dr < 30, `correct label: ${dr} m`);
    assert.ok(dw - dr > 200 && dw - dr < 1500, `mislabelled: ${dw} m vs ${dr} m`);
    // Default datum of a location is wgs84.
    const dflt = engine.rank(p, { now: NOW, limit: 200, location: { lat: s002.lat, lng: s002.lng } });
    assert.deepEqual(dflt, wrong);
  });
});

describe('determinism and weights', () => {
  test('the same call twice gives the same output', () => {
    for (const id of USER_IDS) {
      const a = engine.rank(profile(id), { now: NOW, limit: 100 });
      const b = engine.rank(profile(id), { now: NOW, limit: 100 });
      assert.deepEqual(a, b, id);
      assert.deepEqual(engine.filtered(profile(id), { now: NOW }), engine.filtered(profile(id), { now: NOW }));
    }
    // A second engine from the same catalog (and from its JSON text) agrees.
    const e2 = Engine.fromCatalog(JSON.stringify(catalog));
    assert.equal(e2.offerCount, engine.offerCount);
    assert.equal(e2.embeddingDim, 16);
    assert.deepEqual(e2.rank(profile('parent'), { now: NOW, limit: 100 }), engine.rank(profile('parent'), { now: NOW, limit: 100 }));
  });

  test('weights.proximity = 0 zeroes the proximity contribution and changes the order', () => {
    const base = engine.rank(profile('grandma'), { now: NOW, limit: 30 });
    assert.ok(base.some((o) => o.breakdown.proximity > 0));
    const flat = engine.rank(profile('grandma'), { now: NOW, limit: 30, weights: { proximity: 0 } });
    assertWellFormed(flat, 'proximity 0');
    for (const o of flat) {
      assert.equal(o.breakdown.proximity, 0, o.offerId);
      assert.ok(!o.reasons.some((r) => r.code === 'nearby' && r.weight > 0), `${o.offerId} nearby with weight`);
    }
    assert.notDeepEqual(flat.map((o) => o.offerId), base.map((o) => o.offerId));

    const e = Engine.fromCatalog(catalog, { weights: { proximity: 0 } });
    const engineFlat = e.rank(profile('grandma'), { now: NOW, limit: 30 });
    assert.deepEqual(engineFlat, flat);
    // A per-call weight overrides the engine-level one.
    assert.deepEqual(e.rank(profile('grandma'), { now: NOW, limit: 30, weights: { proximity: 1 } }).map((o) => o.offerId).length, 30);
    assert.ok(e.rank(profile('grandma'), { now: NOW, limit: 30, weights: { proximity: 100 } }).some((o) => o.breakdown.proximity > 0));
  });

  test('a dominant weight makes its feature decide the order', () => {
    const feed = engine.rank(profile('office-worker'), { now: NOW, limit: 40, weights: { popularity: 100 } });
    assertWellFormed(feed, 'popularity 100');
    const pops = feed.map((o) => o.breakdown.popularity);
    const sortedDesc = [...pops].sort((a, b) => b - a);
    // With popularity at 100 and everything else at its default, the top offers are the most popular ones.
    assert.ok(pops[0] >= sortedDesc[Math.floor(pops.length / 2)]);
    const base = engine.rank(profile('office-worker'), { now: NOW, limit: 40 });
    const meanPop = (f) => f.reduce((a, o) => a + (offerById.get(o.offerId).popularity ?? 0), 0) / f.length;
    assert.ok(meanPop(feed) > meanPop(base), `${meanPop(feed)} > ${meanPop(base)}`);
  });
});

describe('recording events', () => {
  test('two purchases make a boughtBefore reason appear', () => {
    const p = Profile.fromUser({ age: 35, location: { lat: 40.0003, lng: 116.4665, datum: 'gcj02' } });
    const before = engine.rank(p, { now: NOW, limit: 200 });
    const target = before.find((o) => o.rank > 20 && offerById.get(o.offerId).repurchaseDays === undefined) ?? before[before.length - 1];
    assert.ok(!target.reasons.some((r) => r.code === 'boughtBefore'));
    assert.equal(p.eventCount, 0);
    engine.record(p, { type: 'purchase', offerId: target.offerId, at: NOW - 3 * 86400e3 });
    engine.record(p, { type: 'purchase', offerId: target.offerId, at: NOW - 86400e3 });
    assert.equal(p.eventCount, 2);
    assert.equal(p.isCold, false);
    const after = engine.rank(p, { now: NOW, limit: 200 });
    const again = after.find((o) => o.offerId === target.offerId);
    assert.ok(again, 'still ranked');
    const bought = again.reasons.find((r) => r.code === 'boughtBefore');
    assert.ok(bought, JSON.stringify(again.reasons));
    assert.equal(bought.times, 2);
    assert.ok(again.rank < target.rank, `rank ${target.rank} → ${again.rank}`);
    assert.ok(again.breakdown.itemAffinity > target.breakdown.itemAffinity);
  });

  test('dismiss removes an offer from the feed and filtered() says dismissed', () => {
    const p = profile('grandma');
    const top = engine.rank(p, { now: NOW, limit: 5 })[0];
    engine.record(p, { type: 'dismiss', offerId: top.offerId, at: NOW - 60e3 });
    const after = engine.rank(p, { now: NOW, limit: 1000 });
    assert.ok(!after.some((o) => o.offerId === top.offerId));
    const f = engine.filtered(p, { now: NOW }).find((x) => x.offerId === top.offerId);
    assert.ok(f, 'listed in filtered');
    assert.ok(f.codes.includes('dismissed'), f.codes.join());
    // exclude works the same way, with its own code.
    const second = after[0].offerId;
    assert.ok(!engine.rank(p, { now: NOW, limit: 1000, exclude: [second] }).some((o) => o.offerId === second));
    assert.ok(engine.filtered(p, { now: NOW, exclude: [second] }).find((x) => x.offerId === second).codes.includes('excluded'));
  });

  test('profile.record with its own category and price works like engine.record', () => {
    const a = Profile.fromUser({ age: 40 });
    const b = Profile.fromUser({ age: 40 });
    const o = offerById.get('o00010');
    engine.record(a, { type: 'purchase', offerId: o.id, at: NOW - 86400e3 });
    b.record({ type: 'purchase', offerId: o.id, at: NOW - 86400e3, category: o.category, price: o.price });
    assert.equal(a.eventCount, 1);
    assert.equal(b.eventCount, 1);
    const fa = engine.rank(a, { now: NOW, limit: 50 });
    const fb = engine.rank(b, { now: NOW, limit: 50 });
    // engine.record fills in the price as stored (f32), so scores agree to ~1e-6, not bit for bit.
    assert.deepEqual(fb.map((x) => x.offerId), fa.map((x) => x.offerId));
    fa.forEach((x, i) => assert.ok(Math.abs(x.score - fb[i].score) < 1e-6, `${x.offerId}: ${x.score} vs ${fb[i].score}`));
    assert.deepEqual(fb.map((x) => x.reasons.map((r) => r.code)), fa.map((x) => x.reasons.map((r) => r.code)));
    assert.ok(fa.find((x) => x.offerId === o.id)?.reasons.some((r) => r.code === 'boughtBefore'));
  });

  test('a saved profile loads back to identical rankings (bytes and base64)', () => {
    const p = profile('parent');
    engine.record(p, { type: 'click', offerId: 'o00020', at: NOW - 3600e3 });
    engine.record(p, { type: 'addToCart', offerId: 'o00021', at: NOW - 1800e3 });
    engine.record(p, { type: 'dismiss', offerId: 'o00022', at: NOW - 600e3 });
    const bytes = p.toBytes();
    assert.ok(bytes instanceof Uint8Array);
    assert.deepEqual([...bytes.slice(0, 4)], [...Buffer.from('GRPF')]);
    const b64 = p.toBase64();
    assert.equal(typeof b64, 'string');
    assert.deepEqual(Buffer.from(b64, 'base64'), Buffer.from(bytes));
    const expected = engine.rank(p, { now: NOW, limit: 100 });
    for (const loaded of [Profile.load(bytes), Profile.load(b64)]) {
      assert.equal(loaded.eventCount, p.eventCount);
      assert.equal(loaded.isCold, p.isCold);
      assert.deepEqual(engine.rank(loaded, { now: NOW, limit: 100 }), expected);
      assert.deepEqual(engine.filtered(loaded, { now: NOW }), engine.filtered(p, { now: NOW }));
      assert.deepEqual(loaded.toBytes(), bytes);
    }
    // null / undefined give an empty profile.
    for (const empty of [Profile.load(null), Profile.load(undefined)]) {
      assert.equal(empty.isCold, true);
      assert.equal(empty.eventCount, 0);
      assert.deepEqual(engine.rank(empty, { now: NOW }), engine.rank(new Profile(), { now: NOW }));
    }
  });

  test('setUser changes only the fields given', () => {
    const p = profile('grandma');
    const before = engine.rank(p, { now: NOW, limit: 30 });
    p.setUser({});
    assert.deepEqual(engine.rank(p, { now: NOW, limit: 30 }), before);
    p.setUser({ age: 12 });
    const kid = engine.rank(p, { now: NOW, limit: 1000 });
    assert.ok(!kid.some((o) => restricted.includes(o.offerId)));
    assert.notDeepEqual(kid.slice(0, 30), before);
    // Location is kept: grandma's pickup point still gets nearby reasons.
    assert.ok(kid.slice(0, 10).some((o) => o.storeId === 's002'));
  });
});

describe('catalog updates', () => {
  const s002 = catalog.stores.find((s) => s.id === 's002');
  const nearS002 = () => Profile.fromUser({ location: { lat: s002.lat, lng: s002.lng, datum: 'gcj02' } });

  test('upsertOffers adds, and a boosted best-seller next to the user rises to the top', () => {
    const e = Engine.fromCatalog(catalog);
    const p = nearS002();
    const before = e.rank(p, { now: NOW, limit: 20 });
    assert.ok(!before.some((o) => o.offerId === 'hot-1'));
    const maxPop = Math.max(...catalog.offers.map((o) => o.popularity ?? 0));
    e.upsertOffers([
      { id: 'hot-1', title: '爆款 土鸡蛋 60枚', category: '蛋品', price: 39.9, originalPrice: 69.9, storeId: 's002', popularity: maxPop * 100, boost: 1 },
    ]);
    assert.equal(e.offerCount, catalog.offers.length + 1);
    const after = e.rank(p, { now: NOW, limit: 20 });
    const hot = { id: 'hot-1', title: '爆款 土鸡蛋 60枚', category: '蛋品', storeId: 's002' };
    assertWellFormed(after, 'after upsert', new Map([...offerById, ['hot-1', hot]]));
    assert.equal(after[0].offerId, 'hot-1');
    assert.equal(after[0].storeId, 's002');
    assert.ok(after[0].reasons.some((r) => r.code === 'popular' || r.code === 'promoted'), JSON.stringify(after[0].reasons));
    // The original engine is untouched.
    assert.equal(engine.offerCount, catalog.offers.length);
  });

  test('upsertOffers replaces an existing offer in place', () => {
    const e = Engine.fromCatalog(catalog);
    const p = profile('grandma');
    const old = offerById.get('o00001');
    e.upsertOffers([{ ...old, title: '土鸡蛋 30枚装（新包装）', price: 19.9 }]);
    assert.equal(e.offerCount, catalog.offers.length);
    const eggs = e.rank(p, { now: NOW, limit: 1000 }).filter((o) => o.offerId === 'o00001');
    assert.equal(eggs.length, 1);
    assert.equal(eggs[0].title, '土鸡蛋 30枚装（新包装）');
    assert.ok(Math.abs(eggs[0].price - 19.9) < 1e-4);
    // Upserting the very same offer again changes nothing.
    const e2 = Engine.fromCatalog(catalog);
    e2.upsertOffers([old]);
    assert.equal(e2.offerCount, catalog.offers.length);
    const same = e2.rank(p, { now: NOW, limit: 50 });
    const ref = engine.rank(p, { now: NOW, limit: 50 });
    // (Scores may move by ~1e-10: price statistics are updated incrementally.)
    assert.deepEqual(same.map((o) => o.offerId), ref.map((o) => o.offerId));
    same.forEach((o, i) => assert.ok(Math.abs(o.score - ref[i].score) < 1e-8, `${o.offerId}: ${o.score} vs ${ref[i].score}`));
  });

  test('upsertStores moves a store and its offers follow', () => {
    const e = Engine.fromCatalog(catalog);
    const p = nearS002();
    const nearBefore = e.rank(p, { now: NOW, limit: 50 }).filter((o) => o.storeId === 's002').length;
    assert.ok(nearBefore > 0);
    e.upsertStores([{ ...s002, lat: s002.lat + 0.05 }]); // ~5.5 km north, radius 1 km
    const after = e.rank(p, { now: NOW, limit: 1000 });
    assert.equal(after.filter((o) => o.storeId === 's002').length, 0);
    e.upsertStores([s002]);
    assert.deepEqual(e.rank(p, { now: NOW, limit: 50 }), engine.rank(p, { now: NOW, limit: 50 }));
  });

  test('removeOffers removes offers from results and from offerCount', () => {
    const e = Engine.fromCatalog(catalog);
    const p = profile('grandma');
    const top = e.rank(p, { now: NOW, limit: 3 }).map((o) => o.offerId);
    assert.equal(e.removeOffers(top), 3);
    assert.equal(e.offerCount, catalog.offers.length - 3);
    const after = e.rank(p, { now: NOW, limit: 1000 });
    assert.ok(!after.some((o) => top.includes(o.offerId)));
    assert.ok(!e.filtered(p, { now: NOW }).some((f) => top.includes(f.offerId)));
    assert.equal(e.removeOffers([]), 0);
    assert.equal(e.offerCount, catalog.offers.length - 3);
    // Recording an event for a removed offer is now an unknown id.
    assert.throws(() => e.record(p, { type: 'click', offerId: top[0], at: NOW }), { name: 'GoodsRankerError', code: 'unknownId' });
  });

  test('setStock(id, 0) filters as outOfStock and setStock(id, null) restores', () => {
    const e = Engine.fromCatalog(catalog);
    const p = profile('grandma');
    const base = e.rank(p, { now: NOW, limit: 20 });
    const id = base[0].offerId;
    e.setStock(id, 0);
    const gone = e.rank(p, { now: NOW, limit: 1000 });
    assert.ok(!gone.some((o) => o.offerId === id));
    assert.deepEqual(e.filtered(p, { now: NOW }).find((f) => f.offerId === id).codes, ['outOfStock']);
    e.setStock(id, null);
    assert.deepEqual(e.rank(p, { now: NOW, limit: 20 }), base);
    e.setStock(id, 0);
    e.setStock(id, 5);
    assert.ok(e.rank(p, { now: NOW, limit: 20 }).some((o) => o.offerId === id));
    // An offer the sample catalog ships out of stock comes back with setStock(null).
    const soldOut = catalog.offers.find((o) => o.stock === 0);
    assert.ok(soldOut, 'the sample has sold-out offers');
    const everyone = Profile.fromUser({ age: 40 });
    assert.ok(e.filtered(everyone, { now: NOW }).find((f) => f.offerId === soldOut.id).codes.includes('outOfStock'));
    e.setStock(soldOut.id, null);
    assert.ok(!(e.filtered(everyone, { now: NOW }).find((f) => f.offerId === soldOut.id)?.codes ?? []).includes('outOfStock'));
  });
});

describe('output fidelity', () => {
  // Prices are stored as f32 inside the engine; the output should still give back
  // the price the catalog declared (a UI prints `¥${offer.price}`).
  test('ranked offers echo the catalog price exactly', () => {
    const feed = engine.rank(profile('grandma'), { now: NOW, limit: 20 });
    const mismatches = feed
      .filter((o) => o.price !== offerById.get(o.offerId).price)
      .map((o) => `${o.offerId}: catalog ${offerById.get(o.offerId).price}, ranked ${o.price}`);
    assert.deepEqual(mismatches, []);
  });
});
