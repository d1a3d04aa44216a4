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

export type EventType = 'impression' | 'click' | 'cart' | 'addToCart' | 'purchase' | 'dismiss';

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
  | 'excluded';

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
