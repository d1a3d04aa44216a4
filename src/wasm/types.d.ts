/** Geodetic datum of a coordinate pair. `gcj02` is what AMap, Tencent Maps and `wx.getLocation({ type: 'gcj02' })` give. */
export type Datum = 'wgs84' | 'gcj02';

/** A point with its datum (default `wgs84`). */
export interface LocationInput {
  lat: number;
  lng: number;
  datum?: Datum;
}

export type StoreKind = 'pickupPoint' | 'store' | 'warehouse';

export interface StoreInput {
  id: string;
  name: string;
  lat: number;
  lng: number;
  /** Defaults to the catalog's `datum`. */
  datum?: Datum;
  /** Users farther away than this cannot be served (filter `outOfRange`). */
  deliveryRadiusKm?: number;
  kind?: StoreKind;
}

export interface OfferInput {
  id: string;
  title: string;
  /** Leaf category, e.g. 「蛋品」. */
  category: string;
  categoryPath?: string[];
  tags?: string[];
  /** CNY, > 0. */
  price: number;
  /** CNY, ≥ price. */
  originalPrice?: number;
  storeId: string;
  /** 0 filters the offer out; absent means unlimited. */
  stock?: number;
  /** Recent sales, ≥ 0. */
  popularity?: number;
  /** Epoch ms. */
  startsAt?: number;
  /** Epoch ms. */
  endsAt?: number;
  /** Soft age targeting. */
  ageMin?: number;
  ageMax?: number;
  /** Hard restriction (alcohol: 18). */
  minAge?: number;
  /** Income bands 1–5 the offer is aimed at. */
  incomeBands?: number[];
  /** Typical replenishment cycle, days. */
  repurchaseDays?: number;
  /** Business boost, 0..1. */
  boost?: number;
  /** Length must equal the catalog's `embeddingDim`. */
  embedding?: number[];
  /** Learned (enrichment): audience lift per age band (10: <25, 25–29, …, 60–64, ≥65), > 0. */
  ageLift?: number[];
  /** Learned (enrichment): audience lift per income band 1–5, > 0. */
  incomeLift?: number[];
  /** Learned (enrichment): recent sales per catalog area, same order as `areas`. */
  areaPopularity?: number[];
  /** Learned (enrichment): share of buyers who bought it again, in (0, 1]. */
  repurchaseRate?: number;
}

/** An area of learned popularity (enrichment): users in its radius get its local sales. */
export interface AreaInput {
  id: string;
  lat: number;
  lng: number;
  datum?: Datum;
  /** km; default 3. */
  radiusKm?: number;
}

export interface CatalogInput {
  /** Format version; this build reads 1. */
  version: number;
  /** Datum of store coordinates; default `wgs84`. */
  datum?: Datum;
  embeddingDim?: number;
  stores: StoreInput[];
  offers: OfferInput[];
  /** Areas that `areaPopularity` refers to (written by enrichment). */
  areas?: AreaInput[];
}

export interface PurchaseInput {
  offerId: string;
  category?: string;
  /** Unit price paid, CNY. */
  price?: number;
  quantity?: number;
  /** Epoch ms. */
  at: number;
}

/** What is known about a user up front. Every field is optional. */
export interface UserInput {
  location?: LocationInput;
  age?: number;
  /** 1 (lowest) – 5 (highest). */
  incomeBand?: number;
  /** CNY per month; mapped to a band when `incomeBand` is absent. */
  monthlyIncome?: number;
  history?: PurchaseInput[];
}

/** `push`: a notification about the offer was sent (the push gate counts these). */
export type EventType = 'impression' | 'click' | 'cart' | 'addToCart' | 'purchase' | 'dismiss' | 'push';

export interface ProfileEvent {
  type: EventType;
  offerId: string;
  /** Epoch ms. */
  at: number;
  /** Filled in from the catalog by `engine.record`. */
  category?: string;
  /** Filled in from the catalog by `engine.record`. */
  price?: number;
  quantity?: number;
}

export type DecayFunction = 'gauss' | 'exp' | 'linear';

/** Proximity decay, Elasticsearch-style: 1 within `offsetKm`, `decay` at `offsetKm + scaleKm`. */
export interface ProximityOptions {
  function?: DecayFunction;
  offsetKm?: number;
  scaleKm?: number;
  decay?: number;
}

export type FeatureName =
  | 'proximity'
  | 'ageFit'
  | 'priceFit'
  | 'itemAffinity'
  | 'categoryAffinity'
  | 'embedding'
  | 'repurchase'
  | 'popularity'
  | 'freshness'
  | 'discount'
  | 'boost';

/** Weight overrides, each 0..100. */
export type Weights = { [F in FeatureName]?: number };

export type Locale = 'zh-CN' | 'en';

export interface EngineOptions {
  weights?: Weights;
  proximity?: ProximityOptions;
  locale?: Locale;
  /** Let users of unknown age see age-restricted offers (default false). */
  allowUnknownAge?: boolean;
}

export interface RankOptions {
  /** Where the user is now; overrides the profile's location. */
  location?: LocationInput;
  /** Epoch ms; default `Date.now()`. */
  now?: number;
  /** 1..1000, default 20. */
  limit?: number;
  locale?: Locale;
  weights?: Weights;
  proximity?: ProximityOptions;
  /** Offer ids to leave out (filter `excluded`). */
  exclude?: string[];
  allowUnknownAge?: boolean;
  /** Category / store caps and MMR, applied to a candidate pool after scoring. Off by default. */
  diversity?: DiversityOptions;
  /** Offer ids the operator puts first, in this order (reason `pinned`); unknown or filtered ids are skipped. */
  pin?: string[];
  /** Offer ids the operator hides (filter `hidden`). */
  hide?: string[];
  /** Seeded exploration slots (reason `explore`). Off by default. */
  explore?: ExploreOptions;
  /** Fatigue, daily caps and dismissal damping. On with the defaults below when absent. */
  fatigue?: FatigueOptions;
  /** An A/B experiment: the user's variant's overrides apply (needs `userId`). */
  experiment?: Experiment;
  /** The stable id variants are assigned by; required with `experiment`. */
  userId?: string;
}

export interface DiversityOptions {
  /** At most this many offers of one category (≥ 1). */
  maxPerCategory?: number;
  /** At most this many offers of one store (≥ 1). */
  maxPerStore?: number;
  /** MMR: λ·score − (1 − λ)·max similarity to the offers already chosen; 0..1 (1 = by score). */
  mmrLambda?: number;
  /** `auto` (default): embedding cosine when the catalog has embeddings, else same category = 1. */
  similarity?: 'auto' | 'embedding' | 'category';
}

export interface ExploreOptions {
  /** Integer 0..2^53; the same seed gives the same feed. */
  seed: number;
  /** Positions given to categories not otherwise in the feed, chosen by Thompson sampling; default 1, ≤ 100. */
  slots?: number;
}

export interface FatigueOptions {
  /** Default true. */
  enabled?: boolean;
  /** Impressions without a click before the score drops; default 2. */
  freeImpressions?: number;
  /** Score factor per ignored impression beyond those, (0, 1]; default 0.7. */
  decay?: number;
  /** Fatigue wears off linearly and is gone this many hours after the last impression; default 72. */
  recoveryHours?: number;
  /** Hide an offer shown this many times today (filter `offerCap`). Off by default. */
  maxPerOfferPerDay?: number;
  /** Hide a category shown this many times today (filter `categoryCap`). Off by default. */
  maxPerCategoryPerDay?: number;
  /** Score factor per recent "not interested" in the category (30-day half-life), (0, 1]; default 0.8. */
  dismissDamping?: number;
}

/** One variant: its share of users and its overrides (weights stack on the call's; the sections replace them). */
export interface Variant {
  name: string;
  /** Relative share, ≥ 0 (shares need not add up to 1). */
  split: number;
  weights?: Weights;
  diversity?: DiversityOptions;
  explore?: ExploreOptions;
  fatigue?: FatigueOptions;
}

export interface Experiment {
  /** Part of the assignment hash: renaming an experiment reshuffles its users. */
  name: string;
  /** 1..16 variants with unique names. */
  variants: Variant[];
}

export interface VariantAssignment {
  experiment: string;
  variant: string;
  /** The user's stable position in [0, 1); variants own consecutive slices of it. */
  bucket: number;
}

export interface RankResult {
  /** Present when `options.experiment` was given: log it with the impressions. */
  variant?: VariantAssignment;
  items: RankedOffer[];
}

export interface NotifyOptions {
  /** Epoch ms; default `Date.now()`. */
  now?: number;
  location?: LocationInput;
  locale?: Locale;
  weights?: Weights;
  /** Score an offer needs, 0..1; default 0.5. */
  threshold?: number;
  /** Notifications per local day, 0..24; default 2 (at most 8 with the default 7-day `repeatAfterDays`). */
  budgetPerDay?: number;
  /** Local hours 0..23, wrapping midnight when start > end; default { start: 22, end: 8 }. */
  quietHours?: { start: number; end: number };
  /** Overrides the profile's time zone (minutes east of UTC). */
  utcOffsetMinutes?: number;
  /** Minutes after the last notification; default 240. */
  minGapMinutes?: number;
  /**
   * An offer already pushed is not pushed again for this many days; default 7. The
   * profile remembers the last 64 pushes, so budgetPerDay × (ceil(repeatAfterDays) + 1) − 1
   * must be ≤ 64 (at most ⌊65 / budgetPerDay⌋ − 1 days: 31 at budget 2, 1 at 24);
   * otherwise `invalidInput` at `options.repeatAfterDays`.
   */
  repeatAfterDays?: number;
}

export type NotifyCode = 'ok' | 'budgetUsed' | 'quietHours' | 'tooSoon' | 'belowThreshold' | 'nothingEligible';

export interface NotifyDecision {
  notify: boolean;
  /** The offer to notify about, only when `notify`. */
  offer?: RankedOffer;
  reason: { code: NotifyCode; text: string };
  /** The best eligible offer's score, when the gate got as far as scoring. */
  score?: number;
  /** Notifications recorded today (the user's local day). */
  pushesToday: number;
  budgetPerDay: number;
}

export type GroupObjective = 'coverage' | 'mean';

export interface GroupOptions {
  /** Epoch ms; default `Date.now()`. */
  now?: number;
  /** 1..100, default 10. */
  limit?: number;
  /** The group's pickup location; overrides every member's own. */
  location?: LocationInput;
  locale?: Locale;
  weights?: Weights;
  /** A member is served by an offer scoring ≥ this share of their best available score, (0, 1]; default 0.9. */
  serveRatio?: number;
  /** `coverage` (default): most members served, then best total; `mean`: top-K by mean score. */
  objective?: GroupObjective;
  allowUnknownAge?: boolean;
}

export interface ServedMember {
  /** Index in the group (the value `group.add` returned). */
  member: number;
  name?: string;
  /** The offer's score for this member. */
  score: number;
  /** Why it suits this member. */
  reasons: Reason[];
}

export interface GroupPick {
  offerId: string;
  rank: number;
  title: string;
  category: string;
  price: number;
  storeId: string;
  storeName: string;
  /** Mean score over all members. */
  meanScore: number;
  /** The members it serves well. */
  served: ServedMember[];
}

export interface GroupSelection {
  items: GroupPick[];
  members: number;
  /** Members served by at least one chosen offer. */
  membersServed: number;
  objective: GroupObjective;
}

interface ReasonBase {
  /** Rendered in the requested locale. */
  text: string;
  /** Contribution of the feature behind the reason to the score. */
  weight: number;
}

export type Reason = ReasonBase &
  (
    | { code: 'nearby'; distanceM: number; storeName: string }
    | { code: 'ageFit' }
    | { code: 'priceFit' }
    | { code: 'boughtBefore'; times: number }
    | { code: 'frequentCategory'; category: string }
    | { code: 'similarToLiked' }
    | { code: 'repurchaseDue'; daysSince: number; cycleDays: number }
    | { code: 'popular'; sales: number }
    | { code: 'newArrival' }
    | { code: 'discount'; saveYuan: number; percentOff: number }
    | { code: 'promoted' }
    | { code: 'coldStart' }
    | { code: 'pinned' }
    | { code: 'explore'; category: string }
    | { code: 'fatigued'; impressions: number }
    | { code: 'lessOfCategory'; category: string }
  );

export type ReasonCode = Reason['code'];

/** Each feature's contribution to the score; they add up to `score`. */
export type Breakdown = { [F in FeatureName]: number };

export interface RankedOffer {
  offerId: string;
  /** 0..1. */
  score: number;
  /** 1-based. */
  rank: number;
  title: string;
  category: string;
  price: number;
  storeId: string;
  storeName: string;
  /** Present when the user's location is known. */
  distanceM?: number;
  /** Strongest first. */
  reasons: Reason[];
  breakdown: Breakdown;
}

export type FilterCode =
  | 'outOfStock'
  | 'notStarted'
  | 'ended'
  | 'outOfRange'
  | 'ageRestricted'
  | 'dismissed'
  | 'excluded'
  | 'hidden'
  | 'offerCap'
  | 'categoryCap';

export interface FilteredOffer {
  offerId: string;
  title: string;
  codes: FilterCode[];
  /** The first code, rendered. */
  text: string;
}

export type ErrorCode = 'invalidInput' | 'unknownId' | 'duplicateId' | 'corruptState' | 'tooLarge';

/** Every error the engine throws: a JS `Error` naming the field path, e.g. `offers[12].price: expected a positive number, got -3`. */
export interface GoodsRankerError extends Error {
  name: 'GoodsRankerError';
  code: ErrorCode;
  /** Path of the offending field, '' when the error concerns the input as a whole. */
  path: string;
}

export interface SampleOptions {
  /** Default 400, at most 200000. */
  offers?: number;
  /** 0 for none; default 16, at most 64. */
  embeddingDim?: number;
  seed?: number;
}

export interface SampleUser {
  id: 'office-worker' | 'grandma' | 'parent' | 'student' | 'newcomer';
  name: string;
  nameEn: string;
  description: string;
  descriptionEn: string;
  user: UserInput;
}
