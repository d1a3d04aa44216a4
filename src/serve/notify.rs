//! The push gate (敬畏每一个红点): whether any offer is worth a notification now, and
//! which.
//!
//! The checks run cheapest first and the first "no" is the answer: quiet hours in the
//! user's time zone, today's budget, the gap since the last notification, then the
//! best offer (ranked as the feed would rank it, with fatigue, and leaving out offers
//! pushed in the last `repeatAfterDays`) against the threshold. The gate only answers;
//! the app records `{ type: 'push' }` in the profile when it actually sends one, and
//! that is what the budget and gap count.
//!
//! The repeat rule reads the profile's log of pushes, which keeps the last
//! [`MAX_PUSHES`] (64). A window of `repeatAfterDays` days can take in
//! ⌈repeatAfterDays⌉ + 1 local days, the first one partly, so with every push going
//! through the gate it holds at most `budgetPerDay` × (⌈repeatAfterDays⌉ + 1) − 1
//! pushes before the one being decided (today's budget must still have room). Options
//! that make that exceed 64 are refused (`options.repeatAfterDays`): past it, the
//! oldest push in the window could be forgotten and its offer pushed again. The bound
//! is reached: at 13 a day for 4 days, 64 pushes can be in the window at once.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::contract::input::{NotifyOptions, RankOptions};
use crate::error::{describe_number, Error, Result};
use crate::profile::{check_utc_offset, local_day, Profile, DAY_MS, MAX_PUSHES};
use crate::rank::explain::{notify_text, NotifyCode};
use crate::rank::params::{EngineConfig, RankParams};
use crate::rank::{RankedOffer, Scorer};

/// Default relevance threshold.
pub const DEFAULT_THRESHOLD: f64 = 0.5;
/// Default notifications per local day.
pub const DEFAULT_BUDGET: u32 = 2;
/// Default quiet hours, 22:00 to 08:00.
pub const DEFAULT_QUIET: (u32, u32) = (22, 8);
/// Default minimum gap between notifications, minutes.
pub const DEFAULT_GAP_MIN: f64 = 240.0;
/// Default days before the same offer may be pushed again.
pub const DEFAULT_REPEAT_DAYS: f64 = 7.0;

/// The longest `repeatAfterDays` the push log can honour with `budget` pushes per
/// local day, or `None` for no limit (a budget of 0): the largest whole number of
/// days `d` with `budget` × (d + 1) − 1 ≤ [`MAX_PUSHES`]. With the default budget of 2
/// it is 31 days; with 24 a day, 1 day.
#[must_use]
pub fn max_repeat_days(budget: u32) -> Option<u32> {
    (budget > 0).then(|| (MAX_PUSHES as u32 + 1) / budget - 1)
}

/// The gate's reason: a code and its text.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyReason {
    /// Machine-readable.
    pub code: NotifyCode,
    /// Rendered in the requested locale.
    pub text: String,
}

/// The gate's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyDecision {
    /// Whether to notify now.
    pub notify: bool,
    /// The offer to notify about (only when `notify`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offer: Option<RankedOffer>,
    /// Why.
    pub reason: NotifyReason,
    /// The best eligible offer's score, when the gate got as far as scoring.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Notifications already sent today (user's local day).
    pub pushes_today: u32,
    /// The daily budget in force.
    pub budget_per_day: u32,
}

/// Validated gate options.
struct Gate {
    threshold: f64,
    budget: u32,
    quiet: (u32, u32),
    offset_min: i16,
    gap_min: f64,
    repeat_days: f64,
}

fn check_range(x: f64, lo: f64, hi: f64, path: &str, what: &str) -> Result<f64> {
    if x.is_finite() && (lo..=hi).contains(&x) {
        Ok(x)
    } else {
        Err(Error::invalid(
            path,
            format!(
                "expected {what} in {}..={}, got {}",
                describe_number(lo),
                describe_number(hi),
                describe_number(x)
            ),
        ))
    }
}

impl Gate {
    fn resolve(options: &NotifyOptions, profile: &Profile) -> Result<Self> {
        let threshold = options
            .threshold
            .map(|t| check_range(t, 0.0, 1.0, "options.threshold", "a score"))
            .transpose()?
            .unwrap_or(DEFAULT_THRESHOLD);
        let budget = match options.budget_per_day {
            Some(b) if b > 24 => {
                return Err(Error::invalid(
                    "options.budgetPerDay",
                    format!("expected an integer in 0..=24, got {b}"),
                ))
            }
            Some(b) => b,
            None => DEFAULT_BUDGET,
        };
        let quiet = match options.quiet_hours {
            Some(q) => {
                for (v, field) in [(q.start, "start"), (q.end, "end")] {
                    if v > 23 {
                        return Err(Error::invalid(
                            format!("options.quietHours.{field}"),
                            format!("expected an hour in 0..=23, got {v}"),
                        ));
                    }
                }
                (q.start, q.end)
            }
            None => DEFAULT_QUIET,
        };
        let offset_min = match options.utc_offset_minutes {
            Some(m) => check_utc_offset(f64::from(m), "options.utcOffsetMinutes")?,
            None => profile.utc_offset_minutes(),
        };
        let gap_min = options
            .min_gap_minutes
            .map(|g| check_range(g, 0.0, 10_080.0, "options.minGapMinutes", "minutes"))
            .transpose()?
            .unwrap_or(DEFAULT_GAP_MIN);
        let repeat_days = options
            .repeat_after_days
            .map(|d| check_range(d, 0.0, 365.0, "options.repeatAfterDays", "days"))
            .transpose()?
            .unwrap_or(DEFAULT_REPEAT_DAYS);
        // The log must still hold every push inside the repeat window.
        if let Some(max_days) = max_repeat_days(budget) {
            if repeat_days > f64::from(max_days) {
                let given = if options.repeat_after_days.is_some() {
                    ""
                } else {
                    " (the default)"
                };
                return Err(Error::invalid(
                    "options.repeatAfterDays",
                    format!(
                        "expected at most {max_days} day{} with budgetPerDay {budget}, got {}{given}: \
                         only the last {MAX_PUSHES} pushes are remembered, and up to \
                         budgetPerDay × (ceil(repeatAfterDays) + 1) − 1 of them can fall \
                         within the window, which must stay ≤ {MAX_PUSHES}",
                        if max_days == 1 { "" } else { "s" },
                        describe_number(repeat_days)
                    ),
                ));
            }
        }
        Ok(Gate {
            threshold,
            budget,
            quiet,
            offset_min,
            gap_min,
            repeat_days,
        })
    }

    fn is_quiet(&self, now: f64) -> bool {
        let local = now + f64::from(self.offset_min) * 60_000.0;
        let hour = (local.rem_euclid(DAY_MS) / 3_600_000.0) as u32;
        let (start, end) = self.quiet;
        match start.cmp(&end) {
            std::cmp::Ordering::Equal => false,
            std::cmp::Ordering::Less => (start..end).contains(&hour),
            std::cmp::Ordering::Greater => hour >= start || hour < end,
        }
    }
}

/// Decides whether to notify `profile` now.
///
/// # Errors
/// A bad option, with its path (`options.budgetPerDay`, `options.quietHours.start`, …).
pub fn should_notify(
    catalog: &Catalog,
    config: &EngineConfig,
    profile: &Profile,
    options: &NotifyOptions,
    default_now_ms: f64,
) -> Result<NotifyDecision> {
    let gate = Gate::resolve(options, profile)?;
    let now = options.now.unwrap_or(default_now_ms);
    let rank_options = RankOptions {
        location: options.location,
        now: Some(now),
        limit: Some(1),
        locale: options.locale,
        weights: options.weights,
        ..RankOptions::default()
    };
    let mut params = RankParams::resolve(config, &rank_options, default_now_ms)?;
    let locale = params.locale;
    let today = local_day(now, gate.offset_min);
    let pushes = profile.pushes();
    let pushes_today = pushes
        .iter()
        .filter(|p| local_day(p.at, gate.offset_min) == today && p.at <= now)
        .count() as u32;
    let answer = |code: NotifyCode, offer: Option<RankedOffer>, score: Option<f64>| {
        let title = offer.as_ref().map_or("", |o| o.title.as_str());
        NotifyDecision {
            notify: code == NotifyCode::Ok,
            reason: NotifyReason {
                code,
                text: notify_text(code, locale, gate.budget, gate.quiet, gate.gap_min, title),
            },
            offer,
            score,
            pushes_today,
            budget_per_day: gate.budget,
        }
    };
    if gate.is_quiet(now) {
        return Ok(answer(NotifyCode::QuietHours, None, None));
    }
    if pushes_today >= gate.budget {
        return Ok(answer(NotifyCode::BudgetUsed, None, None));
    }
    let last = pushes.iter().rev().find(|p| p.at <= now);
    if last.is_some_and(|p| now - p.at < gate.gap_min * 60_000.0) {
        return Ok(answer(NotifyCode::TooSoon, None, None));
    }
    let repeat_ms = gate.repeat_days * DAY_MS;
    params.exclude = pushes
        .iter()
        .filter(|p| p.at <= now && now - p.at < repeat_ms)
        .map(|p| p.offer_id.clone())
        .collect();
    let scorer = Scorer::new(catalog, profile, &params);
    let Some(&(score, idx)) = scorer.top(1).first() else {
        return Ok(answer(NotifyCode::NothingEligible, None, None));
    };
    if score < gate.threshold {
        return Ok(answer(NotifyCode::BelowThreshold, None, Some(score)));
    }
    let offer = scorer.explain(idx, score, 1);
    Ok(answer(NotifyCode::Ok, Some(offer), Some(score)))
}
