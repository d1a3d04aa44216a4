//! Options of the serving features: A/B experiments, the push gate, group selection.

use serde::Serialize;

use super::{DiversityInput, ExploreInput, FatigueInput, Locale, LocationInput, WeightsInput};
use crate::contract::value::{read_fields, At, FromValue, Value};
use crate::error::Result;

/// An A/B experiment: named variants with their share of users and their overrides.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExperimentInput {
    /// The experiment's name; part of the assignment hash, so renaming reshuffles.
    pub name: String,
    /// 1..=16 variants.
    pub variants: Vec<VariantInput>,
}

/// One variant of an experiment.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VariantInput {
    /// Unique within the experiment.
    pub name: String,
    /// Relative share of users (≥ 0; the shares need not add up to 1).
    pub split: f64,
    /// Weight overrides on top of the call's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Replaces the call's `diversity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversity: Option<DiversityInput>,
    /// Replaces the call's `explore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explore: Option<ExploreInput>,
    /// Replaces the call's `fatigue`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatigue: Option<FatigueInput>,
}

/// Quiet hours in the user's local time: from `start` to `end` (hours 0..=23,
/// wrapping midnight when `start > end`; equal means none).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct QuietHoursInput {
    /// First quiet hour, 0..=23.
    pub start: u32,
    /// First hour after the quiet hours, 0..=23.
    pub end: u32,
}

/// Options of the push gate (`shouldNotify`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyOptions {
    /// The current time, epoch ms (JS defaults it to `Date.now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// Where the user is now; overrides the profile's location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// Reason text language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Weight overrides for scoring the candidates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// The score an offer needs to be worth a notification, in 0..=1; default 0.5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Notifications per local day, 0..=24; default 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget_per_day: Option<u32>,
    /// Default 22 → 8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_hours: Option<QuietHoursInput>,
    /// Overrides the profile's time zone (minutes east of UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utc_offset_minutes: Option<i32>,
    /// Minutes to wait after the last notification; default 240.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_gap_minutes: Option<f64>,
    /// An offer already pushed is not pushed again for this many days; default 7.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repeat_after_days: Option<f64>,
}

/// What group selection optimises.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum GroupObjective {
    /// Serve as many members well as possible, then the best total (default).
    #[default]
    Coverage,
    /// The K offers with the highest mean score (the baseline).
    Mean,
}

/// Options of group selection (`rankForGroup`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupOptions {
    /// The current time, epoch ms (JS defaults it to `Date.now()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub now: Option<f64>,
    /// How many offers to choose, 1..=100; default 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The group's pickup location; overrides every member's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// Reason text language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    /// Weight overrides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// A member is served by an offer scoring at least this share of the member's
    /// best available score, in (0, 1]; default 0.9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serve_ratio: Option<f64>,
    /// `coverage` (default) or `mean`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<GroupObjective>,
    /// Overrides the engine's `allowUnknownAge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_unknown_age: Option<bool>,
}

impl FromValue for GroupObjective {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            2,
            &[
                ("coverage", GroupObjective::Coverage),
                ("mean", GroupObjective::Mean),
            ],
        )
    }
}

impl FromValue for ExperimentInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = ExperimentInput {
            name: String::new(),
            variants: Vec::new(),
        };
        read_fields(
            value,
            at,
            "ExperimentInput",
            &["name", "variants"],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.name = FromValue::read(v, at)?,
                    1 => o.variants = FromValue::read(v, at)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for VariantInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = VariantInput {
            name: String::new(),
            split: 0.0,
            weights: None,
            diversity: None,
            explore: None,
            fatigue: None,
        };
        read_fields(
            value,
            at,
            "VariantInput",
            &[
                "name",
                "split",
                "weights",
                "diversity",
                "explore",
                "fatigue",
            ],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.name = FromValue::read(v, at)?,
                    1 => o.split = FromValue::read(v, at)?,
                    2 => o.weights = Some(FromValue::read(v, at)?),
                    3 => o.diversity = Some(FromValue::read(v, at)?),
                    4 => o.explore = Some(FromValue::read(v, at)?),
                    5 => o.fatigue = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for QuietHoursInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = QuietHoursInput { start: 0, end: 0 };
        read_fields(
            value,
            at,
            "QuietHoursInput",
            &["start", "end"],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.start = FromValue::read(v, at)?,
                    1 => o.end = FromValue::read(v, at)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for NotifyOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = NotifyOptions {
            now: None,
            location: None,
            locale: None,
            weights: None,
            threshold: None,
            budget_per_day: None,
            quiet_hours: None,
            utc_offset_minutes: None,
            min_gap_minutes: None,
            repeat_after_days: None,
        };
        read_fields(
            value,
            at,
            "NotifyOptions",
            &[
                "now",
                "location",
                "locale",
                "weights",
                "threshold",
                "budgetPerDay",
                "quietHours",
                "utcOffsetMinutes",
                "minGapMinutes",
                "repeatAfterDays",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.now = Some(FromValue::read(v, at)?),
                    1 => o.location = Some(FromValue::read(v, at)?),
                    2 => o.locale = Some(FromValue::read(v, at)?),
                    3 => o.weights = Some(FromValue::read(v, at)?),
                    4 => o.threshold = Some(FromValue::read(v, at)?),
                    5 => o.budget_per_day = Some(FromValue::read(v, at)?),
                    6 => o.quiet_hours = Some(FromValue::read(v, at)?),
                    7 => o.utc_offset_minutes = Some(FromValue::read(v, at)?),
                    8 => o.min_gap_minutes = Some(FromValue::read(v, at)?),
                    9 => o.repeat_after_days = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for GroupOptions {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = GroupOptions {
            now: None,
            limit: None,
            location: None,
            locale: None,
            weights: None,
            serve_ratio: None,
            objective: None,
            allow_unknown_age: None,
        };
        read_fields(
            value,
            at,
            "GroupOptions",
            &[
                "now",
                "limit",
                "location",
                "locale",
                "weights",
                "serveRatio",
                "objective",
                "allowUnknownAge",
            ],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.now = Some(FromValue::read(v, at)?),
                    1 => o.limit = Some(FromValue::read(v, at)?),
                    2 => o.location = Some(FromValue::read(v, at)?),
                    3 => o.locale = Some(FromValue::read(v, at)?),
                    4 => o.weights = Some(FromValue::read(v, at)?),
                    5 => o.serve_ratio = Some(FromValue::read(v, at)?),
                    6 => o.objective = Some(FromValue::read(v, at)?),
                    7 => o.allow_unknown_age = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}
