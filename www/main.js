// Minimal demo: load the package, rank the sample catalog for a sample user, and
// show the feed with its reasons.
import init, { Engine, Profile, sampleCatalog, sampleUsers } from '../pkg/goods_ranker.js';

await init();

const catalog = sampleCatalog();
const engine = Engine.fromCatalog(catalog);
const stores = new Map(catalog.stores.map((s) => [s.id, s]));
const users = sampleUsers(catalog, Date.now());

const select = document.querySelector('#user');
const feedList = document.querySelector('#feed');
const status = document.querySelector('#status');

for (const u of users) {
  const option = document.createElement('option');
  option.value = u.id;
  option.textContent = u.name;
  select.append(option);
}

function render() {
  const sample = users.find((u) => u.id === select.value) ?? users[0];
  const profile = Profile.fromUser(sample.user);
  const started = performance.now();
  const feed = engine.rank(profile, { limit: 20 });
  const ms = performance.now() - started;
  profile.free();
  status.textContent = `${sample.description}（${engine.offerCount} 件商品，排序 ${ms.toFixed(2)} ms）`;
  feedList.replaceChildren(
    ...feed.map((offer) => {
      const li = document.createElement('li');
      li.dataset.offerId = offer.offerId;
      const title = document.createElement('div');
      title.className = 'title';
      title.textContent = `${offer.rank}. ${offer.title}`;
      const meta = document.createElement('div');
      meta.className = 'meta';
      const price = document.createElement('span');
      price.className = 'price';
      price.textContent = `¥${offer.price}`;
      meta.append(price, ` · ${stores.get(offer.storeId)?.name ?? offer.storeName}`);
      const chips = offer.reasons.map((r) => {
        const chip = document.createElement('span');
        chip.className = 'chip';
        chip.dataset.code = r.code;
        chip.textContent = r.text;
        return chip;
      });
      li.append(title, meta, ...chips);
      return li;
    }),
  );
}

select.addEventListener('change', render);
render();
