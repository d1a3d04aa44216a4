//! Catalog enrichment from purchase logs (native only; never in the wasm build).
//!
//! Reads a purchase log and optional user attributes in the generic CSV form
//! ([`log`]), groups lines into baskets, and learns per offer: popularity (global and
//! per area, time-decayed), audience lift per age band and per income band (smoothed
//! toward the base rate), the typical repurchase interval and the share of buyers who
//! rebuy, price statistics, and co-purchase embeddings (PPMI + truncated SVD,
//! [`embed`]). [`to_catalog`] writes them as a catalog the engine reads (JSON, or
//! binary through [`goods_ranker::Engine::to_binary`]). Every statistic is a group-by over
//! the basket-item fact table ([`aggregate`]); `docs/ENRICHMENT.md` maps them onto a
//! distributed engine.

pub mod aggregate;
pub mod embed;
pub mod log;

use std::collections::BTreeMap;

pub use aggregate::{EnrichOptions, ItemStats, PriceStats};
pub use log::{Log, ReadReport, UserAttrs};

use goods_ranker::contract::input::{
    AreaInput, CatalogInput, Datum, OfferInput, StoreInput, StoreKind,
};

/// One item of a basket (quantities of repeated lines summed).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BasketItem {
    /// Item index.
    pub item: u32,
    /// Units.
    pub quantity: f32,
    /// Mean unit price, NaN when unknown.
    pub price: f32,
}

/// One basket: a user's purchases in one basket (or on one day).
#[derive(Clone, Debug, PartialEq)]
pub struct Basket {
    /// User index.
    pub user: u32,
    /// Epoch ms of its earliest line.
    pub at: f64,
    /// Distinct items, by item index.
    pub items: Vec<BasketItem>,
}

/// Groups the log's lines into baskets (`GROUP BY user, basket`), sorted by user,
/// then time. An item counts once per basket.
pub fn baskets(log: &Log) -> Vec<Basket> {
    let mut lines: Vec<&log::Line> = log.lines.iter().collect();
    lines.sort_by(|a, b| {
        (a.user, a.basket)
            .cmp(&(b.user, b.basket))
            .then(a.item.cmp(&b.item))
    });
    let mut out = Vec::new();
    for group in lines.chunk_by(|a, b| (a.user, a.basket) == (b.user, b.basket)) {
        let at = group.iter().map(|l| l.at).fold(f64::INFINITY, f64::min);
        let mut items: Vec<BasketItem> = Vec::new();
        for same in group.chunk_by(|a, b| a.item == b.item) {
            let quantity: f32 = same.iter().map(|l| l.quantity).sum();
            let priced: Vec<f32> = same
                .iter()
                .map(|l| l.price)
                .filter(|p| !p.is_nan())
                .collect();
            let price = if priced.is_empty() {
                f32::NAN
            } else {
                priced.iter().sum::<f32>() / priced.len() as f32
            };
            items.push(BasketItem {
                item: same[0].item,
                quantity,
                price,
            });
        }
        out.push(Basket {
            user: group[0].user,
            at,
            items,
        });
    }
    out.sort_by(|a, b| a.user.cmp(&b.user).then(a.at.total_cmp(&b.at)));
    out
}

/// What enrichment learned.
#[derive(Clone, Debug, Default)]
pub struct Enriched {
    /// Per item.
    pub items: Vec<ItemStats>,
    /// Embedding length (0 = none).
    pub embedding_dim: usize,
    /// Row-major `items × embedding_dim`.
    pub embeddings: Vec<f32>,
    /// Which items have an embedding.
    pub has_embedding: Vec<bool>,
    /// Per area (index of [`Log::areas`]): the mean location of its users, if known.
    pub area_centres: Vec<Option<(f64, f64)>>,
}

/// Learns everything from `baskets` (the training baskets only).
pub fn enrich(log: &Log, baskets: &[Basket], options: &EnrichOptions) -> Enriched {
    let n_items = log.items.len();
    let n_areas = log.areas.len();
    let items = aggregate::aggregate(baskets, &log.attrs, n_items, n_areas, options);
    let (embeddings, has_embedding, embedding_dim) = match embed::embeddings(
        baskets,
        n_items,
        options.embedding_dim,
        options.embedding_min_baskets,
        options.seed,
    ) {
        Some((e, h)) => (e, h, options.embedding_dim),
        None => (Vec::new(), vec![false; n_items], 0),
    };
    // SELECT area, AVG(lat), AVG(lng) FROM users GROUP BY area
    let mut sums = vec![(0.0, 0.0, 0u32); n_areas];
    for a in &log.attrs {
        if let (Some(area), Some((lat, lng))) = (a.area, a.location) {
            let s = &mut sums[area as usize];
            s.0 += lat;
            s.1 += lng;
            s.2 += 1;
        }
    }
    let area_centres = sums
        .into_iter()
        .map(|(la, ln, n)| (n > 0).then(|| (la / f64::from(n), ln / f64::from(n))))
        .collect();
    Enriched {
        items,
        embedding_dim,
        embeddings,
        has_embedding,
        area_centres,
    }
}

/// Where the catalog's single store is.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreSpec {
    /// Store id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// WGS-84 latitude.
    pub lat: f64,
    /// WGS-84 longitude.
    pub lng: f64,
}

/// Writes what was learned as a catalog: one offer per item ever bought in training,
/// sold from `store`. Price is the median unit price (1 when the log has none);
/// popularity, area popularity, lifts, repurchase interval and rate and the
/// embedding are the learned values. Areas without a known centre are left out of
/// `areas`.
pub fn to_catalog(log: &Log, enriched: &Enriched, store: &StoreSpec) -> CatalogInput {
    let area_map: Vec<(usize, (f64, f64))> = enriched
        .area_centres
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
        .collect();
    let areas: Vec<AreaInput> = area_map
        .iter()
        .map(|(i, (lat, lng))| AreaInput {
            id: log.areas.names[*i].clone(),
            lat: *lat,
            lng: *lng,
            datum: None,
            radius_km: None,
        })
        .collect();
    let d = enriched.embedding_dim;
    let round = |x: f64| (x * 1e4).round() / 1e4;
    let offers = enriched
        .items
        .iter()
        .enumerate()
        .filter(|(_, s)| s.baskets > 0)
        .map(|(i, s)| {
            let category = log.item_category[i]
                .map(|c| log.categories.names[c as usize].clone())
                .unwrap_or_else(|| "uncategorized".to_string());
            let price = if s.price.count > 0 && s.price.median > 0.0 {
                s.price.median
            } else {
                1.0
            };
            OfferInput {
                id: log.items.names[i].clone(),
                title: log.items.names[i].clone(),
                category,
                price,
                store_id: store.id.clone(),
                popularity: Some(round(s.popularity)),
                repurchase_days: s.repurchase_days.map(round),
                repurchase_rate: Some(round(s.repurchase_rate).clamp(1e-4, 1.0)),
                age_lift: s
                    .age_lift
                    .map(|l| l.iter().map(|x| round(*x).max(1e-4) as f32).collect()),
                income_lift: s
                    .income_lift
                    .map(|l| l.iter().map(|x| round(*x).max(1e-4) as f32).collect()),
                area_popularity: (!area_map.is_empty()).then(|| {
                    area_map
                        .iter()
                        .map(|(a, _)| round(s.area_popularity[*a]))
                        .collect()
                }),
                embedding: (d > 0 && enriched.has_embedding[i])
                    .then(|| enriched.embeddings[i * d..(i + 1) * d].to_vec()),
                ..Default::default()
            }
        })
        .collect();
    CatalogInput {
        version: goods_ranker::catalog::CATALOG_VERSION,
        datum: Datum::Wgs84,
        embedding_dim: (d > 0).then_some(d as u32),
        stores: vec![StoreInput {
            id: store.id.clone(),
            name: store.name.clone(),
            lat: store.lat,
            lng: store.lng,
            datum: None,
            delivery_radius_km: None,
            kind: Some(StoreKind::Store),
        }],
        offers,
        areas: (!areas.is_empty()).then_some(areas),
    }
}

/// A JSON summary of the price statistics and counts (what the catalog does not
/// carry), keyed by item id.
pub fn price_report(log: &Log, enriched: &Enriched) -> BTreeMap<String, serde_json::Value> {
    enriched
        .items
        .iter()
        .enumerate()
        .filter(|(_, s)| s.baskets > 0)
        .map(|(i, s)| {
            (
                log.items.names[i].clone(),
                serde_json::json!({
                    "baskets": s.baskets,
                    "buyers": s.buyers,
                    "repeatBuyers": s.repeat_buyers,
                    "price": {
                        "count": s.price.count, "mean": s.price.mean, "min": s.price.min,
                        "median": s.price.median, "max": s.price.max,
                    },
                }),
            )
        })
        .collect()
}
