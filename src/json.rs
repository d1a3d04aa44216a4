//! Outputs as JSON text: a small writer and a [`ToJson`] impl per output type.
//!
//! The wasm binding hands every result to JS as one JSON string (`convert::to_js`).
//! Writing it here instead of through serde_json's generic serializer keeps serde's
//! map/sequence machinery and one derived `Serialize` per output type out of the
//! module. The text is byte for byte what `serde_json::to_string` writes for the
//! same value with the types' `Serialize` derives (field names and order, omitted
//! `None`s, the `code` tag of reasons, string escapes, `zmij` shortest floats,
//! non-finite floats as `null`); `tests/it/json.rs` checks it against serde_json.
//!
//! Structs are destructured in full, so a new field does not compile until it is
//! written here too.

use std::fmt::Write as _;

use crate::engine::Ranking;
use crate::experiment::Assignment;
use crate::explain::{FilterCode, NotifyCode, ReasonKind};
use crate::group::{GroupPick, GroupSelection, ServedMember};
use crate::input::{
    AreaInput, CatalogInput, Datum, GroupObjective, LocationInput, OfferInput, PurchaseInput,
    StoreInput, StoreKind, UserInput,
};
use crate::notify::{NotifyDecision, NotifyReason};
use crate::rank::{Breakdown, FilteredOffer, RankedOffer, Reason};
use crate::sample::SampleUser;

/// A value that writes itself as JSON text.
pub trait ToJson {
    /// Appends the JSON text of `self` to `out`.
    fn write_json(&self, out: &mut String);
}

/// The JSON text of `value`.
pub fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

/// Appends `s`. Every write goes through here, kept out of line so that each call
/// site is a call rather than an inlined capacity check and copy.
#[inline(never)]
fn raw(out: &mut String, s: &str) {
    out.push_str(s);
}

/// Starts an object or array element: a comma unless it is the first.
fn sep(out: &mut String) {
    if !matches!(out.as_bytes().last(), Some(b'{' | b'[')) {
        raw(out, ",");
    }
}

/// Writes `"name":` (names are plain ASCII and need no escapes).
fn key(out: &mut String, name: &str) {
    sep(out);
    raw(out, "\"");
    raw(out, name);
    raw(out, "\":");
}

/// Writes `"name":value`.
fn field<T: ToJson + ?Sized>(out: &mut String, name: &str, value: &T) {
    key(out, name);
    value.write_json(out);
}

/// Writes `"name":value` when `value` is `Some` (`skip_serializing_if = "Option::is_none"`).
fn opt<T: ToJson>(out: &mut String, name: &str, value: &Option<T>) {
    if let Some(v) = value {
        field(out, name, v);
    }
}

/// Writes a string with serde_json's escapes: `"`, `\`, and control characters as
/// `\b \t \n \f \r` or `\u00xx`; everything else, non-ASCII included, as is.
fn string(out: &mut String, s: &str) {
    const HEX: &str = "0123456789abcdef";
    raw(out, "\"");
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "\\u00",
            _ => continue,
        };
        // `get` rather than indexing: the bounds are at ASCII bytes, so it never
        // fails, and it keeps the slicing panic (with its Unicode tables) out of the
        // module.
        raw(out, s.get(start..i).unwrap_or_default());
        raw(out, escape);
        if escape.len() > 2 {
            let (hi, lo) = (usize::from(b >> 4), usize::from(b & 15));
            raw(out, HEX.get(hi..=hi).unwrap_or_default());
            raw(out, HEX.get(lo..=lo).unwrap_or_default());
        }
        start = i + 1;
    }
    raw(out, s.get(start..).unwrap_or_default());
    raw(out, "\"");
}

/// Writes an unsigned integer in decimal (core's formatting, already in the module
/// for error messages).
#[inline(never)]
fn uint(out: &mut String, n: u32) {
    // Writing to a `String` cannot fail.
    let _ = write!(out, "{n}");
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        string(out, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        raw(out, if *self { "true" } else { "false" });
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        uint(out, *self);
    }
}

impl ToJson for u8 {
    fn write_json(&self, out: &mut String) {
        uint(out, u32::from(*self));
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        if self.is_finite() {
            raw(out, zmij::Buffer::new().format_finite(*self));
        } else {
            raw(out, "null");
        }
    }
}

impl ToJson for f32 {
    fn write_json(&self, out: &mut String) {
        if self.is_finite() {
            raw(out, zmij::Buffer::new().format_finite(*self));
        } else {
            raw(out, "null");
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        raw(out, "[");
        for item in self {
            sep(out);
            item.write_json(out);
        }
        raw(out, "]");
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson> ToJson for Option<T> {
    /// `null` for `None` (fields that omit `None` are written with `opt` instead).
    fn write_json(&self, out: &mut String) {
        match self {
            Some(v) => v.write_json(out),
            None => raw(out, "null"),
        }
    }
}

/// Fieldless enums, written as their (renamed) variant name.
macro_rules! names {
    ($($ty:ident { $($variant:ident => $name:literal),* $(,)? })*) => {$(
        impl ToJson for $ty {
            fn write_json(&self, out: &mut String) {
                string(out, match self { $($ty::$variant => $name),* });
            }
        }
    )*};
}

names! {
    FilterCode {
        OutOfStock => "outOfStock",
        NotStarted => "notStarted",
        Ended => "ended",
        OutOfRange => "outOfRange",
        AgeRestricted => "ageRestricted",
        Dismissed => "dismissed",
        Excluded => "excluded",
        Hidden => "hidden",
        OfferCap => "offerCap",
        CategoryCap => "categoryCap",
    }
    NotifyCode {
        Ok => "ok",
        BudgetUsed => "budgetUsed",
        QuietHours => "quietHours",
        TooSoon => "tooSoon",
        BelowThreshold => "belowThreshold",
        NothingEligible => "nothingEligible",
    }
    GroupObjective {
        Coverage => "coverage",
        Mean => "mean",
    }
    Datum {
        Wgs84 => "wgs84",
        Gcj02 => "gcj02",
    }
    StoreKind {
        PickupPoint => "pickupPoint",
        Store => "store",
        Warehouse => "warehouse",
    }
}

impl ToJson for RankedOffer {
    fn write_json(&self, out: &mut String) {
        let RankedOffer {
            offer_id,
            score,
            rank,
            title,
            category,
            price,
            store_id,
            store_name,
            distance_m,
            reasons,
            breakdown,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        field(out, "score", score);
        field(out, "rank", rank);
        field(out, "title", title);
        field(out, "category", category);
        field(out, "price", price);
        field(out, "storeId", store_id);
        field(out, "storeName", store_name);
        opt(out, "distanceM", distance_m);
        field(out, "reasons", reasons);
        field(out, "breakdown", breakdown);
        raw(out, "}");
    }
}

impl ToJson for Reason {
    /// The reason's `code` and parameters, then `text` and `weight`, in one object.
    fn write_json(&self, out: &mut String) {
        use ReasonKind as R;
        let Reason { kind, text, weight } = self;
        raw(out, "{");
        let code = match kind {
            R::Nearby { .. } => "nearby",
            R::AgeFit => "ageFit",
            R::PriceFit => "priceFit",
            R::BoughtBefore { .. } => "boughtBefore",
            R::FrequentCategory { .. } => "frequentCategory",
            R::SimilarToLiked => "similarToLiked",
            R::RepurchaseDue { .. } => "repurchaseDue",
            R::Popular { .. } => "popular",
            R::NewArrival => "newArrival",
            R::Discount { .. } => "discount",
            R::Promoted => "promoted",
            R::ColdStart => "coldStart",
            R::Pinned => "pinned",
            R::Explore { .. } => "explore",
            R::Fatigued { .. } => "fatigued",
            R::LessOfCategory { .. } => "lessOfCategory",
        };
        field(out, "code", code);
        match kind {
            R::Nearby {
                distance_m,
                store_name,
            } => {
                field(out, "distanceM", distance_m);
                field(out, "storeName", store_name);
            }
            R::BoughtBefore { times } => field(out, "times", times),
            R::FrequentCategory { category }
            | R::Explore { category }
            | R::LessOfCategory { category } => field(out, "category", category),
            R::RepurchaseDue {
                days_since,
                cycle_days,
            } => {
                field(out, "daysSince", days_since);
                field(out, "cycleDays", cycle_days);
            }
            R::Popular { sales } => field(out, "sales", sales),
            R::Discount {
                save_yuan,
                percent_off,
            } => {
                field(out, "saveYuan", save_yuan);
                field(out, "percentOff", percent_off);
            }
            R::Fatigued { impressions } => field(out, "impressions", impressions),
            R::AgeFit
            | R::PriceFit
            | R::SimilarToLiked
            | R::NewArrival
            | R::Promoted
            | R::ColdStart
            | R::Pinned => {}
        }
        field(out, "text", text);
        field(out, "weight", weight);
        raw(out, "}");
    }
}

impl ToJson for Breakdown {
    fn write_json(&self, out: &mut String) {
        let Breakdown {
            proximity,
            age_fit,
            price_fit,
            item_affinity,
            category_affinity,
            embedding,
            repurchase,
            popularity,
            freshness,
            discount,
            boost,
        } = self;
        raw(out, "{");
        field(out, "proximity", proximity);
        field(out, "ageFit", age_fit);
        field(out, "priceFit", price_fit);
        field(out, "itemAffinity", item_affinity);
        field(out, "categoryAffinity", category_affinity);
        field(out, "embedding", embedding);
        field(out, "repurchase", repurchase);
        field(out, "popularity", popularity);
        field(out, "freshness", freshness);
        field(out, "discount", discount);
        field(out, "boost", boost);
        raw(out, "}");
    }
}

impl ToJson for FilteredOffer {
    fn write_json(&self, out: &mut String) {
        let FilteredOffer {
            offer_id,
            title,
            codes,
            text,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        field(out, "title", title);
        field(out, "codes", codes);
        field(out, "text", text);
        raw(out, "}");
    }
}

impl ToJson for Assignment {
    fn write_json(&self, out: &mut String) {
        let Assignment {
            experiment,
            variant,
            bucket,
        } = self;
        raw(out, "{");
        field(out, "experiment", experiment);
        field(out, "variant", variant);
        field(out, "bucket", bucket);
        raw(out, "}");
    }
}

impl ToJson for Ranking {
    fn write_json(&self, out: &mut String) {
        let Ranking { variant, items } = self;
        raw(out, "{");
        opt(out, "variant", variant);
        field(out, "items", items);
        raw(out, "}");
    }
}

impl ToJson for NotifyReason {
    fn write_json(&self, out: &mut String) {
        let NotifyReason { code, text } = self;
        raw(out, "{");
        field(out, "code", code);
        field(out, "text", text);
        raw(out, "}");
    }
}

impl ToJson for NotifyDecision {
    fn write_json(&self, out: &mut String) {
        let NotifyDecision {
            notify,
            offer,
            reason,
            score,
            pushes_today,
            budget_per_day,
        } = self;
        raw(out, "{");
        field(out, "notify", notify);
        opt(out, "offer", offer);
        field(out, "reason", reason);
        opt(out, "score", score);
        field(out, "pushesToday", pushes_today);
        field(out, "budgetPerDay", budget_per_day);
        raw(out, "}");
    }
}

impl ToJson for ServedMember {
    fn write_json(&self, out: &mut String) {
        let ServedMember {
            member,
            name,
            score,
            reasons,
        } = self;
        raw(out, "{");
        field(out, "member", member);
        opt(out, "name", name);
        field(out, "score", score);
        field(out, "reasons", reasons);
        raw(out, "}");
    }
}

impl ToJson for GroupPick {
    fn write_json(&self, out: &mut String) {
        let GroupPick {
            offer_id,
            rank,
            title,
            category,
            price,
            store_id,
            store_name,
            mean_score,
            served,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        field(out, "rank", rank);
        field(out, "title", title);
        field(out, "category", category);
        field(out, "price", price);
        field(out, "storeId", store_id);
        field(out, "storeName", store_name);
        field(out, "meanScore", mean_score);
        field(out, "served", served);
        raw(out, "}");
    }
}

impl ToJson for GroupSelection {
    fn write_json(&self, out: &mut String) {
        let GroupSelection {
            items,
            members,
            members_served,
            objective,
        } = self;
        raw(out, "{");
        field(out, "items", items);
        field(out, "members", members);
        field(out, "membersServed", members_served);
        field(out, "objective", objective);
        raw(out, "}");
    }
}

// The sample module's outputs: the sample catalog and users.

impl ToJson for CatalogInput {
    fn write_json(&self, out: &mut String) {
        let CatalogInput {
            version,
            datum,
            embedding_dim,
            stores,
            offers,
            areas,
        } = self;
        raw(out, "{");
        field(out, "version", version);
        if *datum != Datum::default() {
            field(out, "datum", datum);
        }
        opt(out, "embeddingDim", embedding_dim);
        field(out, "stores", stores);
        field(out, "offers", offers);
        opt(out, "areas", areas);
        raw(out, "}");
    }
}

impl ToJson for AreaInput {
    fn write_json(&self, out: &mut String) {
        let AreaInput {
            id,
            lat,
            lng,
            datum,
            radius_km,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "lat", lat);
        field(out, "lng", lng);
        opt(out, "datum", datum);
        opt(out, "radiusKm", radius_km);
        raw(out, "}");
    }
}

impl ToJson for StoreInput {
    fn write_json(&self, out: &mut String) {
        let StoreInput {
            id,
            name,
            lat,
            lng,
            datum,
            delivery_radius_km,
            kind,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "name", name);
        field(out, "lat", lat);
        field(out, "lng", lng);
        opt(out, "datum", datum);
        opt(out, "deliveryRadiusKm", delivery_radius_km);
        opt(out, "kind", kind);
        raw(out, "}");
    }
}

impl ToJson for OfferInput {
    fn write_json(&self, out: &mut String) {
        let OfferInput {
            id,
            title,
            category,
            category_path,
            tags,
            price,
            original_price,
            store_id,
            stock,
            popularity,
            starts_at,
            ends_at,
            age_min,
            age_max,
            min_age,
            income_bands,
            repurchase_days,
            boost,
            embedding,
            age_lift,
            income_lift,
            area_popularity,
            repurchase_rate,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "title", title);
        field(out, "category", category);
        opt(out, "categoryPath", category_path);
        opt(out, "tags", tags);
        field(out, "price", price);
        opt(out, "originalPrice", original_price);
        field(out, "storeId", store_id);
        opt(out, "stock", stock);
        opt(out, "popularity", popularity);
        opt(out, "startsAt", starts_at);
        opt(out, "endsAt", ends_at);
        opt(out, "ageMin", age_min);
        opt(out, "ageMax", age_max);
        opt(out, "minAge", min_age);
        opt(out, "incomeBands", income_bands);
        opt(out, "repurchaseDays", repurchase_days);
        opt(out, "boost", boost);
        opt(out, "embedding", embedding);
        opt(out, "ageLift", age_lift);
        opt(out, "incomeLift", income_lift);
        opt(out, "areaPopularity", area_popularity);
        opt(out, "repurchaseRate", repurchase_rate);
        raw(out, "}");
    }
}

impl ToJson for LocationInput {
    fn write_json(&self, out: &mut String) {
        let LocationInput { lat, lng, datum } = self;
        raw(out, "{");
        field(out, "lat", lat);
        field(out, "lng", lng);
        opt(out, "datum", datum);
        raw(out, "}");
    }
}

impl ToJson for PurchaseInput {
    fn write_json(&self, out: &mut String) {
        let PurchaseInput {
            offer_id,
            category,
            price,
            quantity,
            at,
        } = self;
        raw(out, "{");
        field(out, "offerId", offer_id);
        opt(out, "category", category);
        opt(out, "price", price);
        opt(out, "quantity", quantity);
        field(out, "at", at);
        raw(out, "}");
    }
}

impl ToJson for UserInput {
    fn write_json(&self, out: &mut String) {
        let UserInput {
            location,
            age,
            income_band,
            monthly_income,
            history,
        } = self;
        raw(out, "{");
        opt(out, "location", location);
        opt(out, "age", age);
        opt(out, "incomeBand", income_band);
        opt(out, "monthlyIncome", monthly_income);
        opt(out, "history", history);
        raw(out, "}");
    }
}

impl ToJson for SampleUser {
    fn write_json(&self, out: &mut String) {
        let SampleUser {
            id,
            name,
            name_en,
            description,
            description_en,
            user,
        } = self;
        raw(out, "{");
        field(out, "id", id);
        field(out, "name", name);
        field(out, "nameEn", name_en);
        field(out, "description", description);
        field(out, "descriptionEn", description_en);
        field(out, "user", user);
        raw(out, "}");
    }
}
