//! The per-offer statistics, each one a group-by aggregation over the fact table of
//! basket items (one row per distinct item in a basket: user, item, time, quantity,
//! unit price) joined with the user attributes. The SQL each function computes is in
//! its comment; `docs/ENRICHMENT.md` says how they map onto a distributed engine.

use super::log::UserAttrs;
use super::Basket;
use goods_ranker::catalog::{AGE_BANDS, INCOME_BANDS};
use goods_ranker::profile::DAY_MS;

/// Tuning of the aggregations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EnrichOptions {
    /// Half-life of popularity, days (popularity is as of the last basket).
    pub half_life_days: f64,
    /// Strength of the prior pulling audience lift toward 1, in buyers.
    pub lift_prior: f64,
    /// Strength of the prior pulling the repurchase rate toward the base rate, in buyers.
    pub repurchase_prior: f64,
    /// Fewest repurchase gaps for a typical interval.
    pub min_gaps: usize,
    /// Embedding length (0 = no embeddings).
    pub embedding_dim: usize,
    /// Fewest baskets for an item to get an embedding.
    pub embedding_min_baskets: u32,
    /// Seed of the randomized SVD.
    pub seed: u64,
}

impl Default for EnrichOptions {
    fn default() -> Self {
        EnrichOptions {
            half_life_days: 30.0,
            lift_prior: 20.0,
            repurchase_prior: 10.0,
            min_gaps: 2,
            embedding_dim: 32,
            embedding_min_baskets: 5,
            seed: 7,
        }
    }
}

/// Price statistics of one item (unit prices of the lines that carry one).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PriceStats {
    /// Lines with a price.
    pub count: u32,
    /// Mean unit price.
    pub mean: f64,
    /// Lowest.
    pub min: f64,
    /// Median.
    pub median: f64,
    /// Highest.
    pub max: f64,
}

/// Everything learned about one item.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ItemStats {
    /// Baskets containing it.
    pub baskets: u32,
    /// Distinct buyers.
    pub buyers: u32,
    /// Buyers who bought it in two or more baskets.
    pub repeat_buyers: u32,
    /// Time-decayed basket count as of the last basket.
    pub popularity: f64,
    /// The same per area (index of [`super::log::Log::areas`]).
    pub area_popularity: Vec<f64>,
    /// Smoothed lift per age band; `None` when no buyer has a known age band.
    pub age_lift: Option<[f64; AGE_BANDS]>,
    /// Smoothed lift per income band; `None` when no buyer has a known income band.
    pub income_lift: Option<[f64; INCOME_BANDS]>,
    /// Median gap between a user's consecutive baskets with this item, days.
    pub repurchase_days: Option<f64>,
    /// Smoothed share of buyers who bought it again.
    pub repurchase_rate: f64,
    /// Unit price statistics.
    pub price: PriceStats,
}

/// One row of the fact table.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Fact {
    item: u32,
    user: u32,
    at: f64,
    quantity: f32,
    price: f32,
}

fn facts(baskets: &[Basket]) -> Vec<Fact> {
    let mut rows = Vec::with_capacity(baskets.iter().map(|b| b.items.len()).sum());
    for b in baskets {
        for it in &b.items {
            rows.push(Fact {
                item: it.item,
                user: b.user,
                at: b.at,
                quantity: it.quantity,
                price: it.price,
            });
        }
    }
    rows
}

/// Computes the statistics of `n_items` items from training baskets.
pub fn aggregate(
    baskets: &[Basket],
    attrs: &[UserAttrs],
    n_items: usize,
    n_areas: usize,
    options: &EnrichOptions,
) -> Vec<ItemStats> {
    let mut facts = facts(baskets);
    let as_of = facts.iter().map(|f| f.at).fold(f64::NEG_INFINITY, f64::max);
    let mut stats = vec![
        ItemStats {
            area_popularity: vec![0.0; n_areas],
            ..Default::default()
        };
        n_items
    ];
    popularity(&facts, attrs, as_of, options.half_life_days, &mut stats);
    prices(&mut facts, &mut stats);
    // Everything below groups by (item, user): sort once.
    facts.sort_unstable_by(|a, b| {
        (a.item, a.user)
            .cmp(&(b.item, b.user))
            .then(a.at.total_cmp(&b.at))
    });
    repurchase(&facts, options, &mut stats);
    lifts(&facts, attrs, options.lift_prior, &mut stats);
    stats
}

/// ```sql
/// SELECT item, COUNT(*) AS baskets, SUM(POW(2, -(:as_of - at) / :half_life)) AS popularity
/// FROM facts GROUP BY item;
/// SELECT item, area, SUM(POW(2, -(:as_of - at) / :half_life))
/// FROM facts JOIN users USING (user) WHERE area IS NOT NULL GROUP BY item, area;
/// ```
fn popularity(
    facts: &[Fact],
    attrs: &[UserAttrs],
    as_of: f64,
    half_life_days: f64,
    stats: &mut [ItemStats],
) {
    for f in facts {
        let w = libm::exp2(-((as_of - f.at) / DAY_MS) / half_life_days);
        let s = &mut stats[f.item as usize];
        s.baskets += 1;
        s.popularity += w;
        if let Some(area) = attrs.get(f.user as usize).and_then(|a| a.area) {
            if let Some(p) = s.area_popularity.get_mut(area as usize) {
                *p += w;
            }
        }
    }
}

/// ```sql
/// SELECT item, COUNT(price), AVG(price), MIN(price), MAX(price),
///        PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY price)
/// FROM facts WHERE price IS NOT NULL GROUP BY item;
/// ```
fn prices(facts: &mut [Fact], stats: &mut [ItemStats]) {
    facts.sort_unstable_by(|a, b| a.item.cmp(&b.item).then(a.price.total_cmp(&b.price)));
    for group in facts.chunk_by(|a, b| a.item == b.item) {
        let p: Vec<f64> = group
            .iter()
            .filter(|f| !f.price.is_nan())
            .map(|f| f64::from(f.price))
            .collect();
        if p.is_empty() {
            continue;
        }
        let n = p.len();
        stats[group[0].item as usize].price = PriceStats {
            count: n as u32,
            mean: p.iter().sum::<f64>() / n as f64,
            min: p[0],
            max: p[n - 1],
            median: median_sorted(&p),
        };
    }
}

fn median_sorted(v: &[f64]) -> f64 {
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Facts sorted by (item, user, at).
///
/// ```sql
/// WITH g AS (SELECT item, user, at - LAG(at) OVER (PARTITION BY item, user ORDER BY at) AS gap
///            FROM facts)
/// SELECT item, COUNT(DISTINCT user) AS buyers,
///        COUNT(DISTINCT user) FILTER (WHERE gap IS NOT NULL) AS repeat_buyers,
///        PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY gap) AS repurchase_days
/// FROM g GROUP BY item;
/// -- repurchase_rate = (repeat_buyers + k·r₀) / (buyers + k), r₀ = Σ repeat / Σ buyers
/// ```
fn repurchase(facts: &[Fact], options: &EnrichOptions, stats: &mut [ItemStats]) {
    let (mut all_buyers, mut all_repeat) = (0u64, 0u64);
    for item_rows in facts.chunk_by(|a, b| a.item == b.item) {
        let item = item_rows[0].item as usize;
        let mut gaps = Vec::new();
        for user_rows in item_rows.chunk_by(|a, b| a.user == b.user) {
            stats[item].buyers += 1;
            if user_rows.len() > 1 {
                stats[item].repeat_buyers += 1;
            }
            for w in user_rows.windows(2) {
                let gap = (w[1].at - w[0].at) / DAY_MS;
                if gap >= 0.5 {
                    gaps.push(gap);
                }
            }
        }
        all_buyers += u64::from(stats[item].buyers);
        all_repeat += u64::from(stats[item].repeat_buyers);
        if gaps.len() >= options.min_gaps.max(1) {
            gaps.sort_unstable_by(f64::total_cmp);
            stats[item].repurchase_days = Some(median_sorted(&gaps));
        }
    }
    let base = if all_buyers > 0 {
        all_repeat as f64 / all_buyers as f64
    } else {
        0.0
    };
    let k = options.repurchase_prior;
    for s in stats.iter_mut() {
        s.repurchase_rate = if s.buyers as f64 + k > 0.0 {
            (f64::from(s.repeat_buyers) + k * base) / (f64::from(s.buyers) + k)
        } else {
            base
        };
    }
}

/// Smoothed audience lift of each item for each band, counting distinct buyers:
/// `lift(i, b) = ((n_ib + k·p_b) / (n_i + k)) / p_b`, where `n_ib` is the number of
/// buyers of `i` in band `b`, `n_i = Σ_b n_ib`, and `p_b = Σ_i n_ib / Σ_i n_i` is the
/// base rate of band `b` among (item, buyer) pairs. With no buyers the lift is 1; with
/// many it tends to the raw `(n_ib / n_i) / p_b`.
///
/// ```sql
/// SELECT item, band, COUNT(DISTINCT user) AS n_ib
/// FROM facts JOIN users USING (user) WHERE band IS NOT NULL GROUP BY item, band;
/// ```
pub fn smoothed_lift<const B: usize>(counts: &[[f64; B]], prior: f64) -> Vec<Option<[f64; B]>> {
    let mut total = [0.0; B];
    for c in counts {
        for (t, x) in total.iter_mut().zip(c) {
            *t += x;
        }
    }
    let grand: f64 = total.iter().sum();
    if grand <= 0.0 {
        return vec![None; counts.len()];
    }
    let base: Vec<f64> = total.iter().map(|t| t / grand).collect();
    counts
        .iter()
        .map(|c| {
            let n: f64 = c.iter().sum();
            if n <= 0.0 {
                return None;
            }
            let mut lift = [1.0; B];
            for b in 0..B {
                if base[b] > 0.0 {
                    lift[b] = ((c[b] + prior * base[b]) / (n + prior)) / base[b];
                }
            }
            Some(lift)
        })
        .collect()
}

fn lifts(facts: &[Fact], attrs: &[UserAttrs], prior: f64, stats: &mut [ItemStats]) {
    let n = stats.len();
    let mut age = vec![[0.0; AGE_BANDS]; n];
    let mut income = vec![[0.0; INCOME_BANDS]; n];
    for item_rows in facts.chunk_by(|a, b| a.item == b.item) {
        let item = item_rows[0].item as usize;
        for user_rows in item_rows.chunk_by(|a, b| a.user == b.user) {
            let a = attrs
                .get(user_rows[0].user as usize)
                .copied()
                .unwrap_or_default();
            if let Some(b) = a.age_band {
                age[item][usize::from(b).min(AGE_BANDS - 1)] += 1.0;
            }
            if let Some(b) = a.income_band {
                income[item][usize::from(b.clamp(1, 5) - 1)] += 1.0;
            }
        }
    }
    for (s, l) in stats.iter_mut().zip(smoothed_lift(&age, prior)) {
        s.age_lift = l;
    }
    for (s, l) in stats.iter_mut().zip(smoothed_lift(&income, prior)) {
        s.income_lift = l;
    }
}
