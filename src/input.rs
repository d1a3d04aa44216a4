//! The input data shapes: what callers hand to the engine, as JS objects or JSON.
//!
//! Field names are the JS-facing camelCase contract (see README "Data"). These types
//! only describe shape; ranges and cross-references are checked when the input is
//! turned into engine state (`Catalog::from_input`, `Profile::from_user`,
//! `RankParams::resolve`), which reports the field path of anything wrong. Unknown
//! fields are rejected so that a typo (`originalPrce`) fails loudly instead of being
//! ignored.

use serde::Serialize;

use crate::error::{Error, Result};

/// Parses JSON text into an input type, reporting a syntax, shape or type error at
/// the path of the offending value below `root` (`offers[3].price`).
///
/// # Errors
/// `invalidInput` at the path of the first bad value.
pub fn from_json<T: FromValue>(json: &str, root: &str) -> Result<T> {
    let value: crate::value::Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid(root, format!("invalid JSON: {e}")))?;
    crate::value::from_value(&value, root)
}

/// Geodetic datum of a coordinate pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Datum {
    /// WGS-84, as GPS, the browser Geolocation API and `wx.getLocation({type: 'wgs84'})`
    /// report. The default.
    #[default]
    #[serde(rename = "wgs84")]
    Wgs84,
    /// GCJ-02, the offset datum of Chinese map SDKs (AMap, Tencent Maps) and of
    /// `wx.getLocation({type: 'gcj02'})`.
    #[serde(rename = "gcj02")]
    Gcj02,
}

/// A catalog as the server ships it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInput {
    /// Format version; this build reads version 1.
    pub version: u32,
    /// Datum of every store coordinate that does not name its own. Default `wgs84`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub datum: Datum,
    /// Length of every offer embedding; required when any offer has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding_dim: Option<u32>,
    /// Stores, pickup points and warehouses that offers are sold from.
    pub stores: Vec<StoreInput>,
    /// The offers to rank.
    pub offers: Vec<OfferInput>,
    /// Areas that learned per-area popularity refers to (`offers[i].areaPopularity[j]`
    /// is the popularity in `areas[j]`); produced by enrichment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<Vec<AreaInput>>,
}

/// An area of learned popularity: where a group of customers lives (a residential
/// compound, a postcode). A user is in the nearest area whose radius covers them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaInput {
    /// Unique area id.
    pub id: String,
    /// Latitude of its centre in degrees.
    pub lat: f64,
    /// Longitude of its centre in degrees.
    pub lng: f64,
    /// Datum of `lat`/`lng`; defaults to the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
    /// Users within this many km of the centre belong to it; default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
}

/// What kind of place a store is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StoreKind {
    /// A community group-buying pickup point (自提点).
    PickupPoint,
    /// A shop that delivers or serves walk-in customers.
    Store,
    /// A warehouse that only delivers.
    Warehouse,
}

/// A place offers are sold from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreInput {
    /// Unique store id.
    pub id: String,
    /// Display name, e.g. 「望京西园三区自提点」.
    pub name: String,
    /// Latitude in degrees, -90..=90.
    pub lat: f64,
    /// Longitude in degrees, -180..=180.
    pub lng: f64,
    /// Datum of `lat`/`lng`; defaults to the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
    /// Delivery or pickup radius in km; users farther away cannot be served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_radius_km: Option<f64>,
    /// What kind of place this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<StoreKind>,
}

/// One product offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferInput {
    /// Unique offer id.
    pub id: String,
    /// Product title shown to the user.
    pub title: String,
    /// Leaf category, e.g. 「蛋品」.
    pub category: String,
    /// Category path from the root, e.g. `["肉禽蛋", "蛋品"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_path: Option<Vec<String>>,
    /// Free-form tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Price in CNY, > 0.
    pub price: f64,
    /// List price before discount in CNY, ≥ price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<f64>,
    /// Id of the store selling it.
    pub store_id: String,
    /// Units in stock; 0 filters the offer out, absent means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    /// Recent sales count (any consistent window), ≥ 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<f64>,
    /// Start of the sale window, epoch ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<f64>,
    /// End of the sale window, epoch ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<f64>,
    /// Soft age targeting: youngest intended buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_min: Option<u32>,
    /// Soft age targeting: oldest intended buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_max: Option<u32>,
    /// Hard restriction: minimum legal age (alcohol: 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Income bands (1–5) the offer is aimed at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_bands: Option<Vec<u8>>,
    /// Typical replenishment cycle in days for consumables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurchase_days: Option<f64>,
    /// Business boost in 0..=1 (1 = pinned-level promotion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost: Option<f64>,
    /// Item embedding of length `embeddingDim`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<Vec<f32>>,
    /// Learned: audience lift per age band (10 bands: < 25, 25–29, …, 60–64, ≥ 65),
    /// P(band | buyer of this offer) / P(band), smoothed; > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_lift: Option<Vec<f32>>,
    /// Learned: audience lift per income band 1..=5, as `ageLift`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_lift: Option<Vec<f32>>,
    /// Learned: recent sales per catalog area (same order and length as `areas`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_popularity: Option<Vec<f64>>,
    /// Learned: share of this offer's buyers who bought it again, smoothed; in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurchase_rate: Option<f64>,
}

/// A location with its datum.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationInput {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lng: f64,
    /// Datum of the pair; default `wgs84`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
}

/// One past purchase.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseInput {
    /// The offer bought.
    pub offer_id: String,
    /// Its leaf category, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Unit price paid in CNY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Units bought; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// When, epoch ms.
    pub at: f64,
}

/// What is known about a user up front. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    /// Usual location (home, pickup point); a per-call location overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// Age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Income band 1 (lowest) to 5 (highest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_band: Option<u8>,
    /// Monthly income in CNY; mapped to a band when `incomeBand` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_income: Option<f64>,
    /// Past purchases, oldest or newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<PurchaseInput>>,
}

/// Kinds of profile events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EventType {
    /// The offer was shown.
    Impression,
    /// The offer was opened.
    Click,
    /// The offer was added to the cart.
    /// Also read as `addToCart`.
    Cart,
    /// The offer was bought.
    Purchase,
    /// The user said "not interested" (不感兴趣).
    Dismiss,
    /// A notification about the offer was sent (the push gate counts these).
    Push,
}

impl EventType {
    /// Every event type, in declaration order.
    pub const ALL: [EventType; 6] = [
        EventType::Impression,
        EventType::Click,
        EventType::Cart,
        EventType::Purchase,
        EventType::Dismiss,
        EventType::Push,
    ];
}

/// One user interaction with an offer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The offer it happened to.
    pub offer_id: String,
    /// When, epoch ms.
    pub at: f64,
    /// The offer's leaf category (filled in from the catalog by `Engine::record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Unit price in CNY (filled in from the catalog by `Engine::record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Units, for cart and purchase; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

/// Decay function shapes, as in Elasticsearch's function_score decay functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DecayFunction {
    /// `exp(-max(0,|x|-offset)^2 / (2σ²))` with σ² = -scale² / (2 ln decay).
    Gauss,
    /// `exp(λ·max(0,|x|-offset))` with λ = ln(decay) / scale.
    Exp,
    /// `max(0, (s - max(0,|x|-offset)) / s)` with s = scale / (1 - decay).
    Linear,
}

/// Overrides for the proximity decay (distance from the user to the store).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProximityInput {
    /// Decay shape; default `gauss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<DecayFunction>,
    /// Distance within which the score is 1, in km; default 0.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_km: Option<f64>,
    /// Distance beyond the offset at which the score equals `decay`, in km; default 1.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_km: Option<f64>,
    /// Score at `offset + scale`, in (0, 1); default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<f64>,
}

/// Per-feature weight overrides; absent features keep their current weight. The
/// features and their defaults are documented in [`crate::params`].
#[allow(missing_docs)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WeightsInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proximity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_fit: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_fit: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_affinity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_affinity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurchase: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub freshness: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost: Option<f64>,
}

/// Output language of reason texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Locale {
    /// Simplified Chinese (default).
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// Engine-wide defaults, set once when the engine is created.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineOptions {
    /// Weight overrides on top of the documented defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Proximity decay overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proximity: Option<ProximityInput>,
    /// Default locale of reason texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Let users of unknown age see age-restricted offers (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unknown_age: Option<bool>,
}

/// Per-call ranking options.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankOptions {
    /// Where the user is now; overrides the profile's location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// The current time, epoch ms (JS defaults it to `Date.now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// How many offers to return; default 20, at most 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Reason text language; default the engine's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Weight overrides on top of the engine's weights, for this call only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Proximity overrides for this call only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proximity: Option<ProximityInput>,
    /// Offer ids to leave out (reason `excluded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude: Option<Vec<String>>,
    /// Overrides the engine's `allowUnknownAge` for this call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unknown_age: Option<bool>,
    /// Diversity re-ranking: category / store caps and MMR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversity: Option<DiversityInput>,
    /// Offer ids the operator puts first, in this order (reason `pinned`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<Vec<String>>,
    /// Offer ids the operator hides (filter `hidden`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide: Option<Vec<String>>,
    /// Seeded exploration slots (reason `explore`); off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explore: Option<ExploreInput>,
    /// Fatigue and frequency caps; on with defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatigue: Option<FatigueInput>,
    /// An A/B experiment: the user's variant's overrides apply to this call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentInput>,
    /// The stable user id variants are assigned by; required with `experiment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// Diversity re-ranking, applied to a candidate pool after scoring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiversityInput {
    /// At most this many offers of one category in the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_category: Option<u32>,
    /// At most this many offers of one store in the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_store: Option<u32>,
    /// Maximal marginal relevance: λ·score − (1 − λ)·max similarity to the offers
    /// already chosen, in 0..=1 (1 = by score only). Off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mmr_lambda: Option<f64>,
    /// What MMR similarity compares: `embedding` (cosine, clamped at 0), `category`
    /// (1 for the same category, else 0), or `auto` (default: embeddings when the
    /// catalog has them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<SimilarityKind>,
}

/// What MMR similarity compares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SimilarityKind {
    /// Embeddings when the catalog has them, else categories.
    #[default]
    Auto,
    /// Cosine of the offer embeddings.
    Embedding,
    /// 1 for the same category, else 0.
    Category,
}

/// Seeded exploration: Thompson sampling over category affinities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExploreInput {
    /// The seed (an integer 0..=2⁵³); the same seed gives the same feed.
    pub seed: f64,
    /// How many positions go to categories not otherwise in the feed; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<u32>,
}

/// Fatigue from ignored impressions, daily frequency caps, and dismissal damping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FatigueInput {
    /// Turn all of it off (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Impressions without a click before the score drops; default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_impressions: Option<u32>,
    /// Score factor per ignored impression beyond the free ones, in (0, 1]; default 0.7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<f64>,
    /// Hours after the last impression by which fatigue has fully worn off
    /// (linearly); default 72.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_hours: Option<f64>,
    /// Hide an offer shown this many times today (filter `offerCap`); off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_offer_per_day: Option<u32>,
    /// Hide a category shown this many times today (filter `categoryCap`); off when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_category_per_day: Option<u32>,
    /// Score factor per recent "not interested" in the offer's category (decaying with
    /// a 30-day half-life), in (0, 1]; default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismiss_damping: Option<f64>,
}

/// An A/B experiment: named variants with their share of users and their overrides.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExperimentInput {
    /// The experiment's name; part of the assignment hash, so renaming reshuffles.
    pub name: String,
    /// 1..=16 variants.
    pub variants: Vec<VariantInput>,
}

/// One variant of an experiment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantInput {
    /// Unique within the experiment.
    pub name: String,
    /// Relative share of users (≥ 0; the shares need not add up to 1).
    pub split: f64,
    /// Weight overrides on top of the call's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Replaces the call's `diversity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversity: Option<DiversityInput>,
    /// Replaces the call's `explore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explore: Option<ExploreInput>,
    /// Replaces the call's `fatigue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatigue: Option<FatigueInput>,
}

/// Quiet hours in the user's local time: from `start` to `end` (hours 0..=23,
/// wrapping midnight when `start > end`; equal means none).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuietHoursInput {
    /// First quiet hour, 0..=23.
    pub start: u32,
    /// First hour after the quiet hours, 0..=23.
    pub end: u32,
}

/// Options of the push gate (`shouldNotify`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyOptions {
    /// The current time, epoch ms (JS defaults it to `Date.now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// Where the user is now; overrides the profile's location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// Reason text language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Weight overrides for scoring the candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// The score an offer needs to be worth a notification, in 0..=1; default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Notifications per local day, 0..=24; default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_per_day: Option<u32>,
    /// Default 22 → 8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<QuietHoursInput>,
    /// Overrides the profile's time zone (minutes east of UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// Minutes to wait after the last notification; default 240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gap_minutes: Option<f64>,
    /// An offer already pushed is not pushed again for this many days; default 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_after_days: Option<f64>,
}

/// What group selection optimises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GroupObjective {
    /// Serve as many members well as possible, then the best total (default).
    #[default]
    Coverage,
    /// The K offers with the highest mean score (the baseline).
    Mean,
}

/// Options of group selection (`rankForGroup`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupOptions {
    /// The current time, epoch ms (JS defaults it to `Date.now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// How many offers to choose, 1..=100; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The group's pickup location; overrides every member's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// Reason text language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Weight overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// A member is served by an offer scoring at least this share of the member's
    /// best available score, in (0, 1]; default 0.9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serve_ratio: Option<f64>,
    /// `coverage` (default) or `mean`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<GroupObjective>,
    /// Overrides the engine's `allowUnknownAge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unknown_age: Option<bool>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

// ---------------------------------------------------------------------------------
// Readers: every input type from a `Value`, field by field (see `crate::value`).
// The field names are the camelCase names `Serialize` writes; the test
// `readers_round_trip_what_serialize_writes` checks each reader against it.

use crate::value::{read_fields, At, FromValue, Value};

impl FromValue for Datum {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(at, 2, &[("wgs84", Datum::Wgs84), ("gcj02", Datum::Gcj02)])
    }
}

impl FromValue for StoreKind {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            3,
            &[
                ("pickupPoint", StoreKind::PickupPoint),
                ("store", StoreKind::Store),
                ("warehouse", StoreKind::Warehouse),
            ],
        )
    }
}

impl FromValue for EventType {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            6,
            &[
                ("impression", EventType::Impression),
                ("click", EventType::Click),
                ("cart", EventType::Cart),
                ("purchase", EventType::Purchase),
                ("dismiss", EventType::Dismiss),
                ("push", EventType::Push),
                ("addToCart", EventType::Cart),
            ],
        )
    }
}

impl FromValue for DecayFunction {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            3,
            &[
                ("gauss", DecayFunction::Gauss),
                ("exp", DecayFunction::Exp),
                ("linear", DecayFunction::Linear),
            ],
        )
    }
}

impl FromValue for Locale {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(at, 2, &[("zh-CN", Locale::ZhCn), ("en", Locale::En)])
    }
}

impl FromValue for SimilarityKind {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            3,
            &[
                ("auto", SimilarityKind::Auto),
                ("embedding", SimilarityKind::Embedding),
                ("category", SimilarityKind::Category),
            ],
        )
    }
}

impl FromValue for GroupObjective {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            2,
            &[
                ("coverage", GroupObjective::Coverage),
                ("mean", GroupObjective::Mean),
            ],
        )
    }
}

impl FromValue for CatalogInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = CatalogInput {
            version: 0,
            datum: Datum::Wgs84,
            embedding_dim: None,
            stores: Vec::new(),
            offers: Vec::new(),
            areas: None,
        };
        read_fields(
            value,
            at,
            "CatalogInput",
            &[
                "version",
                "datum",
                "embeddingDim",
                "stores",
                "offers",
                "areas",
            ],
            0b11001,
            &mut |i, v, at| {
                match i {
                    0 => o.version = FromValue::read(v, at)?,
                    1 => o.datum = FromValue::read(v, at)?,
                    2 => o.embedding_dim = Some(FromValue::read(v, at)?),
                    3 => o.stores = FromValue::read(v, at)?,
                    4 => o.offers = FromValue::read(v, at)?,
                    5 => o.areas = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for AreaInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = AreaInput {
            id: String::new(),
            lat: 0.0,
            lng: 0.0,
            datum: None,
            radius_km: None,
        };
        read_fields(
            value,
            at,
            "AreaInput",
            &["id", "lat", "lng", "datum", "radiusKm"],
            0b111,
            &mut |i, v, at| {
                match i {
                    0 => o.id = FromValue::read(v, at)?,
                    1 => o.lat = FromValue::read(v, at)?,
                    2 => o.lng = FromValue::read(v, at)?,
                    3 => o.datum = Some(FromValue::read(v, at)?),
                    4 => o.radius_km = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for StoreInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = StoreInput {
            id: String::new(),
            name: String::new(),
            lat: 0.0,
            lng: 0.0,
            datum: None,
            delivery_radius_km: None,
            kind: None,
        };
        read_fields(
            value,
            at,
            "StoreInput",
            &[
                "id",
                "name",
                "lat",
                "lng",
                "datum",
                "deliveryRadiusKm",
                "kind",
            ],
            0b1111,
            &mut |i, v, at| {
                match i {
                    0 => o.id = FromValue::read(v, at)?,
                    1 => o.name = FromValue::read(v, at)?,
                    2 => o.lat = FromValue::read(v, at)?,
                    3 => o.lng = FromValue::read(v, at)?,
                    4 => o.datum = Some(FromValue::read(v, at)?),
                    5 => o.delivery_radius_km = Some(FromValue::read(v, at)?),
                    6 => o.kind = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for OfferInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = OfferInput {
            id: String::new(),
            title: String::new(),
            category: String::new(),
            category_path: None,
            tags: None,
            price: 0.0,
            original_price: None,
            store_id: String::new(),
            stock: None,
            popularity: None,
            starts_at: None,
            ends_at: None,
            age_min: None,
            age_max: None,
            min_age: None,
            income_bands: None,
            repurchase_days: None,
            boost: None,
            embedding: None,
            age_lift: None,
            income_lift: None,
            area_popularity: None,
            repurchase_rate: None,
        };
        read_fields(
            value,
            at,
            "OfferInput",
            &[
                "id",
                "title",
                "category",
                "categoryPath",
                "tags",
                "price",
                "originalPrice",
                "storeId",
                "stock",
                "popularity",
                "startsAt",
                "endsAt",
                "ageMin",
                "ageMax",
                "minAge",
                "incomeBands",
                "repurchaseDays",
                "boost",
                "embedding",
                "ageLift",
                "incomeLift",
                "areaPopularity",
                "repurchaseRate",
            ],
            0b10100111,
            &mut |i, v, at| {
                match i {
                    0 => o.id = FromValue::read(v, at)?,
                    1 => o.title = FromValue::read(v, at)?,
                    2 => o.category = FromValue::read(v, at)?,
                    3 => o.category_path = Some(FromValue::read(v, at)?),
                    4 => o.tags = Some(FromValue::read(v, at)?),
                    5 => o.price = FromValue::read(v, at)?,
                    6 => o.original_price = Some(FromValue::read(v, at)?),
                    7 => o.store_id = FromValue::read(v, at)?,
                    8 => o.stock = Some(FromValue::read(v, at)?),
                    9 => o.popularity = Some(FromValue::read(v, at)?),
                    10 => o.starts_at = Some(FromValue::read(v, at)?),
                    11 => o.ends_at = Some(FromValue::read(v, at)?),
                    12 => o.age_min = Some(FromValue::read(v, at)?),
                    13 => o.age_max = Some(FromValue::read(v, at)?),
                    14 => o.min_age = Some(FromValue::read(v, at)?),
                    15 => o.income_bands = Some(FromValue::read(v, at)?),
                    16 => o.repurchase_days = Some(FromValue::read(v, at)?),
                    17 => o.boost = Some(FromValue::read(v, at)?),
                    18 => o.embedding = Some(FromValue::read(v, at)?),
                    19 => o.age_lift = Some(FromValue::read(v, at)?),
                    20 => o.income_lift = Some(FromValue::read(v, at)?),
                    21 => o.area_popularity = Some(FromValue::read(v, at)?),
                    22 => o.repurchase_rate = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for LocationInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = LocationInput {
            lat: 0.0,
            lng: 0.0,
            datum: None,
        };
        read_fields(
            value,
            at,
            "LocationInput",
            &["lat", "lng", "datum"],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.lat = FromValue::read(v, at)?,
                    1 => o.lng = FromValue::read(v, at)?,
                    2 => o.datum = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for PurchaseInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = PurchaseInput {
            offer_id: String::new(),
            category: None,
            price: None,
            quantity: None,
            at: 0.0,
        };
        read_fields(
            value,
            at,
            "PurchaseInput",
            &["offerId", "category", "price", "quantity", "at"],
            0b10001,
            &mut |i, v, at| {
                match i {
                    0 => o.offer_id = FromValue::read(v, at)?,
                    1 => o.category = Some(FromValue::read(v, at)?),
                    2 => o.price = Some(FromValue::read(v, at)?),
                    3 => o.quantity = Some(FromValue::read(v, at)?),
                    4 => o.at = FromValue::read(v, at)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for UserInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = UserInput {
            location: None,
            age: None,
            income_band: None,
            monthly_income: None,
            history: None,
        };
        read_fields(
            value,
            at,
            "UserInput",
            &["location", "age", "incomeBand", "monthlyIncome", "history"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.location = Some(FromValue::read(v, at)?),
                    1 => o.age = Some(FromValue::read(v, at)?),
                    2 => o.income_band = Some(FromValue::read(v, at)?),
                    3 => o.monthly_income = Some(FromValue::read(v, at)?),
                    4 => o.history = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for EventInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = EventInput {
            kind: EventType::Impression,
            offer_id: String::new(),
            at: 0.0,
            category: None,
            price: None,
            quantity: None,
        };
        read_fields(
            value,
            at,
            "EventInput",
            &["type", "offerId", "at", "category", "price", "quantity"],
            0b111,
            &mut |i, v, at| {
                match i {
                    0 => o.kind = FromValue::read(v, at)?,
                    1 => o.offer_id = FromValue::read(v, at)?,
                    2 => o.at = FromValue::read(v, at)?,
                    3 => o.category = Some(FromValue::read(v, at)?),
                    4 => o.price = Some(FromValue::read(v, at)?),
                    5 => o.quantity = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for ProximityInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = ProximityInput {
            function: None,
            offset_km: None,
            scale_km: None,
            decay: None,
        };
        read_fields(
            value,
            at,
            "ProximityInput",
            &["function", "offsetKm", "scaleKm", "decay"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.function = Some(FromValue::read(v, at)?),
                    1 => o.offset_km = Some(FromValue::read(v, at)?),
                    2 => o.scale_km = Some(FromValue::read(v, at)?),
                    3 => o.decay = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for WeightsInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = WeightsInput {
            proximity: None,
            age_fit: None,
            price_fit: None,
            item_affinity: None,
            category_affinity: None,
            embedding: None,
            repurchase: None,
            popularity: None,
            freshness: None,
            discount: None,
            boost: None,
        };
        read_fields(
            value,
            at,
            "WeightsInput",
            &[
                "proximity",
                "ageFit",
                "priceFit",
                "itemAffinity",
                "categoryAffinity",
                "embedding",
                "repurchase",
                "popularity",
                "freshness",
                "discount",
                "boost",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.proximity = Some(FromValue::read(v, at)?),
                    1 => o.age_fit = Some(FromValue::read(v, at)?),
                    2 => o.price_fit = Some(FromValue::read(v, at)?),
                    3 => o.item_affinity = Some(FromValue::read(v, at)?),
                    4 => o.category_affinity = Some(FromValue::read(v, at)?),
                    5 => o.embedding = Some(FromValue::read(v, at)?),
                    6 => o.repurchase = Some(FromValue::read(v, at)?),
                    7 => o.popularity = Some(FromValue::read(v, at)?),
                    8 => o.freshness = Some(FromValue::read(v, at)?),
                    9 => o.discount = Some(FromValue::read(v, at)?),
                    10 => o.boost = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for EngineOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = EngineOptions {
            weights: None,
            proximity: None,
            locale: None,
            allow_unknown_age: None,
        };
        read_fields(
            value,
            at,
            "EngineOptions",
            &["weights", "proximity", "locale", "allowUnknownAge"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.weights = Some(FromValue::read(v, at)?),
                    1 => o.proximity = Some(FromValue::read(v, at)?),
                    2 => o.locale = Some(FromValue::read(v, at)?),
                    3 => o.allow_unknown_age = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for RankOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = RankOptions {
            location: None,
            now: None,
            limit: None,
            locale: None,
            weights: None,
            proximity: None,
            exclude: None,
            allow_unknown_age: None,
            diversity: None,
            pin: None,
            hide: None,
            explore: None,
            fatigue: None,
            experiment: None,
            user_id: None,
        };
        read_fields(
            value,
            at,
            "RankOptions",
            &[
                "location",
                "now",
                "limit",
                "locale",
                "weights",
                "proximity",
                "exclude",
                "allowUnknownAge",
                "diversity",
                "pin",
                "hide",
                "explore",
                "fatigue",
                "experiment",
                "userId",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.location = Some(FromValue::read(v, at)?),
                    1 => o.now = Some(FromValue::read(v, at)?),
                    2 => o.limit = Some(FromValue::read(v, at)?),
                    3 => o.locale = Some(FromValue::read(v, at)?),
                    4 => o.weights = Some(FromValue::read(v, at)?),
                    5 => o.proximity = Some(FromValue::read(v, at)?),
                    6 => o.exclude = Some(FromValue::read(v, at)?),
                    7 => o.allow_unknown_age = Some(FromValue::read(v, at)?),
                    8 => o.diversity = Some(FromValue::read(v, at)?),
                    9 => o.pin = Some(FromValue::read(v, at)?),
                    10 => o.hide = Some(FromValue::read(v, at)?),
                    11 => o.explore = Some(FromValue::read(v, at)?),
                    12 => o.fatigue = Some(FromValue::read(v, at)?),
                    13 => o.experiment = Some(FromValue::read(v, at)?),
                    14 => o.user_id = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for DiversityInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = DiversityInput {
            max_per_category: None,
            max_per_store: None,
            mmr_lambda: None,
            similarity: None,
        };
        read_fields(
            value,
            at,
            "DiversityInput",
            &["maxPerCategory", "maxPerStore", "mmrLambda", "similarity"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.max_per_category = Some(FromValue::read(v, at)?),
                    1 => o.max_per_store = Some(FromValue::read(v, at)?),
                    2 => o.mmr_lambda = Some(FromValue::read(v, at)?),
                    3 => o.similarity = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for ExploreInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = ExploreInput {
            seed: 0.0,
            slots: None,
        };
        read_fields(
            value,
            at,
            "ExploreInput",
            &["seed", "slots"],
            0b1,
            &mut |i, v, at| {
                match i {
                    0 => o.seed = FromValue::read(v, at)?,
                    1 => o.slots = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for FatigueInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = FatigueInput {
            enabled: None,
            free_impressions: None,
            decay: None,
            recovery_hours: None,
            max_per_offer_per_day: None,
            max_per_category_per_day: None,
            dismiss_damping: None,
        };
        read_fields(
            value,
            at,
            "FatigueInput",
            &[
                "enabled",
                "freeImpressions",
                "decay",
                "recoveryHours",
                "maxPerOfferPerDay",
                "maxPerCategoryPerDay",
                "dismissDamping",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.enabled = Some(FromValue::read(v, at)?),
                    1 => o.free_impressions = Some(FromValue::read(v, at)?),
                    2 => o.decay = Some(FromValue::read(v, at)?),
                    3 => o.recovery_hours = Some(FromValue::read(v, at)?),
                    4 => o.max_per_offer_per_day = Some(FromValue::read(v, at)?),
                    5 => o.max_per_category_per_day = Some(FromValue::read(v, at)?),
                    6 => o.dismiss_damping = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for ExperimentInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = ExperimentInput {
            name: String::new(),
            variants: Vec::new(),
        };
        read_fields(
            value,
            at,
            "ExperimentInput",
            &["name", "variants"],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.name = FromValue::read(v, at)?,
                    1 => o.variants = FromValue::read(v, at)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for VariantInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = VariantInput {
            name: String::new(),
            split: 0.0,
            weights: None,
            diversity: None,
            explore: None,
            fatigue: None,
        };
        read_fields(
            value,
            at,
            "VariantInput",
            &[
                "name",
                "split",
                "weights",
                "diversity",
                "explore",
                "fatigue",
            ],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.name = FromValue::read(v, at)?,
                    1 => o.split = FromValue::read(v, at)?,
                    2 => o.weights = Some(FromValue::read(v, at)?),
                    3 => o.diversity = Some(FromValue::read(v, at)?),
                    4 => o.explore = Some(FromValue::read(v, at)?),
                    5 => o.fatigue = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for QuietHoursInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = QuietHoursInput { start: 0, end: 0 };
        read_fields(
            value,
            at,
            "QuietHoursInput",
            &["start", "end"],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.start = FromValue::read(v, at)?,
                    1 => o.end = FromValue::read(v, at)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for NotifyOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = NotifyOptions {
            now: None,
            location: None,
            locale: None,
            weights: None,
            threshold: None,
            budget_per_day: None,
            quiet_hours: None,
            utc_offset_minutes: None,
            min_gap_minutes: None,
            repeat_after_days: None,
        };
        read_fields(
            value,
            at,
            "NotifyOptions",
            &[
                "now",
                "location",
                "locale",
                "weights",
                "threshold",
                "budgetPerDay",
                "quietHours",
                "utcOffsetMinutes",
                "minGapMinutes",
                "repeatAfterDays",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.now = Some(FromValue::read(v, at)?),
                    1 => o.location = Some(FromValue::read(v, at)?),
                    2 => o.locale = Some(FromValue::read(v, at)?),
                    3 => o.weights = Some(FromValue::read(v, at)?),
                    4 => o.threshold = Some(FromValue::read(v, at)?),
                    5 => o.budget_per_day = Some(FromValue::read(v, at)?),
                    6 => o.quiet_hours = Some(FromValue::read(v, at)?),
                    7 => o.utc_offset_minutes = Some(FromValue::read(v, at)?),
                    8 => o.min_gap_minutes = Some(FromValue::read(v, at)?),
                    9 => o.repeat_after_days = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for GroupOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = GroupOptions {
            now: None,
            limit: None,
            location: None,
            locale: None,
            weights: None,
            serve_ratio: None,
            objective: None,
            allow_unknown_age: None,
        };
        read_fields(
            value,
            at,
            "GroupOptions",
            &[
                "now",
                "limit",
                "location",
                "locale",
                "weights",
                "serveRatio",
                "objective",
                "allowUnknownAge",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.now = Some(FromValue::read(v, at)?),
                    1 => o.limit = Some(FromValue::read(v, at)?),
                    2 => o.location = Some(FromValue::read(v, at)?),
                    3 => o.locale = Some(FromValue::read(v, at)?),
                    4 => o.weights = Some(FromValue::read(v, at)?),
                    5 => o.serve_ratio = Some(FromValue::read(v, at)?),
                    6 => o.objective = Some(FromValue::read(v, at)?),
                    7 => o.allow_unknown_age = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `value` with `Serialize` and reads it back with its reader.
    fn round_trip<T: Serialize + FromValue + PartialEq + std::fmt::Debug>(value: &T) {
        let json = serde_json::to_string(value).unwrap();
        let back: T = from_json(&json, "").unwrap_or_else(|e| panic!("{e}\n{json}"));
        assert_eq!(&back, value, "{json}");
    }

    /// Every field of every input type set (options `Some`, enums not default), so a
    /// reader that misses or misnames a field fails the round trip.
    #[test]
    fn readers_round_trip_what_serialize_writes() {
        let location = LocationInput {
            lat: 39.99,
            lng: 116.47,
            datum: Some(Datum::Gcj02),
        };
        let weights = WeightsInput {
            proximity: Some(1.0),
            age_fit: Some(2.0),
            price_fit: Some(3.0),
            item_affinity: Some(4.0),
            category_affinity: Some(5.0),
            embedding: Some(6.0),
            repurchase: Some(7.0),
            popularity: Some(8.0),
            freshness: Some(9.0),
            discount: Some(10.0),
            boost: Some(11.0),
        };
        let proximity = ProximityInput {
            function: Some(DecayFunction::Linear),
            offset_km: Some(0.5),
            scale_km: Some(2.0),
            decay: Some(0.4),
        };
        let diversity = DiversityInput {
            max_per_category: Some(3),
            max_per_store: Some(4),
            mmr_lambda: Some(0.7),
            similarity: Some(SimilarityKind::Category),
        };
        let explore = ExploreInput {
            seed: 42.0,
            slots: Some(2),
        };
        let fatigue = FatigueInput {
            enabled: Some(true),
            free_impressions: Some(3),
            decay: Some(0.8),
            recovery_hours: Some(24.0),
            max_per_offer_per_day: Some(5),
            max_per_category_per_day: Some(9),
            dismiss_damping: Some(0.5),
        };
        round_trip(&CatalogInput {
            version: 1,
            datum: Datum::Gcj02,
            embedding_dim: Some(2),
            stores: vec![StoreInput {
                id: "s1".into(),
                name: "望京西园三区自提点".into(),
                lat: 39.99,
                lng: 116.47,
                datum: Some(Datum::Wgs84),
                delivery_radius_km: Some(3.0),
                kind: Some(StoreKind::PickupPoint),
            }],
            offers: vec![OfferInput {
                id: "o1".into(),
                title: "土鸡蛋 30 枚".into(),
                category: "蛋品".into(),
                category_path: Some(vec!["肉禽蛋".into(), "蛋品".into()]),
                tags: Some(vec!["散养".into()]),
                price: 25.9,
                original_price: Some(32.0),
                store_id: "s1".into(),
                stock: Some(40),
                popularity: Some(120.0),
                starts_at: Some(1.0),
                ends_at: Some(2.0),
                age_min: Some(25),
                age_max: Some(60),
                min_age: Some(18),
                income_bands: Some(vec![2, 3]),
                repurchase_days: Some(7.0),
                boost: Some(0.5),
                embedding: Some(vec![0.25, -0.5]),
                age_lift: Some(vec![1.5; 10]),
                income_lift: Some(vec![0.5; 5]),
                area_popularity: Some(vec![3.0]),
                repurchase_rate: Some(0.4),
            }],
            areas: Some(vec![AreaInput {
                id: "a1".into(),
                lat: 39.98,
                lng: 116.46,
                datum: Some(Datum::Gcj02),
                radius_km: Some(1.5),
            }]),
        });
        round_trip(&UserInput {
            location: Some(location),
            age: Some(68),
            income_band: Some(2),
            monthly_income: Some(4500.0),
            history: Some(vec![PurchaseInput {
                offer_id: "o1".into(),
                category: Some("蛋品".into()),
                price: Some(25.9),
                quantity: Some(2),
                at: 1.7e12,
            }]),
        });
        for kind in EventType::ALL {
            round_trip(&EventInput {
                kind,
                offer_id: "o1".into(),
                at: 1.7e12,
                category: Some("蛋品".into()),
                price: Some(25.9),
                quantity: Some(3),
            });
        }
        round_trip(&EngineOptions {
            weights: Some(weights),
            proximity: Some(proximity),
            locale: Some(Locale::En),
            allow_unknown_age: Some(true),
        });
        round_trip(&RankOptions {
            location: Some(location),
            now: Some(1.7e12),
            limit: Some(20),
            locale: Some(Locale::ZhCn),
            weights: Some(weights),
            proximity: Some(proximity),
            exclude: Some(vec!["o2".into()]),
            allow_unknown_age: Some(false),
            diversity: Some(diversity),
            pin: Some(vec!["o3".into()]),
            hide: Some(vec!["o4".into()]),
            explore: Some(explore),
            fatigue: Some(fatigue),
            experiment: Some(ExperimentInput {
                name: "exp".into(),
                variants: vec![VariantInput {
                    name: "a".into(),
                    split: 1.0,
                    weights: Some(weights),
                    diversity: Some(diversity),
                    explore: Some(explore),
                    fatigue: Some(fatigue),
                }],
            }),
            user_id: Some("u1".into()),
        });
        round_trip(&NotifyOptions {
            now: Some(1.7e12),
            location: Some(location),
            locale: Some(Locale::En),
            weights: Some(weights),
            threshold: Some(0.6),
            budget_per_day: Some(2),
            quiet_hours: Some(QuietHoursInput { start: 22, end: 8 }),
            utc_offset_minutes: Some(-300),
            min_gap_minutes: Some(90.0),
            repeat_after_days: Some(3.0),
        });
        for objective in [GroupObjective::Coverage, GroupObjective::Mean] {
            round_trip(&GroupOptions {
                now: Some(1.7e12),
                limit: Some(10),
                location: Some(location),
                locale: Some(Locale::ZhCn),
                weights: Some(weights),
                serve_ratio: Some(0.5),
                objective: Some(objective),
                allow_unknown_age: Some(true),
            });
        }
        for function in [DecayFunction::Gauss, DecayFunction::Exp] {
            round_trip(&ProximityInput {
                function: Some(function),
                ..ProximityInput::default()
            });
        }
        for similarity in [SimilarityKind::Auto, SimilarityKind::Embedding] {
            round_trip(&DiversityInput {
                similarity: Some(similarity),
                ..DiversityInput::default()
            });
        }
        round_trip(&StoreKind::Store);
        round_trip(&StoreKind::Warehouse);
    }

    #[test]
    fn aliases_and_nulls_read_as_documented() {
        let event: EventInput = from_json(
            r#"{"type":"addToCart","offerId":"o1","at":1,"price":null}"#,
            "",
        )
        .unwrap();
        assert_eq!((event.kind, event.price), (EventType::Cart, None));
        let err = from_json::<EventInput>(r#"{"type":"cart","offerId":null,"at":1}"#, "event")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "event.offerId: invalid type: null, expected a string"
        );
        let err = from_json::<OfferInput>(r#"{"id":"a","id":"b"}"#, "").unwrap_err();
        assert!(err.message.contains("duplicate field `id`"), "{err}");
    }
}
