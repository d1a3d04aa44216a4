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
//!
//! This file holds the writer and the impls for plain values and fieldless enums;
//! `output.rs` the engine's results, `sample.rs` the sample module's.

use std::fmt::Write as _;

mod output;
mod sample;

use crate::contract::input::{Datum, GroupObjective, StoreKind};
use crate::rank::explain::{FilterCode, NotifyCode};

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
