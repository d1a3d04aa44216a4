//! The features: their names, default weights, and how each is scored for an offer.
//!
//! | feature            | default | what it scores (each in 0..=1)                              |
//! |--------------------|---------|-------------------------------------------------------------|
//! | `proximity`        | 1.0     | distance to the store, through the proximity decay curve    |
//! | `ageFit`           | 0.4     | the user's age against the offer's soft age targeting       |
//! | `priceFit`         | 0.5     | price against income band, observed spend, income targeting |
//! | `itemAffinity`     | 0.8     | time-decayed interactions with this very offer              |
//! | `categoryAffinity` | 0.8     | time-decayed interactions with the offer's category         |
//! | `embedding`        | 0.5     | cosine of the profile vector and the offer embedding        |
//! | `repurchase`       | 1.2     | how due a replenishment is, from the purchase cycle         |
//! | `popularity`       | 0.6     | recent sales, log-scaled against the catalog's best seller  |
//! | `freshness`        | 0.3     | how recently the offer went on sale                         |
//! | `discount`         | 0.4     | discount depth (50 % off or more scores 1)                  |
//! | `boost`            | 0.5     | the operator's business boost                               |
//!
//! The score is `Σ wᵢ·fᵢ / Σ wᵢ`, so it lies in 0..=1 and the breakdown's
//! contributions add up to it. Weights must be finite and in 0..=100.
//!
//! A new feature is one line of `for_each_feature!` (variant, field, JS name,
//! default weight) and its score in `Context::features_or_bound`; its reason, if
//! any, is chosen in [`super::explain`].

use super::context::{Context, Personal};
use super::decay::Decay;
use crate::catalog::{age_band, NO_AGE_MAX};
use crate::contract::input::{DecayFunction, WeightsInput};
use crate::error::{describe_number, Error, Result};
use crate::profile::DAY_MS;

/// The features, declared once. Each line: the [`Feature`] variant, the field of
/// `WeightsInput` and `Breakdown`, the camelCase name of the JS contract, the default
/// weight. Everything that enumerates the features is generated from this list by a
/// local macro handed to it: [`Feature`], [`N_FEATURES`], [`Feature::ALL`],
/// [`Feature::name`], the default [`Weights`] and [`Weights::to_input`] here, the
/// fields and reader of `WeightsInput` (`contract/input/options.rs`), the fields of
/// `Breakdown` and its mappings (`rank/mod.rs`); the JSON writer of `Breakdown` walks
/// [`Feature::ALL`], and a test checks the names of `FeatureName` in `types.d.ts`.
macro_rules! for_each_feature {
    ($then:ident) => {
        $then! {
            /// Distance to the store.
            Proximity, proximity, "proximity", 1.0;
            /// Age against soft age targeting.
            AgeFit, age_fit, "ageFit", 0.4;
            /// Price against income and observed spend.
            PriceFit, price_fit, "priceFit", 0.5;
            /// Interactions with this offer.
            ItemAffinity, item_affinity, "itemAffinity", 0.8;
            /// Interactions with this offer's category.
            CategoryAffinity, category_affinity, "categoryAffinity", 0.8;
            /// Embedding similarity.
            Embedding, embedding, "embedding", 0.5;
            /// Replenishment timing.
            Repurchase, repurchase, "repurchase", 1.2;
            /// Recent sales.
            Popularity, popularity, "popularity", 0.6;
            /// Time on sale.
            Freshness, freshness, "freshness", 0.3;
            /// Discount depth.
            Discount, discount, "discount", 0.4;
            /// Business boost.
            Boost, boost, "boost", 0.5;
        }
    };
}
pub(crate) use for_each_feature;

macro_rules! declare_features {
    ($($(#[$doc:meta])* $variant:ident, $field:ident, $name:literal, $weight:literal;)*) => {
        /// One feature score. The discriminant indexes [`Weights`] and breakdown arrays.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Feature {
            $($(#[$doc])* $variant,)*
        }

        /// Number of feature scores.
        pub const N_FEATURES: usize = [$($name),*].len();

        impl Feature {
            /// All features in index order.
            pub const ALL: [Feature; N_FEATURES] = [$(Feature::$variant),*];

            /// The camelCase name used in JS (weights, breakdown).
            pub fn name(self) -> &'static str {
                match self {
                    $(Feature::$variant => $name,)*
                }
            }
        }

        /// The documented default weights, in [`Feature`] order.
        const DEFAULT_WEIGHTS: [f64; N_FEATURES] = [$($weight),*];

        impl Weights {
            /// The weights as per-call overrides (every feature set).
            pub fn to_input(&self) -> WeightsInput {
                WeightsInput {
                    $($field: Some(self.get(Feature::$variant)),)*
                }
            }
        }
    };
}
for_each_feature!(declare_features);

/// Feature weights, indexed by [`Feature`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights(pub [f64; N_FEATURES]);

impl Default for Weights {
    fn default() -> Self {
        Weights(DEFAULT_WEIGHTS)
    }
}

/// The largest weight accepted.
pub const MAX_WEIGHT: f64 = 100.0;
/// The smallest sum of weights accepted (scores are divided by it).
pub const MIN_WEIGHT_TOTAL: f64 = 1e-6;

impl Weights {
    /// The weight of one feature.
    pub fn get(&self, feature: Feature) -> f64 {
        self.0[feature as usize]
    }

    /// Applies overrides, validating each; on error `self` is unchanged.
    ///
    /// # Errors
    /// `invalidInput` at `path.<feature>` for a weight that is not a finite number in
    /// 0..=100, or at `path` when every weight would be 0.
    pub fn apply(&mut self, input: &WeightsInput, path: &str) -> Result<()> {
        let overrides = Feature::ALL.map(|f| input.get(f));
        let mut next = self.0;
        for (feature, value) in Feature::ALL.iter().zip(overrides) {
            if let Some(w) = value {
                if !w.is_finite() || !(0.0..=MAX_WEIGHT).contains(&w) {
                    return Err(Error::invalid(
                        format!("{path}.{}", feature.name()),
                        format!("expected a weight in 0..=100, got {}", describe_number(w)),
                    ));
                }
                next[*feature as usize] = w;
            }
        }
        if next.iter().sum::<f64>() < MIN_WEIGHT_TOTAL {
            return Err(Error::invalid(
                path,
                format!(
                    "the weights must add up to at least {}",
                    describe_number(MIN_WEIGHT_TOTAL)
                ),
            ));
        }
        self.0 = next;
        Ok(())
    }

    /// Σ wᵢ (always > 0 for validated weights).
    pub fn total(&self) -> f64 {
        self.0.iter().sum()
    }
}

/// Neutral score for a feature that cannot be judged (unknown age, no targeting).
const NEUTRAL: f64 = 0.5;
/// Preferred price relative to the category's typical price, per income band 1..=5.
pub(super) const BAND_PRICE_RATIO: [f64; 5] = [0.6, 0.8, 1.0, 1.35, 1.8];
/// The fixed curves of the features other than proximity.
#[derive(Clone, Copy, Debug)]
pub(super) struct Curves {
    /// Age fit outside the targeted range: 0.5 at 8 years out.
    age: Decay,
    /// Price fit on |ln(price / preferred)|: 0.5 at a factor of two.
    price: Decay,
    /// Repurchase before the cycle is due, on 1 − t/cycle.
    early: Decay,
    /// Repurchase after the cycle is due, on t/cycle − 1.
    late: Decay,
    /// Freshness on days since the sale started: 1 for a day, 0.5 a week later.
    fresh: Decay,
}

impl Curves {
    pub(super) fn new() -> Self {
        use DecayFunction::{Exp, Gauss};
        Curves {
            age: Decay::unchecked(Gauss, 0.0, 8.0, 0.5),
            price: Decay::unchecked(Gauss, 0.0, std::f64::consts::LN_2, 0.5),
            early: Decay::unchecked(Gauss, 0.1, 0.3, 0.5),
            late: Decay::unchecked(Gauss, 0.25, 1.0, 0.5),
            fresh: Decay::unchecked(Exp, 1.0, 7.0, 0.5),
        }
    }

    /// How due a replenishment is, for `days_since` the last purchase and a cycle.
    pub(super) fn repurchase(&self, days_since: f64, cycle_days: f64) -> f64 {
        if cycle_days <= 0.0 || days_since < 0.0 {
            return 0.0;
        }
        let r = days_since / cycle_days;
        if r < 1.0 {
            self.early.eval(1.0 - r)
        } else {
            self.late.eval(r - 1.0)
        }
    }
}

/// Category-level repurchase counts this much of an item-level one.
const CATEGORY_REPURCHASE_FACTOR: f64 = 0.6;
/// Share of the popularity feature taken by the popularity in the user's area, when
/// the catalog has learned per-area popularity and the user is in an area.
const AREA_SHARE: f64 = 0.5;

/// How due a replenishment is (0..=1) for `days_since` the last purchase and a
/// purchase cycle: near 1 from 90 % of the cycle to 125 % of it, lower before,
/// slowly lower after.
pub fn repurchase_score(days_since: f64, cycle_days: f64) -> f64 {
    Curves::new().repurchase(days_since, cycle_days)
}

impl<'a> Context<'a> {
    /// The feature scores of offer `i`, each in 0..=1.
    #[inline]
    pub(super) fn features(&self, i: usize, p: Option<&Personal>) -> [f64; N_FEATURES] {
        self.features_or_bound::<true>(i, p)
    }

    /// With `EXACT`, the feature scores of offer `i`; without, an upper bound of each
    /// that skips the transcendental calls (a decay curve is replaced by its maximum,
    /// 1). Every curve is ≤ 1 and every weight ≥ 0, and rounding is monotone, so the
    /// bound's weighted score is never below the exact one: an offer whose bound
    /// cannot reach the current top-K threshold is skipped without losing anything.
    #[inline]
    pub(super) fn features_or_bound<const EXACT: bool>(
        &self,
        i: usize,
        p: Option<&Personal>,
    ) -> [f64; N_FEATURES] {
        let c = &self.catalog.cols;
        let cat = &self.categories[c.category[i] as usize];
        let mut f = [0.0; N_FEATURES];

        f[Feature::Proximity as usize] = self.stores[c.store[i] as usize].proximity;

        f[Feature::AgeFit as usize] = match self.profile.age() {
            None => NEUTRAL,
            Some(age) => {
                let (lo, hi) = (c.age_min[i], c.age_max[i]);
                let hand = (lo != 0 || hi != NO_AGE_MAX).then(|| {
                    let age = age as f64;
                    let out = (f64::from(lo) - age).max(age - f64::from(hi)).max(0.0);
                    if EXACT {
                        self.curves.age.eval(out)
                    } else {
                        1.0
                    }
                });
                // Learned audience lift l of the user's age band: l / (1 + l), so
                // 0.5 at the base rate.
                let learned = self
                    .catalog
                    .offer_age_lift(i)
                    .map(|lift| lift_score(lift[age_band(age)]));
                match (hand, learned) {
                    (Some(h), Some(l)) => 0.5 * (h + l),
                    (Some(x), None) | (None, Some(x)) => x,
                    (None, None) => NEUTRAL,
                }
            }
        };

        let ln_price = f64::from(c.ln_price[i]);
        let mut price_sum = 0.0;
        let mut price_n = 0u32;
        let price_curve = |x: f64| {
            if EXACT {
                self.curves.price.eval(x)
            } else {
                1.0
            }
        };
        if !cat.ln_band_price.is_nan() {
            price_sum += price_curve(ln_price - cat.ln_band_price);
            price_n += 1;
        }
        if !cat.ln_paid.is_nan() {
            price_sum += price_curve(ln_price - cat.ln_paid);
            price_n += 1;
        }
        let mask = c.income_mask[i];
        if mask != 0 {
            if let Some(band) = self.profile.income_band() {
                price_sum += if mask & (1 << (band - 1)) != 0 {
                    1.0
                } else {
                    0.2
                };
                price_n += 1;
            }
        }
        if let (Some(band), Some(lift)) = (
            self.profile.income_band(),
            self.catalog.offer_income_lift(i),
        ) {
            price_sum += lift_score(lift[usize::from(band.clamp(1, 5) - 1)]);
            price_n += 1;
        }
        f[Feature::PriceFit as usize] = if price_n == 0 {
            NEUTRAL
        } else {
            price_sum / f64::from(price_n)
        };

        f[Feature::CategoryAffinity as usize] = cat.affinity;
        if let Some(sim) = &self.similarity {
            f[Feature::Embedding as usize] = f64::from(sim[i]).clamp(0.0, 1.0);
        }

        let cycle = f64::from(c.repurchase_days[i]);
        let mut repurchase = 0.0;
        if !cat.days_since_purchase.is_nan() {
            let cat_cycle = if cycle > 0.0 {
                cycle
            } else {
                cat.interval_days
            };
            repurchase = CATEGORY_REPURCHASE_FACTOR
                * if EXACT {
                    self.curves.repurchase(cat.days_since_purchase, cat_cycle)
                } else {
                    1.0
                };
        }
        if let Some(p) = p {
            // Learned share of buyers who rebuy: past purchases of an offer people
            // rarely buy twice say less about the next basket.
            f[Feature::ItemAffinity as usize] = match self.catalog.offer_repurchase_rate(i) {
                Some(r) => p.item_affinity * r.sqrt(),
                None => p.item_affinity,
            };
            if !p.days_since_purchase.is_nan() {
                let item_cycle = if p.interval_days > 0.0 {
                    p.interval_days
                } else {
                    cycle
                };
                repurchase = repurchase.max(if EXACT {
                    self.curves.repurchase(p.days_since_purchase, item_cycle)
                } else {
                    1.0
                });
            }
        }
        f[Feature::Repurchase as usize] = repurchase;

        let global = f64::from(c.ln_popularity[i]) * self.inv_ln_pop_max;
        f[Feature::Popularity as usize] = match self.area {
            Some(a) => {
                let local = f64::from(c.ln_area_popularity[i * self.catalog.areas().len() + a])
                    * self.inv_ln_area_pop_max;
                AREA_SHARE * local + (1.0 - AREA_SHARE) * global
            }
            None => global,
        };
        let started = c.starts_at[i];
        f[Feature::Freshness as usize] = if started.is_finite() && !EXACT {
            1.0
        } else if started.is_finite() {
            self.curves
                .fresh
                .eval(((self.params.now_ms - started) / DAY_MS).max(0.0))
        } else {
            0.0
        };
        f[Feature::Discount as usize] = (f64::from(c.discount[i]) * 2.0).min(1.0);
        f[Feature::Boost as usize] = f64::from(c.boost[i]);
        f
    }
}

/// A learned audience lift `l` as a score in 0..1: `l / (1 + l)` (0.5 at the base rate).
fn lift_score(lift: f32) -> f64 {
    let l = f64::from(lift).max(0.0);
    l / (1.0 + l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::input::{EngineOptions, RankOptions};
    use crate::rank::params::{EngineConfig, RankParams};
    use crate::sample::{sample_catalog, sample_users, SampleOptions};
    use crate::Profile;

    /// The TypeScript types name the features the declaration above declares, in its
    /// order (`FeatureName` in `src/wasm/types.d.ts`, which `Weights` and `Breakdown`
    /// are mapped over).
    #[test]
    fn typescript_feature_names_are_the_declared_ones() {
        let types = include_str!("../wasm/types.d.ts");
        let union = types
            .split("export type FeatureName =")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .expect("FeatureName in types.d.ts");
        let names: Vec<&str> = union
            .split('|')
            .map(|n| n.trim().trim_matches('\''))
            .filter(|n| !n.is_empty())
            .collect();
        assert_eq!(names, Feature::ALL.map(Feature::name));
    }

    /// The pruning bound is never below the exact score, for every offer and sample
    /// user (with and without their location), so pruning cannot change a feed.
    #[test]
    fn the_pruning_bound_is_never_below_the_exact_score() {
        let now = 1_764_036_000_000.0;
        let input = sample_catalog(&SampleOptions {
            offers: 3000,
            embedding_dim: 16,
            seed: 3,
        });
        let users = sample_users(&input, now);
        let engine = crate::Engine::new(input, &EngineOptions::default()).unwrap();
        let catalog = engine.catalog();
        let mut pruned_somewhere = 0;
        for u in &users {
            let profile = Profile::from_user(&u.user).unwrap();
            for location in [None, u.user.location] {
                let options = RankOptions {
                    now: Some(now),
                    location,
                    ..Default::default()
                };
                let params = RankParams::resolve(&EngineConfig::default(), &options, now).unwrap();
                let ctx = Context::new(catalog, &profile, &params);
                for i in 0..catalog.len() {
                    let p = ctx.personal(i);
                    let exact = ctx.score(&ctx.features(i, p));
                    let bound = ctx.score(&ctx.features_or_bound::<false>(i, p));
                    assert!(bound >= exact, "{} offer {i}: {bound} < {exact}", u.id);
                    if bound > exact {
                        pruned_somewhere += 1;
                    }
                }
            }
        }
        // The bound is not trivially equal: it really skips curve evaluations.
        assert!(pruned_somewhere > 1000, "{pruned_somewhere}");
    }
}
