//! Engine configuration and per-call options, validated once before use: the
//! [`EngineConfig`] (defaults with the engine options on top) and the [`RankParams`]
//! of one call (weights, proximity curve, limit, location, diversity, exploration,
//! fatigue, experiment variant). The features and their default weights are in
//! [`super::features`].

use super::decay::Decay;
use super::features::Weights;
use crate::contract::check::{check_location, check_time};
use crate::contract::input::{
    DecayFunction, DiversityInput, EngineOptions, ExploreInput, FatigueInput, Locale,
    ProximityInput, RankOptions, SimilarityKind,
};
use crate::error::ErrorCode;
use crate::error::{describe_number, Error, Result};
use crate::serve::experiment::Assignment;
use crate::util::geo::LatLng;

/// Builds the proximity curve from `base` with `input` on top.
fn proximity_decay(base: &Decay, input: &ProximityInput, path: &str) -> Result<Decay> {
    Decay::new(
        input.function.unwrap_or(base.function()),
        input.offset_km.unwrap_or(base.offset()),
        input.scale_km.unwrap_or(base.scale()),
        input.decay.unwrap_or(base.decay()),
        ["offsetKm", "scaleKm", "decay"],
    )
    .map_err(|e| e.within(path))
}

/// Engine-wide configuration: documented defaults with the engine options on top.
#[derive(Clone, Debug, PartialEq)]
pub struct EngineConfig {
    /// Default weights.
    pub weights: Weights,
    /// Default proximity curve (distance in km).
    pub proximity: Decay,
    /// Default locale.
    pub locale: Locale,
    /// Whether users of unknown age may see age-restricted offers.
    pub allow_unknown_age: bool,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            weights: Weights::default(),
            proximity: Decay::unchecked(DecayFunction::Gauss, 0.2, 1.5, 0.5),
            locale: Locale::ZhCn,
            allow_unknown_age: false,
        }
    }
}

impl EngineConfig {
    /// Validates engine options (paths start at `options`).
    ///
    /// # Errors
    /// `invalidInput` naming the bad option.
    pub fn from_options(options: &EngineOptions) -> Result<Self> {
        let mut config = EngineConfig::default();
        if let Some(w) = &options.weights {
            config.weights.apply(w, "options.weights")?;
        }
        if let Some(p) = &options.proximity {
            config.proximity = proximity_decay(&config.proximity, p, "options.proximity")?;
        }
        if let Some(locale) = options.locale {
            config.locale = locale;
        }
        if let Some(allow) = options.allow_unknown_age {
            config.allow_unknown_age = allow;
        }
        Ok(config)
    }
}

/// The default number of results.
pub const DEFAULT_LIMIT: usize = 20;
/// The largest `limit` accepted.
pub const MAX_LIMIT: usize = 1000;

/// Everything one rank call needs, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct RankParams {
    /// Weights for this call.
    pub weights: Weights,
    /// Proximity curve for this call (distance in km).
    pub proximity: Decay,
    /// Reason text locale.
    pub locale: Locale,
    /// Whether users of unknown age may see age-restricted offers.
    pub allow_unknown_age: bool,
    /// The current time, epoch ms.
    pub now_ms: f64,
    /// How many offers to return.
    pub limit: usize,
    /// The user's WGS-84 location for this call, if any.
    pub location: Option<LatLng>,
    /// Offer ids to leave out.
    pub exclude: Vec<String>,
    /// Caps and MMR applied to the candidate pool.
    pub diversity: Diversity,
    /// Offer ids put first, in order.
    pub pin: Vec<String>,
    /// Offer ids hidden by the operator.
    pub hide: Vec<String>,
    /// Seeded exploration, if on.
    pub explore: Option<Explore>,
    /// Fatigue, frequency caps and dismissal damping.
    pub fatigue: Fatigue,
    /// The experiment variant whose overrides apply, if any.
    pub variant: Option<Assignment>,
}

/// Most ids in `pin`, `hide` or `exclude`.
pub const MAX_ID_LIST: usize = 10_000;
/// Most exploration slots.
pub const MAX_EXPLORE_SLOTS: u32 = 100;

/// Diversity re-ranking, validated. All off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Diversity {
    /// At most this many offers per category.
    pub max_per_category: Option<u32>,
    /// At most this many offers per store.
    pub max_per_store: Option<u32>,
    /// MMR trade-off λ in 0..=1, if on.
    pub mmr_lambda: Option<f64>,
    /// What MMR similarity compares.
    pub similarity: SimilarityKind,
}

impl Diversity {
    /// Whether any of it is on.
    pub fn is_active(&self) -> bool {
        self.max_per_category.is_some() || self.max_per_store.is_some() || self.mmr_lambda.is_some()
    }

    /// Validates the input (paths start at `path`).
    ///
    /// # Errors
    /// `invalidInput` naming the field.
    pub fn from_input(input: &DiversityInput, path: &str) -> Result<Self> {
        let cap = |v: Option<u32>, field: &str| match v {
            Some(0) => Err(Error::invalid(
                format!("{path}.{field}"),
                "expected an integer ≥ 1, got 0",
            )),
            v => Ok(v),
        };
        let mmr_lambda = match input.mmr_lambda {
            Some(l) if !l.is_finite() || !(0.0..=1.0).contains(&l) => {
                return Err(Error::invalid(
                    format!("{path}.mmrLambda"),
                    format!("expected a number in 0..=1, got {}", describe_number(l)),
                ))
            }
            l => l,
        };
        Ok(Diversity {
            max_per_category: cap(input.max_per_category, "maxPerCategory")?,
            max_per_store: cap(input.max_per_store, "maxPerStore")?,
            mmr_lambda,
            similarity: input.similarity.unwrap_or_default(),
        })
    }
}

/// Seeded exploration, validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Explore {
    /// The seed.
    pub seed: u64,
    /// Positions given to explored categories.
    pub slots: u32,
}

impl Explore {
    /// Validates the input (paths start at `path`).
    ///
    /// # Errors
    /// `invalidInput` naming the field.
    pub fn from_input(input: &ExploreInput, path: &str) -> Result<Self> {
        const MAX_SEED: f64 = 9_007_199_254_740_992.0;
        let seed = input.seed;
        if !seed.is_finite() || seed.fract() != 0.0 || !(0.0..=MAX_SEED).contains(&seed) {
            return Err(Error::invalid(
                format!("{path}.seed"),
                format!(
                    "expected an integer in 0..=2^53, got {}",
                    describe_number(seed)
                ),
            ));
        }
        let slots = input.slots.unwrap_or(1);
        if slots > MAX_EXPLORE_SLOTS {
            return Err(Error::invalid(
                format!("{path}.slots"),
                format!("expected an integer in 0..={MAX_EXPLORE_SLOTS}, got {slots}"),
            ));
        }
        Ok(Explore {
            seed: seed as u64,
            slots,
        })
    }
}

/// Fatigue, frequency caps and dismissal damping, validated.
///
/// | option | default | meaning |
/// |---|---|---|
/// | `enabled` | true | all of the below |
/// | `freeImpressions` | 2 | ignored impressions before the score drops |
/// | `decay` | 0.7 | score factor per ignored impression beyond those |
/// | `recoveryHours` | 72 | fatigue wears off linearly, gone this long after the last impression |
/// | `maxPerOfferPerDay` | off | hide an offer shown this often today |
/// | `maxPerCategoryPerDay` | off | hide a category shown this often today |
/// | `dismissDamping` | 0.8 | score factor per recent dismissal in the category |
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fatigue {
    /// Whether any of it applies.
    pub enabled: bool,
    /// Ignored impressions before the score drops.
    pub free_impressions: u32,
    /// Factor per ignored impression beyond the free ones, in (0, 1].
    pub decay: f64,
    /// Milliseconds after the last impression by which fatigue is gone.
    pub recovery_ms: f64,
    /// Daily cap per offer.
    pub max_per_offer_per_day: Option<u32>,
    /// Daily cap per category.
    pub max_per_category_per_day: Option<u32>,
    /// Factor per decayed dismissal in the category, in (0, 1].
    pub dismiss_damping: f64,
}

impl Default for Fatigue {
    fn default() -> Self {
        Fatigue {
            enabled: true,
            free_impressions: 2,
            decay: 0.7,
            recovery_ms: 72.0 * 3_600_000.0,
            max_per_offer_per_day: None,
            max_per_category_per_day: None,
            dismiss_damping: 0.8,
        }
    }
}

impl Fatigue {
    /// Validates the input on top of the defaults (paths start at `path`).
    ///
    /// # Errors
    /// `invalidInput` naming the field.
    pub fn from_input(input: &FatigueInput, path: &str) -> Result<Self> {
        let d = Fatigue::default();
        let factor = |v: Option<f64>, field: &str, default: f64| match v {
            Some(x) if !x.is_finite() || x <= 0.0 || x > 1.0 => Err(Error::invalid(
                format!("{path}.{field}"),
                format!("expected a number in (0, 1], got {}", describe_number(x)),
            )),
            Some(x) => Ok(x),
            None => Ok(default),
        };
        let cap = |v: Option<u32>, field: &str| match v {
            Some(0) => Err(Error::invalid(
                format!("{path}.{field}"),
                "expected an integer ≥ 1, got 0",
            )),
            v => Ok(v),
        };
        let recovery_hours = match input.recovery_hours {
            Some(h) if !h.is_finite() || h <= 0.0 || h > 8760.0 => {
                return Err(Error::invalid(
                    format!("{path}.recoveryHours"),
                    format!("expected hours in (0, 8760], got {}", describe_number(h)),
                ))
            }
            Some(h) => h,
            None => d.recovery_ms / 3_600_000.0,
        };
        Ok(Fatigue {
            enabled: input.enabled.unwrap_or(true),
            free_impressions: input.free_impressions.unwrap_or(d.free_impressions),
            decay: factor(input.decay, "decay", d.decay)?,
            recovery_ms: recovery_hours * 3_600_000.0,
            max_per_offer_per_day: cap(input.max_per_offer_per_day, "maxPerOfferPerDay")?,
            max_per_category_per_day: cap(input.max_per_category_per_day, "maxPerCategoryPerDay")?,
            dismiss_damping: factor(input.dismiss_damping, "dismissDamping", d.dismiss_damping)?,
        })
    }

    /// The score factor for `ignored` impressions, the last at `last_at`, at `now`.
    pub fn factor(&self, ignored: u32, last_at: f64, now: f64) -> f64 {
        if !self.enabled || ignored <= self.free_impressions {
            return 1.0;
        }
        let elapsed = (now - last_at).max(0.0);
        let remaining = (1.0 - elapsed / self.recovery_ms).max(0.0);
        let excess = f64::from(ignored - self.free_impressions) * remaining;
        crate::rank::decay::powf(self.decay, excess)
    }
}

/// Checks a list of offer ids (`pin`, `hide`, `exclude`).
fn check_ids(ids: &Option<Vec<String>>, path: &str) -> Result<Vec<String>> {
    let ids = ids.clone().unwrap_or_default();
    if ids.len() > MAX_ID_LIST {
        return Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("too many ids ({} > {MAX_ID_LIST})", ids.len()),
        ));
    }
    Ok(ids)
}

impl RankParams {
    /// Resolves per-call options against the engine configuration. `default_now_ms`
    /// is used when `options.now` is absent (the JS layer passes `Date.now()`).
    ///
    /// # Errors
    /// `invalidInput` naming the bad option (paths start at `options`).
    pub fn resolve(
        config: &EngineConfig,
        options: &RankOptions,
        default_now_ms: f64,
    ) -> Result<Self> {
        let mut weights = config.weights;
        if let Some(w) = &options.weights {
            weights.apply(w, "options.weights")?;
        }
        let proximity = match &options.proximity {
            Some(p) => proximity_decay(&config.proximity, p, "options.proximity")?,
            None => config.proximity,
        };
        let now_ms = options.now.unwrap_or(default_now_ms);
        check_time(now_ms, "options.now")?;
        let limit = match options.limit {
            None => DEFAULT_LIMIT,
            Some(l) if (1..=MAX_LIMIT as u32).contains(&l) => l as usize,
            Some(l) => {
                return Err(Error::invalid(
                    "options.limit",
                    format!("expected an integer in 1..=1000, got {l}"),
                ))
            }
        };
        let location = options
            .location
            .as_ref()
            .map(|l| check_location(l, "options.location"))
            .transpose()?;
        let mut diversity = options
            .diversity
            .as_ref()
            .map(|d| Diversity::from_input(d, "options.diversity"))
            .transpose()?
            .unwrap_or_default();
        let mut explore = options
            .explore
            .as_ref()
            .map(|e| Explore::from_input(e, "options.explore"))
            .transpose()?;
        let mut fatigue = options
            .fatigue
            .as_ref()
            .map(|f| Fatigue::from_input(f, "options.fatigue"))
            .transpose()?
            .unwrap_or_default();
        let mut variant = None;
        match (&options.experiment, &options.user_id) {
            (Some(experiment), Some(user_id)) => {
                // Every variant is validated, so a typo fails for every user.
                let mut resolved = Vec::with_capacity(experiment.variants.len());
                for (i, v) in experiment.variants.iter().enumerate() {
                    let path = format!("options.experiment.variants[{i}]");
                    let mut w = weights;
                    if let Some(input) = &v.weights {
                        w.apply(input, &format!("{path}.weights"))?;
                    }
                    let d = v
                        .diversity
                        .as_ref()
                        .map(|d| Diversity::from_input(d, &format!("{path}.diversity")))
                        .transpose()?;
                    let e = v
                        .explore
                        .as_ref()
                        .map(|e| Explore::from_input(e, &format!("{path}.explore")))
                        .transpose()?;
                    let f = v
                        .fatigue
                        .as_ref()
                        .map(|f| Fatigue::from_input(f, &format!("{path}.fatigue")))
                        .transpose()?;
                    resolved.push((w, d, e, f));
                }
                let (assignment, idx) = crate::serve::experiment::assign(
                    user_id,
                    experiment,
                    "options.userId",
                    "options.experiment",
                )?;
                let (w, d, e, f) = resolved.swap_remove(idx);
                weights = w;
                diversity = d.unwrap_or(diversity);
                explore = e.or(explore);
                fatigue = f.unwrap_or(fatigue);
                variant = Some(assignment);
            }
            (Some(_), None) => {
                return Err(Error::invalid(
                    "options.userId",
                    "required with options.experiment (variants are assigned by user id)",
                ))
            }
            (None, _) => {}
        }
        Ok(RankParams {
            weights,
            proximity,
            locale: options.locale.unwrap_or(config.locale),
            allow_unknown_age: options
                .allow_unknown_age
                .unwrap_or(config.allow_unknown_age),
            now_ms,
            limit,
            location,
            exclude: check_ids(&options.exclude, "options.exclude")?,
            diversity,
            pin: check_ids(&options.pin, "options.pin")?,
            hide: check_ids(&options.hide, "options.hide")?,
            explore,
            fatigue,
            variant,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::input::{LocationInput, WeightsInput};
    use crate::rank::features::Feature;

    #[test]
    fn defaults_are_the_documented_table() {
        let w = Weights::default();
        assert_eq!(w.get(Feature::Proximity), 1.0);
        assert_eq!(w.get(Feature::Repurchase), 1.2);
        assert_eq!(w.get(Feature::Boost), 0.5);
        assert!((w.total() - 7.0).abs() < 1e-12);
        let c = EngineConfig::default();
        assert_eq!(c.proximity.offset(), 0.2);
        assert_eq!(c.proximity.scale(), 1.5);
        assert_eq!(c.locale, Locale::ZhCn);
        assert!(!c.allow_unknown_age);
    }

    #[test]
    fn engine_then_call_overrides_stack() {
        let options = EngineOptions {
            weights: Some(WeightsInput {
                proximity: Some(2.0),
                ..Default::default()
            }),
            ..Default::default()
        };
        let config = EngineConfig::from_options(&options).unwrap();
        assert_eq!(config.weights.get(Feature::Proximity), 2.0);
        let call = RankOptions {
            weights: Some(WeightsInput {
                boost: Some(0.0),
                ..Default::default()
            }),
            now: Some(1.0e12),
            limit: Some(5),
            ..Default::default()
        };
        let params = RankParams::resolve(&config, &call, 0.0).unwrap();
        assert_eq!(params.weights.get(Feature::Proximity), 2.0);
        assert_eq!(params.weights.get(Feature::Boost), 0.0);
        assert_eq!(params.limit, 5);
        assert_eq!(params.now_ms, 1.0e12);
        // The engine's own weights are untouched by a call override.
        assert_eq!(config.weights.get(Feature::Boost), 0.5);
    }

    #[test]
    fn bad_options_name_their_path() {
        let config = EngineConfig::default();
        let bad = |o: RankOptions| RankParams::resolve(&config, &o, 0.0).unwrap_err();
        let e = bad(RankOptions {
            weights: Some(WeightsInput {
                price_fit: Some(f64::NAN),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(
            e.to_string(),
            "options.weights.priceFit: expected a weight in 0..=100, got NaN"
        );
        let e = bad(RankOptions {
            limit: Some(0),
            ..Default::default()
        });
        assert_eq!(e.path, "options.limit");
        let e = bad(RankOptions {
            location: Some(LocationInput {
                lat: 91.0,
                lng: 116.0,
                datum: None,
            }),
            ..Default::default()
        });
        assert_eq!(e.path, "options.location.lat");
        let e = bad(RankOptions {
            now: Some(f64::INFINITY),
            ..Default::default()
        });
        assert_eq!(e.path, "options.now");
        let e = bad(RankOptions {
            proximity: Some(ProximityInput {
                decay: Some(1.5),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(e.path, "options.proximity.decay");
        let zero = WeightsInput {
            proximity: Some(0.0),
            age_fit: Some(0.0),
            price_fit: Some(0.0),
            item_affinity: Some(0.0),
            category_affinity: Some(0.0),
            embedding: Some(0.0),
            repurchase: Some(0.0),
            popularity: Some(0.0),
            freshness: Some(0.0),
            discount: Some(0.0),
            boost: Some(0.0),
        };
        let mut w = Weights::default();
        assert!(w.apply(&zero, "weights").is_err());
        assert_eq!(
            w,
            Weights::default(),
            "a failed apply leaves weights intact"
        );
    }
}
