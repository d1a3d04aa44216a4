//! The catalog as the server ships it: stores, offers, areas of learned popularity.

use serde::Serialize;

use super::is_default;
use crate::contract::value::{read_fields, At, FromValue, Value};
use crate::error::Result;

/// Geodetic datum of a coordinate pair.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Datum {
    /// WGS-84, as GPS, the browser Geolocation API and `wx.getLocation({type: 'wgs84'})`
    /// report. The default.
    #[default]
    #[serde(rename = "wgs84")]
    Wgs84,
    /// GCJ-02, the offset datum of Chinese map SDKs (AMap, Tencent Maps) and of
    /// `wx.getLocation({type: 'gcj02'})`.
    #[serde(rename = "gcj02")]
    Gcj02,
}

/// A catalog as the server ships it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogInput {
    /// Format version; this build reads version 1.
    pub version: u32,
    /// Datum of every store coordinate that does not name its own. Default `wgs84`.
    #[serde(default, skip_serializing_if = "is_default")]
    pub datum: Datum,
    /// Length of every offer embedding; required when any offer has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding_dim: Option<u32>,
    /// Stores, pickup points and warehouses that offers are sold from.
    pub stores: Vec<StoreInput>,
    /// The offers to rank.
    pub offers: Vec<OfferInput>,
    /// Areas that learned per-area popularity refers to (`offers[i].areaPopularity[j]`
    /// is the popularity in `areas[j]`); produced by enrichment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub areas: Option<Vec<AreaInput>>,
}

/// An area of learned popularity: where a group of customers lives (a residential
/// compound, a postcode). A user is in the nearest area whose radius covers them.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaInput {
    /// Unique area id.
    pub id: String,
    /// Latitude of its centre in degrees.
    pub lat: f64,
    /// Longitude of its centre in degrees.
    pub lng: f64,
    /// Datum of `lat`/`lng`; defaults to the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
    /// Users within this many km of the centre belong to it; default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub radius_km: Option<f64>,
}

/// What kind of place a store is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum StoreKind {
    /// A community group-buying pickup point (自提点).
    PickupPoint,
    /// A shop that delivers or serves walk-in customers.
    Store,
    /// A warehouse that only delivers.
    Warehouse,
}

/// A place offers are sold from.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoreInput {
    /// Unique store id.
    pub id: String,
    /// Display name, e.g. 「望京西园三区自提点」.
    pub name: String,
    /// Latitude in degrees, -90..=90.
    pub lat: f64,
    /// Longitude in degrees, -180..=180.
    pub lng: f64,
    /// Datum of `lat`/`lng`; defaults to the catalog's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
    /// Delivery or pickup radius in km; users farther away cannot be served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_radius_km: Option<f64>,
    /// What kind of place this is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<StoreKind>,
}

/// One product offer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferInput {
    /// Unique offer id.
    pub id: String,
    /// Product title shown to the user.
    pub title: String,
    /// Leaf category, e.g. 「蛋品」.
    pub category: String,
    /// Category path from the root, e.g. `["肉禽蛋", "蛋品"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category_path: Option<Vec<String>>,
    /// Free-form tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    /// Price in CNY, > 0.
    pub price: f64,
    /// List price before discount in CNY, ≥ price.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_price: Option<f64>,
    /// Id of the store selling it.
    pub store_id: String,
    /// Units in stock; 0 filters the offer out, absent means unlimited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    /// Recent sales count (any consistent window), ≥ 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub popularity: Option<f64>,
    /// Start of the sale window, epoch ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<f64>,
    /// End of the sale window, epoch ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<f64>,
    /// Soft age targeting: youngest intended buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_min: Option<u32>,
    /// Soft age targeting: oldest intended buyer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_max: Option<u32>,
    /// Hard restriction: minimum legal age (alcohol: 18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// Income bands (1–5) the offer is aimed at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_bands: Option<Vec<u8>>,
    /// Typical replenishment cycle in days for consumables.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurchase_days: Option<f64>,
    /// Business boost in 0..=1 (1 = pinned-level promotion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boost: Option<f64>,
    /// Item embedding of length `embeddingDim`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embedding: Option<Vec<f32>>,
    /// Learned: audience lift per age band (10 bands: < 25, 25–29, …, 60–64, ≥ 65),
    /// P(band | buyer of this offer) / P(band), smoothed; > 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_lift: Option<Vec<f32>>,
    /// Learned: audience lift per income band 1..=5, as `ageLift`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_lift: Option<Vec<f32>>,
    /// Learned: recent sales per catalog area (same order and length as `areas`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_popularity: Option<Vec<f64>>,
    /// Learned: share of this offer's buyers who bought it again, smoothed; in (0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repurchase_rate: Option<f64>,
}

impl FromValue for Datum {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(at, 2, &[("wgs84", Datum::Wgs84), ("gcj02", Datum::Gcj02)])
    }
}

impl FromValue for StoreKind {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            3,
            &[
                ("pickupPoint", StoreKind::PickupPoint),
                ("store", StoreKind::Store),
                ("warehouse", StoreKind::Warehouse),
            ],
        )
    }
}

impl FromValue for CatalogInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = CatalogInput {
            version: 0,
            datum: Datum::Wgs84,
            embedding_dim: None,
            stores: Vec::new(),
            offers: Vec::new(),
            areas: None,
        };
        read_fields(
            value,
            at,
            "CatalogInput",
            &[
                "version",
                "datum",
                "embeddingDim",
                "stores",
                "offers",
                "areas",
            ],
            0b11001,
            &mut |i, v, at| {
                match i {
                    0 => o.version = FromValue::read(v, at)?,
                    1 => o.datum = FromValue::read(v, at)?,
                    2 => o.embedding_dim = Some(FromValue::read(v, at)?),
                    3 => o.stores = FromValue::read(v, at)?,
                    4 => o.offers = FromValue::read(v, at)?,
                    5 => o.areas = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for AreaInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = AreaInput {
            id: String::new(),
            lat: 0.0,
            lng: 0.0,
            datum: None,
            radius_km: None,
        };
        read_fields(
            value,
            at,
            "AreaInput",
            &["id", "lat", "lng", "datum", "radiusKm"],
            0b111,
            &mut |i, v, at| {
                match i {
                    0 => o.id = FromValue::read(v, at)?,
                    1 => o.lat = FromValue::read(v, at)?,
                    2 => o.lng = FromValue::read(v, at)?,
                    3 => o.datum = Some(FromValue::read(v, at)?),
                    4 => o.radius_km = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for StoreInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = StoreInput {
            id: String::new(),
            name: String::new(),
            lat: 0.0,
            lng: 0.0,
            datum: None,
            delivery_radius_km: None,
            kind: None,
        };
        read_fields(
            value,
            at,
            "StoreInput",
            &[
                "id",
                "name",
                "lat",
                "lng",
                "datum",
                "deliveryRadiusKm",
                "kind",
            ],
            0b1111,
            &mut |i, v, at| {
                match i {
                    0 => o.id = FromValue::read(v, at)?,
                    1 => o.name = FromValue::read(v, at)?,
                    2 => o.lat = FromValue::read(v, at)?,
                    3 => o.lng = FromValue::read(v, at)?,
                    4 => o.datum = Some(FromValue::read(v, at)?),
                    5 => o.delivery_radius_km = Some(FromValue::read(v, at)?),
                    6 => o.kind = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for OfferInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = OfferInput {
            id: String::new(),
            title: String::new(),
            category: String::new(),
            category_path: None,
            tags: None,
            price: 0.0,
            original_price: None,
            store_id: String::new(),
            stock: None,
            popularity: None,
            starts_at: None,
            ends_at: None,
            age_min: None,
            age_max: None,
            min_age: None,
            income_bands: None,
            repurchase_days: None,
            boost: None,
            embedding: None,
            age_lift: None,
            income_lift: None,
            area_popularity: None,
            repurchase_rate: None,
        };
        read_fields(
            value,
            at,
            "OfferInput",
            &[
                "id",
                "title",
                "category",
                "categoryPath",
                "tags",
                "price",
                "originalPrice",
                "storeId",
                "stock",
                "popularity",
                "startsAt",
                "endsAt",
                "ageMin",
                "ageMax",
                "minAge",
                "incomeBands",
                "repurchaseDays",
                "boost",
                "embedding",
                "ageLift",
                "incomeLift",
                "areaPopularity",
                "repurchaseRate",
            ],
            0b10100111,
            &mut |i, v, at| {
                match i {
                    0 => o.id = FromValue::read(v, at)?,
                    1 => o.title = FromValue::read(v, at)?,
                    2 => o.category = FromValue::read(v, at)?,
                    3 => o.category_path = Some(FromValue::read(v, at)?),
                    4 => o.tags = Some(FromValue::read(v, at)?),
                    5 => o.price = FromValue::read(v, at)?,
                    6 => o.original_price = Some(FromValue::read(v, at)?),
                    7 => o.store_id = FromValue::read(v, at)?,
                    8 => o.stock = Some(FromValue::read(v, at)?),
                    9 => o.popularity = Some(FromValue::read(v, at)?),
                    10 => o.starts_at = Some(FromValue::read(v, at)?),
                    11 => o.ends_at = Some(FromValue::read(v, at)?),
                    12 => o.age_min = Some(FromValue::read(v, at)?),
                    13 => o.age_max = Some(FromValue::read(v, at)?),
                    14 => o.min_age = Some(FromValue::read(v, at)?),
                    15 => o.income_bands = Some(FromValue::read(v, at)?),
                    16 => o.repurchase_days = Some(FromValue::read(v, at)?),
                    17 => o.boost = Some(FromValue::read(v, at)?),
                    18 => o.embedding = Some(FromValue::read(v, at)?),
                    19 => o.age_lift = Some(FromValue::read(v, at)?),
                    20 => o.income_lift = Some(FromValue::read(v, at)?),
                    21 => o.area_popularity = Some(FromValue::read(v, at)?),
                    22 => o.repurchase_rate = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}
