//! The on-device user profile: what the engine knows and learns about one user.
//!
//! It holds the declared attributes (age, income band, usual location) and state
//! learned from events: time-decayed item and category affinities, purchase cycles,
//! price comfort per category, impression counts and dismissals. It is bounded in
//! size (old, weak entries are evicted first) and saves to a small versioned binary
//! form with a checksum: `GRPF` magic, a version byte, a payload in postcard's
//! encoding (written and read by the small codec at the end of this module) and a
//! CRC-32 of everything before it. Loading rejects anything truncated, corrupted,
//! of another version, or internally inconsistent.
//!
//! The profile stores no user embedding: the engine derives the user vector at rank
//! time from the item affinities and the current catalog's embeddings, so it can
//! never go stale against a catalog update.
//!
//! | file | what |
//! |---|---|
//! | this file | the state ([`Profile`], [`ItemState`], [`CategoryState`]) and reading it |
//! | `learn.rs` | learning from declared attributes and events |
//! | `codec.rs` | the saved form (postcard-compatible payload, CRC-32, base64) |

mod b64;
mod codec;
mod learn;

use litemap::LiteMap;

use crate::contract::input::UserInput;
use crate::error::{describe_number, Error, Result};
use crate::util::geo::LatLng;

/// One day in milliseconds.
pub const DAY_MS: f64 = 86_400_000.0;
/// Half-life of item and category affinities, in days.
pub const AFFINITY_HALF_LIFE_DAYS: f64 = 30.0;
/// Most offers remembered.
pub const MAX_ITEMS: usize = 512;
/// Most categories remembered.
pub const MAX_CATEGORIES: usize = 128;
/// Most dismissals remembered.
pub const MAX_DISMISSED: usize = 256;
/// Most notifications remembered (the newest are kept).
pub const MAX_PUSHES: usize = 64;
/// The default time zone: China Standard Time, minutes east of UTC.
pub const DEFAULT_UTC_OFFSET_MIN: i16 = 480;
/// Most purchases accepted in `UserInput.history`.
pub const MAX_HISTORY: usize = 10_000;
/// Largest quantity accepted in one event.
pub const MAX_QUANTITY: u32 = 10_000;

/// Version of the saved form this build writes. It also reads version 1 (before
/// fatigue counters, dismissal damping, notifications and the time zone), filling
/// those with their defaults.
pub const PROFILE_VERSION: u8 = 2;

/// A value that halves every [`AFFINITY_HALF_LIFE_DAYS`], stored with the time it
/// was last updated.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[cfg_attr(test, derive(serde::Serialize, serde::Deserialize))]
pub struct Decayed {
    /// Value at `at`.
    pub value: f64,
    /// Epoch ms of the last update.
    pub at: f64,
}

impl Decayed {
    /// The value decayed to time `now` (never grows for past `now`).
    pub fn at(&self, now: f64) -> f64 {
        let days = ((now - self.at) / DAY_MS).max(0.0);
        self.value * libm::exp2(-days / AFFINITY_HALF_LIFE_DAYS)
    }

    /// Adds `amount` happening at time `t`, which may be earlier than the last update.
    pub fn add(&mut self, amount: f64, t: f64) {
        if self.value == 0.0 && self.at == 0.0 {
            *self = Decayed {
                value: amount,
                at: t,
            };
        } else if t >= self.at {
            self.value = self.at(t) + amount;
            self.at = t;
        } else {
            let days = (self.at - t) / DAY_MS;
            self.value += amount * libm::exp2(-days / AFFINITY_HALF_LIFE_DAYS);
        }
    }
}

/// What the profile knows about one offer.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(test, derive(serde::Serialize, serde::Deserialize))]
pub struct ItemState {
    /// Decayed interest (click 0.3, cart 0.6, purchase 1 per unit, √-damped).
    pub affinity: Decayed,
    /// Decayed impressions without a later click.
    pub impressions: Decayed,
    /// Number of purchase events.
    pub purchases: u32,
    /// Epoch ms of the latest purchase (0 = never).
    pub last_purchase_at: f64,
    /// Learned purchase cycle in days (0 = not learned; needs two purchases).
    pub interval_days: f64,
    /// Impressions since the last click, cart or purchase (fatigue).
    pub ignored: u32,
    /// Epoch ms of the latest impression (0 = never).
    pub last_impression_at: f64,
    /// The local day (days since 1970 in the profile's time zone) `day_impressions`
    /// counts.
    pub day: i32,
    /// Impressions on `day` (daily frequency cap).
    pub day_impressions: u32,
}

/// What the profile knows about one category.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(test, derive(serde::Serialize, serde::Deserialize))]
pub struct CategoryState {
    /// Decayed interest.
    pub affinity: Decayed,
    /// Number of purchase events.
    pub purchases: u32,
    /// Epoch ms of the latest purchase (0 = never).
    pub last_purchase_at: f64,
    /// Learned purchase cycle in days (0 = not learned).
    pub interval_days: f64,
    /// Running mean of ln(unit price paid).
    pub ln_price_mean: f64,
    /// Number of prices in the mean (capped at 20 so it keeps adapting).
    pub price_count: u32,
    /// Decayed "not interested" events in this category.
    pub dismissals: Decayed,
    /// Decayed impressions in this category (exploration's evidence against it).
    pub impressions: Decayed,
    /// The local day `day_impressions` counts.
    pub day: i32,
    /// Impressions in this category on `day`.
    pub day_impressions: u32,
}

/// A notification that was sent.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(test, derive(serde::Serialize, serde::Deserialize))]
pub struct Push {
    /// Epoch ms.
    pub at: f64,
    /// The offer it was about.
    pub offer_id: String,
}

/// The user profile.
///
/// Its saved form is postcard's encoding of these fields in this order (the tests
/// check the codec against postcard itself through the test-only serde derives).
#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(test, derive(serde::Serialize, serde::Deserialize))]
pub struct Profile {
    pub(crate) age: Option<u32>,
    pub(crate) income_band: Option<u8>,
    pub(crate) location: Option<LatLng>,
    #[cfg_attr(test, serde(with = "tests::sorted_map"))]
    pub(crate) items: LiteMap<String, ItemState>,
    #[cfg_attr(test, serde(with = "tests::sorted_map"))]
    pub(crate) categories: LiteMap<String, CategoryState>,
    /// Dismissed offer ids with the time of dismissal.
    #[cfg_attr(test, serde(with = "tests::sorted_map"))]
    pub(crate) dismissed: LiteMap<String, f64>,
    pub(crate) events: u64,
    /// Time zone, minutes east of UTC.
    pub(crate) utc_offset_min: i16,
    /// Notifications sent, oldest first, at most [`MAX_PUSHES`].
    pub(crate) pushes: Vec<Push>,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            age: None,
            income_band: None,
            location: None,
            items: LiteMap::new(),
            categories: LiteMap::new(),
            dismissed: LiteMap::new(),
            events: 0,
            utc_offset_min: DEFAULT_UTC_OFFSET_MIN,
            pushes: Vec::new(),
        }
    }
}

/// The local day of epoch-ms `t` at `offset_min` minutes east of UTC.
pub fn local_day(t: f64, offset_min: i16) -> i32 {
    libm::floor((t + f64::from(offset_min) * 60_000.0) / DAY_MS) as i32
}

/// Maps a monthly income in CNY to a band: < 3k → 1, < 6k → 2, < 12k → 3,
/// < 25k → 4, else 5.
pub fn income_band_for(monthly_income_cny: f64) -> u8 {
    match monthly_income_cny {
        x if x < 3_000.0 => 1,
        x if x < 6_000.0 => 2,
        x if x < 12_000.0 => 3,
        x if x < 25_000.0 => 4,
        _ => 5,
    }
}

impl Profile {
    /// An empty profile: nothing known.
    pub fn new() -> Self {
        Profile::default()
    }

    /// Builds a profile from what is known up front, replaying `history` as purchases.
    ///
    /// # Errors
    /// `invalidInput` naming the bad field (paths start at `user`).
    pub fn from_user(user: &UserInput) -> Result<Self> {
        let mut profile = Profile::new();
        profile.set_user(user)?;
        Ok(profile)
    }

    /// Age in years, if known.
    pub fn age(&self) -> Option<u32> {
        self.age
    }

    /// Income band 1..=5, if known.
    pub fn income_band(&self) -> Option<u8> {
        self.income_band
    }

    /// Usual WGS-84 location, if known.
    pub fn location(&self) -> Option<LatLng> {
        self.location
    }

    /// Per-offer state.
    pub fn items(&self) -> &LiteMap<String, ItemState> {
        &self.items
    }

    /// Per-category state.
    pub fn categories(&self) -> &LiteMap<String, CategoryState> {
        &self.categories
    }

    /// Whether the user dismissed this offer.
    pub fn is_dismissed(&self, offer_id: &str) -> bool {
        self.dismissed.contains_key(offer_id)
    }

    /// Dismissed offer ids.
    pub fn dismissed(&self) -> impl Iterator<Item = &str> {
        self.dismissed.keys().map(String::as_str)
    }

    /// Number of events recorded.
    pub fn event_count(&self) -> u64 {
        self.events
    }

    /// The time zone, minutes east of UTC (default 480, China Standard Time).
    pub fn utc_offset_minutes(&self) -> i16 {
        self.utc_offset_min
    }

    /// Sets the time zone that daily caps and the push gate use.
    ///
    /// # Errors
    /// `invalidInput` at `utcOffsetMinutes` outside -720..=840.
    pub fn set_utc_offset_minutes(&mut self, minutes: f64) -> Result<()> {
        let m = check_utc_offset(minutes, "utcOffsetMinutes")?;
        self.utc_offset_min = m;
        Ok(())
    }

    /// Notifications sent, oldest first (at most [`MAX_PUSHES`]).
    pub fn pushes(&self) -> &[Push] {
        &self.pushes
    }

    /// True when nothing at all is known: no attributes, no events.
    pub fn is_cold(&self) -> bool {
        self.age.is_none()
            && self.income_band.is_none()
            && self.items.is_empty()
            && self.categories.is_empty()
    }
}

/// Validates a time zone offset in minutes east of UTC.
///
/// # Errors
/// `invalidInput` at `path` unless an integer in -720..=840.
pub fn check_utc_offset(minutes: f64, path: &str) -> Result<i16> {
    if minutes.fract() == 0.0 && (-720.0..=840.0).contains(&minutes) {
        Ok(minutes as i16)
    } else {
        Err(Error::invalid(
            path,
            format!(
                "expected minutes east of UTC in -720..=840, got {}",
                describe_number(minutes)
            ),
        ))
    }
}

#[cfg(test)]
mod tests;
