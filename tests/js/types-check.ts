// Compile-only check of the public TypeScript API (tests/js/types.test.mjs runs tsc on it).
// Every line either must type-check with exact types, or is marked @ts-expect-error to
// prove that wrong usage is rejected.
import { sampleCatalog, sampleUsers } from '../../pkg/sample/goods_ranker_sample.js';
import {
  Engine,
  Group,
  Profile,
  assignVariant,
  type Breakdown,
  type DiversityOptions,
  type Experiment,
  type ExploreOptions,
  type FatigueOptions,
  type GroupOptions,
  type GroupPick,
  type GroupSelection,
  type NotifyCode,
  type NotifyDecision,
  type NotifyOptions,
  type RankResult,
  type ServedMember,
  type Variant,
  type VariantAssignment,
  type CatalogInput,
  type Datum,
  type DecayFunction,
  type EngineOptions,
  type ErrorCode,
  type EventType,
  type FeatureName,
  type FilterCode,
  type FilteredOffer,
  type GoodsRankerError,
  type Locale,
  type LocationInput,
  type OfferInput,
  type ProfileEvent,
  type ProximityOptions,
  type PurchaseInput,
  type RankedOffer,
  type RankOptions,
  type Reason,
  type ReasonCode,
  type SampleOptions,
  type SampleUser,
  type StoreInput,
  type StoreKind,
  type UserInput,
  type Weights,
} from '../../pkg/goods_ranker.js';

// Exact-type helpers: Equals<A, B> is true only when A and B are the same type.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function assertType<T extends true>(_ok?: T): void {}

const now: number = Date.UTC(2025, 10, 25, 2, 0, 0);

// ---------------------------------------------------------------- inputs

const sampleOptions: SampleOptions = { offers: 50, embeddingDim: 8, seed: 1 };
const catalog: CatalogInput = sampleCatalog(sampleOptions);
const users: SampleUser[] = sampleUsers(catalog, now);
sampleUsers(catalog);
sampleUsers(catalog, null);
const userIds: ('office-worker' | 'grandma' | 'parent' | 'student' | 'newcomer')[] = users.map((u) => u.id);

const datum: Datum = 'gcj02';
const kind: StoreKind = 'pickupPoint';
const here: LocationInput = { lat: 39.9862, lng: 116.4706, datum };
const store: StoreInput = { id: 's100', name: '新自提点', lat: here.lat, lng: here.lng, datum, deliveryRadiusKm: 1, kind };
const offer: OfferInput = {
  id: 'n1',
  title: '土鸡蛋',
  category: '蛋品',
  categoryPath: ['肉禽蛋', '蛋品'],
  tags: ['当日达'],
  price: 25.9,
  originalPrice: 29.9,
  storeId: 's100',
  stock: 10,
  popularity: 100,
  startsAt: now - 1,
  endsAt: now + 86400e3,
  ageMin: 18,
  ageMax: 80,
  minAge: 0,
  incomeBands: [1, 2, 3],
  repurchaseDays: 7,
  boost: 0.5,
  embedding: [0, 0, 0, 0, 0, 0, 0, 1],
};
const ownCatalog: CatalogInput = { version: 1, datum: 'wgs84', embeddingDim: 8, stores: [store], offers: [offer] };

const fn: DecayFunction = 'gauss';
const proximity: ProximityOptions = { function: fn, offsetKm: 0.2, scaleKm: 1.5, decay: 0.5 };
const feature: FeatureName = 'repurchase';
const weights: Weights = { proximity: 1.2, [feature]: 2 };
const locale: Locale = 'en';
const engineOptions: EngineOptions = { weights, proximity, locale, allowUnknownAge: false };

// ---------------------------------------------------------------- engine

const engine: Engine = Engine.fromCatalog(catalog, engineOptions);
const fromJson: Engine = Engine.fromCatalog(JSON.stringify(ownCatalog));
const plain: Engine = Engine.fromCatalog(ownCatalog);
const count: number = engine.offerCount;
const dim: number = engine.embeddingDim;
engine.upsertStores([store]);
engine.upsertOffers([offer]);
const removed: number = engine.removeOffers(['n1']);
engine.setStock('o00001', 0);
engine.setStock('o00001', null);

// ---------------------------------------------------------------- profile

const purchase: PurchaseInput = { offerId: 'o00001', category: '蛋品', price: 25.9, quantity: 1, at: now };
const user: UserInput = { location: here, age: 68, incomeBand: 2, monthlyIncome: 4000, history: [purchase] };
const profile: Profile = Profile.fromUser(user);
const empty: Profile = new Profile();
const fromNothing: Profile = Profile.fromUser();
const bytes: Uint8Array = profile.toBytes();
const text: string = profile.toBase64();
const reloaded: Profile[] = [Profile.load(bytes), Profile.load(text), Profile.load(null), Profile.load(undefined)];
const eventType: EventType = 'addToCart';
const event: ProfileEvent = { type: eventType, offerId: 'o00002', at: now };
engine.record(profile, event);
profile.record({ type: 'purchase', offerId: 'o00002', at: now, category: '蛋品', price: 9.9, quantity: 2 });
profile.setUser({ age: 69 });
const events: number = profile.eventCount;
const cold: boolean = empty.isCold;

// ---------------------------------------------------------------- ranking

const feed: RankedOffer[] = engine.rank(profile); // options omitted
const options: RankOptions = { location: here, now, limit: 20, locale: 'zh-CN', weights: { proximity: 0 }, proximity, exclude: ['o00003'], allowUnknownAge: true };
const feed2: RankedOffer[] = engine.rank(profile, options);
const hidden: FilteredOffer[] = engine.filtered(profile);
const hidden2: FilteredOffer[] = engine.filtered(profile, { now });

assertType<Equals<RankedOffer['score'], number>>();
assertType<Equals<RankedOffer['distanceM'], number | undefined>>();
assertType<Equals<RankedOffer['reasons'], Reason[]>>();
assertType<Equals<Breakdown, { [F in FeatureName]: number }>>();
assertType<Equals<FilteredOffer['codes'], FilterCode[]>>();
assertType<Equals<FilterCode, 'outOfStock' | 'notStarted' | 'ended' | 'outOfRange' | 'ageRestricted' | 'dismissed' | 'excluded' | 'hidden' | 'offerCap' | 'categoryCap'>>();
assertType<Equals<ReturnType<Engine['rank']>, RankedOffer[]>>();
assertType<Equals<ReturnType<typeof Profile.load>, Profile>>();
assertType<Equals<ErrorCode, 'invalidInput' | 'unknownId' | 'duplicateId' | 'corruptState' | 'tooLarge'>>();
assertType<Equals<GoodsRankerError['name'], 'GoodsRankerError'>>();
assertType<Equals<GoodsRankerError['path'], string>>();
assertType<Equals<ReasonCode, Reason['code']>>();

const top: RankedOffer | undefined = feed[0];
if (top) {
  const proximityShare: number = top.breakdown.proximity / top.score;
  const km: string = top.distanceM === undefined ? '?' : (top.distanceM / 1000).toFixed(1);
  // @ts-expect-error distanceM may be undefined
  top.distanceM.toFixed();
  void proximityShare;
  void km;
}

/** Renders one reason; narrowing by `code` exposes that reason's own fields. */
function describeReason(r: Reason): string {
  const base = `${r.text} (${r.weight.toFixed(3)})`;
  switch (r.code) {
    case 'nearby':
      return `${base} ${r.distanceM.toFixed()} m to ${r.storeName}`;
    case 'boughtBefore':
      return `${base} ×${r.times}`;
    case 'frequentCategory':
      return `${base} ${r.category.length}`;
    case 'repurchaseDue':
      return `${base} ${r.daysSince}/${r.cycleDays}`;
    case 'popular':
      return `${base} ${r.sales}`;
    case 'discount':
      return `${base} ¥${r.saveYuan} ${r.percentOff}%`;
    case 'explore':
    case 'lessOfCategory':
      return `${base} ${r.category}`;
    case 'fatigued':
      return `${base} ×${r.impressions}`;
    case 'ageFit':
    case 'priceFit':
    case 'similarToLiked':
    case 'newArrival':
    case 'promoted':
    case 'coldStart':
    case 'pinned':
      return base;
    default: {
      const unreachable: never = r; // every code is handled
      return unreachable;
    }
  }
}

for (const o of feed2) {
  for (const r of o.reasons) {
    if (r.code === 'nearby') r.distanceM.toFixed();
    if (r.code === 'repurchaseDue') {
      const d: number = r.daysSince;
      void d;
    }
    if (r.code === 'popular') {
      // @ts-expect-error distanceM exists only on 'nearby' reasons
      r.distanceM.toFixed();
    }
    describeReason(r);
  }
}

/** A type guard for errors thrown by the engine. */
function isGoodsRankerError(e: unknown): e is GoodsRankerError {
  return e instanceof Error && e.name === 'GoodsRankerError';
}
try {
  Engine.fromCatalog('{');
} catch (e) {
  if (isGoodsRankerError(e)) {
    const code: ErrorCode = e.code;
    const path: string = e.path;
    const message: string = e.message;
    // @ts-expect-error code is a closed union
    const wrong: ErrorCode = 'oops';
    void [code, path, message, wrong];
  }
}

// ---------------------------------------------------------------- feed intelligence

const diversity: DiversityOptions = { maxPerCategory: 2, maxPerStore: 5, mmrLambda: 0.7, similarity: 'auto' };
const explore: ExploreOptions = { seed: 42, slots: 1 };
const fatigue: FatigueOptions = {
  enabled: true, freeImpressions: 2, decay: 0.7, recoveryHours: 72,
  maxPerOfferPerDay: 5, maxPerCategoryPerDay: 10, dismissDamping: 0.8,
};
const variant: Variant = { name: 'diverse', split: 0.5, weights: { boost: 1 }, diversity, explore, fatigue };
const experiment: Experiment = { name: 'feed-2025-11', variants: [{ name: 'control', split: 0.5 }, variant] };
const assignment: VariantAssignment = assignVariant('user-42', experiment);
const bucket: number = assignment.bucket;
const reranked: RankedOffer[] = engine.rank(profile, { now, diversity, pin: ['o00001'], hide: ['o00002'], explore, fatigue });
const withVariant: RankResult = engine.rankWithVariant(profile, { now, experiment, userId: 'user-42' });
const variantName: string | undefined = withVariant.variant?.variant;
const noOptions: RankResult = engine.rankWithVariant(profile);
profile.record({ type: 'push', offerId: 'o00001', at: now });
profile.setUtcOffsetMinutes(480);
const offset: number = profile.utcOffsetMinutes;
const notifyOptions: NotifyOptions = {
  now, location: here, locale: 'en', weights: { repurchase: 2 }, threshold: 0.5, budgetPerDay: 2,
  quietHours: { start: 22, end: 8 }, utcOffsetMinutes: 480, minGapMinutes: 240, repeatAfterDays: 7,
};
const decision: NotifyDecision = engine.shouldNotify(profile, notifyOptions);
const decision2: NotifyDecision = engine.shouldNotify(profile);
const notifyCode: NotifyCode = decision.reason.code;
const pushOffer: RankedOffer | undefined = decision.offer;
const group: Group = new Group();
const member: number = group.add(profile, '王奶奶');
group.add(empty);
const size: number = group.size;
const groupOptions: GroupOptions = { now, limit: 5, location: here, locale: 'zh-CN', weights: { proximity: 1 }, serveRatio: 0.9, objective: 'coverage', allowUnknownAge: false };
const selection: GroupSelection = engine.rankForGroup(group, groupOptions);
const selection2: GroupSelection = engine.rankForGroup(group);
const firstPick: GroupPick | undefined = selection.items[0];
const servedMembers: ServedMember[] = firstPick ? firstPick.served : [];
assertType<Equals<NotifyCode, 'ok' | 'budgetUsed' | 'quietHours' | 'tooSoon' | 'belowThreshold' | 'nothingEligible'>>();
assertType<Equals<GroupSelection['objective'], 'coverage' | 'mean'>>();
assertType<Equals<ServedMember['reasons'], Reason[]>>();
assertType<Equals<RankResult['items'], RankedOffer[]>>();
// @ts-expect-error explore needs a seed
engine.rank(profile, { explore: { slots: 1 } });
// @ts-expect-error the objective is 'coverage' | 'mean'
engine.rankForGroup(group, { objective: 'max' });
// @ts-expect-error rankForGroup takes a Group, not an array
engine.rankForGroup([profile]);
// @ts-expect-error a variant needs a split
assignVariant('u', { name: 'x', variants: [{ name: 'a' }] });
void [bucket, reranked, variantName, noOptions, offset, decision2, notifyCode, pushOffer, member, size, selection2, servedMembers];
group.free();

engine.free();
fromJson.free();
plain.free();
empty.free();

// ---------------------------------------------------------------- wrong usage is rejected

// @ts-expect-error limit is a number
engine.rank(profile, { limit: '3' });
// @ts-expect-error unknown option key (excess property check)
engine.rank(profile, { limt: 3 });
// @ts-expect-error unknown feature weight
engine.rank(profile, { weights: { proximty: 1 } });
// @ts-expect-error locale is 'zh-CN' | 'en'
engine.rank(profile, { locale: 'fr' });
// @ts-expect-error the profile is required
engine.rank();
// @ts-expect-error a plain object is not a Profile
engine.rank({}, {});
// @ts-expect-error datum is 'wgs84' | 'gcj02'
engine.rank(profile, { location: { lat: 1, lng: 2, datum: 'bd09' } });
// @ts-expect-error the constructor is private: use Engine.fromCatalog
new Engine();
// @ts-expect-error offerCount is read-only
engine.offerCount = 3;
// @ts-expect-error event type is a closed union
engine.record(profile, { type: 'buy', offerId: 'o00001', at: now });
// @ts-expect-error `at` is required
profile.record({ type: 'click', offerId: 'o00001' });
// @ts-expect-error stock is number | null
engine.setStock('o00001', '3');
// @ts-expect-error ids are strings
engine.removeOffers([1, 2]);
// @ts-expect-error Profile.load takes bytes or base64 text
Profile.load(123);
// @ts-expect-error price is a number
const badOffer: OfferInput = { id: 'x', title: 'x', category: 'x', price: '12', storeId: 's001' };
// @ts-expect-error version is required
const badCatalog: CatalogInput = { stores: [], offers: [] };
// @ts-expect-error not a reason code
const badCode: ReasonCode = 'bogus';
// @ts-expect-error not a feature
const badFeature: FeatureName = 'distance';

void [count, dim, removed, bytes, text, reloaded, events, cold, hidden, hidden2, userIds, fromNothing, badOffer, badCatalog, badCode, badFeature];
