//! Deterministic sample data: a community group-buying (社区团购) catalog for the
//! 望京 (Wangjing) neighbourhood of Beijing's Chaoyang district, and a handful of users
//! with stories.
//!
//! The data is meant for demos, examples, tests and benchmarks. Everything is derived
//! from [`SampleOptions::seed`] with a small SplitMix64 generator using only integer
//! arithmetic, exactly rounded `f64` operations and `sqrt`, so the same options give
//! the same catalog on every platform, native or wasm.
//!
//! The first offers come from a hand-written table of real-looking products (titles
//! with specs, CNY prices, replenishment cycles, age and income targeting); bigger
//! catalogs cycle through the table again with price variants, flash sales (限时秒杀)
//! and group-leader picks (团长推荐), spread over more pickup points in rings around
//! the neighbourhood. Six anchor offers have fixed ids, prices and stores (see
//! [`EGGS_OFFER_ID`] and its siblings) so that tests and demos can point at them.
//!
//! Store coordinates are GCJ-02, as copied from AMap, and the catalog says so with
//! [`Datum::Gcj02`]. Sale windows are placed around the fixed [`SAMPLE_EPOCH_MS`], so
//! the catalog itself does not depend on the clock; [`sample_users`] takes the current
//! time and places purchase histories relative to it.
//!
//! | file | what |
//! |---|---|
//! | this file | the options, the anchors, [`sample_catalog`] |
//! | `tables.rs` | the hand-written stores and products |
//! | `generator.rs` | stores, prices, embeddings and offers from the tables and the seed |
//! | `users.rs` | the sample users and their purchase histories |

mod generator;
mod tables;
#[cfg(test)]
mod tests;
mod users;

use serde::Serialize;

use crate::contract::input::{CatalogInput, Datum, UserInput};
use generator::{make_offer, sample_stores, store_count, Embedder};
pub use users::sample_users;

/// The fixed reference time of the sample catalog, epoch milliseconds: 2025-11-25
/// 00:00 Beijing time (2025-11-24T16:00:00Z). Sale windows (`startsAt`/`endsAt`) are
/// placed a few days around it.
pub const SAMPLE_EPOCH_MS: f64 = 1_764_000_000_000.0;

pub use crate::profile::DAY_MS;

/// Anchor offer 「土鸡蛋 30枚装」: leaf category 「蛋品」, ¥25.9, `repurchaseDays` 7,
/// sold at the 花家地北里 pickup point ([`HUAJIADI_PICKUP_ID`]), always in stock.
pub const EGGS_OFFER_ID: &str = "o00001";

/// Anchor offer 「蒙牛纯牛奶 250ml×24盒」: leaf category 「牛奶」, ¥59.9,
/// `repurchaseDays` 8, sold at the 花家地北里 pickup point, always in stock.
pub const MILK_OFFER_ID: &str = "o00002";

/// Anchor offer 「青岛啤酒 经典 500ml×12听」: leaf category 「酒类」, ¥49.9, `minAge` 18
/// with soft targeting 20–60, sold at the 望京SOHO pickup point, always in stock.
pub const BEER_OFFER_ID: &str = "o00003";

/// Anchor offer 「花王纸尿裤 M码 64片」: leaf category 「纸尿裤」, ¥119, `repurchaseDays`
/// 16, soft targeting 25–45, sold at the 南湖东园 pickup point, always in stock.
pub const DIAPERS_OFFER_ID: &str = "o00004";

/// Anchor offer 「飞鹤星飞帆 1段 700g」: leaf category 「奶粉」, ¥269, `repurchaseDays`
/// 20, soft targeting 25–45, sold at the 南湖东园 pickup point, always in stock.
pub const FORMULA_OFFER_ID: &str = "o00005";

/// Anchor offer 「三顿半 超即溶精品咖啡 3g×24颗」: leaf category 「咖啡」, ¥129,
/// `repurchaseDays` 14, soft targeting 20–40, sold at the 望京SOHO pickup point,
/// always in stock.
pub const COFFEE_OFFER_ID: &str = "o00006";

/// All anchor offer ids, in catalog order; they are the first offers of every sample
/// catalog, whatever its size.
pub const ANCHOR_OFFER_IDS: [&str; 6] = [
    EGGS_OFFER_ID,
    MILK_OFFER_ID,
    BEER_OFFER_ID,
    DIAPERS_OFFER_ID,
    FORMULA_OFFER_ID,
    COFFEE_OFFER_ID,
];

/// Store id of the 「花家地北里自提点」 pickup point (kind `pickupPoint`, radius 1 km),
/// where [`EGGS_OFFER_ID`] and [`MILK_OFFER_ID`] are sold and the grandma lives.
pub const HUAJIADI_PICKUP_ID: &str = "s002";

/// Latitude of the 花家地北里 pickup point, GCJ-02 degrees.
pub const HUAJIADI_PICKUP_LAT: f64 = 39.986_2;

/// Longitude of the 花家地北里 pickup point, GCJ-02 degrees.
pub const HUAJIADI_PICKUP_LNG: f64 = 116.470_6;

/// Store id of the 「望京SOHO T2 自提点」 pickup point, where [`BEER_OFFER_ID`] and
/// [`COFFEE_OFFER_ID`] are sold.
pub const SOHO_PICKUP_ID: &str = "s006";

/// Latitude of 望京SOHO, the centre of the sample neighbourhood, GCJ-02 degrees.
pub const WANGJING_SOHO_LAT: f64 = 39.996_6;

/// Longitude of 望京SOHO, the centre of the sample neighbourhood, GCJ-02 degrees.
pub const WANGJING_SOHO_LNG: f64 = 116.480_8;

/// Number of hand-placed stores in 望京; the smallest catalogs have exactly these.
pub const CORE_STORE_COUNT: usize = 12;

/// Upper bound on the number of stores of a sample catalog.
pub const MAX_SAMPLE_STORES: usize = 2000;

/// Upper bound on [`SampleOptions::embedding_dim`]; larger values are clamped to it.
pub const MAX_SAMPLE_EMBEDDING_DIM: usize = 1024;

/// One store per this many offers, between [`CORE_STORE_COUNT`] and
/// [`MAX_SAMPLE_STORES`].
pub(super) const OFFERS_PER_STORE: usize = 50;

pub(super) const HOUR_MS: f64 = 3_600_000.0;

pub(super) const STREAM_STORE: u64 = 1;
pub(super) const STREAM_OFFER: u64 = 2;
pub(super) const STREAM_TOP: u64 = 3;
pub(super) const STREAM_LEAF: u64 = 4;

/// Options for the generator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleOptions {
    /// Number of offers to generate. Catalogs always contain at least the six anchor
    /// offers, so values below 6 are raised to 6.
    pub offers: usize,
    /// Length of every offer embedding; 0 means no embeddings. Values above
    /// [`MAX_SAMPLE_EMBEDDING_DIM`] are clamped to it.
    pub embedding_dim: usize,
    /// Seed of the generator; the same options always give the same catalog.
    pub seed: u64,
}

impl Default for SampleOptions {
    /// 400 offers with 16-dimensional embeddings, seed 7.
    fn default() -> Self {
        Self {
            offers: 400,
            embedding_dim: 16,
            seed: 7,
        }
    }
}

/// A sample user with a story.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SampleUser {
    /// Stable id, e.g. `"grandma"`.
    pub id: String,
    /// Display name in Chinese, e.g. 「王奶奶」.
    pub name: String,
    /// Display name in English, e.g. "Grandma Wang".
    pub name_en: String,
    /// One-sentence story in Chinese.
    pub description: String,
    /// One-sentence story in English.
    pub description_en: String,
    /// What the engine is told about the user.
    pub user: UserInput,
}

/// Generates a sample catalog of 望京 stores and offers.
///
/// The catalog has `max(options.offers, 6)` offers with ids `o00001`, `o00002`, …; the
/// first six are the anchors ([`ANCHOR_OFFER_IDS`]). It has one store per 50 offers,
/// at least [`CORE_STORE_COUNT`] and at most [`MAX_SAMPLE_STORES`], with ids `s001`,
/// `s002`, …; the first twelve are the hand-placed 望京 stores. The datum is GCJ-02 and
/// the version 1. The same options always give the same catalog, and offer `i` does
/// not depend on how many offers follow it (only on the seed, the embedding size and,
/// past the hand-written table, the number of stores).
pub fn sample_catalog(options: &SampleOptions) -> CatalogInput {
    let count = options.offers.max(ANCHOR_OFFER_IDS.len());
    let dim = options.embedding_dim.min(MAX_SAMPLE_EMBEDDING_DIM);
    let stores = sample_stores(store_count(count), options.seed);
    let embedder = (dim > 0).then(|| Embedder::new(options.seed, dim));
    let offers = (0..count)
        .map(|index| make_offer(index, &stores, options.seed, embedder.as_ref()))
        .collect();
    CatalogInput {
        version: 1,
        datum: Datum::Gcj02,
        embedding_dim: u32::try_from(dim).ok().filter(|&d| d > 0),
        stores,
        offers,
        areas: None,
    }
}
