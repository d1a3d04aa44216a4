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

use litemap::LiteMap;

use crate::error::{describe_number, Error, Result};
use crate::geo::LatLng;
use crate::input::{EventInput, EventType, PurchaseInput, UserInput};
use crate::params::{check_location, check_time};
use crate::wire::{Reader, Writer};

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

const MAGIC: &[u8; 4] = b"GRPF";
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

/// Counts an impression at local day `day` into a (day, count) pair: a later day
/// starts a new count, an earlier one is not counted.
fn count_day(slot_day: &mut i32, count: &mut u32, day: i32) {
    if day > *slot_day || *count == 0 {
        *slot_day = day;
        *count = 1;
    } else if day == *slot_day {
        *count = count.saturating_add(1);
    }
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

    /// Sets the declared attributes (age, income, location) and replays `history` as
    /// purchases, oldest first. Absent fields are left as they were.
    ///
    /// # Errors
    /// `invalidInput` naming the bad field (paths start at `user`); the profile is
    /// unchanged then.
    pub fn set_user(&mut self, user: &UserInput) -> Result<()> {
        let age = match user.age {
            Some(a) if a > 150 => {
                return Err(Error::invalid(
                    "user.age",
                    format!("expected an age in 0..=150, got {a}"),
                ))
            }
            a => a,
        };
        let band = match (user.income_band, user.monthly_income) {
            (Some(b), _) if !(1..=5).contains(&b) => {
                return Err(Error::invalid(
                    "user.incomeBand",
                    format!("expected an income band in 1..=5, got {b}"),
                ))
            }
            (Some(b), _) => Some(b),
            (None, Some(m)) if !m.is_finite() || m < 0.0 => {
                return Err(Error::invalid(
                    "user.monthlyIncome",
                    format!("expected a number ≥ 0, got {}", describe_number(m)),
                ))
            }
            (None, Some(m)) => Some(income_band_for(m)),
            (None, None) => None,
        };
        let location = user
            .location
            .as_ref()
            .map(|l| check_location(l, "user.location"))
            .transpose()?;
        let history = user.history.as_deref().unwrap_or_default();
        if history.len() > MAX_HISTORY {
            return Err(Error::new(
                crate::error::ErrorCode::TooLarge,
                "user.history",
                format!("too many entries ({} > {MAX_HISTORY})", history.len()),
            ));
        }
        let events = history
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let event = purchase_event(p);
                check_event(&event).map_err(|e| e.within(&format!("user.history[{i}]")))?;
                Ok(event)
            })
            .collect::<Result<Vec<_>>>()?;
        // Everything is valid: apply.
        if age.is_some() {
            self.age = age;
        }
        if band.is_some() {
            self.income_band = band;
        }
        if location.is_some() {
            self.location = location;
        }
        // Oldest first; equal times keep their order in `history`.
        for i in crate::order::ascending(events.iter().map(|e| e.at)) {
            self.apply(&events[i as usize]);
        }
        Ok(())
    }

    /// Records one event.
    ///
    /// # Errors
    /// `invalidInput` naming the bad field (paths start at `event`); the profile is
    /// unchanged then.
    pub fn record(&mut self, event: &EventInput) -> Result<()> {
        check_event(event).map_err(|e| e.within("event"))?;
        self.apply(event);
        Ok(())
    }

    /// Applies a validated event.
    fn apply(&mut self, event: &EventInput) {
        self.events += 1;
        let t = event.at;
        let quantity = f64::from(event.quantity.unwrap_or(1).max(1));
        let strength = match event.kind {
            EventType::Impression | EventType::Dismiss | EventType::Push => 0.0,
            EventType::Click => 0.3,
            EventType::Cart => 0.6,
            EventType::Purchase => quantity.sqrt(),
        };
        if event.kind == EventType::Push {
            let at = self.pushes.partition_point(|p| p.at <= t);
            self.pushes.insert(
                at,
                Push {
                    at: t,
                    offer_id: event.offer_id.clone(),
                },
            );
            if self.pushes.len() > MAX_PUSHES {
                self.pushes.remove(0);
            }
            return;
        }
        if event.kind == EventType::Dismiss {
            self.dismissed.insert(event.offer_id.clone(), t);
            self.items.remove(&event.offer_id);
            if let Some(category) = &event.category {
                let c = self.categories.entry(category.clone()).or_default();
                c.affinity.value *= 0.5;
                c.dismissals.add(1.0, t);
            }
            evict(&mut self.dismissed, MAX_DISMISSED, |at| *at);
            let now = t;
            evict(&mut self.categories, MAX_CATEGORIES, |s| {
                category_strength(s, now)
            });
            return;
        }
        let day = local_day(t, self.utc_offset_min);
        let item = self.items.entry(event.offer_id.clone()).or_default();
        match event.kind {
            EventType::Impression => {
                item.impressions.add(1.0, t);
                item.ignored = item.ignored.saturating_add(1);
                item.last_impression_at = item.last_impression_at.max(t);
                count_day(&mut item.day, &mut item.day_impressions, day);
            }
            _ => {
                item.affinity.add(strength, t);
                item.impressions = Decayed::default();
                item.ignored = 0;
            }
        }
        if event.kind == EventType::Purchase {
            item.purchases += 1;
            learn_interval(&mut item.interval_days, &mut item.last_purchase_at, t);
        }
        if let Some(category) = &event.category {
            if event.kind == EventType::Impression {
                let c = self.categories.entry(category.clone()).or_default();
                c.impressions.add(1.0, t);
                count_day(&mut c.day, &mut c.day_impressions, day);
            }
            if strength > 0.0 {
                let c = self.categories.entry(category.clone()).or_default();
                c.affinity.add(strength, t);
                if event.kind == EventType::Purchase {
                    c.purchases += 1;
                    learn_interval(&mut c.interval_days, &mut c.last_purchase_at, t);
                    if let Some(price) = event.price {
                        c.price_count = (c.price_count + 1).min(20);
                        let n = f64::from(c.price_count);
                        c.ln_price_mean += (libm::log(price) - c.ln_price_mean) / n;
                    }
                }
            }
        }
        let now = t;
        evict(&mut self.items, MAX_ITEMS, |s| {
            s.affinity.at(now) + 0.1 * s.impressions.at(now)
        });
        evict(&mut self.categories, MAX_CATEGORIES, |s| {
            category_strength(s, now)
        });
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

    /// The saved form: `GRPF`, version byte, payload (postcard's encoding), CRC-32
    /// (LE).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(256));
        w.0.extend_from_slice(MAGIC);
        w.u8(PROFILE_VERSION);
        self.write(&mut w);
        let crc = crate::crc32::checksum(&w.0);
        w.0.extend_from_slice(&crc.to_le_bytes());
        w.0
    }

    /// The saved form as standard base64 text (for `localStorage` / `wx.setStorage`).
    pub fn to_base64(&self) -> String {
        crate::b64::encode(&self.to_bytes())
    }

    /// Loads a saved profile.
    ///
    /// # Errors
    /// `corruptState` at `profile` when the bytes are truncated, corrupted, of another
    /// version, or describe an impossible profile.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        const PATH: &str = "profile";
        if bytes.len() < MAGIC.len() + 1 + 4 {
            return Err(Error::corrupt(
                PATH,
                format!("saved profile is truncated ({} bytes)", bytes.len()),
            ));
        }
        if &bytes[..4] != MAGIC {
            return Err(Error::corrupt(PATH, "not a saved profile (bad magic)"));
        }
        let version = bytes[4];
        if version != PROFILE_VERSION && version != 1 {
            return Err(Error::corrupt(
                PATH,
                format!(
                    "unsupported profile version {version} (this build reads 1 and {PROFILE_VERSION})"
                ),
            ));
        }
        let (body, crc) = bytes.split_at(bytes.len() - 4);
        let stored = u32::from_le_bytes([crc[0], crc[1], crc[2], crc[3]]);
        if crate::crc32::checksum(body) != stored {
            return Err(Error::corrupt(
                PATH,
                "checksum mismatch: saved profile is corrupted",
            ));
        }
        let mut r = Reader::new(body, 5, "the payload", payload_error);
        let profile = Profile::read(&mut r, version);
        if let Some(error) = r.error {
            return Err(error);
        }
        // Bytes after the payload (inside the checksum) are ignored, as they always
        // have been.
        profile.check().map_err(|m| Error::corrupt(PATH, m))?;
        Ok(profile)
    }

    /// Loads a profile saved with [`Profile::to_base64`].
    ///
    /// # Errors
    /// `corruptState` for invalid base64 or any error of [`Profile::from_bytes`].
    pub fn from_base64(text: &str) -> Result<Self> {
        let bytes = crate::b64::decode(text.trim())
            .map_err(|e| Error::corrupt("profile", format!("invalid base64: {e}")))?;
        Self::from_bytes(&bytes)
    }

    /// Checks the invariants a decoded profile must satisfy.
    fn check(&self) -> std::result::Result<(), String> {
        let finite = |x: f64| x.is_finite();
        if self.age.is_some_and(|a| a > 150) {
            return Err("age out of range".into());
        }
        if self.income_band.is_some_and(|b| !(1..=5).contains(&b)) {
            return Err("income band out of range".into());
        }
        if let Some(l) = self.location {
            if crate::geo::check_lat_lng(l.lat, l.lng).is_err() {
                return Err("location out of range".into());
            }
        }
        if self.items.len() > MAX_ITEMS
            || self.categories.len() > MAX_CATEGORIES
            || self.dismissed.len() > MAX_DISMISSED
        {
            return Err("more entries than a profile can hold".into());
        }
        if !(-720..=840).contains(&self.utc_offset_min) {
            return Err("time zone out of range".into());
        }
        if self.pushes.len() > MAX_PUSHES
            || self
                .pushes
                .iter()
                .any(|p| !finite(p.at) || p.offer_id.len() > 128)
            || self.pushes.windows(2).any(|w| w[0].at > w[1].at)
        {
            return Err("invalid notification log".into());
        }
        let decayed_ok = |d: &Decayed| finite(d.value) && d.value >= 0.0 && finite(d.at);
        for s in self.items.values() {
            if !decayed_ok(&s.affinity)
                || !decayed_ok(&s.impressions)
                || !finite(s.last_impression_at)
                || !finite(s.last_purchase_at)
                || !finite(s.interval_days)
                || s.interval_days < 0.0
            {
                return Err("invalid item state".into());
            }
        }
        for s in self.categories.values() {
            if !decayed_ok(&s.affinity)
                || !decayed_ok(&s.dismissals)
                || !decayed_ok(&s.impressions)
                || !finite(s.last_purchase_at)
                || !finite(s.interval_days)
                || s.interval_days < 0.0
                || !finite(s.ln_price_mean)
            {
                return Err("invalid category state".into());
            }
        }
        if self.dismissed.values().any(|t| !finite(*t)) {
            return Err("invalid dismissal time".into());
        }
        Ok(())
    }
}

/// How much a category entry is worth keeping when the profile is full.
fn category_strength(s: &CategoryState, now: f64) -> f64 {
    s.affinity.at(now) + 0.1 * (s.dismissals.at(now) + s.impressions.at(now))
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

/// The payload codec: postcard's encoding of the structs above, fields in
/// declaration order. Unsigned integers are LEB128 varints, `i16` and `i32` zigzag
/// varints, `u8` one byte, `f64` 8 little-endian bytes; an `Option` is a 0/1 tag then
/// the value; a string is a varint byte length then UTF-8; the maps are a varint count
/// then (key, value) pairs in strictly increasing key order (as `LiteMap` keeps them;
/// loading checks that order instead of sorting, so a map out of order, which the
/// engine never writes, is rejected as corrupt rather than silently repaired); the
/// push log is a varint count then its entries. Version 1 is the same layout without
/// the fields version 2 added at the end of `ItemState`, `CategoryState` and
/// `Profile`, which load with their defaults.
impl Profile {
    fn write(&self, w: &mut Writer) {
        if let Some(age) = w.tag(self.age) {
            w.varint(age.into());
        }
        if let Some(band) = w.tag(self.income_band) {
            w.u8(band);
        }
        if let Some(l) = w.tag(self.location) {
            w.f64(l.lat);
            w.f64(l.lng);
        }
        write_map(w, &self.items, |w, s| s.write(w));
        write_map(w, &self.categories, |w, s| s.write(w));
        write_map(w, &self.dismissed, |w, at| w.f64(*at));
        w.varint(self.events);
        w.zigzag(self.utc_offset_min.into());
        w.varint(self.pushes.len() as u64);
        for p in &self.pushes {
            w.f64(p.at);
            w.var_str(&p.offer_id);
        }
    }

    /// Reads a version-1 or version-2 payload; errors stick in `r`.
    fn read(r: &mut Reader, version: u8) -> Self {
        let v2 = version >= 2;
        let mut p = Profile {
            age: r.tag().then(|| r.var_u32()),
            income_band: r.tag().then(|| r.u8()),
            location: r.tag().then(|| LatLng::new(r.f64(), r.f64())),
            items: read_map(r, |r| ItemState::read(r, v2)),
            categories: read_map(r, |r| CategoryState::read(r, v2)),
            dismissed: read_map(r, |r| r.f64()),
            events: r.varint(64),
            ..Profile::default()
        };
        if v2 {
            p.utc_offset_min = r.zigzag(16) as i16;
            p.pushes = read_seq(r, |r| Push {
                at: r.f64(),
                offer_id: r.var_str(),
            });
        }
        p
    }
}

impl Decayed {
    fn write(&self, w: &mut Writer) {
        w.f64(self.value);
        w.f64(self.at);
    }

    fn read(r: &mut Reader) -> Self {
        Decayed {
            value: r.f64(),
            at: r.f64(),
        }
    }
}

impl ItemState {
    fn write(&self, w: &mut Writer) {
        self.affinity.write(w);
        self.impressions.write(w);
        w.varint(self.purchases.into());
        w.f64(self.last_purchase_at);
        w.f64(self.interval_days);
        w.varint(self.ignored.into());
        w.f64(self.last_impression_at);
        w.zigzag(self.day.into());
        w.varint(self.day_impressions.into());
    }

    fn read(r: &mut Reader, v2: bool) -> Self {
        let mut s = ItemState {
            affinity: Decayed::read(r),
            impressions: Decayed::read(r),
            purchases: r.var_u32(),
            last_purchase_at: r.f64(),
            interval_days: r.f64(),
            ..ItemState::default()
        };
        if v2 {
            s.ignored = r.var_u32();
            s.last_impression_at = r.f64();
            s.day = r.var_i32();
            s.day_impressions = r.var_u32();
        }
        s
    }
}

impl CategoryState {
    fn write(&self, w: &mut Writer) {
        self.affinity.write(w);
        w.varint(self.purchases.into());
        w.f64(self.last_purchase_at);
        w.f64(self.interval_days);
        w.f64(self.ln_price_mean);
        w.varint(self.price_count.into());
        self.dismissals.write(w);
        self.impressions.write(w);
        w.zigzag(self.day.into());
        w.varint(self.day_impressions.into());
    }

    fn read(r: &mut Reader, v2: bool) -> Self {
        let mut s = CategoryState {
            affinity: Decayed::read(r),
            purchases: r.var_u32(),
            last_purchase_at: r.f64(),
            interval_days: r.f64(),
            ln_price_mean: r.f64(),
            price_count: r.var_u32(),
            ..CategoryState::default()
        };
        if v2 {
            s.dismissals = Decayed::read(r);
            s.impressions = Decayed::read(r);
            s.day = r.var_i32();
            s.day_impressions = r.var_u32();
        }
        s
    }
}

fn write_map<V>(w: &mut Writer, map: &LiteMap<String, V>, write: impl Fn(&mut Writer, &V)) {
    w.varint(map.len() as u64);
    for (key, value) in map.iter() {
        w.var_str(key);
        write(w, value);
    }
}

/// A varint count then that many items (fewer after an error).
fn read_seq<T>(r: &mut Reader, mut read: impl FnMut(&mut Reader) -> T) -> Vec<T> {
    let n = r.var_len();
    // No saved list is longer than `MAX_ITEMS`: a huge count reserves no more (and
    // fails as truncated).
    let mut out = Vec::with_capacity(n.min(MAX_ITEMS));
    while out.len() < n && r.ok() {
        out.push(read(r));
    }
    out
}

fn read_map<V>(r: &mut Reader, read: impl Fn(&mut Reader) -> V) -> LiteMap<String, V> {
    let entries = read_seq(r, |r| (r.var_str(), read(r)));
    if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
        r.fail("map keys out of order".into());
    }
    LiteMap::from_sorted_store_unchecked(entries)
}

/// Errors in the payload: `corruptState` at `profile`.
fn payload_error(message: String) -> Error {
    Error::corrupt("profile", format!("cannot decode saved profile: {message}"))
}

fn purchase_event(p: &PurchaseInput) -> EventInput {
    EventInput {
        kind: EventType::Purchase,
        offer_id: p.offer_id.clone(),
        at: p.at,
        category: p.category.clone(),
        price: p.price,
        quantity: p.quantity,
    }
}

/// Validates an event's fields (paths relative to the event).
fn check_event(event: &EventInput) -> Result<()> {
    if event.offer_id.is_empty() || event.offer_id.len() > 128 {
        return Err(Error::invalid(
            "offerId",
            "expected a non-empty id of at most 128 bytes",
        ));
    }
    check_time(event.at, "at")?;
    if let Some(c) = &event.category {
        if c.trim().is_empty() || c.len() > 512 {
            return Err(Error::invalid(
                "category",
                "expected a non-empty string of at most 512 bytes",
            ));
        }
    }
    if let Some(p) = event.price {
        crate::catalog::check_positive(p, "price", crate::catalog::limits::MAX_PRICE)?;
    }
    if let Some(q) = event.quantity {
        if !(1..=MAX_QUANTITY).contains(&q) {
            return Err(Error::invalid(
                "quantity",
                format!("expected an integer in 1..={MAX_QUANTITY}, got {q}"),
            ));
        }
    }
    Ok(())
}

/// Updates a purchase cycle with a purchase at `t`: gaps under half a day count as
/// the same shopping trip; the cycle is an exponential moving average of gaps.
fn learn_interval(interval_days: &mut f64, last_purchase_at: &mut f64, t: f64) {
    if *last_purchase_at > 0.0 && t > *last_purchase_at {
        let gap = (t - *last_purchase_at) / DAY_MS;
        if gap >= 0.5 {
            *interval_days = if *interval_days == 0.0 {
                gap
            } else {
                0.7 * *interval_days + 0.3 * gap
            };
        }
    }
    if t > *last_purchase_at {
        *last_purchase_at = t;
    }
}

/// Drops the weakest entries until `map` holds at most `max` (ties by key, so the
/// result is deterministic).
fn evict<V>(map: &mut LiteMap<String, V>, max: usize, strength: impl Fn(&V) -> f64) {
    if map.len() <= max {
        return;
    }
    // Evict down to 7/8 of the cap, not just below it: one ranking of the entries then
    // pays for the next max/8 new ones, so a full profile records events in amortised
    // constant time instead of scanning every entry per event.
    let keep = max - max / 8;
    // Entries are in key order, so ties by position are ties by key.
    let mut doomed = vec![false; map.len()];
    for &i in crate::order::ascending(map.values().map(strength))
        .iter()
        .take(map.len() - keep)
    {
        doomed[i as usize] = true;
    }
    let mut position = 0;
    map.retain(|_, _| {
        position += 1;
        !doomed[position - 1]
    });
}

#[cfg(test)]
mod tests;
