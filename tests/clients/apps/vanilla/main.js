// A plain page built by a bundler the way a user would: the package's default web
// entries, `await init()`, then a feed for one of the sample users rendered into the
// DOM (data attributes carry what the tests read).
import init, { Engine, Profile, wasmBuild } from 'goods-ranker';
import initSample, { sampleCatalog, sampleUsers } from 'goods-ranker/sample';

// A fixed instant (2025-11-25 10:00 Beijing time), so the feed is reproducible.
const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);

await init();
await initSample();

const catalog = sampleCatalog();
const sample = sampleUsers(catalog, NOW).find((u) => u.id === 'grandma');
const engine = Engine.fromCatalog(catalog);
const profile = Profile.fromUser(sample.user);
const feed = engine.rank(profile, { now: NOW, limit: 20 });
profile.free();
engine.free();

const el = (tag, props = {}, children = []) => {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
};

document.documentElement.lang = 'zh-CN';
document.title = `为${sample.name}推荐`;
const list = el('ol', { id: 'feed' });
for (const offer of feed) {
  const item = el('li', { className: 'offer' }, [
    el('span', { className: 'title', textContent: offer.title }),
    el('span', { className: 'price', textContent: ` ¥${offer.price.toFixed(2)} · ${offer.storeName}` }),
    el('div', { className: 'reasons' }, offer.reasons.map((r) => {
      const chip = el('span', { className: 'chip', textContent: r.text });
      chip.dataset.code = r.code;
      return chip;
    })),
  ]);
  Object.assign(item.dataset, { offerId: offer.offerId, rank: String(offer.rank), score: String(offer.score), storeId: offer.storeId });
  list.append(item);
}
document.body.append(el('h1', { textContent: `为${sample.name}推荐` }), list);
document.body.dataset.wasmBuild = wasmBuild();
document.body.dataset.ready = 'true';
