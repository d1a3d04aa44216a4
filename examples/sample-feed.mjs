// Ranks the sample catalog (Beijing 望京 community group-buying) for each sample user
// and prints the feed with its reasons. Run through `bash scripts/run.sh`, or
// `node examples/sample-feed.mjs [--locale en] [--limit 8]` after building pkg/.
import { Engine, Profile } from '../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../pkg/sample/node.js';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const locale = option('locale', 'zh-CN');
const limit = Number(option('limit', 8));

// A fixed "now" keeps the printout reproducible: 2025-11-25 10:00 Beijing time.
const now = Date.UTC(2025, 10, 25, 2, 0, 0);
const catalog = sampleCatalog();
const engine = Engine.fromCatalog(catalog);
const stores = new Map(catalog.stores.map((s) => [s.id, s]));

console.log(
  `goods-ranker sample feed — ${engine.offerCount} offers, ${catalog.stores.length} stores, ` +
    `embeddings ${engine.embeddingDim}-d, locale ${locale}\n`,
);

for (const sample of sampleUsers(catalog, now)) {
  const profile = Profile.fromUser(sample.user);
  const started = performance.now();
  const feed = engine.rank(profile, { now, limit, locale });
  const ms = performance.now() - started;
  const name = locale === 'en' ? `${sample.nameEn} — ${sample.descriptionEn}` : `${sample.name} — ${sample.description}`;
  console.log(`■ ${name}`);
  console.log(`  (${feed.length} offers in ${ms.toFixed(2)} ms)`);
  for (const offer of feed) {
    const store = stores.get(offer.storeId);
    const reasons = offer.reasons.map((r) => r.text).join(' · ');
    console.log(
      `  ${String(offer.rank).padStart(2)}. ${offer.title}  ¥${offer.price.toFixed(2)}  ` +
        `[${store?.name ?? offer.storeId}]  score ${offer.score.toFixed(3)}`,
    );
    if (reasons) console.log(`      ${reasons}`);
  }
  const hidden = engine.filtered(profile, { now, locale });
  const byCode = {};
  for (const f of hidden) byCode[f.codes[0]] = (byCode[f.codes[0]] ?? 0) + 1;
  console.log(`  filtered out: ${JSON.stringify(byCode)}\n`);
  profile.free();
}
engine.free();
