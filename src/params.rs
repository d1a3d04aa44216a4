//! Weights and options, validated once before use.
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

use crate::decay::Decay;
use crate::error::{describe_number, Error, Result};
use crate::geo::{check_lat_lng, to_wgs84, LatLng};
use crate::input::{
    DecayFunction, EngineOptions, Locale, LocationInput, ProximityInput, RankOptions, WeightsInput,
};

/// Number of feature scores.
pub const N_FEATURES: usize = 11;

/// One feature score. The discriminant indexes [`Weights`] and breakdown arrays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Feature {
    /// Distance to the store.
    Proximity = 0,
    /// Age against soft age targeting.
    AgeFit,
    /// Price against income and observed spend.
    PriceFit,
    /// Interactions with this offer.
    ItemAffinity,
    /// Interactions with this offer's category.
    CategoryAffinity,
    /// Embedding similarity.
    Embedding,
    /// Replenishment timing.
    Repurchase,
    /// Recent sales.
    Popularity,
    /// Time on sale.
    Freshness,
    /// Discount depth.
    Discount,
    /// Business boost.
    Boost,
}

impl Feature {
    /// All features in index order.
    pub const ALL: [Feature; N_FEATURES] = [
        Feature::Proximity,
        Feature::AgeFit,
        Feature::PriceFit,
        Feature::ItemAffinity,
        Feature::CategoryAffinity,
        Feature::Embedding,
        Feature::Repurchase,
        Feature::Popularity,
        Feature::Freshness,
        Feature::Discount,
        Feature::Boost,
    ];

    /// The camelCase name used in JS (weights, breakdown).
    pub fn name(self) -> &'static str {
        match self {
            Feature::Proximity => "proximity",
            Feature::AgeFit => "ageFit",
            Feature::PriceFit => "priceFit",
            Feature::ItemAffinity => "itemAffinity",
            Feature::CategoryAffinity => "categoryAffinity",
            Feature::Embedding => "embedding",
            Feature::Repurchase => "repurchase",
            Feature::Popularity => "popularity",
            Feature::Freshness => "freshness",
            Feature::Discount => "discount",
            Feature::Boost => "boost",
        }
    }
}

/// Feature weights, indexed by [`Feature`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Weights(pub [f64; N_FEATURES]);

impl Default for Weights {
    fn default() -> Self {
        Weights([1.0, 0.4, 0.5, 0.8, 0.8, 0.5, 1.2, 0.6, 0.3, 0.4, 0.5])
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
        let overrides = [
            input.proximity,
            input.age_fit,
            input.price_fit,
            input.item_affinity,
            input.category_affinity,
            input.embedding,
            input.repurchase,
            input.popularity,
            input.freshness,
            input.discount,
            input.boost,
        ];
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
                format!("the weights must add up to at least {MIN_WEIGHT_TOTAL}"),
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
            exclude: options.exclude.clone().unwrap_or_default(),
        })
    }
}

/// Validates a location and converts it to WGS-84.
///
/// # Errors
/// `invalidInput` at `path.lat` or `path.lng`.
pub fn check_location(location: &LocationInput, path: &str) -> Result<LatLng> {
    check_lat_lng(location.lat, location.lng)
        .map_err(|(field, msg)| Error::invalid(format!("{path}.{field}"), msg))?;
    Ok(to_wgs84(
        location.lat,
        location.lng,
        location.datum.unwrap_or_default(),
    ))
}

/// Validates an epoch-ms timestamp: finite and within ±10⁴ years of 1970.
///
/// # Errors
/// `invalidInput` at `path`.
pub fn check_time(ms: f64, path: &str) -> Result<()> {
    const LIMIT_MS: f64 = 3.2e14;
    if ms.is_finite() && ms.abs() <= LIMIT_MS {
        Ok(())
    } else {
        Err(Error::invalid(
            path,
            format!(
                "expected a time in epoch milliseconds, got {}",
                describe_number(ms)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
