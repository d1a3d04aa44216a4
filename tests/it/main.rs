//! Native integration tests of the scoring core: one test binary, one module per
//! area. Fixtures are small hand-built catalogs whose expected scores follow from
//! the documented formulas.

mod binary;
mod catalog_updates;
mod errors;
mod experiment;
mod explore;
mod fatigue;
mod features;
mod filters;
mod fuzz_corpus;
mod geo_datum;
mod group;
mod json;
mod learning;
mod limits;
mod notify;
mod profile_state;
mod properties;
mod ranking;
mod rerank;

use goods_ranker::rank::params::RankParams;
use goods_ranker::{
    CatalogInput, Datum, Engine, EngineOptions, OfferInput, Profile, RankOptions, StoreInput,
    StoreKind,
};

/// 2025-11-25 10:00 Beijing time.
pub const NOW: f64 = 1_764_036_000_000.0;
pub const DAY: f64 = 86_400_000.0;

/// Store "near" sits at the origin used by tests; "far" is ~3.3 km north of it.
pub const ORIGIN: (f64, f64) = (39.99, 116.48);

pub fn stores() -> Vec<StoreInput> {
    vec![
        StoreInput {
            id: "near".into(),
            name: "花家地北里自提点".into(),
            lat: ORIGIN.0,
            lng: ORIGIN.1,
            datum: None,
            delivery_radius_km: Some(1.5),
            kind: Some(StoreKind::PickupPoint),
        },
        StoreInput {
            id: "far".into(),
            name: "望京仓".into(),
            lat: ORIGIN.0 + 0.03,
            lng: ORIGIN.1,
            datum: None,
            delivery_radius_km: None,
            kind: Some(StoreKind::Warehouse),
        },
    ]
}

/// A plain offer: no targeting, no discount, no popularity.
pub fn offer(id: &str, category: &str, price: f64, store: &str) -> OfferInput {
    OfferInput {
        id: id.into(),
        title: format!("商品 {id}"),
        category: category.into(),
        price,
        store_id: store.into(),
        ..Default::default()
    }
}

pub fn catalog(offers: Vec<OfferInput>) -> CatalogInput {
    CatalogInput {
        version: 1,
        datum: Datum::Wgs84,
        embedding_dim: None,
        stores: stores(),
        offers,
        areas: None,
    }
}

pub fn engine(offers: Vec<OfferInput>) -> Engine {
    Engine::new(catalog(offers), &EngineOptions::default()).expect("valid fixture")
}

pub fn opts() -> RankOptions {
    RankOptions {
        now: Some(NOW),
        limit: Some(100),
        ..Default::default()
    }
}

pub fn at(lat: f64, lng: f64) -> RankOptions {
    RankOptions {
        location: Some(goods_ranker::LocationInput {
            lat,
            lng,
            datum: None,
        }),
        ..opts()
    }
}

pub fn ids(feed: &[goods_ranker::RankedOffer]) -> Vec<&str> {
    feed.iter().map(|o| o.offer_id.as_str()).collect()
}

/// The feature scores of one offer.
pub fn features(
    engine: &Engine,
    profile: &Profile,
    options: &RankOptions,
    offer_id: &str,
) -> [f64; goods_ranker::rank::features::N_FEATURES] {
    let params = RankParams::resolve(engine.config(), options, NOW).expect("valid options");
    let idx = engine.catalog().offer_idx(offer_id).expect("offer exists");
    goods_ranker::rank::offer_features(engine.catalog(), profile, &params, idx)
}

/// CRC-32 (IEEE), written out so tests of checksummed formats do not trust the code
/// under test.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
