//! What is known about a user up front, and the events that teach the profile.

use serde::Serialize;

use super::Datum;
use crate::contract::value::{read_fields, At, FromValue, Value};
use crate::error::Result;

/// A location with its datum.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocationInput {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lng: f64,
    /// Datum of the pair; default `wgs84`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datum: Option<Datum>,
}

/// One past purchase.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchaseInput {
    /// The offer bought.
    pub offer_id: String,
    /// Its leaf category, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Unit price paid in CNY.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Units bought; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
    /// When, epoch ms.
    pub at: f64,
}

/// What is known about a user up front. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    /// Usual location (home, pickup point); a per-call location overrides it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationInput>,
    /// Age in years.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    /// Income band 1 (lowest) to 5 (highest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_band: Option<u8>,
    /// Monthly income in CNY; mapped to a band when `incomeBand` is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_income: Option<f64>,
    /// Past purchases, oldest or newest first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<PurchaseInput>>,
}

/// Kinds of profile events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EventType {
    /// The offer was shown.
    Impression,
    /// The offer was opened.
    Click,
    /// The offer was added to the cart.
    /// Also read as `addToCart`.
    Cart,
    /// The offer was bought.
    Purchase,
    /// The user said "not interested" (不感兴趣).
    Dismiss,
    /// A notification about the offer was sent (the push gate counts these).
    Push,
}

impl EventType {
    /// Every event type, in declaration order.
    pub const ALL: [EventType; 6] = [
        EventType::Impression,
        EventType::Click,
        EventType::Cart,
        EventType::Purchase,
        EventType::Dismiss,
        EventType::Push,
    ];
}

/// One user interaction with an offer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventInput {
    /// What happened.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// The offer it happened to.
    pub offer_id: String,
    /// When, epoch ms.
    pub at: f64,
    /// The offer's leaf category (filled in from the catalog by `Engine::record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Unit price in CNY (filled in from the catalog by `Engine::record`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// Units, for cart and purchase; default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

impl FromValue for EventType {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        value.variant(
            at,
            6,
            &[
                ("impression", EventType::Impression),
                ("click", EventType::Click),
                ("cart", EventType::Cart),
                ("purchase", EventType::Purchase),
                ("dismiss", EventType::Dismiss),
                ("push", EventType::Push),
                ("addToCart", EventType::Cart),
            ],
        )
    }
}

impl FromValue for LocationInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = LocationInput {
            lat: 0.0,
            lng: 0.0,
            datum: None,
        };
        read_fields(
            value,
            at,
            "LocationInput",
            &["lat", "lng", "datum"],
            0b11,
            &mut |i, v, at| {
                match i {
                    0 => o.lat = FromValue::read(v, at)?,
                    1 => o.lng = FromValue::read(v, at)?,
                    2 => o.datum = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for PurchaseInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = PurchaseInput {
            offer_id: String::new(),
            category: None,
            price: None,
            quantity: None,
            at: 0.0,
        };
        read_fields(
            value,
            at,
            "PurchaseInput",
            &["offerId", "category", "price", "quantity", "at"],
            0b10001,
            &mut |i, v, at| {
                match i {
                    0 => o.offer_id = FromValue::read(v, at)?,
                    1 => o.category = Some(FromValue::read(v, at)?),
                    2 => o.price = Some(FromValue::read(v, at)?),
                    3 => o.quantity = Some(FromValue::read(v, at)?),
                    4 => o.at = FromValue::read(v, at)?,
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for UserInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = UserInput {
            location: None,
            age: None,
            income_band: None,
            monthly_income: None,
            history: None,
        };
        read_fields(
            value,
            at,
            "UserInput",
            &["location", "age", "incomeBand", "monthlyIncome", "history"],
            0b0,
            &mut |i, v, at| {
                match i {
                    0 => o.location = Some(FromValue::read(v, at)?),
                    1 => o.age = Some(FromValue::read(v, at)?),
                    2 => o.income_band = Some(FromValue::read(v, at)?),
                    3 => o.monthly_income = Some(FromValue::read(v, at)?),
                    4 => o.history = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}

impl FromValue for EventInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self> {
        let mut o = EventInput {
            kind: EventType::Impression,
            offer_id: String::new(),
            at: 0.0,
            category: None,
            price: None,
            quantity: None,
        };
        read_fields(
            value,
            at,
            "EventInput",
            &["type", "offerId", "at", "category", "price", "quantity"],
            0b111,
            &mut |i, v, at| {
                match i {
                    0 => o.kind = FromValue::read(v, at)?,
                    1 => o.offer_id = FromValue::read(v, at)?,
                    2 => o.at = FromValue::read(v, at)?,
                    3 => o.category = Some(FromValue::read(v, at)?),
                    4 => o.price = Some(FromValue::read(v, at)?),
                    5 => o.quantity = Some(FromValue::read(v, at)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(o)
    }
}
