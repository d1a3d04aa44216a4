// The plain-JavaScript reference ranker: the same scoring as the engine (src/rank/,
// src/profile/, src/util/geo.rs, src/rank/decay.rs), written the way a careful front-end
// developer would write it — columns in typed arrays, per-call context computed once,
// a fused loop with no per-offer objects, a bounded min-heap for the top K, and
// reasons/breakdown built only for the K offers returned.
//
// It is the honest alternative the benchmark compares the engine against, and the
// equivalence tests check that it returns the same top-20 as the native engine.
//
//   const cat = buildCatalog(catalogInput);          // like Engine.fromCatalog
//   const profile = profileFromUser(userInput);      // like Profile.fromUser
//   recordEvent(profile, event);                      // like Profile#record
//   const feed = rank(cat, profile, { now, limit });  // [{ offerId, score, rank, reasons, breakdown }]

const DAY_MS = 86_400_000;
const HALF_LIFE_DAYS = 30;
const EARTH_RADIUS_M = 6_371_008.8;
const KRASOVSKY_A = 6_378_245.0;
const KRASOVSKY_EE = 0.006_693_421_622_965_943;
const NO_AGE_MAX = 255;
const NEUTRAL = 0.5;
const BAND_PRICE_RATIO = [0.6, 0.8, 1.0, 1.35, 1.8];
const CATEGORY_REPURCHASE_FACTOR = 0.6;
const MAX_ITEMS = 512;
const MAX_CATEGORIES = 128;
const MAX_DISMISSED = 256;

export const FEATURES = [
  'proximity', 'ageFit', 'priceFit', 'itemAffinity', 'categoryAffinity', 'embedding',
  'repurchase', 'popularity', 'freshness', 'discount', 'boost',
];
const DEFAULT_WEIGHTS = [1.0, 0.4, 0.5, 0.8, 0.8, 0.5, 1.2, 0.6, 0.3, 0.4, 0.5];

// ---------------------------------------------------------------------------------
// Geodesy (src/util/geo.rs)
// ---------------------------------------------------------------------------------

const outOfChina = (lat, lng) => !(lng >= 72.004 && lng <= 137.8347) || !(lat >= 0.8293 && lat <= 55.8271);

function gcj02Delta(lat, lng) {
  const x = lng - 105.0;
  const y = lat - 35.0;
  const xy = x * y;
  const absX = Math.sqrt(Math.abs(x));
  const xPi = x * Math.PI;
  const yPi = y * Math.PI;
  const common = ((20.0 * Math.sin(6.0 * xPi) + 20.0 * Math.sin(2.0 * xPi)) * 2.0) / 3.0;
  let dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * xy + 0.2 * absX;
  dLat += common;
  dLat += ((20.0 * Math.sin(yPi) + 40.0 * Math.sin(yPi / 3.0)) * 2.0) / 3.0;
  dLat += ((160.0 * Math.sin(yPi / 12.0) + 320.0 * Math.sin(yPi / 30.0)) * 2.0) / 3.0;
  let dLng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * xy + 0.1 * absX;
  dLng += common;
  dLng += ((20.0 * Math.sin(xPi) + 40.0 * Math.sin(xPi / 3.0)) * 2.0) / 3.0;
  dLng += ((150.0 * Math.sin(xPi / 12.0) + 300.0 * Math.sin(xPi / 30.0)) * 2.0) / 3.0;
  const radLat = (lat / 180.0) * Math.PI;
  const sinLat = Math.sin(radLat);
  const magic = 1.0 - KRASOVSKY_EE * sinLat * sinLat;
  const sqrtMagic = Math.sqrt(magic);
  const meridian = (KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrtMagic);
  const parallel = (KRASOVSKY_A / sqrtMagic) * Math.cos(radLat);
  return [(dLat * 180.0) / (meridian * Math.PI), (dLng * 180.0) / (parallel * Math.PI)];
}

/** GCJ-02 → WGS-84 by fixed-point iteration of the forward transform. */
export function gcj02ToWgs84(lat, lng) {
  if (outOfChina(lat, lng)) return [lat, lng];
  let [dLat, dLng] = gcj02Delta(lat, lng);
  let wLat = lat - dLat;
  let wLng = lng - dLng;
  for (let i = 0; i < 30; i++) {
    [dLat, dLng] = gcj02Delta(wLat, wLng);
    const rLat = wLat + dLat - lat;
    const rLng = wLng + dLng - lng;
    wLat -= rLat;
    wLng -= rLng;
    if (Math.abs(rLat) < 1e-9 && Math.abs(rLng) < 1e-9) break;
  }
  return [wLat, wLng];
}

const toWgs84 = (lat, lng, datum) => (datum === 'gcj02' ? gcj02ToWgs84(lat, lng) : [lat, lng]);

function unitVector(lat, lng) {
  const la = (lat * Math.PI) / 180;
  const ln = (lng * Math.PI) / 180;
  const cl = Math.cos(la);
  return [cl * Math.cos(ln), cl * Math.sin(ln), Math.sin(la)];
}

// ---------------------------------------------------------------------------------
// Decay curves (src/rank/decay.rs)
// ---------------------------------------------------------------------------------

const GAUSS = 0;
const EXP = 1;
const LINEAR = 2;

function decayCurve(fn, offset, scale, decay) {
  let k;
  if (fn === GAUSS) k = 1.0 / (2.0 * (-(scale * scale) / (2.0 * Math.log(decay))));
  else if (fn === EXP) k = -Math.log(decay) / scale;
  else k = (1.0 - decay) / scale;
  return { fn, offset, k };
}

function evalDecay(c, x) {
  const d = Math.max(Math.abs(x) - c.offset, 0.0);
  if (c.fn === GAUSS) return Math.exp(-d * d * c.k);
  if (c.fn === EXP) return Math.exp(-d * c.k);
  return Math.max(1.0 - d * c.k, 0.0);
}

const AGE_CURVE = decayCurve(GAUSS, 0.0, 8.0, 0.5);
const PRICE_CURVE = decayCurve(GAUSS, 0.0, Math.LN2, 0.5);
const EARLY_CURVE = decayCurve(GAUSS, 0.1, 0.3, 0.5);
const LATE_CURVE = decayCurve(GAUSS, 0.25, 1.0, 0.5);
const FRESH_CURVE = decayCurve(EXP, 1.0, 7.0, 0.5);

function repurchaseCurve(daysSince, cycleDays) {
  if (cycleDays <= 0.0 || daysSince < 0.0) return 0.0;
  const r = daysSince / cycleDays;
  return r < 1.0 ? evalDecay(EARLY_CURVE, 1.0 - r) : evalDecay(LATE_CURVE, r - 1.0);
}

// ---------------------------------------------------------------------------------
// Catalog: typed-array columns (src/catalog/)
// ---------------------------------------------------------------------------------

/** Builds the columns from a catalog object (or its JSON text). */
export function buildCatalog(input) {
  if (typeof input === 'string') input = JSON.parse(input);
  const d = input.embeddingDim ?? 0;
  const storeIndex = new Map();
  const ns = input.stores.length;
  const stores = {
    ids: [], names: [],
    ux: new Float64Array(ns), uy: new Float64Array(ns), uz: new Float64Array(ns),
    radiusKm: new Float64Array(ns),
  };
  input.stores.forEach((s, i) => {
    storeIndex.set(s.id, i);
    stores.ids.push(s.id);
    stores.names.push(s.name);
    const [lat, lng] = toWgs84(s.lat, s.lng, s.datum ?? input.datum ?? 'wgs84');
    const [x, y, z] = unitVector(lat, lng);
    stores.ux[i] = x; stores.uy[i] = y; stores.uz[i] = z;
    stores.radiusKm[i] = s.deliveryRadiusKm ?? Infinity;
  });
  const n = input.offers.length;
  const categories = [];
  const categoryIndex = new Map();
  const catLnSum = [];
  const catCount = [];
  const c = {
    n, d,
    ids: new Array(n), titles: new Array(n), price: new Float64Array(n),
    store: new Uint32Array(n), category: new Uint32Array(n),
    lnPrice: new Float32Array(n), discount: new Float32Array(n), outOfStock: new Uint8Array(n),
    lnPopularity: new Float32Array(n), popularity: new Float32Array(n),
    startsAt: new Float64Array(n), endsAt: new Float64Array(n),
    ageMin: new Uint8Array(n), ageMax: new Uint8Array(n), minAge: new Uint8Array(n),
    incomeMask: new Uint8Array(n), repurchaseDays: new Float32Array(n), boost: new Float32Array(n),
    embeddings: new Float32Array(n * d), hasEmbedding: new Uint8Array(n),
    // Position of each offer id in id order: ties compare two integers, not strings.
    idOrder: new Uint32Array(n),
  };
  const offerIndex = new Map();
  for (let i = 0; i < n; i++) {
    const o = input.offers[i];
    offerIndex.set(o.id, i);
    c.ids[i] = o.id;
    c.titles[i] = o.title;
    c.store[i] = storeIndex.get(o.storeId);
    let ci = categoryIndex.get(o.category);
    if (ci === undefined) {
      ci = categories.length;
      categoryIndex.set(o.category, ci);
      categories.push(o.category);
      catLnSum.push(0);
      catCount.push(0);
    }
    c.category[i] = ci;
    c.price[i] = o.price;
    const lnPrice = Math.log(o.price);
    c.lnPrice[i] = lnPrice;
    catLnSum[ci] += lnPrice;
    catCount[ci] += 1;
    c.discount[i] = o.originalPrice === undefined ? 0 : 1.0 - o.price / o.originalPrice;
    c.outOfStock[i] = o.stock === 0 ? 1 : 0;
    const pop = Math.fround(o.popularity ?? 0);
    c.popularity[i] = pop;
    c.lnPopularity[i] = Math.log1p(pop);
    c.startsAt[i] = o.startsAt ?? -Infinity;
    c.endsAt[i] = o.endsAt ?? Infinity;
    c.ageMin[i] = o.ageMin ?? 0;
    c.ageMax[i] = o.ageMax ?? NO_AGE_MAX;
    c.minAge[i] = o.minAge ?? 0;
    let mask = 0;
    for (const b of o.incomeBands ?? []) mask |= 1 << (b - 1);
    c.incomeMask[i] = mask;
    c.repurchaseDays[i] = o.repurchaseDays ?? 0;
    c.boost[i] = o.boost ?? 0;
    if (d > 0 && o.embedding) {
      c.hasEmbedding[i] = 1;
      const e = o.embedding;
      let sq = 0;
      for (let j = 0; j < d; j++) sq += Math.fround(e[j]) * Math.fround(e[j]);
      const norm = Math.sqrt(sq);
      if (norm > 0) for (let j = 0; j < d; j++) c.embeddings[i * d + j] = Math.fround(e[j]) / norm;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => (c.ids[a] < c.ids[b] ? -1 : c.ids[a] > c.ids[b] ? 1 : 0));
  for (let r = 0; r < n; r++) c.idOrder[order[r]] = r;
  let lnPopMax = 0;
  for (let i = 0; i < n; i++) if (c.lnPopularity[i] > lnPopMax) lnPopMax = c.lnPopularity[i];
  const catLnPrice = new Float64Array(categories.length);
  for (let k = 0; k < categories.length; k++) catLnPrice[k] = catCount[k] ? catLnSum[k] / catCount[k] : 0;
  return { cols: c, stores, categories, categoryIndex, catLnPrice, offerIndex, lnPopMax };
}

// ---------------------------------------------------------------------------------
// Profile (src/profile/)
// ---------------------------------------------------------------------------------

const decayedAt = (v, now) => v.value * 2 ** (-Math.max((now - v.at) / DAY_MS, 0.0) / HALF_LIFE_DAYS);

function decayedAdd(v, amount, t) {
  if (v.value === 0 && v.at === 0) {
    v.value = amount;
    v.at = t;
  } else if (t >= v.at) {
    v.value = decayedAt(v, t) + amount;
    v.at = t;
  } else {
    v.value += amount * 2 ** (-((v.at - t) / DAY_MS) / HALF_LIFE_DAYS);
  }
}

function learnInterval(s, t) {
  if (s.lastPurchaseAt > 0 && t > s.lastPurchaseAt) {
    const gap = (t - s.lastPurchaseAt) / DAY_MS;
    if (gap >= 0.5) s.intervalDays = s.intervalDays === 0 ? gap : 0.7 * s.intervalDays + 0.3 * gap;
  }
  if (t > s.lastPurchaseAt) s.lastPurchaseAt = t;
}

function evict(map, max, strength) {
  if (map.size <= max) return;
  const ranked = [...map].map(([k, v]) => [strength(v), k]);
  ranked.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const doomed = map.size - max;
  for (let i = 0; i < doomed; i++) map.delete(ranked[i][1]);
}

export function newProfile() {
  return { age: null, incomeBand: null, location: null, items: new Map(), categories: new Map(), dismissed: new Map(), events: 0 };
}

const incomeBandFor = (m) => (m < 3000 ? 1 : m < 6000 ? 2 : m < 12000 ? 3 : m < 25000 ? 4 : 5);

/** Profile.fromUser: declared attributes, then `history` replayed as purchases, oldest first. */
export function profileFromUser(user = {}) {
  const p = newProfile();
  setUser(p, user);
  return p;
}

export function setUser(p, user) {
  if (user.age !== undefined && user.age !== null) p.age = user.age;
  if (user.incomeBand != null) p.incomeBand = user.incomeBand;
  else if (user.monthlyIncome != null) p.incomeBand = incomeBandFor(user.monthlyIncome);
  if (user.location) p.location = toWgs84(user.location.lat, user.location.lng, user.location.datum ?? 'wgs84');
  const history = user.history ?? [];
  const order = history.map((_, i) => i).sort((a, b) => history[a].at - history[b].at || a - b);
  for (const i of order) recordEvent(p, { type: 'purchase', ...history[i] });
}

/** Profile#record (the event carries its own category and price). */
export function recordEvent(p, event) {
  p.events += 1;
  const t = event.at;
  const quantity = Math.max(event.quantity ?? 1, 1);
  const type = event.type;
  const strength = type === 'click' ? 0.3 : type === 'cart' ? 0.6 : type === 'purchase' ? Math.sqrt(quantity) : 0;
  if (type === 'dismiss') {
    p.dismissed.set(event.offerId, t);
    p.items.delete(event.offerId);
    const cs = event.category !== undefined ? p.categories.get(event.category) : undefined;
    if (cs) cs.affinity.value *= 0.5;
    evict(p.dismissed, MAX_DISMISSED, (at) => at);
    return;
  }
  let item = p.items.get(event.offerId);
  if (!item) {
    item = { affinity: { value: 0, at: 0 }, impressions: { value: 0, at: 0 }, purchases: 0, lastPurchaseAt: 0, intervalDays: 0 };
    p.items.set(event.offerId, item);
  }
  if (type === 'impression') decayedAdd(item.impressions, 1.0, t);
  else {
    decayedAdd(item.affinity, strength, t);
    item.impressions = { value: 0, at: 0 };
  }
  if (type === 'purchase') {
    item.purchases += 1;
    learnInterval(item, t);
  }
  if (event.category !== undefined && event.category !== null && strength > 0) {
    let cs = p.categories.get(event.category);
    if (!cs) {
      cs = { affinity: { value: 0, at: 0 }, purchases: 0, lastPurchaseAt: 0, intervalDays: 0, lnPriceMean: 0, priceCount: 0 };
      p.categories.set(event.category, cs);
    }
    decayedAdd(cs.affinity, strength, t);
    if (type === 'purchase') {
      cs.purchases += 1;
      learnInterval(cs, t);
      if (event.price !== undefined && event.price !== null) {
        cs.priceCount = Math.min(cs.priceCount + 1, 20);
        cs.lnPriceMean += (Math.log(event.price) - cs.lnPriceMean) / cs.priceCount;
      }
    }
  }
  evict(p.items, MAX_ITEMS, (s) => decayedAt(s.affinity, t) + 0.1 * decayedAt(s.impressions, t));
  evict(p.categories, MAX_CATEGORIES, (s) => decayedAt(s.affinity, t));
}

const isCold = (p) => p.age === null && p.incomeBand === null && p.items.size === 0 && p.categories.size === 0;

// ---------------------------------------------------------------------------------
// Ranking (src/rank/)
// ---------------------------------------------------------------------------------

const FUNCTIONS = { gauss: GAUSS, exp: EXP, linear: LINEAR };

/**
 * Ranks the catalog for one profile. Options: `now`, `limit` (20), `location`,
 * `weights`, `proximity`, `exclude`, `allowUnknownAge`; `reasons: false` skips the
 * explanations.
 */
export function rank(cat, profile, options = {}) {
  const c = cat.cols;
  const n = c.n;
  const d = c.d;
  const now = options.now ?? Date.now();
  const k = options.limit ?? 20;
  const w = DEFAULT_WEIGHTS.slice();
  if (options.weights) FEATURES.forEach((f, j) => { if (options.weights[f] !== undefined) w[j] = options.weights[f]; });
  let total = 0;
  for (let j = 0; j < w.length; j++) total += w[j];
  const invTotal = 1.0 / total;
  const px = options.proximity ?? {};
  const prox = decayCurve(FUNCTIONS[px.function ?? 'gauss'], px.offsetKm ?? 0.2, px.scaleKm ?? 1.5, px.decay ?? 0.5);
  const allowUnknownAge = options.allowUnknownAge ?? false;

  // Per store: proximity score and in-range flag.
  const loc = options.location
    ? toWgs84(options.location.lat, options.location.lng, options.location.datum ?? 'wgs84')
    : profile.location;
  const st = cat.stores;
  const ns = st.ids.length;
  const storeKm = new Float64Array(ns);
  const storeProx = new Float64Array(ns);
  const storeOk = new Uint8Array(ns);
  if (loc) {
    const [ox, oy, oz] = unitVector(loc[0], loc[1]);
    for (let s = 0; s < ns; s++) {
      const tx = st.ux[s], ty = st.uy[s], tz = st.uz[s];
      const cx = oy * tz - oz * ty;
      const cy = oz * tx - ox * tz;
      const cz = ox * ty - oy * tx;
      const km = (EARTH_RADIUS_M * Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), ox * tx + oy * ty + oz * tz)) / 1000.0;
      storeKm[s] = km;
      storeProx[s] = evalDecay(prox, km);
      storeOk[s] = km <= st.radiusKm[s] ? 1 : 0;
    }
  } else {
    storeKm.fill(NaN);
    storeOk.fill(1);
  }

  // Per category: affinity, preferred and usual price, last purchase, cycle.
  const nc = cat.categories.length;
  const catAff = new Float64Array(nc);
  const catLnBand = new Float64Array(nc).fill(NaN);
  const catLnPaid = new Float64Array(nc).fill(NaN);
  const catDays = new Float64Array(nc).fill(NaN);
  const catInterval = new Float64Array(nc);
  const band = profile.incomeBand;
  const bandRatio = band === null ? NaN : Math.log(BAND_PRICE_RATIO[Math.min(Math.max(band, 1), 5) - 1]);
  for (let ci = 0; ci < nc; ci++) {
    const s = profile.categories.get(cat.categories[ci]);
    catAff[ci] = 1.0 - Math.exp(-(s ? decayedAt(s.affinity, now) : 0) / 1.5);
    if (band !== null) catLnBand[ci] = cat.catLnPrice[ci] + bandRatio;
    if (s) {
      if (s.priceCount > 0) catLnPaid[ci] = s.lnPriceMean;
      if (s.purchases > 0) catDays[ci] = (now - s.lastPurchaseAt) / DAY_MS;
      catInterval[ci] = s.intervalDays;
    }
  }

  // The offers the profile or the call mention, sorted by offer index.
  const known = new Map();
  const entry = (idx) => {
    let e = known.get(idx);
    if (!e) {
      e = { idx, itemAffinity: 0, purchases: 0, daysSince: NaN, interval: 0, dismissed: false, excluded: false };
      known.set(idx, e);
    }
    return e;
  };
  for (const [id, s] of profile.items) {
    const idx = cat.offerIndex.get(id);
    if (idx === undefined) continue;
    const e = entry(idx);
    e.itemAffinity = 1.0 - Math.exp(-decayedAt(s.affinity, now));
    e.purchases = s.purchases;
    e.daysSince = s.purchases > 0 ? (now - s.lastPurchaseAt) / DAY_MS : NaN;
    e.interval = s.intervalDays;
  }
  for (const id of profile.dismissed.keys()) { const i = cat.offerIndex.get(id); if (i !== undefined) entry(i).dismissed = true; }
  for (const id of options.exclude ?? []) { const i = cat.offerIndex.get(id); if (i !== undefined) entry(i).excluded = true; }
  const personal = [...known.values()].sort((a, b) => a.idx - b.idx);
  const np = personal.length;
  const pIdx = new Int32Array(np + 1);
  const pAff = new Float64Array(np);
  const pDays = new Float64Array(np);
  const pInterval = new Float64Array(np);
  const pBlocked = new Uint8Array(np);
  personal.forEach((e, j) => {
    pIdx[j] = e.idx; pAff[j] = e.itemAffinity; pDays[j] = e.daysSince; pInterval[j] = e.interval;
    pBlocked[j] = e.dismissed || e.excluded ? 1 : 0;
  });
  pIdx[np] = -1;

  // The user vector: affinity-weighted sum of known offers' embeddings, normalised.
  let user = null;
  if (d > 0) {
    const u = new Float64Array(d);
    let any = false;
    for (let j = 0; j < np; j++) {
      const i = pIdx[j];
      if (pAff[j] <= 0 || personal[j].dismissed || !c.hasEmbedding[i]) continue;
      for (let q = 0; q < d; q++) u[q] += pAff[j] * c.embeddings[i * d + q];
      any = true;
    }
    let sq = 0;
    for (let q = 0; q < d; q++) sq += u[q] * u[q];
    const norm = Math.sqrt(sq);
    if (any && norm > 0) {
      user = new Float32Array(d);
      for (let q = 0; q < d; q++) user[q] = u[q] / norm;
    }
  }

  const age = profile.age;
  const ageBlocksUnknown = age === null && !allowUnknownAge;
  const bandBit = band === null ? 0 : 1 << (band - 1);
  const invLnPopMax = cat.lnPopMax > 0 ? 1.0 / cat.lnPopMax : 0.0;
  const [w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10] = w;
  const { store, category, lnPrice, discount, outOfStock, lnPopularity, startsAt, endsAt, ageMin, ageMax, minAge, incomeMask, repurchaseDays, boost, embeddings, idOrder } = c;

  // Bounded min-heap of the best k: the root is the weakest kept (lowest score,
  // then largest id).
  const hScore = new Float64Array(k);
  const hIdx = new Int32Array(k);
  let size = 0;
  const weaker = (sa, ia, sb, ib) => sa < sb || (sa === sb && idOrder[ia] > idOrder[ib]);

  let cursor = 0;
  for (let i = 0; i < n; i++) {
    let pj = -1;
    if (pIdx[cursor] === i) pj = cursor++;
    // Hard filters.
    if (outOfStock[i] || now < startsAt[i] || now >= endsAt[i]) continue;
    const s = store[i];
    if (!storeOk[s]) continue;
    const ma = minAge[i];
    if (ma > 0 && (age === null ? ageBlocksUnknown : age < ma)) continue;
    if (pj >= 0 && pBlocked[pj]) continue;

    const ci = category[i];
    const fProx = storeKm[s] === storeKm[s] ? storeProx[s] : 0.0;
    let fAge = NEUTRAL;
    if (age !== null) {
      const lo = ageMin[i], hi = ageMax[i];
      if (!(lo === 0 && hi === NO_AGE_MAX)) fAge = evalDecay(AGE_CURVE, Math.max(Math.max(lo - age, age - hi), 0.0));
    }
    const lp = lnPrice[i];
    let priceSum = 0.0;
    let priceN = 0;
    const lb = catLnBand[ci];
    if (lb === lb) { priceSum += evalDecay(PRICE_CURVE, lp - lb); priceN++; }
    const lpaid = catLnPaid[ci];
    if (lpaid === lpaid) { priceSum += evalDecay(PRICE_CURVE, lp - lpaid); priceN++; }
    const mask = incomeMask[i];
    if (mask !== 0 && bandBit !== 0) { priceSum += mask & bandBit ? 1.0 : 0.2; priceN++; }
    const fPrice = priceN === 0 ? NEUTRAL : priceSum / priceN;
    let fEmb = 0.0;
    if (user !== null) {
      let dot = 0.0;
      const base = i * d;
      for (let q = 0; q < d; q++) dot += embeddings[base + q] * user[q];
      dot = Math.fround(dot);
      fEmb = dot < 0 ? 0 : dot > 1 ? 1 : dot;
    }
    const cycle = repurchaseDays[i];
    let rep = 0.0;
    const cd = catDays[ci];
    if (cd === cd) rep = CATEGORY_REPURCHASE_FACTOR * repurchaseCurve(cd, cycle > 0 ? cycle : catInterval[ci]);
    let fItem = 0.0;
    if (pj >= 0) {
      fItem = pAff[pj];
      const pd = pDays[pj];
      if (pd === pd) rep = Math.max(rep, repurchaseCurve(pd, pInterval[pj] > 0 ? pInterval[pj] : cycle));
    }
    const started = startsAt[i];
    const fFresh = started > -Infinity ? evalDecay(FRESH_CURVE, Math.max((now - started) / DAY_MS, 0.0)) : 0.0;
    let score = w0 * fProx;
    score += w1 * fAge;
    score += w2 * fPrice;
    score += w3 * fItem;
    score += w4 * catAff[ci];
    score += w5 * fEmb;
    score += w6 * rep;
    score += w7 * (lnPopularity[i] * invLnPopMax);
    score += w8 * fFresh;
    score += w9 * Math.min(discount[i] * 2.0, 1.0);
    score += w10 * boost[i];
    score *= invTotal;

    if (size < k) {
      // Sift up.
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!weaker(score, i, hScore[parent], hIdx[parent])) break;
        hScore[at] = hScore[parent]; hIdx[at] = hIdx[parent];
        at = parent;
      }
      hScore[at] = score; hIdx[at] = i;
    } else if (weaker(hScore[0], hIdx[0], score, i)) {
      // Replace the root and sift down.
      let at = 0;
      for (;;) {
        let child = 2 * at + 1;
        if (child >= size) break;
        if (child + 1 < size && weaker(hScore[child + 1], hIdx[child + 1], hScore[child], hIdx[child])) child++;
        if (!weaker(hScore[child], hIdx[child], score, i)) break;
        hScore[at] = hScore[child]; hIdx[at] = hIdx[child];
        at = child;
      }
      hScore[at] = score; hIdx[at] = i;
    }
  }

  const top = [];
  for (let j = 0; j < size; j++) top.push(j);
  top.sort((a, b) => hScore[b] - hScore[a] || idOrder[hIdx[a]] - idOrder[hIdx[b]]);
  const ctx = { cat, profile, now, w, invTotal, storeKm, storeProx, catAff, catLnBand, catLnPaid, catDays, catInterval, personal, pIdx, user, bandBit, invLnPopMax };
  return top.map((j, r) => {
    const i = hIdx[j];
    const out = { offerId: c.ids[i], score: hScore[j], rank: r + 1 };
    if (options.reasons !== false) Object.assign(out, explain(ctx, i));
    return out;
  });
}

/** Breakdown and up to three reason codes (with the engine's thresholds) for one offer. */
function explain(ctx, i) {
  const { cat, profile, now, w, invTotal } = ctx;
  const c = cat.cols;
  const d = c.d;
  const ci = c.category[i];
  const s = c.store[i];
  let pj = -1;
  for (let j = 0; j < ctx.personal.length; j++) if (ctx.pIdx[j] === i) pj = j;
  const p = pj >= 0 ? ctx.personal[pj] : null;
  const f = new Float64Array(11);
  const km = ctx.storeKm[s];
  f[0] = km === km ? ctx.storeProx[s] : 0;
  f[1] = NEUTRAL;
  if (profile.age !== null && !(c.ageMin[i] === 0 && c.ageMax[i] === NO_AGE_MAX)) {
    f[1] = evalDecay(AGE_CURVE, Math.max(c.ageMin[i] - profile.age, profile.age - c.ageMax[i], 0));
  }
  let ps = 0, pn = 0;
  if (ctx.catLnBand[ci] === ctx.catLnBand[ci]) { ps += evalDecay(PRICE_CURVE, c.lnPrice[i] - ctx.catLnBand[ci]); pn++; }
  if (ctx.catLnPaid[ci] === ctx.catLnPaid[ci]) { ps += evalDecay(PRICE_CURVE, c.lnPrice[i] - ctx.catLnPaid[ci]); pn++; }
  if (c.incomeMask[i] && ctx.bandBit) { ps += c.incomeMask[i] & ctx.bandBit ? 1 : 0.2; pn++; }
  f[2] = pn ? ps / pn : NEUTRAL;
  f[3] = p ? p.itemAffinity : 0;
  f[4] = ctx.catAff[ci];
  if (ctx.user) {
    let dot = 0;
    for (let q = 0; q < d; q++) dot += c.embeddings[i * d + q] * ctx.user[q];
    f[5] = Math.min(Math.max(Math.fround(dot), 0), 1);
  }
  const cycle = c.repurchaseDays[i];
  let rep = 0;
  if (ctx.catDays[ci] === ctx.catDays[ci]) rep = CATEGORY_REPURCHASE_FACTOR * repurchaseCurve(ctx.catDays[ci], cycle > 0 ? cycle : ctx.catInterval[ci]);
  if (p && p.daysSince === p.daysSince) rep = Math.max(rep, repurchaseCurve(p.daysSince, p.interval > 0 ? p.interval : cycle));
  f[6] = rep;
  f[7] = c.lnPopularity[i] * ctx.invLnPopMax;
  f[8] = c.startsAt[i] > -Infinity ? evalDecay(FRESH_CURVE, Math.max((now - c.startsAt[i]) / DAY_MS, 0)) : 0;
  f[9] = Math.min(c.discount[i] * 2, 1);
  f[10] = c.boost[i];
  const breakdown = {};
  const contrib = FEATURES.map((name, j) => (breakdown[name] = w[j] * f[j] * invTotal));
  const cands = [];
  if (f[0] >= 0.5 && km === km) cands.push([{ code: 'nearby', distanceM: Math.round((km * 1000) / 10) * 10, storeName: cat.stores.names[s] }, contrib[0]]);
  if ((c.ageMin[i] > 0 || c.ageMax[i] !== NO_AGE_MAX) && profile.age !== null && f[1] >= 0.9) cands.push([{ code: 'ageFit' }, contrib[1]]);
  if (f[2] >= 0.8) cands.push([{ code: 'priceFit' }, contrib[2]]);
  if (p && p.purchases > 0) cands.push([{ code: 'boughtBefore', times: p.purchases }, contrib[3]]);
  if (f[4] >= 0.5) cands.push([{ code: 'frequentCategory', category: cat.categories[ci] }, contrib[4]]);
  if (f[5] >= 0.75) cands.push([{ code: 'similarToLiked' }, contrib[5]]);
  if (f[6] >= 0.5) {
    let days, cyc;
    if (p && p.daysSince === p.daysSince) [days, cyc] = [p.daysSince, p.interval > 0 ? p.interval : cycle];
    else [days, cyc] = [ctx.catDays[ci], cycle > 0 ? cycle : ctx.catInterval[ci]];
    cands.push([{ code: 'repurchaseDue', daysSince: Math.floor(Math.max(days, 0)), cycleDays: Math.round(cyc) }, contrib[6]]);
  }
  if (f[7] >= 0.6) cands.push([{ code: 'popular', sales: Math.round(c.popularity[i]) }, contrib[7]]);
  if (f[8] >= 0.5) cands.push([{ code: 'newArrival' }, contrib[8]]);
  if (c.discount[i] >= 0.1) {
    const price = c.price[i];
    const original = price / (1 - c.discount[i]);
    cands.push([{ code: 'discount', saveYuan: Math.round((original - price) * 10) / 10, percentOff: Math.round(c.discount[i] * 100) }, contrib[9]]);
  }
  if (c.boost[i] > 0) cands.push([{ code: 'promoted' }, contrib[10]]);
  const order = cands.map((_, j) => j).sort((a, b) => cands[b][1] - cands[a][1] || a - b);
  const reasons = order.slice(0, 3).map((j) => ({ ...cands[j][0], weight: cands[j][1] }));
  if (isCold(profile)) reasons.unshift({ code: 'coldStart', weight: 0 });
  return { reasons, breakdown };
}
