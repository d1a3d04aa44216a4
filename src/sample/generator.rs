//! The generator: stores, offers (prices, sale windows, tags, embeddings) derived
//! from the tables and the seed, with a SplitMix64 stream per item so that offer 17
//! is the same whatever the catalog size.

use super::tables::*;
use super::*;
use crate::contract::input::{OfferInput, StoreInput, StoreKind};
use crate::util::rng::SplitMix64;
use StoreKind::{PickupPoint, Store, Warehouse};

pub(super) fn store_id(index: usize) -> String {
    format!("s{:03}", index + 1)
}

pub(super) fn store_count(offers: usize) -> usize {
    (offers / OFFERS_PER_STORE).clamp(CORE_STORE_COUNT, MAX_SAMPLE_STORES)
}

/// Rounds a coordinate to 6 decimals, as map SDKs print them.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub(super) fn sample_stores(count: usize, seed: u64) -> Vec<StoreInput> {
    let mut stores = Vec::with_capacity(count);
    for (index, store) in CORE_STORES.iter().enumerate() {
        stores.push(StoreInput {
            id: store_id(index),
            name: store.name.to_string(),
            lat: store.lat,
            lng: store.lng,
            datum: None,
            delivery_radius_km: Some(store.radius_km),
            kind: Some(store.kind),
        });
    }
    let per_round = OUTER_AREAS.len() * OUTER_SUBAREAS.len();
    for k in 0..count.saturating_sub(CORE_STORE_COUNT) {
        let index = CORE_STORE_COUNT + k;
        let mut rng = SplitMix64::derive(seed, STREAM_STORE, index as u64);
        let (area, lat, lng) = OUTER_AREAS[k % OUTER_AREAS.len()];
        let sub = OUTER_SUBAREAS[(k / OUTER_AREAS.len()) % OUTER_SUBAREAS.len()];
        let building = k / per_round + 1;
        let (name, kind, radius_km) = if k % 40 == 39 {
            (format!("{area}前置仓（{}号）", k / 40 + 1), Warehouse, 8.0)
        } else if k % 6 == 5 {
            (format!("{area}{sub}{building}号便民超市"), Store, 3.0)
        } else {
            let radius = 1.0 + 0.1 * rng.below(6) as f64;
            (
                format!("{area}{sub}{building}号楼自提点"),
                PickupPoint,
                radius,
            )
        };
        stores.push(StoreInput {
            id: store_id(index),
            name,
            lat: round6(lat + rng.signed() * 0.012),
            lng: round6(lng + rng.signed() * 0.015),
            datum: None,
            delivery_radius_km: Some(radius_km),
            kind: Some(kind),
        });
    }
    stores
}

/// A plausible shelf price near `x`: ¥…9 from ¥100, ¥….9 from ¥10, one decimal below.
pub(super) fn shelf_price(x: f64) -> f64 {
    if x >= 100.0 {
        (x / 10.0).floor() * 10.0 + 9.0
    } else if x >= 10.0 {
        (x.floor() * 10.0 + 9.0) / 10.0
    } else {
        ((x * 10.0).round() / 10.0).max(0.1)
    }
}

/// Per-leaf centroids: a mix of a top-category direction and a leaf direction, so
/// offers of the same leaf are very similar and leaves of the same top somewhat so.
pub(super) struct Embedder {
    pub(super) dim: usize,
    /// Centroid of each leaf.
    pub(super) centroids: Vec<Vec<f64>>,
    /// Leaf index of each row of [`PRODUCTS`].
    pub(super) leaf_of: Vec<usize>,
    /// Half-width of the uniform per-component noise.
    pub(super) noise: f64,
}

fn normalize(v: &mut [f64]) {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
}

fn random_unit(rng: &mut SplitMix64, dim: usize) -> Vec<f64> {
    let mut v: Vec<f64> = (0..dim).map(|_| rng.signed()).collect();
    normalize(&mut v);
    v
}

impl Embedder {
    pub(super) fn new(seed: u64, dim: usize) -> Self {
        let mut tops: Vec<&str> = Vec::new();
        let mut leaves: Vec<Cat> = Vec::new();
        let mut leaf_of = Vec::with_capacity(PRODUCTS.len());
        for product in PRODUCTS {
            if !tops.contains(&product.cat.top) {
                tops.push(product.cat.top);
            }
            let index = match leaves.iter().position(|c| c.leaf == product.cat.leaf) {
                Some(index) => index,
                None => {
                    leaves.push(product.cat);
                    leaves.len() - 1
                }
            };
            leaf_of.push(index);
        }
        let top_vectors: Vec<Vec<f64>> = (0..tops.len())
            .map(|t| random_unit(&mut SplitMix64::derive(seed, STREAM_TOP, t as u64), dim))
            .collect();
        let centroids = leaves
            .iter()
            .enumerate()
            .map(|(l, leaf)| {
                let top = tops.iter().position(|t| *t == leaf.top).unwrap_or(0);
                let mut rng = SplitMix64::derive(seed, STREAM_LEAF, l as u64);
                let own = random_unit(&mut rng, dim);
                let mut centroid: Vec<f64> = top_vectors[top]
                    .iter()
                    .zip(&own)
                    .map(|(a, b)| 0.6 * a + 0.8 * b)
                    .collect();
                normalize(&mut centroid);
                centroid
            })
            .collect();
        // Uniform noise of half-width a has variance a²/3 per component; this makes
        // the noise vector's expected norm 0.45, for a cosine of about 0.8 between
        // two offers of the same leaf.
        let noise = 0.45 * (3.0 / dim as f64).sqrt();
        Self {
            dim,
            centroids,
            leaf_of,
            noise,
        }
    }

    fn embed(&self, product: usize, rng: &mut SplitMix64) -> Vec<f32> {
        let leaf = self.leaf_of.get(product).copied().unwrap_or(0);
        let mut v: Vec<f64> = match self.centroids.get(leaf) {
            Some(centroid) => centroid
                .iter()
                .map(|c| c + self.noise * rng.signed())
                .collect(),
            None => vec![0.0; self.dim],
        };
        normalize(&mut v);
        v.into_iter().map(|x| x as f32).collect()
    }
}

pub(super) fn offer_id(index: usize) -> String {
    format!("o{:05}", index + 1)
}

pub(super) fn make_offer(
    index: usize,
    stores: &[StoreInput],
    seed: u64,
    embedder: Option<&Embedder>,
) -> OfferInput {
    let row = index % PRODUCTS.len();
    let cycle = index / PRODUCTS.len();
    let product = &PRODUCTS[row];
    let anchor = index < ANCHOR_OFFER_IDS.len();
    let mut rng = SplitMix64::derive(seed, STREAM_OFFER, index as u64);

    let store = if cycle > 0 {
        rng.below(stores.len())
    } else if product.store < CORE_STORE_COUNT {
        product.store
    } else {
        rng.below(CORE_STORE_COUNT)
    };
    let store_id = stores
        .get(store)
        .map_or_else(|| store_id(0), |s| s.id.clone());

    let mut price = if anchor {
        product.lo
    } else {
        let jitter = if cycle == 0 { 1.0 } else { rng.range(0.9, 1.1) };
        shelf_price(rng.range(product.lo, product.hi) * jitter)
    };
    let mut original_price = if rng.chance(0.55) {
        Some(shelf_price(price * rng.range(1.1, 1.6)))
    } else {
        None
    };

    let mut title = product.title.to_string();
    let mut tags: Vec<String> = product.tags.iter().map(|t| (*t).to_string()).collect();
    let mut window = None;
    let mut hot = product.hot;
    if !anchor {
        if cycle > 0 && rng.chance(0.10) {
            // Flash sale: a deep cut for one to three days around the epoch.
            original_price = Some(price);
            price = shelf_price(price * rng.range(0.6, 0.8));
            title = format!("【限时秒杀】{title}");
            tags.push("限时秒杀".to_string());
            hot *= 1.5;
            let start = SAMPLE_EPOCH_MS + (rng.below(4) as f64 - 2.0) * DAY_MS + 10.0 * HOUR_MS;
            window = Some((start, start + (1 + rng.below(3)) as f64 * DAY_MS));
        } else if cycle > 0 && rng.chance(0.07) {
            title = format!("【团长推荐】{title}");
            tags.push("团长推荐".to_string());
        } else if rng.chance(0.05) {
            // Seasonal listing: running now, or starting in a few days.
            window = Some(if rng.chance(0.3) {
                let start = SAMPLE_EPOCH_MS + (1 + rng.below(3)) as f64 * DAY_MS;
                (start, start + 7.0 * DAY_MS)
            } else {
                (
                    SAMPLE_EPOCH_MS - (1 + rng.below(10)) as f64 * DAY_MS,
                    SAMPLE_EPOCH_MS + (1 + rng.below(14)) as f64 * DAY_MS,
                )
            });
        }
    }
    if rng.chance(0.4) {
        let tag = DELIVERY_TAGS[rng.below(DELIVERY_TAGS.len())];
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    let original_price = original_price.filter(|&o| o > price);

    let stock = if anchor {
        Some(30 + rng.below_u32(270))
    } else {
        let u = rng.unit();
        if u < 0.06 {
            Some(0)
        } else if u < 0.36 {
            None
        } else {
            Some(1 + rng.below_u32(300))
        }
    };
    // A long tail: about 8 / U sales for uniform U, so most offers sell a few dozen
    // and a few sell thousands.
    let popularity = (hot * 8.0 / (rng.unit() + 0.004)).round();
    let boost = if !anchor && rng.chance(0.04) {
        Some(BOOSTS[rng.below(BOOSTS.len())])
    } else {
        None
    };
    let embedding = embedder.map(|e| e.embed(row, &mut rng));

    OfferInput {
        id: offer_id(index),
        title,
        category: product.cat.leaf.to_string(),
        category_path: Some(vec![
            product.cat.top.to_string(),
            product.cat.leaf.to_string(),
        ]),
        tags: (!tags.is_empty()).then_some(tags),
        price,
        original_price,
        store_id,
        stock,
        popularity: Some(popularity),
        starts_at: window.map(|w| w.0),
        ends_at: window.map(|w| w.1),
        age_min: (product.age_min > 0).then_some(product.age_min),
        age_max: (product.age_max > 0).then_some(product.age_max),
        min_age: (product.min_age > 0).then_some(product.min_age),
        income_bands: (!product.income_bands.is_empty()).then(|| product.income_bands.to_vec()),
        repurchase_days: (product.repurchase_days > 0.0).then_some(product.repurchase_days),
        boost,
        embedding,
        ..Default::default()
    }
}
