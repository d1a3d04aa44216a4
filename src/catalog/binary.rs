//! The compact binary catalog: versioned, little-endian, column by column, with a
//! CRC-32 trailer. It is what a server ships for big catalogs (100k+ offers): loading
//! is a bounds-checked bulk copy into the engine's columns, with no JSON parsing and
//! no per-offer objects. The layout is documented in `docs/BINARY_CATALOG.md`.
//!
//! Coordinates are stored converted to WGS-84 and offers store the derived columns
//! the scorer reads (discount depth, normalised embedding rows), so decoding a file
//! gives exactly the catalog that was encoded: the same rankings, bit for bit.

use crate::catalog::{Area, Catalog, Columns, Store, AGE_BANDS, INCOME_BANDS};
use crate::contract::input::{Datum, StoreKind};
use crate::error::{describe_number, Error, ErrorCode, Result};
use crate::util::geo::{check_lat_lng, LatLng, UnitVector};
use crate::util::wire::{Reader, Writer};

/// File magic: "goods-ranker catalog, binary".
pub const MAGIC: &[u8; 4] = b"GRCB";
/// The binary format version this build writes and reads.
pub const VERSION: u16 = 2;
/// Where errors about binary input point.
const PATH: &str = "catalog";

/// Encodes a catalog (with the datum new stores default to).
pub fn encode(catalog: &Catalog, datum: Datum) -> Vec<u8> {
    let c = &catalog.cols;
    let n = c.ids.len();
    let d = catalog.embedding_dim();
    let mut w = Writer(Vec::with_capacity(64 + n * (40 + d * 4)));
    w.0.extend_from_slice(MAGIC);
    w.u16(VERSION);
    w.u8(match datum {
        Datum::Wgs84 => 0,
        Datum::Gcj02 => 1,
    });
    w.u8(0);
    w.u32(catalog.stores().len() as u32);
    w.u32(catalog.categories().len() as u32);
    w.u32(n as u32);
    w.u32(d as u32);
    for s in catalog.stores() {
        w.str(&s.id);
        w.str(&s.name);
        w.f64(s.position.lat);
        w.f64(s.position.lng);
        w.f64(s.radius_km.unwrap_or(f64::NAN));
        w.u8(match s.kind {
            None => 0,
            Some(StoreKind::PickupPoint) => 1,
            Some(StoreKind::Store) => 2,
            Some(StoreKind::Warehouse) => 3,
        });
    }
    for name in catalog.categories() {
        w.str(name);
    }
    w.strings(&c.ids);
    w.strings(&c.titles);
    w.column(&c.store, |w, x| w.u32(*x));
    w.column(&c.category, |w, x| w.u32(*x));
    w.column(&c.price, |w, x| w.f64(*x));
    w.column(&c.discount, |w, x| w.f32(*x));
    w.column(&c.stock, |w, x| w.u32(*x));
    w.column(&c.popularity, |w, x| w.f32(*x));
    w.column(&c.starts_at, |w, x| w.f64(*x));
    w.column(&c.ends_at, |w, x| w.f64(*x));
    w.0.extend_from_slice(&c.age_min);
    w.0.extend_from_slice(&c.age_max);
    w.0.extend_from_slice(&c.min_age);
    w.0.extend_from_slice(&c.income_mask);
    w.column(&c.repurchase_days, |w, x| w.f32(*x));
    w.column(&c.boost, |w, x| w.f32(*x));
    w.column(&c.has_embedding, |w, x| w.u8(u8::from(*x)));
    w.column(&c.embeddings, |w, x| w.f32(*x));
    // Version 2: learned fields.
    w.u32(catalog.areas().len() as u32);
    for a in catalog.areas() {
        w.str(&a.id);
        w.f64(a.position.lat);
        w.f64(a.position.lng);
        w.f64(a.radius_km);
    }
    w.column(&c.age_lift, |w, x| w.f32(*x));
    w.column(&c.income_lift, |w, x| w.f32(*x));
    w.column(&c.repurchase_rate, |w, x| w.f32(*x));
    w.column(&c.area_popularity, |w, x| w.f32(*x));
    let crc = crate::util::crc32::checksum(&w.0);
    w.u32(crc);
    w.0
}

/// Decodes a catalog; returns it with the datum it was encoded with.
///
/// # Errors
/// `corruptState` at `catalog` for a file that is truncated, fails its checksum, is of
/// another version, or holds impossible values; `duplicateId` for repeated ids.
pub fn decode(bytes: &[u8]) -> Result<(Catalog, Datum)> {
    if bytes.len() < 4 + 2 + 2 + 16 + 4 {
        return Err(corrupt(format!(
            "binary catalog is truncated ({} bytes)",
            bytes.len()
        )));
    }
    if &bytes[..4] != MAGIC {
        return Err(corrupt("not a binary catalog (bad magic)".into()));
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != VERSION {
        return Err(corrupt(format!(
            "unsupported binary catalog version {version} (this build reads {VERSION}; \
             re-encode version-1 files from their JSON with this build)"
        )));
    }
    let (body, trailer) = bytes.split_at(bytes.len() - 4);
    let stored = u32::from_le_bytes([trailer[0], trailer[1], trailer[2], trailer[3]]);
    if crate::util::crc32::checksum(body) != stored {
        return Err(corrupt(
            "checksum mismatch: binary catalog is truncated or corrupted".into(),
        ));
    }
    let mut r = Reader::new(body, 6, "binary catalog", corrupt);
    let datum = match r.u8() {
        0 => Datum::Wgs84,
        1 => Datum::Gcj02,
        x => return Err(corrupt(format!("unknown datum code {x}"))),
    };
    r.u8();
    let n_stores = r.count(crate::catalog::limits::MAX_STORES, "stores");
    let n_categories = r.count(crate::catalog::limits::MAX_OFFERS, "categories");
    let n = r.count(crate::catalog::limits::MAX_OFFERS, "offers");
    let d = r.count(
        crate::catalog::limits::MAX_EMBEDDING_DIM,
        "embedding dimension",
    );
    let mut stores = Vec::with_capacity(n_stores.min(r.remaining() / 29));
    for _ in 0..n_stores {
        let id = r.str();
        let name = r.str();
        let (lat, lng) = (r.f64(), r.f64());
        let radius = r.f64();
        let kind = r.u8();
        if r.error.is_some() {
            break;
        }
        check_lat_lng(lat, lng)
            .map_err(|(field, m)| corrupt(format!("store {id}: {field}: {m}")))?;
        let radius_km = if radius.is_nan() {
            None
        } else if radius.is_finite() && radius > 0.0 {
            Some(radius)
        } else {
            return Err(corrupt(format!(
                "store {id}: invalid radius {}",
                describe_number(radius)
            )));
        };
        let kind = match kind {
            0 => None,
            1 => Some(StoreKind::PickupPoint),
            2 => Some(StoreKind::Store),
            3 => Some(StoreKind::Warehouse),
            x => return Err(corrupt(format!("store {id}: unknown kind code {x}"))),
        };
        let position = LatLng::new(lat, lng);
        stores.push(Store {
            id,
            name,
            position,
            unit: UnitVector::new(position),
            radius_km,
            kind,
        });
    }
    let mut categories = Vec::with_capacity(n_categories.min(r.remaining() / 2));
    for _ in 0..n_categories {
        categories.push(r.str());
    }
    let ids = r.strings(n);
    let titles = r.strings(n);
    let store = r.column(n, u32::from_le_bytes);
    let category = r.column(n, u32::from_le_bytes);
    let price = r.column(n, f64::from_le_bytes);
    let discount = r.column(n, f32::from_le_bytes);
    let stock = r.column(n, u32::from_le_bytes);
    let popularity = r.column(n, f32::from_le_bytes);
    let starts_at = r.column(n, f64::from_le_bytes);
    let ends_at = r.column(n, f64::from_le_bytes);
    let age_min = r.bytes(n);
    let age_max = r.bytes(n);
    let min_age = r.bytes(n);
    let income_mask = r.bytes(n);
    let repurchase_days = r.column(n, f32::from_le_bytes);
    let boost = r.column(n, f32::from_le_bytes);
    let has_embedding = r
        .bytes(n)
        .into_iter()
        .map(|b| b != 0)
        .collect::<Vec<bool>>();
    let embeddings = r.column(n * d, f32::from_le_bytes);
    let n_areas = r.count(crate::catalog::limits::MAX_AREAS, "areas");
    let mut areas = Vec::with_capacity(n_areas);
    for _ in 0..n_areas {
        let id = r.str();
        let (lat, lng) = (r.f64(), r.f64());
        let radius_km = r.f64();
        if r.error.is_some() {
            break;
        }
        check_lat_lng(lat, lng)
            .map_err(|(field, m)| corrupt(format!("area {id}: {field}: {m}")))?;
        if !(radius_km.is_finite() && radius_km > 0.0) {
            return Err(corrupt(format!(
                "area {id}: invalid radius {}",
                describe_number(radius_km)
            )));
        }
        let position = LatLng::new(lat, lng);
        areas.push(Area {
            id,
            position,
            unit: UnitVector::new(position),
            radius_km,
        });
    }
    let age_lift = r.column(n * AGE_BANDS, f32::from_le_bytes);
    let income_lift = r.column(n * INCOME_BANDS, f32::from_le_bytes);
    let repurchase_rate = r.column(n, f32::from_le_bytes);
    let area_popularity = r.column(n * n_areas, f32::from_le_bytes);
    if let Some(error) = r.error {
        return Err(error);
    }
    if r.at != body.len() {
        return Err(corrupt(format!(
            "{} unexpected bytes after the offers",
            body.len() - r.at
        )));
    }
    if store.iter().any(|s| *s as usize >= n_stores) {
        return Err(corrupt(
            "an offer refers to a store that does not exist".into(),
        ));
    }
    if category.iter().any(|c| *c as usize >= n_categories) {
        return Err(corrupt(
            "an offer refers to a category that does not exist".into(),
        ));
    }
    if price.iter().any(|p| !(p.is_finite() && *p > 0.0)) {
        return Err(corrupt("a price is not a positive number".into()));
    }
    let unit = |x: &f32| x.is_finite() && (0.0..=1.0).contains(x);
    let valid = discount.iter().all(unit)
        && boost.iter().all(unit)
        && popularity.iter().all(|p| p.is_finite() && *p >= 0.0)
        && repurchase_days.iter().all(|x| x.is_finite() && *x >= 0.0)
        && embeddings.iter().all(|x| x.is_finite())
        && starts_at
            .iter()
            .zip(&ends_at)
            .all(|(s, e)| !s.is_nan() && !e.is_nan() && s < e)
        && age_min.iter().zip(&age_max).all(|(lo, hi)| lo <= hi)
        && income_mask.iter().all(|m| *m < 32)
        && age_lift
            .iter()
            .chain(&income_lift)
            .all(|x| x.is_finite() && *x >= 0.0)
        && repurchase_rate
            .iter()
            .all(|x| x.is_finite() && (0.0..=1.0).contains(x))
        && area_popularity.iter().all(|p| p.is_finite() && *p >= 0.0);
    if !valid {
        return Err(corrupt("an offer holds an impossible value".into()));
    }
    let ln_popularity = popularity
        .iter()
        .map(|p| libm::log1p(f64::from(*p)) as f32)
        .collect();
    let ln_price = price.iter().map(|p| libm::log(*p) as f32).collect();
    let ln_area_popularity = area_popularity
        .iter()
        .map(|p| libm::log1p(f64::from(*p)) as f32)
        .collect();
    let cols = Columns {
        ids,
        titles,
        store,
        category,
        price,
        ln_price,
        discount,
        stock,
        ln_popularity,
        popularity,
        starts_at,
        ends_at,
        age_min,
        age_max,
        min_age,
        income_mask,
        repurchase_days,
        boost,
        embeddings,
        has_embedding,
        age_lift,
        income_lift,
        repurchase_rate,
        area_popularity,
        ln_area_popularity,
    };
    let catalog = Catalog::from_parts(d, areas, stores, categories, cols, PATH)?;
    Ok((catalog, datum))
}

fn corrupt(message: String) -> Error {
    Error::new(ErrorCode::CorruptState, PATH, message)
}

/// The binary catalog's own layouts (u32 lengths, string tables, columns).
impl Writer {
    /// A u32 byte length and UTF-8 bytes.
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    /// n + 1 u32 end offsets (starting at 0), then all bytes.
    fn strings(&mut self, list: &[String]) {
        let mut end = 0u32;
        self.u32(0);
        for s in list {
            end += s.len() as u32;
            self.u32(end);
        }
        for s in list {
            self.0.extend_from_slice(s.as_bytes());
        }
    }
    fn column<T>(&mut self, values: &[T], mut put: impl FnMut(&mut Self, &T)) {
        for v in values {
            put(self, v);
        }
    }
}

/// The binary catalog's own layouts (u32 counts and lengths, string tables,
/// columns).
impl Reader<'_> {
    /// A count bounded by `max` (0 after an error).
    fn count(&mut self, max: usize, what: &str) -> usize {
        let n = self.u32() as usize;
        if n > max {
            self.fail(format!("too many {what} ({n} > {max})"));
            return 0;
        }
        n
    }

    fn str(&mut self) -> String {
        let len = self.u32() as usize;
        let raw = self.take(len);
        self.utf8(raw)
    }

    #[inline(never)]
    fn strings(&mut self, n: usize) -> Vec<String> {
        let offsets = self.column(n + 1, u32::from_le_bytes);
        let total = offsets.last().map_or(0, |&t| t as usize);
        let blob = self.take(total);
        let Ok(text) = std::str::from_utf8(blob) else {
            self.fail("a string is not valid UTF-8".into());
            return Vec::new();
        };
        if offsets.first().is_some_and(|&first| first != 0) {
            self.fail("string offsets must start at 0".into());
            return Vec::new();
        }
        let mut out = Vec::with_capacity(n);
        for pair in offsets.windows(2) {
            let (start, end) = (pair[0] as usize, pair[1] as usize);
            match text.get(start..end) {
                Some(s) if start <= end => out.push(s.to_string()),
                _ => {
                    self.fail("string offsets are out of order".into());
                    return Vec::new();
                }
            }
        }
        out
    }

    /// `n` little-endian values of `N` bytes each, in one bounds check (empty after
    /// an error).
    #[inline(never)]
    fn column<T, const N: usize>(&mut self, n: usize, convert: fn([u8; N]) -> T) -> Vec<T> {
        let Some(len) = n.checked_mul(N) else {
            self.fail("column too long".into());
            return Vec::new();
        };
        self.take(len)
            .chunks_exact(N)
            .map(|chunk| {
                let mut a = [0u8; N];
                a.copy_from_slice(chunk);
                convert(a)
            })
            .collect()
    }

    /// `n` bytes as a vector.
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        self.take(n).to_vec()
    }
}
