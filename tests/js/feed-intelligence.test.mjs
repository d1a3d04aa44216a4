// Feed intelligence through the JS API: re-ranking, fatigue, exploration, the push
// gate, group selection and A/B variants, with concrete expectations.
import { readFileSync } from 'node:fs';
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Group, Profile, assignVariant } from '../../pkg/node.js';
import { NOW, assertGrError, fixture } from './helpers.mjs';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const { engine, profile } = fixture();

/** A hand-built catalog: one pickup point, plain offers with the given popularity. */
function tiny(offers) {
  return Engine.fromCatalog({
    version: 1,
    stores: [{ id: 's', name: '自提点', lat: 39.99, lng: 116.48 }],
    offers: offers.map(([id, category, popularity]) => ({
      id, title: `商品 ${id}`, category, price: 10, storeId: 's', popularity,
    })),
  });
}
const ids = (feed) => feed.map((o) => o.offerId);
const maxCount = (values) => Math.max(0, ...Object.values(values.reduce((m, v) => ({ ...m, [v]: (m[v] ?? 0) + 1 }), {})));

describe('re-ranking', () => {
  test('category and store caps are never exceeded, for every sample user', () => {
    for (const id of ['office-worker', 'grandma', 'parent', 'student', 'newcomer']) {
      const p = profile(id);
      for (const maxPerCategory of [1, 2, 3]) {
        const feed = engine.rank(p, { now: NOW, limit: 30, diversity: { maxPerCategory, maxPerStore: 5 } });
        assert.ok(feed.length > 0);
        assert.ok(maxCount(feed.map((o) => o.category)) <= maxPerCategory, `${id}: category cap ${maxPerCategory}`);
        assert.ok(maxCount(feed.map((o) => o.storeId)) <= 5, `${id}: store cap`);
        assert.deepEqual(feed.map((o) => o.rank), feed.map((_, i) => i + 1));
      }
    }
  });

  test('MMR by category spreads the feed over more categories', () => {
    const p = profile('grandma');
    const plain = engine.rank(p, { now: NOW, limit: 20 });
    const mmr = engine.rank(p, { now: NOW, limit: 20, diversity: { mmrLambda: 0.5, similarity: 'category' } });
    const distinct = (f) => new Set(f.map((o) => o.category)).size;
    assert.ok(distinct(mmr) > distinct(plain), `${distinct(mmr)} > ${distinct(plain)}`);
    assert.deepEqual(ids(engine.rank(p, { now: NOW, limit: 20, diversity: { mmrLambda: 1, similarity: 'category' } })), ids(plain));
  });

  test('pins come first with reason 置顶; hides are filtered with code hidden', () => {
    const e = tiny([['a', '蛋品', 100], ['b', '水果', 50], ['c', '水果', 10]]);
    const p = new Profile();
    const feed = e.rank(p, { now: NOW, pin: ['c', 'nope'], hide: ['b'] });
    assert.deepEqual(ids(feed), ['c', 'a']);
    assert.deepEqual(feed[0].reasons[0], { code: 'pinned', text: '置顶', weight: 0 });
    const hidden = e.filtered(p, { now: NOW, hide: ['b'] });
    assert.deepEqual(hidden.map((f) => [f.offerId, f.codes]), [['b', ['hidden']]]);
  });

  test('bad options name their path, unknown keys are rejected', () => {
    const p = new Profile();
    assertGrError(() => engine.rank(p, { diversity: { maxPerCategory: 0 } }), 'invalidInput', 'options.diversity.maxPerCategory');
    assertGrError(() => engine.rank(p, { diversity: { mmrLambda: 2 } }), 'invalidInput', 'options.diversity.mmrLambda');
    assertGrError(() => engine.rank(p, { diversity: { maxPerCat: 1 } }), 'invalidInput', 'options.diversity');
    assertGrError(() => engine.rank(p, { explore: { seed: 1.5 } }), 'invalidInput', 'options.explore.seed');
    assertGrError(() => engine.rank(p, { explore: {} }), 'invalidInput', 'options.explore');
    assertGrError(() => engine.rank(p, { fatigue: { decay: 0 } }), 'invalidInput', 'options.fatigue.decay');
    assertGrError(() => engine.rank(p, { pin: 'o00001' }), 'invalidInput', 'options.pin');
  });
});

describe('fatigue and frequency', () => {
  test('after 5 ignored impressions an offer drops, and is back 72 h later', () => {
    const e = tiny([['a', '蛋品', 100], ['b', '水果', 80], ['c', '水果', 60]]);
    const p = new Profile();
    const base = e.rank(p, { now: NOW });
    assert.deepEqual(ids(base), ['a', 'b', 'c']);
    for (let i = 4; i >= 0; i--) e.record(p, { type: 'impression', offerId: 'a', at: NOW - i * HOUR });
    const tired = e.rank(p, { now: NOW });
    assert.deepEqual(ids(tired), ['b', 'c', 'a']);
    const a = tired.find((o) => o.offerId === 'a');
    assert.ok(Math.abs(a.score - base[0].score * 0.7 ** 3) < 1e-12, `${a.score}`);
    assert.deepEqual(a.reasons.at(-1).code, 'fatigued');
    assert.equal(a.reasons.at(-1).impressions, 5);
    assert.equal(a.reasons.at(-1).text, '看过 5 次未点击，已降低');
    assert.ok(a.reasons.at(-1).weight < 0);
    const later = e.rank(p, { now: NOW + 72 * HOUR });
    assert.deepEqual(ids(later), ['a', 'b', 'c']);
    assert.equal(later[0].score, base[0].score);
    // A click resets it.
    e.record(p, { type: 'click', offerId: 'a', at: NOW });
    assert.equal(e.rank(p, { now: NOW })[0].offerId, 'a');
  });

  test('daily caps filter with offerCap / categoryCap until the next local day', () => {
    const e = tiny([['a', '蛋品', 100], ['d', '蛋品', 40], ['b', '水果', 80]]);
    const p = new Profile();
    for (let i = 1; i <= 3; i++) e.record(p, { type: 'impression', offerId: 'a', at: NOW - i * HOUR });
    const options = (now) => ({ now, fatigue: { maxPerOfferPerDay: 3, maxPerCategoryPerDay: 3, freeImpressions: 99 } });
    assert.deepEqual(ids(e.rank(p, options(NOW))), ['b']);
    const f = e.filtered(p, options(NOW));
    assert.deepEqual(f.map((x) => [x.offerId, x.codes]), [['a', ['offerCap', 'categoryCap']], ['d', ['categoryCap']]]);
    // NOW is 10:00 in Beijing: midnight is 14 h later.
    assert.deepEqual(ids(e.rank(p, options(NOW + 14.5 * HOUR))), ['a', 'b', 'd']);
    assert.equal(p.utcOffsetMinutes, 480);
    assertGrError(() => p.setUtcOffsetMinutes(900), 'invalidInput', 'utcOffsetMinutes');
  });

  test('repeated dismissals lower a category step by step', () => {
    const e = tiny([['a', '蛋品', 100], ['b', '水果', 90], ['c', '水果', 90]]);
    const p = new Profile();
    const score = () => e.rank(p, { now: NOW }).find((o) => o.offerId === 'c').score;
    const before = score();
    e.record(p, { type: 'dismiss', offerId: 'b', at: NOW });
    const once = score();
    p.record({ type: 'dismiss', offerId: 'x', at: NOW, category: '水果' });
    const twice = score();
    assert.ok(Math.abs(once - 0.8 * before) < 1e-12);
    assert.ok(Math.abs(twice - 0.64 * before) < 1e-12);
    const c = e.rank(p, { now: NOW }).find((o) => o.offerId === 'c');
    assert.equal(c.reasons.at(-1).code, 'lessOfCategory');
    assert.equal(c.reasons.at(-1).text, '你对「水果」不感兴趣，已减少');
  });
});

describe('exploration', () => {
  test('the same seed gives the same feed, a different seed a different one', () => {
    const p = profile('grandma');
    const run = (seed) => engine.rank(p, { now: NOW, limit: 20, explore: { seed, slots: 2 } });
    assert.deepEqual(run(42), run(42));
    assert.notDeepEqual(ids(run(42)), ids(run(43)));
    const explored = run(42).filter((o) => o.reasons[0].code === 'explore');
    assert.equal(explored.length, 2);
    const plainCategories = new Set(engine.rank(p, { now: NOW, limit: 20 }).map((o) => o.category));
    for (const o of explored) {
      assert.ok(!plainCategories.has(o.category), o.category);
      assert.equal(o.reasons[0].text, `为你发现新品类「${o.category}」`);
    }
  });
});

describe('push gate', () => {
  test('over three days it never exceeds the budget and never fires in quiet hours', () => {
    const p = profile('grandma');
    const midnight = NOW - 10 * HOUR; // 2025-11-25 00:00 Beijing
    const perDay = new Map();
    for (let t = midnight; t < midnight + 3 * DAY; t += 15 * 60_000) {
      const d = engine.shouldNotify(p, { now: t, threshold: 0, budgetPerDay: 2 });
      const hour = new Date(t + 8 * HOUR).getUTCHours();
      if (hour >= 22 || hour < 8) {
        assert.equal(d.notify, false, `fired at ${hour}:00`);
        assert.equal(d.reason.code, 'quietHours');
      }
      if (d.notify) {
        assert.ok(d.offer, 'a yes names its offer');
        engine.record(p, { type: 'push', offerId: d.offer.offerId, at: t });
        const day = Math.floor((t + 8 * HOUR) / DAY);
        perDay.set(day, (perDay.get(day) ?? 0) + 1);
      }
    }
    assert.deepEqual([...perDay.values()], [2, 2, 2]);
  });

  test('every answer carries its reason', () => {
    const grandma = profile('grandma');
    const yes = engine.shouldNotify(grandma, { now: NOW });
    assert.equal(yes.notify, true);
    assert.equal(yes.reason.code, 'ok');
    assert.equal(yes.offer.title, '土鸡蛋 30枚装');
    assert.equal(yes.reason.text, '值得提醒：土鸡蛋 30枚装');
    const newcomer = engine.shouldNotify(profile('newcomer'), { now: NOW });
    assert.deepEqual([newcomer.notify, newcomer.reason.code, newcomer.offer], [false, 'belowThreshold', undefined]);
    const night = engine.shouldNotify(grandma, { now: NOW + 13 * HOUR, locale: 'en' });
    assert.deepEqual(night.reason, { code: 'quietHours', text: 'No: quiet hours (22:00–08:00)' });
    engine.record(grandma, { type: 'push', offerId: yes.offer.offerId, at: NOW });
    assert.equal(engine.shouldNotify(grandma, { now: NOW + HOUR }).reason.code, 'tooSoon');
    engine.record(grandma, { type: 'push', offerId: 'o00032', at: NOW + HOUR });
    const used = engine.shouldNotify(grandma, { now: NOW + 6 * HOUR });
    assert.deepEqual(used.reason, { code: 'budgetUsed', text: '今天的 2 次提醒已用完' });
    assert.equal(used.pushesToday, 2);
    assertGrError(() => engine.shouldNotify(grandma, { budgetPerDay: 30 }), 'invalidInput', 'options.budgetPerDay');
    assertGrError(() => engine.shouldNotify(grandma, { quietHours: { start: 22 } }), 'invalidInput', 'options.quietHours');
    assertGrError(() => engine.shouldNotify(grandma, { quiet: 1 }), 'invalidInput', 'options');
  });
});

describe('group selection', () => {
  test('coverage serves strictly more members than top-K by mean', () => {
    const e = tiny([['e1', '蛋品', 0], ['e2', '蛋品', 0], ['e3', '蛋品', 0], ['b1', '辅食', 0], ['x', '日用', 0]]);
    const weekly = [7, 14, 21, 28].map((d) => ({ offerId: 'e1', category: '蛋品', price: 20, at: NOW - d * DAY }));
    const group = new Group();
    assert.equal(group.add(Profile.fromUser({ history: weekly }), '阿姨A'), 0);
    assert.equal(group.add(Profile.fromUser({ history: weekly }), '阿姨B'), 1);
    const parent = Profile.fromUser({ history: [{ offerId: 'b1', category: '辅食', price: 20, at: NOW - 3 * DAY }] });
    assert.equal(group.add(parent, '宝妈C'), 2);
    assert.equal(group.size, 3);
    const mean = e.rankForGroup(group, { now: NOW, limit: 2, objective: 'mean' });
    const coverage = e.rankForGroup(group, { now: NOW, limit: 2 });
    assert.deepEqual(mean.items.map((i) => i.offerId), ['e1', 'e2']);
    assert.equal(mean.membersServed, 2);
    assert.deepEqual(coverage.items.map((i) => i.offerId), ['e1', 'b1']);
    assert.equal(coverage.membersServed, 3);
    assert.equal(coverage.objective, 'coverage');
    const b1 = coverage.items[1];
    assert.deepEqual(b1.served.map((m) => [m.member, m.name]), [[2, '宝妈C']]);
    assert.ok(b1.served[0].reasons.some((r) => r.code === 'boughtBefore'));
    // The group holds snapshots: later events on a profile do not change it.
    parent.record({ type: 'dismiss', offerId: 'b1', at: NOW, category: '辅食' });
    assert.deepEqual(e.rankForGroup(group, { now: NOW, limit: 2 }), coverage);
  });

  test('empty groups and bad options are errors with paths', () => {
    assertGrError(() => engine.rankForGroup(new Group()), 'invalidInput', 'group');
    const g = new Group();
    g.add(new Profile());
    assertGrError(() => engine.rankForGroup(g, { limit: 0 }), 'invalidInput', 'options.limit');
    assertGrError(() => engine.rankForGroup(g, { objective: 'max' }), 'invalidInput', 'options.objective');
    assertGrError(() => g.add(new Profile(), 7), 'invalidInput', 'name');
  });
});

describe('A/B variants', () => {
  const experiment = { name: 'feed-2025-11', variants: [{ name: 'control', split: 1 }, { name: 'treatment', split: 1 }] };

  test('assignment is stable and matches the Rust core (same hash)', () => {
    assert.deepEqual(assignVariant('user-42', experiment), {
      experiment: 'feed-2025-11', variant: 'control', bucket: 0.31204274195265613,
    });
    for (let i = 0; i < 200; i++) {
      assert.deepEqual(assignVariant(`u${i}`, experiment), assignVariant(`u${i}`, experiment));
    }
  });

  test('over 100k ids each variant is within ±2% of its configured split', () => {
    for (const splits of [[0.5, 0.5], [0.1, 0.3, 0.6]]) {
      const exp = { name: 'split-check', variants: splits.map((split, i) => ({ name: `v${i}`, split })) };
      const counts = new Map();
      const n = 100_000;
      for (let i = 0; i < n; i++) {
        const v = assignVariant(`user-${i}`, exp).variant;
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      splits.forEach((share, i) => {
        const got = (counts.get(`v${i}`) ?? 0) / n;
        assert.ok(Math.abs(got - share) <= 0.02, `v${i}: ${got} vs ${share}`);
      });
    }
  });

  test('the variant applies its overrides and comes back with the ranking', () => {
    const e = tiny([['a', '蛋品', 100], ['b', '蛋品', 90], ['c', '水果', 10]]);
    const exp = {
      name: 'caps',
      variants: [{ name: 'control', split: 1 }, { name: 'oneEach', split: 1, diversity: { maxPerCategory: 1 } }],
    };
    const userIn = (name) => {
      for (let i = 0; ; i++) if (assignVariant(`user-${i}`, exp).variant === name) return `user-${i}`;
    };
    const p = new Profile();
    const control = e.rankWithVariant(p, { now: NOW, experiment: exp, userId: userIn('control') });
    assert.equal(control.variant.variant, 'control');
    assert.deepEqual(ids(control.items), ['a', 'b', 'c']);
    const treated = e.rankWithVariant(p, { now: NOW, experiment: exp, userId: userIn('oneEach') });
    assert.equal(treated.variant.variant, 'oneEach');
    assert.deepEqual(ids(treated.items), ['a', 'c']);
    // rank() keeps returning the plain array; without an experiment there is no variant.
    assert.ok(Array.isArray(e.rank(p, { now: NOW, experiment: exp, userId: 'u1' })));
    assert.deepEqual(Object.keys(e.rankWithVariant(p, { now: NOW })), ['items']);
    assertGrError(() => e.rank(p, { experiment: exp }), 'invalidInput', 'options.userId');
    assertGrError(() => assignVariant('u', { name: 'x', variants: [] }), 'invalidInput', 'experiment.variants');
    assertGrError(() => assignVariant('u', { name: 'x', variants: [{ name: 'a', split: 1, wieghts: {} }] }), 'invalidInput', 'experiment.variants[0]');
    assertGrError(() => assignVariant('', experiment), 'invalidInput', 'userId');
  });
});

describe('saved profiles', () => {
  test('a version-1 profile still loads and re-saves as version 2 with fatigue state', () => {
    const v1 = readFileSync(new URL('../fixtures/profile-v1.b64', import.meta.url), 'utf8').trim();
    const p = Profile.load(v1);
    assert.equal(p.eventCount, 20);
    assert.equal(p.utcOffsetMinutes, 480);
    assert.equal(engine.rank(p, { now: NOW, limit: 1 })[0].offerId, 'o00001');
    const bytes = p.toBytes();
    assert.equal(bytes[4], 2);
    for (let i = 0; i < 4; i++) engine.record(p, { type: 'impression', offerId: 'o00300', at: NOW });
    const again = Profile.load(p.toBase64());
    assert.equal(again.eventCount, 24);
    const o = engine.rank(again, { now: NOW, limit: 1000 }).find((x) => x.offerId === 'o00300');
    assert.ok(o.reasons.some((r) => r.code === 'fatigued' && r.impressions === 4));
  });
});
