//! Offline evaluation of next-basket recommendation (native only).
//!
//! Replays a purchase log under the protocol of [`protocol`]: enrichment learns a
//! catalog from the training baskets only, every evaluated user gets a profile built
//! from their training baskets (plus their location, age and income band when the
//! user attributes have them), the engine ranks the whole catalog at the time of the
//! held-out basket, and recall@k / NDCG@k ([`metrics`]) compare the top 20 with the
//! held-out basket. The baselines ([`baselines`]) run on the same split.

pub mod baselines;
pub mod metrics;
pub mod protocol;

use crate::enrich::log::band_age;
use crate::enrich::{self, Basket, EnrichOptions, Log};
use goods_ranker::contract::input::{
    LocationInput, PurchaseInput, RankOptions, UserInput, WeightsInput,
};
use goods_ranker::rank::features::{Feature, Weights, N_FEATURES};
use goods_ranker::{Engine, EngineOptions, Profile};
pub use metrics::Scores;
pub use protocol::{Holdout, Split, Target};

/// What the engine may use about a user (the ablations turn parts off).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Uses {
    /// The user's location (from their area).
    pub location: bool,
    /// The user's age band.
    pub age: bool,
    /// The user's income band.
    pub income: bool,
    /// The user's purchase history.
    pub history: bool,
}

impl Default for Uses {
    fn default() -> Self {
        Uses {
            location: true,
            age: true,
            income: true,
            history: true,
        }
    }
}

/// Converts weights to the per-call override form.
pub fn weights_input(w: &Weights) -> WeightsInput {
    w.to_input()
}

/// The engine for one split: a catalog enriched from the split's training baskets.
pub struct EngineRun<'a> {
    log: &'a Log,
    split: &'a Split,
    /// The engine.
    pub engine: Engine,
    /// Catalog offer index → log item index.
    offer_item: Vec<u32>,
}

impl<'a> EngineRun<'a> {
    /// Enriches the split's training baskets into a catalog and loads it.
    ///
    /// # Errors
    /// When the enriched catalog does not load (a bug: enrichment writes valid values).
    pub fn new(
        log: &'a Log,
        split: &'a Split,
        options: &EnrichOptions,
        store: &enrich::StoreSpec,
    ) -> goods_ranker::Result<Self> {
        let enriched = enrich::enrich(log, &split.train, options);
        let catalog = enrich::to_catalog(log, &enriched, store);
        let engine = Engine::new(catalog, &EngineOptions::default())?;
        let offer_item = (0..engine.catalog().len())
            .map(|i| {
                log.items
                    .get(engine.catalog().offer_id(i))
                    .unwrap_or(u32::MAX)
            })
            .collect();
        Ok(EngineRun {
            log,
            split,
            engine,
            offer_item,
        })
    }

    /// The profile of one evaluated user.
    pub fn profile(&self, target: &Target, uses: Uses) -> Profile {
        let attrs = self
            .log
            .attrs
            .get(target.user as usize)
            .copied()
            .unwrap_or_default();
        let mut user = UserInput::default();
        if uses.location {
            user.location = attrs.location.map(|(lat, lng)| LocationInput {
                lat,
                lng,
                datum: None,
            });
        }
        if uses.age {
            user.age = attrs.age_band.map(band_age);
        }
        if uses.income {
            user.income_band = attrs.income_band;
        }
        if uses.history {
            let history = &self.split.train[target.history.0..target.history.1];
            user.history = Some(history_input(self.log, history));
        }
        // Every value comes from a validated log; a profile that fails is left empty.
        Profile::from_user(&user).unwrap_or_default()
    }

    /// The engine's top `limit` items for one user.
    pub fn recommend(
        &self,
        target: &Target,
        uses: Uses,
        weights: &Weights,
        limit: usize,
    ) -> Vec<u32> {
        let profile = self.profile(target, uses);
        let options = RankOptions {
            now: Some(target.at),
            limit: Some(limit as u32),
            weights: Some(weights_input(weights)),
            ..Default::default()
        };
        match self.engine.rank(&profile, &options, target.at) {
            Ok(feed) => feed
                .iter()
                .filter_map(|o| self.engine.catalog().offer_idx(&o.offer_id))
                .map(|i| self.offer_item[i])
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// Mean metrics over `targets` (every `stride`-th), on `threads` threads.
    pub fn score(&self, uses: Uses, weights: &Weights, stride: usize, threads: usize) -> Scores {
        let targets: Vec<&Target> = self.split.targets.iter().step_by(stride.max(1)).collect();
        par_scores(&targets, threads, |t| self.recommend(t, uses, weights, 20))
    }
}

/// A user's training baskets as profile history.
pub fn history_input(log: &Log, history: &[Basket]) -> Vec<PurchaseInput> {
    let mut out = Vec::new();
    for b in history {
        for it in &b.items {
            let item = it.item as usize;
            out.push(PurchaseInput {
                offer_id: log.items.names[item].clone(),
                category: log.item_category[item].map(|c| log.categories.names[c as usize].clone()),
                price: (!it.price.is_nan()).then_some(f64::from(it.price)),
                quantity: Some((it.quantity.ceil() as u32).clamp(1, 10_000)),
                at: b.at,
            });
        }
    }
    // A profile holds at most this many purchases in its input.
    let max = goods_ranker::profile::MAX_HISTORY;
    if out.len() > max {
        out.drain(..out.len() - max);
    }
    out
}

/// Mean metrics of `recommend` over `targets`, split across `threads` threads.
pub fn par_scores<F>(targets: &[&Target], threads: usize, recommend: F) -> Scores
where
    F: Fn(&Target) -> Vec<u32> + Sync,
{
    par_scores_with(targets, threads, || (), |(), t| recommend(t))
}

/// [`par_scores`] with per-thread scratch state made by `init` (a buffer reused
/// across the thread's targets).
pub fn par_scores_with<S, I, F>(
    targets: &[&Target],
    threads: usize,
    init: I,
    recommend: F,
) -> Scores
where
    I: Fn() -> S + Sync,
    F: Fn(&mut S, &Target) -> Vec<u32> + Sync,
{
    let threads = threads.max(1);
    let chunk = targets.len().div_ceil(threads).max(1);
    let total = std::thread::scope(|s| {
        let handles: Vec<_> = targets
            .chunks(chunk)
            .map(|part| {
                let (init, recommend) = (&init, &recommend);
                s.spawn(move || {
                    let mut state = init();
                    let mut acc = Scores::default();
                    for t in part {
                        acc.add(&recommend(&mut state, t), &t.items);
                    }
                    acc
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .fold(Scores::default(), Scores::merge)
    });
    total.mean()
}

/// The features whose weights are tuned; the others (freshness, discount, boost:
/// nothing in a purchase log sets them) keep their defaults.
pub const TUNED: [Feature; 8] = [
    Feature::Proximity,
    Feature::AgeFit,
    Feature::PriceFit,
    Feature::ItemAffinity,
    Feature::CategoryAffinity,
    Feature::Embedding,
    Feature::Repurchase,
    Feature::Popularity,
];

/// Coordinate ascent on validation recall@10 + NDCG@10: each tuned weight in turn
/// tries ×0, ×0.5, ×2, ×4 of its value (0 becomes 0.25), keeping improvements, for
/// `rounds` rounds. Returns the weights and the log of what was tried.
pub fn tune(
    run: &EngineRun<'_>,
    start: Weights,
    stride: usize,
    threads: usize,
    rounds: usize,
) -> (Weights, Vec<String>) {
    let objective = |s: &Scores| s.recall10 + s.ndcg10;
    let mut best = start;
    let mut best_scores = run.score(Uses::default(), &best, stride, threads);
    let mut notes = vec![format!(
        "start: recall@10 {:.4} NDCG@10 {:.4}",
        best_scores.recall10, best_scores.ndcg10
    )];
    for round in 0..rounds {
        let mut improved = false;
        for f in TUNED {
            let current = best.get(f);
            let candidates: Vec<f64> = if current == 0.0 {
                vec![0.25, 1.0]
            } else {
                vec![0.0, current * 0.5, current * 2.0, current * 4.0]
            };
            for c in candidates {
                let c = c.min(goods_ranker::rank::features::MAX_WEIGHT);
                let mut w = best;
                w.0[f as usize] = c;
                if w.0.iter().sum::<f64>() <= 0.0 {
                    continue;
                }
                let s = run.score(Uses::default(), &w, stride, threads);
                if objective(&s) > objective(&best_scores) + 1e-5 {
                    notes.push(format!(
                        "round {}: {} {} → {}: recall@10 {:.4} NDCG@10 {:.4}",
                        round + 1,
                        f.name(),
                        best.get(f),
                        c,
                        s.recall10,
                        s.ndcg10
                    ));
                    best = w;
                    best_scores = s;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
    (best, notes)
}

/// Weights as `name value` pairs (all features).
pub fn describe_weights(w: &Weights) -> String {
    (0..N_FEATURES)
        .map(|i| format!("{} {}", Feature::ALL[i].name(), w.0[i]))
        .collect::<Vec<_>>()
        .join(", ")
}
