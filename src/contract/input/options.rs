//! Engine-wide options and per-call ranking options (weights, proximity, diversity,
//! exploration, fatigue).

use serde::Serialize;

use super::{ExperimentInput, LocationInput};
use crate::contract::value::{read_fields, At, FromValue, Value};
use crate::error::Result;
use crate::rank::features::{for_each_feature, Feature};

/// Decay function shapes, as in Elasticsearch's function_score decay functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum DecayFunction {
    /// `exp(-max(0,|x|-offset)^2 / (2σ²))` with σ² = -scale² / (2 ln decay).
    Gauss,
    /// `exp(λ·max(0,|x|-offset))` with λ = ln(decay) / scale.
    Exp,
    /// `max(0, (s - max(0,|x|-offset)) / s)` with s = scale / (1 - decay).
    Linear,
}

/// Overrides for the proximity decay (distance from the user to the store).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProximityInput {
    /// Decay shape; default `gauss`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<DecayFunction>,
    /// Distance within which the score is 1, in km; default 0.2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_km: Option<f64>,
    /// Distance beyond the offset at which the score equals `decay`, in km; default 1.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale_km: Option<f64>,
    /// Score at `offset + scale`, in (0, 1); default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<f64>,
}

macro_rules! declare_weights_input {
    ($($(#[$doc:meta])* $variant:ident, $field:ident, $name:literal, $weight:literal;)*) => {
        /// Per-feature weight overrides; absent features keep their current weight. The
        /// features and their defaults are documented in [`crate::rank::features`].
        #[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
        pub struct WeightsInput {
            $(
                $(#[$doc])*
                #[serde(rename = $name, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<f64>,
            )*
        }

        impl WeightsInput {
            /// The override of one feature, if any.
            pub fn get(&self, feature: Feature) -> Option<f64> {
                match feature {
                    $(Feature::$variant => self.$field,)*
                }
            }
        }

        impl FromValue for WeightsInput {
            fn read(value: &Value, at: &At<'_>) -> Result<Self> {
                let mut o = WeightsInput::default();
                read_fields(value, at, "WeightsInput", &[$($name),*], 0b0, &mut |i, v, at| {
                    $(if i == Feature::$variant as usize {
                        o.$field = Some(FromValue::read(v, at)?);
                    })*
                    Ok(())
                })?;
                Ok(o)
            }
        }
    };
}
for_each_feature!(declare_weights_input);

/// Output language of reason texts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Locale {
    /// Simplified Chinese (default).
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    /// English.
    #[serde(rename = "en")]
    En,
}

/// Engine-wide defaults, set once when the engine is created.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EngineOptions {
    /// Weight overrides on top of the documented defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Proximity decay overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proximity: Option<ProximityInput>,
    /// Default locale of reason texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Let users of unknown age see age-restricted offers (default false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unknown_age: Option<bool>,
}

/// Per-call ranking options.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankOptions {
    /// Where the user is now; overrides the profile's location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// The current time, epoch ms (JS defaults it to `Date.now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// How many offers to return; default 20, at most 1000.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Reason text language; default the engine's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Weight overrides on top of the engine's weights, for this call only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Proximity overrides for this call only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proximity: Option<ProximityInput>,
    /// Offer ids to leave out (reason `excluded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude: Option<Vec<String>>,
    /// Overrides the engine's `allowUnknownAge` for this call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unknown_age: Option<bool>,
    /// Diversity re-ranking: category / store caps and MMR.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversity: Option<DiversityInput>,
    /// Offer ids the operator puts first, in this order (reason `pinned`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<Vec<String>>,
    /// Offer ids the operator hides (filter `hidden`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hide: Option<Vec<String>>,
    /// Seeded exploration slots (reason `explore`); off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explore: Option<ExploreInput>,
    /// Fatigue and frequency caps; on with defaults when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatigue: Option<FatigueInput>,
    /// An A/B experiment: the user's variant's overrides apply to this call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experiment: Option<ExperimentInput>,
    /// The stable user id variants are assigned by; required with `experiment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// Diversity re-ranking, applied to a candidate pool after scoring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DiversityInput {
    /// At most this many offers of one category in the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_category: Option<u32>,
    /// At most this many offers of one store in the feed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_store: Option<u32>,
    /// Maximal marginal relevance: λ·score − (1 − λ)·max similarity to the offers
    /// already chosen, in 0..=1 (1 = by score only). Off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mmr_lambda: Option<f64>,
    /// What MMR similarity compares: `embedding` (cosine, clamped at 0), `category`
    /// (1 for the same category, else 0), or `auto` (default: embeddings when the
    /// catalog has them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub similarity: Option<SimilarityKind>,
}

/// What MMR similarity compares.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SimilarityKind {
    /// Embeddings when the catalog has them, else categories.
    #[default]
    Auto,
    /// Cosine of the offer embeddings.
    Embedding,
    /// 1 for the same category, else 0.
    Category,
}

/// Seeded exploration: Thompson sampling over category affinities.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExploreInput {
    /// The seed (an integer 0..=2⁵³); the same seed gives the same feed.
    pub seed: f64,
    /// How many positions go to categories not otherwise in the feed; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slots: Option<u32>,
}

/// Fatigue from ignored impressions, daily frequency caps, and dismissal damping.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FatigueInput {
    /// Turn all of it off (default true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// Impressions without a click before the score drops; default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_impressions: Option<u32>,
    /// Score factor per ignored impression beyond the free ones, in (0, 1]; default 0.7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<f64>,
    /// Hours after the last impression by which fatigue has fully worn off
    /// (linearly); default 72.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovery_hours: Option<f64>,
    /// Hide an offer shown this many times today (filter `offerCap`); off when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_offer_per_day: Option<u32>,
    /// Hide a category shown this many times today (filter `categoryCap`); off when
    /// absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_category_per_day: Option<u32>,
    /// Score factor per recent "not interested" in the offer's category (decaying with
    /// a 30-day half-life), in (0, 1]; default 0.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dismiss_damping: Option<f64>,
}

impl FromValue for DecayFunction {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            3,
            &[
                ("gauss", DecayFunction::Gauss),
                ("exp", DecayFunction::Exp),
                ("linear", DecayFunction::Linear),
            ],
        )
    }
}

impl FromValue for Locale {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(at, 2, &[("zh-CN", Locale::ZhCn), ("en", Locale::En)])
    }
}

impl FromValue for SimilarityKind {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            3,
            &[
                ("auto", SimilarityKind::Auto),
                ("embedding", SimilarityKind::Embedding),
                ("category", SimilarityKind::Category),
            ],
        )
    }
}

impl FromValue for ProximityInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = ProximityInput {
            function: None,
            offset_km: None,
            scale_km: None,
            decay: None,
        };
        read_fields(
            value,
            at,
            "ProximityInput",
            &["function", "offsetKm", "scaleKm", "decay"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.function = Some(FromValue::read(v, at)?),
                    1 => o.offset_km = Some(FromValue::read(v, at)?),
                    2 => o.scale_km = Some(FromValue::read(v, at)?),
                    3 => o.decay = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for EngineOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = EngineOptions {
            weights: None,
            proximity: None,
            locale: None,
            allow_unknown_age: None,
        };
        read_fields(
            value,
            at,
            "EngineOptions",
            &["weights", "proximity", "locale", "allowUnknownAge"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.weights = Some(FromValue::read(v, at)?),
                    1 => o.proximity = Some(FromValue::read(v, at)?),
                    2 => o.locale = Some(FromValue::read(v, at)?),
                    3 => o.allow_unknown_age = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for RankOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = RankOptions {
            location: None,
            now: None,
            limit: None,
            locale: None,
            weights: None,
            proximity: None,
            exclude: None,
            allow_unknown_age: None,
            diversity: None,
            pin: None,
            hide: None,
            explore: None,
            fatigue: None,
            experiment: None,
            user_id: None,
        };
        read_fields(
            value,
            at,
            "RankOptions",
            &[
                "location",
                "now",
                "limit",
                "locale",
                "weights",
                "proximity",
                "exclude",
                "allowUnknownAge",
                "diversity",
                "pin",
                "hide",
                "explore",
                "fatigue",
                "experiment",
                "userId",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.location = Some(FromValue::read(v, at)?),
                    1 => o.now = Some(FromValue::read(v, at)?),
                    2 => o.limit = Some(FromValue::read(v, at)?),
                    3 => o.locale = Some(FromValue::read(v, at)?),
                    4 => o.weights = Some(FromValue::read(v, at)?),
                    5 => o.proximity = Some(FromValue::read(v, at)?),
                    6 => o.exclude = Some(FromValue::read(v, at)?),
                    7 => o.allow_unknown_age = Some(FromValue::read(v, at)?),
                    8 => o.diversity = Some(FromValue::read(v, at)?),
                    9 => o.pin = Some(FromValue::read(v, at)?),
                    10 => o.hide = Some(FromValue::read(v, at)?),
                    11 => o.explore = Some(FromValue::read(v, at)?),
                    12 => o.fatigue = Some(FromValue::read(v, at)?),
                    13 => o.experiment = Some(FromValue::read(v, at)?),
                    14 => o.user_id = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for DiversityInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = DiversityInput {
            max_per_category: None,
            max_per_store: None,
            mmr_lambda: None,
            similarity: None,
        };
        read_fields(
            value,
            at,
            "DiversityInput",
            &["maxPerCategory", "maxPerStore", "mmrLambda", "similarity"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.max_per_category = Some(FromValue::read(v, at)?),
                    1 => o.max_per_store = Some(FromValue::read(v, at)?),
                    2 => o.mmr_lambda = Some(FromValue::read(v, at)?),
                    3 => o.similarity = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for ExploreInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = ExploreInput {
            seed: 0.0,
            slots: None,
        };
        read_fields(
            value,
            at,
            "ExploreInput",
            &["seed", "slots"],
            0b1,
            &mut |i, v, at| {
                match i {
                    0 => o.seed = FromValue::read(v, at)?,
                    1 => o.slots = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for FatigueInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = FatigueInput {
            enabled: None,
            free_impressions: None,
            decay: None,
            recovery_hours: None,
            max_per_offer_per_day: None,
            max_per_category_per_day: None,
            dismiss_damping: None,
        };
        read_fields(
            value,
            at,
            "FatigueInput",
            &[
                "enabled",
                "freeImpressions",
                "decay",
                "recoveryHours",
                "maxPerOfferPerDay",
                "maxPerCategoryPerDay",
                "dismissDamping",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.enabled = Some(FromValue::read(v, at)?),
                    1 => o.free_impressions = Some(FromValue::read(v, at)?),
                    2 => o.decay = Some(FromValue::read(v, at)?),
                    3 => o.recovery_hours = Some(FromValue::read(v, at)?),
                    4 => o.max_per_offer_per_day = Some(FromValue::read(v, at)?),
                    5 => o.max_per_category_per_day = Some(FromValue::read(v, at)?),
                    6 => o.dismiss_damping = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}
