//! Validation of catalog input: offers, stores and areas, each checked in full
//! (with the path of the first problem) before anything is written.

use super::{
    limits, Area, Catalog, HashMap, Store, AGE_BANDS, DEFAULT_AREA_RADIUS_KM, INCOME_BANDS,
    NO_AGE_MAX, UNLIMITED_STOCK,
};
use crate::contract::check::{check_positive, check_time};
use crate::contract::input::{AreaInput, Datum, OfferInput, StoreInput};
use crate::error::{describe_number, Error, ErrorCode, Result};
use crate::util::geo::{check_lat_lng, to_wgs84, UnitVector};

/// An offer after validation, ready to be written into the columns.
pub(super) struct OfferRow {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) store: u32,
    pub(super) category: String,
    pub(super) price: f64,
    pub(super) discount: f32,
    pub(super) stock: u32,
    pub(super) popularity: f32,
    pub(super) starts_at: f64,
    pub(super) ends_at: f64,
    pub(super) age_min: u8,
    pub(super) age_max: u8,
    pub(super) min_age: u8,
    pub(super) income_mask: u8,
    pub(super) repurchase_days: f32,
    pub(super) boost: f32,
    pub(super) embedding: Option<Vec<f32>>,
    pub(super) age_lift: [f32; AGE_BANDS],
    pub(super) income_lift: [f32; INCOME_BANDS],
    pub(super) repurchase_rate: f32,
    pub(super) area_popularity: Vec<f32>,
}

impl Catalog {
    /// Validates a batch of offers against the current stores and each other.
    /// `allow_existing` permits ids already in the catalog (upsert).
    pub(super) fn validate_offers(
        &self,
        offers: Vec<OfferInput>,
        path: &str,
        allow_existing: bool,
    ) -> Result<Vec<OfferRow>> {
        let mut seen: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(offers.len(), Default::default());
        for (i, offer) in offers.iter().enumerate() {
            if let Some(first) = seen.insert(offer.id.as_str(), i) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}[{i}].id"),
                    format!("duplicate id \"{}\" (also at {path}[{first}])", offer.id),
                ));
            }
            if !allow_existing && self.offer_idx(&offer.id).is_some() {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}[{i}].id"),
                    format!("duplicate id \"{}\"", offer.id),
                ));
            }
        }
        drop(seen);
        let mut rows = Vec::with_capacity(offers.len());
        for (i, offer) in offers.into_iter().enumerate() {
            let row = self
                .validate_offer(offer)
                .map_err(|e| e.within(&format!("{path}[{i}]")))?;
            rows.push(row);
        }
        Ok(rows)
    }

    fn validate_offer(&self, o: OfferInput) -> Result<OfferRow> {
        check_id(&o.id, "id")?;
        check_text(&o.title, "title")?;
        check_text(&o.category, "category")?;
        for (field, list) in [("categoryPath", &o.category_path), ("tags", &o.tags)] {
            if let Some(list) = list {
                check_count(field, list.len(), limits::MAX_TAGS)?;
                for (i, t) in list.iter().enumerate() {
                    check_text(t, &format!("{field}[{i}]"))?;
                }
            }
        }
        let price = check_positive(o.price, "price", limits::MAX_PRICE)?;
        let discount = match o.original_price {
            None => 0.0,
            Some(orig) => {
                let orig = check_positive(orig, "originalPrice", limits::MAX_PRICE)?;
                if orig < price {
                    return Err(Error::invalid(
                        "originalPrice",
                        format!(
                            "expected a number ≥ price ({}), got {}",
                            describe_number(price),
                            describe_number(orig)
                        ),
                    ));
                }
                (1.0 - price / orig) as f32
            }
        };
        let store = *self.store_index.get(&o.store_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownId,
                "storeId",
                format!("unknown store id \"{}\"", o.store_id),
            )
        })?;
        let popularity = match o.popularity {
            None => 0.0,
            Some(p) => check_non_negative(p, "popularity", limits::MAX_POPULARITY)? as f32,
        };
        let starts_at = match o.starts_at {
            None => f64::NEG_INFINITY,
            Some(t) => {
                check_time(t, "startsAt")?;
                t
            }
        };
        let ends_at = match o.ends_at {
            None => f64::INFINITY,
            Some(t) => {
                check_time(t, "endsAt")?;
                if t <= starts_at {
                    return Err(Error::invalid(
                        "endsAt",
                        format!(
                            "expected a time after startsAt ({}), got {}",
                            describe_number(starts_at),
                            describe_number(t)
                        ),
                    ));
                }
                t
            }
        };
        let age_min = check_age(o.age_min, "ageMin")?.unwrap_or(0);
        let age_max = check_age(o.age_max, "ageMax")?.unwrap_or(NO_AGE_MAX);
        if age_min > age_max {
            return Err(Error::invalid(
                "ageMax",
                format!("expected an age ≥ ageMin ({age_min}), got {age_max}"),
            ));
        }
        let min_age = check_age(o.min_age, "minAge")?.unwrap_or(0);
        let mut income_mask = 0u8;
        if let Some(bands) = &o.income_bands {
            if bands.is_empty() {
                return Err(Error::invalid(
                    "incomeBands",
                    "expected at least one band (omit the field for no targeting)",
                ));
            }
            check_count("incomeBands", bands.len(), 5)?;
            for (i, b) in bands.iter().enumerate() {
                if !(1..=5).contains(b) {
                    return Err(Error::invalid(
                        format!("incomeBands[{i}]"),
                        format!("expected an income band in 1..=5, got {b}"),
                    ));
                }
                income_mask |= 1 << (b - 1);
            }
        }
        let repurchase_days = match o.repurchase_days {
            None => 0.0,
            Some(d) => check_positive(d, "repurchaseDays", limits::MAX_REPURCHASE_DAYS)? as f32,
        };
        let boost = match o.boost {
            None => 0.0,
            Some(b) if b.is_finite() && (0.0..=1.0).contains(&b) => b as f32,
            Some(b) => {
                return Err(Error::invalid(
                    "boost",
                    format!("expected a number in 0..=1, got {}", describe_number(b)),
                ))
            }
        };
        if let Some(e) = &o.embedding {
            if self.embedding_dim == 0 {
                return Err(Error::invalid(
                    "embedding",
                    "the catalog has no embeddingDim; set it to use embeddings",
                ));
            }
            if e.len() != self.embedding_dim {
                return Err(Error::invalid(
                    "embedding",
                    format!(
                        "expected {} numbers (embeddingDim), got {}",
                        self.embedding_dim,
                        e.len()
                    ),
                ));
            }
            if let Some(j) = e.iter().position(|x| !x.is_finite()) {
                return Err(Error::invalid(
                    format!("embedding[{j}]"),
                    format!(
                        "expected a finite number, got {}",
                        describe_number(f64::from(e[j]))
                    ),
                ));
            }
        }
        let age_lift = check_lift(o.age_lift.as_deref(), "ageLift")?;
        let income_lift = check_lift(o.income_lift.as_deref(), "incomeLift")?;
        let repurchase_rate = match o.repurchase_rate {
            None => 0.0,
            Some(r) if r.is_finite() && r > 0.0 && r <= 1.0 => r as f32,
            Some(r) => {
                return Err(Error::invalid(
                    "repurchaseRate",
                    format!("expected a number in (0, 1], got {}", describe_number(r)),
                ))
            }
        };
        let a = self.areas.len();
        let area_popularity = match &o.area_popularity {
            None => vec![0.0; a],
            Some(list) => {
                if list.len() != a {
                    return Err(Error::invalid(
                        "areaPopularity",
                        format!(
                            "expected {a} numbers (one per catalog area), got {}",
                            list.len()
                        ),
                    ));
                }
                let mut out = Vec::with_capacity(a);
                for (j, p) in list.iter().enumerate() {
                    out.push(check_non_negative(
                        *p,
                        &format!("areaPopularity[{j}]"),
                        limits::MAX_POPULARITY,
                    )? as f32);
                }
                out
            }
        };
        Ok(OfferRow {
            age_lift,
            income_lift,
            repurchase_rate,
            area_popularity,
            id: o.id,
            title: o.title,
            store,
            category: o.category,
            price,
            discount,
            stock: o.stock.unwrap_or(UNLIMITED_STOCK).min(UNLIMITED_STOCK - 1),
            popularity,
            starts_at,
            ends_at,
            age_min,
            age_max,
            min_age,
            income_mask,
            repurchase_days,
            boost,
            embedding: o.embedding,
        })
    }
}

/// Validates a learned lift row of `N` positive numbers; zeros when absent.
fn check_lift<const N: usize>(lift: Option<&[f32]>, path: &str) -> Result<[f32; N]> {
    let mut out = [0.0; N];
    let Some(lift) = lift else {
        return Ok(out);
    };
    if lift.len() != N {
        return Err(Error::invalid(
            path,
            format!("expected {N} numbers (one per band), got {}", lift.len()),
        ));
    }
    for (j, x) in lift.iter().enumerate() {
        let x = f64::from(*x);
        check_positive(x, &format!("{path}[{j}]"), limits::MAX_LIFT)?;
        out[j] = x as f32;
    }
    Ok(out)
}

pub(super) fn validate_areas(areas: &[AreaInput], datum: Datum) -> Result<Vec<Area>> {
    check_count("areas", areas.len(), limits::MAX_AREAS)?;
    let mut seen: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(areas.len(), Default::default());
    let mut out = Vec::with_capacity(areas.len());
    for (i, a) in areas.iter().enumerate() {
        let at = |field: &str| format!("areas[{i}].{field}");
        if let Some(first) = seen.insert(a.id.as_str(), i) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                at("id"),
                format!("duplicate id \"{}\" (also at areas[{first}])", a.id),
            ));
        }
        check_id(&a.id, "id").map_err(|e| e.within(&format!("areas[{i}]")))?;
        check_lat_lng(a.lat, a.lng).map_err(|(field, msg)| Error::invalid(at(field), msg))?;
        let radius_km = match a.radius_km {
            None => DEFAULT_AREA_RADIUS_KM,
            Some(r) => check_positive(r, "radiusKm", limits::MAX_RADIUS_KM)
                .map_err(|e| e.within(&format!("areas[{i}]")))?,
        };
        let position = to_wgs84(a.lat, a.lng, a.datum.unwrap_or(datum));
        out.push(Area {
            id: a.id.clone(),
            position,
            unit: UnitVector::new(position),
            radius_km,
        });
    }
    Ok(out)
}

pub(super) fn validate_stores(
    stores: &[StoreInput],
    datum: Datum,
    existing: &HashMap<String, u32>,
    path: &str,
) -> Result<Vec<Store>> {
    let _ = existing;
    let mut seen: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(stores.len(), Default::default());
    let mut out = Vec::with_capacity(stores.len());
    for (i, s) in stores.iter().enumerate() {
        let at = |field: &str| format!("{path}[{i}].{field}");
        if let Some(first) = seen.insert(s.id.as_str(), i) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                at("id"),
                format!("duplicate id \"{}\" (also at {path}[{first}])", s.id),
            ));
        }
        check_id(&s.id, "id").map_err(|e| e.within(&format!("{path}[{i}]")))?;
        check_text(&s.name, "name").map_err(|e| e.within(&format!("{path}[{i}]")))?;
        check_lat_lng(s.lat, s.lng).map_err(|(field, msg)| Error::invalid(at(field), msg))?;
        let radius_km = match s.delivery_radius_km {
            None => None,
            Some(r) => Some(
                check_positive(r, "deliveryRadiusKm", limits::MAX_RADIUS_KM)
                    .map_err(|e| e.within(&format!("{path}[{i}]")))?,
            ),
        };
        let position = to_wgs84(s.lat, s.lng, s.datum.unwrap_or(datum));
        out.push(Store {
            id: s.id.clone(),
            name: s.name.clone(),
            position,
            unit: UnitVector::new(position),
            radius_km,
            kind: s.kind,
        });
    }
    Ok(out)
}

pub(super) fn check_count(path: &str, n: usize, max: usize) -> Result<()> {
    if n > max {
        Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("too many entries ({n} > {max})"),
        ))
    } else {
        Ok(())
    }
}

fn check_id(id: &str, path: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid(path, "expected a non-empty id"));
    }
    if id.len() > limits::MAX_ID_LEN {
        return Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("id longer than {} bytes", limits::MAX_ID_LEN),
        ));
    }
    Ok(())
}

fn check_text(text: &str, path: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(path, "expected a non-empty string"));
    }
    if text.len() > limits::MAX_TEXT_LEN {
        return Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("text longer than {} bytes", limits::MAX_TEXT_LEN),
        ));
    }
    Ok(())
}

fn check_non_negative(x: f64, path: &str, max: f64) -> Result<f64> {
    if x.is_finite() && (0.0..=max).contains(&x) {
        Ok(x)
    } else {
        Err(Error::invalid(
            path,
            format!(
                "expected a number in 0..={}, got {}",
                describe_number(max),
                describe_number(x)
            ),
        ))
    }
}

fn check_age(age: Option<u32>, path: &str) -> Result<Option<u8>> {
    match age {
        None => Ok(None),
        Some(a) if a <= limits::MAX_AGE => Ok(Some(a as u8)),
        Some(a) => Err(Error::invalid(
            path,
            format!("expected an age in 0..={}, got {a}", limits::MAX_AGE),
        )),
    }
}
