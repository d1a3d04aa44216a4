//! Ranking: hard filters → feature scores → weighted sum → top-K → explanations.
//!
//! A rank call first builds a `Context` (`context.rs`): everything that depends on
//! the user but not on the offer (store distances, per-category affinities and
//! reference prices, the sparse list of offers the profile knows, the user vector).
//! The loop over the offers then reads only columns and that context; the top-K is
//! kept bounded, and reasons and breakdowns are built only for the offers returned.
//!
//! | file | what |
//! |---|---|
//! | [`features`] | the features, their weights, and how each is scored |
//! | `context.rs` | what a call computes once before the loop over offers |
//! | [`explain`] | the reasons: when each is given, and its texts |
//! | [`rerank`] | pins, diversity and exploration on the candidate pool |
//! | [`decay`] | the decay curves features are shaped with |
//! | [`params`] | engine configuration and per-call options, validated |

mod context;
pub mod decay;
pub mod explain;
pub mod features;
pub mod params;
pub mod rerank;

use serde::Serialize;

use crate::catalog::Catalog;
use crate::profile::Profile;
use context::Context;
use explain::{filter_text, FilterCode, ReasonKind};
use features::{for_each_feature, Feature, N_FEATURES};
use params::RankParams;
use rerank::Pick;

/// One ranked offer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankedOffer {
    /// The offer id.
    pub offer_id: String,
    /// The score in 0..=1 (Σ wᵢ·fᵢ / Σ wᵢ).
    pub score: f64,
    /// 1-based position.
    pub rank: u32,
    /// The offer title.
    pub title: String,
    /// Leaf category.
    pub category: String,
    /// Price in CNY.
    pub price: f64,
    /// The store id.
    pub store_id: String,
    /// The store name.
    pub store_name: String,
    /// Distance from the user to the store in metres, when the location is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// Why it was chosen, strongest first.
    pub reasons: Vec<Reason>,
    /// Each feature's contribution to `score` (they add up to it).
    pub breakdown: Breakdown,
}

/// A reason with its rendered text and its contribution to the score.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The code and its parameters.
    #[serde(flatten)]
    pub kind: ReasonKind,
    /// Rendered text in the requested locale.
    pub text: String,
    /// The contribution of the feature behind this reason to the score (0 for
    /// `coldStart`).
    pub weight: f64,
}

macro_rules! declare_breakdown {
    ($($(#[$doc:meta])* $variant:ident, $field:ident, $name:literal, $weight:literal;)*) => {
        /// Per-feature contributions `wᵢ·fᵢ / Σ wᵢ`.
        #[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
        pub struct Breakdown {
            $(
                $(#[$doc])*
                #[serde(rename = $name)]
                pub $field: f64,
            )*
        }

        impl Breakdown {
            fn from_contributions(c: &[f64; N_FEATURES]) -> Self {
                Breakdown {
                    $($field: c[Feature::$variant as usize],)*
                }
            }

            /// The contribution of one feature.
            pub fn get(&self, feature: Feature) -> f64 {
                match feature {
                    $(Feature::$variant => self.$field,)*
                }
            }
        }
    };
}
for_each_feature!(declare_breakdown);

/// An offer removed by a hard filter.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilteredOffer {
    /// The offer id.
    pub offer_id: String,
    /// The offer title.
    pub title: String,
    /// Every filter that applies, in a fixed order.
    pub codes: Vec<FilterCode>,
    /// The first code rendered in the requested locale.
    pub text: String,
}

/// Ranks the catalog for one profile and returns the top `params.limit` offers,
/// re-ranked (pins, caps, MMR, exploration) when the options ask for it.
pub fn rank(catalog: &Catalog, profile: &Profile, params: &RankParams) -> Vec<RankedOffer> {
    let ctx = Context::new(catalog, profile, params);
    let limit = params.limit;
    let reranking =
        params.diversity.is_active() || params.explore.is_some() || !params.pin.is_empty();
    if !reranking {
        let best = scan(&ctx, limit, None);
        return best
            .iter()
            .enumerate()
            .map(|(r, &(score, i))| ctx.explain(i, ctx.personal(i), score, r as u32 + 1))
            .collect();
    }
    let mut best_per_category = Vec::new();
    let mut prior = Vec::new();
    if params.explore.is_some() {
        best_per_category = vec![(f64::NEG_INFINITY, usize::MAX); catalog.categories().len()];
        prior = catalog
            .categories()
            .iter()
            .map(|name| match profile.categories().get(name) {
                Some(s) => (
                    1.0 + s.affinity.at(params.now_ms),
                    1.0 + s.impressions.at(params.now_ms) + 3.0 * s.dismissals.at(params.now_ms),
                ),
                None => (1.0, 1.0),
            })
            .collect();
    }
    let pool = scan(
        &ctx,
        rerank::pool_size(limit).min(catalog.len().max(1)),
        params
            .explore
            .is_some()
            .then_some(&mut best_per_category[..]),
    );
    let mut pinned: Vec<(f64, usize)> = Vec::new();
    for id in &params.pin {
        if let Some(i) = catalog.offer_idx(id) {
            if pinned.iter().any(|p| p.1 == i) {
                continue;
            }
            if let Some(score) = ctx.final_score(i, ctx.personal(i)) {
                pinned.push((score, i));
            }
        }
    }
    let picks: Vec<Pick> = rerank::rerank(&rerank::Input {
        catalog,
        pool: &pool,
        pinned: &pinned,
        best_per_category: &best_per_category,
        prior: &prior,
        limit,
        diversity: params.diversity,
        explore: params.explore,
    });
    picks
        .iter()
        .enumerate()
        .map(|(r, pick)| {
            ctx.explain_tagged(
                pick.idx,
                ctx.personal(pick.idx),
                pick.score,
                r as u32 + 1,
                pick.tag,
            )
        })
        .collect()
}

/// One pass over the catalog: the best `k` offers by final score, sorted (score
/// descending, id ascending), and, when asked, the best offer of every category.
fn scan(
    ctx: &Context<'_>,
    k: usize,
    mut best_per_category: Option<&mut [(f64, usize)]>,
) -> Vec<(f64, usize)> {
    let catalog = ctx.catalog;
    let n = catalog.len();
    let k = k.max(1);
    // Bounded selection: keep at most 2k candidates, shrink to the best k whenever
    // the buffer fills, and skip offers that cannot beat the current k-th best.
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(2 * k + 1);
    let mut threshold = f64::NEG_INFINITY;
    let mut cursor = 0;
    for i in 0..n {
        let mut p = None;
        if cursor < ctx.personal.len() && ctx.personal[cursor].0 == i {
            p = Some(&ctx.personal[cursor].1);
            cursor += 1;
        }
        if ctx.is_filtered(i, p) {
            continue;
        }
        let (fatigue, damping) = ctx.penalties(i, p);
        // Exploration needs every category's best exact score; otherwise an offer whose
        // upper bound cannot reach the threshold is skipped before the exp/ln work.
        if best_per_category.is_none()
            && threshold > f64::NEG_INFINITY
            && ctx.score(&ctx.features_or_bound::<false>(i, p)) * fatigue * damping < threshold
        {
            continue;
        }
        let score = ctx.score(&ctx.features(i, p)) * fatigue * damping;
        if let Some(per_cat) = best_per_category.as_deref_mut() {
            let slot = &mut per_cat[catalog.cols.category[i] as usize];
            if slot.0 == f64::NEG_INFINITY || ctx.before((score, i), *slot).is_lt() {
                *slot = (score, i);
            }
        }
        if score < threshold {
            continue;
        }
        best.push((score, i));
        if best.len() == 2 * k {
            // Sorting the 2k buffer (rather than selecting) keeps to the one compiled
            // sort; it runs about k·ln(n/k) / k times per scan on shuffled input.
            crate::util::order::sort_pairs_by(&mut best, &|a, b| ctx.before(*a, *b));
            best.truncate(k);
            threshold = best[k - 1].0;
        }
    }
    crate::util::order::sort_pairs_by(&mut best, &|a, b| ctx.before(*a, *b));
    best.truncate(k);
    best
}

/// Scores offers for one profile and call: the building block of group selection and
/// the push gate.
pub struct Scorer<'a> {
    ctx: Context<'a>,
}

impl<'a> Scorer<'a> {
    /// Precomputes everything that depends on the profile and call.
    pub fn new(catalog: &'a Catalog, profile: &'a Profile, params: &'a RankParams) -> Self {
        Scorer {
            ctx: Context::new(catalog, profile, params),
        }
    }

    /// The best `k` offers by final score (after filters, fatigue and damping), sorted
    /// by score descending then id.
    pub fn top(&self, k: usize) -> Vec<(f64, usize)> {
        scan(&self.ctx, k, None)
    }

    /// The final score of one offer, `None` when a hard filter removes it.
    pub fn score(&self, offer_idx: usize) -> Option<f64> {
        self.ctx
            .final_score(offer_idx, self.ctx.personal(offer_idx))
    }

    /// The explained offer at `rank`.
    pub fn explain(&self, offer_idx: usize, score: f64, rank: u32) -> RankedOffer {
        self.ctx
            .explain(offer_idx, self.ctx.personal(offer_idx), score, rank)
    }
}

/// The offers hard filters remove for this profile and call, with every code that
/// applies, in catalog order.
pub fn filtered(catalog: &Catalog, profile: &Profile, params: &RankParams) -> Vec<FilteredOffer> {
    let ctx = Context::new(catalog, profile, params);
    let mut out = Vec::new();
    let mut cursor = 0;
    for i in 0..catalog.len() {
        let mut p = None;
        if cursor < ctx.personal.len() && ctx.personal[cursor].0 == i {
            p = Some(&ctx.personal[cursor].1);
            cursor += 1;
        }
        let mut codes = Vec::new();
        ctx.check_filters(i, p, |code| {
            codes.push(code);
            true
        });
        if let Some(first) = codes.first() {
            out.push(FilteredOffer {
                offer_id: catalog.offer_id(i).to_string(),
                title: catalog.offer_title(i).to_string(),
                text: filter_text(*first, params.locale).to_string(),
                codes,
            });
        }
    }
    out
}

/// The feature scores of one offer for a profile and call (for tests and tools).
pub fn offer_features(
    catalog: &Catalog,
    profile: &Profile,
    params: &RankParams,
    offer_idx: usize,
) -> [f64; N_FEATURES] {
    let ctx = Context::new(catalog, profile, params);
    let p = ctx
        .personal
        .binary_search_by_key(&offer_idx, |(idx, _)| *idx)
        .ok()
        .map(|j| &ctx.personal[j].1);
    ctx.features(offer_idx, p)
}
