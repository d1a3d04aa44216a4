//! The saved form: `GRPF` magic, a version byte, a payload in postcard's encoding
//! (written and read by the small codec here) and a CRC-32 of everything before it.

use litemap::LiteMap;

use super::{
    b64, CategoryState, Decayed, ItemState, Profile, Push, MAX_CATEGORIES, MAX_DISMISSED,
    MAX_ITEMS, MAX_PUSHES, PROFILE_VERSION,
};
use crate::error::{Error, Result};
use crate::util::geo::LatLng;
use crate::util::wire::{Reader, Writer};

const MAGIC: &[u8; 4] = b"GRPF";

impl Profile {
    /// The saved form: `GRPF`, version byte, payload (postcard's encoding), CRC-32
    /// (LE).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer(Vec::with_capacity(256));
        w.0.extend_from_slice(MAGIC);
        w.u8(PROFILE_VERSION);
        self.write(&mut w);
        let crc = crate::util::crc32::checksum(&w.0);
        w.0.extend_from_slice(&crc.to_le_bytes());
        w.0
    }

    /// The saved form as standard base64 text (for `localStorage` / `wx.setStorage`).
    pub fn to_base64(&self) -> String {
        b64::encode(&self.to_bytes())
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
        if crate::util::crc32::checksum(body) != stored {
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
        let bytes = b64::decode(text.trim())
            .map_err(|e| Error::corrupt("profile", format!("invalid base64: {e}")))?;
        Self::from_bytes(&bytes)
    }

    /// Checks the invariants a decoded profile must satisfy.
    pub(super) fn check(&self) -> std::result::Result<(), String> {
        let finite = |x: f64| x.is_finite();
        if self.age.is_some_and(|a| a > 150) {
            return Err("age out of range".into());
        }
        if self.income_band.is_some_and(|b| !(1..=5).contains(&b)) {
            return Err("income band out of range".into());
        }
        if let Some(l) = self.location {
            if crate::util::geo::check_lat_lng(l.lat, l.lng).is_err() {
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
    pub(super) fn write(&self, w: &mut Writer) {
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
    pub(super) fn read(r: &mut Reader, version: u8) -> Self {
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
pub(super) fn payload_error(message: String) -> Error {
    Error::corrupt("profile", format!("cannot decode saved profile: {message}"))
}
