//! A plain data tree (what JSON and JS objects hold) and the readers that turn it
//! into the input types, reporting errors at their field path.
//!
//! Inputs reach the engine either as JSON text (native callers, parsed by serde_json
//! into a [`Value`]) or as JS values (the wasm binding walks them into a [`Value`]).
//! Both then go through [`from_value`] and the types' [`FromValue`] readers, which
//! track the path as they descend (`offers[3].price`) and reject unknown keys. The
//! readers are written out instead of derived: serde's derived visitors for the input
//! types were the largest part of the wasm module (~100 KB before compression).

use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};

use crate::error::{describe_number, join_path, Error};

/// A value as JSON or a JS object holds it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// `null` (or JS `undefined`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// Any number, including the `NaN` and `±Infinity` JS can hold.
    Number(f64),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Value>),
    /// An object's own keys in order (JS objects cannot repeat a key; JSON text
    /// that repeats one is refused when it is parsed).
    Object(Vec<(String, Value)>),
    /// Something no input field can hold, named for the error message (a JS
    /// `BigInt`, `Symbol` or function, or nesting deeper than the inputs go).
    Unsupported(&'static str),
}

/// Reads `value` into `T`; an error names the path of the bad value below `root`.
///
/// # Errors
/// `invalidInput` for a value of the wrong type, a missing or unknown field, an
/// integer out of range or an unknown enum name.
pub fn from_value<T: FromValue>(value: &Value, root: &str) -> Result<T, Error> {
    T::read(value, &At::root(root))
}

/// A type the inputs are read into.
///
/// Implemented by hand for every input type (in `input.rs`, beside the struct): a
/// struct's reader is one `match` on the field index inside [`read_fields`], so the
/// code grows by a few bytes per field, where serde's derived visitors grow by
/// hundreds. A round-trip test checks every reader against the type's `Serialize`.
pub trait FromValue: Sized {
    /// Reads `value`, found at `at`.
    ///
    /// # Errors
    /// `invalidInput` naming the path of the first bad value.
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error>;
}

/// Where a value sits in the input, as a chain on the stack: nothing is formatted
/// unless an error needs the path.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    parent: Option<&'a At<'a>>,
    step: Step<'a>,
}

#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Root(&'a str),
    Key(&'a str),
    Index(usize),
}

impl<'a> At<'a> {
    /// The root of an input, e.g. `""`, `"options"`, `"user"`.
    pub fn root(root: &'a str) -> Self {
        At {
            parent: None,
            step: Step::Root(root),
        }
    }

    /// The value at `key` of the object here.
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At {
            parent: Some(self),
            step: Step::Key(key),
        }
    }

    /// The element at `index` of the array here.
    pub fn index(&'a self, index: usize) -> At<'a> {
        At {
            parent: Some(self),
            step: Step::Index(index),
        }
    }

    /// The path, like `offers[3].price`.
    pub fn path(&self) -> String {
        let prefix = self.parent.map(At::path).unwrap_or_default();
        match self.step {
            Step::Root(root) => root.to_string(),
            Step::Key(key) => join_path(&prefix, key),
            Step::Index(i) => format!("{prefix}[{i}]"),
        }
    }

    /// An `invalidInput` error here.
    #[inline(never)]
    pub fn error(&self, message: impl Into<String>) -> Error {
        Error::invalid(self.path(), message)
    }

    /// The error for a value of the wrong type.
    #[inline(never)]
    pub fn wrong_type(&self, value: &Value, expected: &str) -> Error {
        self.error(format!(
            "invalid type: {}, expected {expected}",
            value.describe()
        ))
    }
}

impl Value {
    /// How an error message names this value.
    fn describe(&self) -> String {
        match self {
            Value::Null => "null".to_string(),
            Value::Bool(b) => format!("boolean `{b}`"),
            Value::Number(x) => format!("number {}", describe_number(*x)),
            Value::String(s) => format!("string \"{s}\""),
            Value::Array(_) => "array".to_string(),
            Value::Object(_) => "object".to_string(),
            Value::Unsupported(what) => what.to_string(),
        }
    }

    /// This value as a number.
    fn number(&self, at: &At<'_>, expected: &str) -> Result<f64, Error> {
        match *self {
            Value::Number(x) => Ok(x),
            _ => Err(at.wrong_type(self, expected)),
        }
    }

    /// This value as an integer in `lo..=hi`.
    fn integer(&self, at: &At<'_>, expected: &str, lo: f64, hi: f64) -> Result<f64, Error> {
        let x = self.number(at, expected)?;
        if x.fract() != 0.0 || !x.is_finite() {
            Err(at.wrong_type(self, expected))
        } else if !(lo..=hi).contains(&x) {
            Err(at.error(format!(
                "invalid value: {}, expected {expected}",
                self.describe()
            )))
        } else {
            Ok(x)
        }
    }

    /// This value as the name of one of `variants` (name, value; aliases may follow
    /// the canonical names and are not listed in the error).
    ///
    /// # Errors
    /// Not a string, or an unknown name.
    pub fn variant<T: Copy>(
        &self,
        at: &At<'_>,
        listed: usize,
        variants: &[(&str, T)],
    ) -> Result<T, Error> {
        let Value::String(name) = self else {
            return Err(at.wrong_type(self, "variant identifier"));
        };
        match variants.iter().find(|(n, _)| n == name) {
            Some((_, v)) => Ok(*v),
            None => {
                let names: Vec<String> = variants[..listed]
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect();
                Err(at.error(format!(
                    "unknown variant `{name}`, expected one of {}",
                    names.join(", ")
                )))
            }
        }
    }
}

/// Reads an object into a struct, one key at a time: `field(i, value, at)` stores the
/// value of `fields[i]`. Unknown keys are rejected, `null` counts as absent for
/// optional fields, and a required field (bit `i` of `required`) that never came is
/// reported missing. Non-generic, so each struct's reader is only its `match`.
///
/// # Errors
/// Not an object, an unknown key, a missing required field, or the first error
/// `field` returns.
pub fn read_fields(
    value: &Value,
    at: &At<'_>,
    name: &str,
    fields: &'static [&'static str],
    required: u64,
    field: &mut dyn FnMut(usize, &Value, &At<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    let Value::Object(entries) = value else {
        return Err(at.wrong_type(value, &format!("struct {name}")));
    };
    let mut seen = 0u64;
    for (key, v) in entries {
        let Some(i) = fields.iter().position(|f| f == key) else {
            let expected: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            return Err(at.error(format!(
                "unknown field `{key}`, expected one of {}",
                expected.join(", ")
            )));
        };
        seen |= 1 << i;
        if *v == Value::Null && required & (1 << i) == 0 {
            continue;
        }
        field(i, v, &at.key(fields[i]))?;
    }
    match (0..fields.len()).find(|&i| required & !seen & (1 << i) != 0) {
        Some(i) => Err(at.error(format!("missing field `{}`", fields[i]))),
        None => Ok(()),
    }
}

impl FromValue for f64 {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        value.number(at, "f64")
    }
}

impl FromValue for f32 {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        value.number(at, "f32").map(|x| x as f32)
    }
}

impl FromValue for u32 {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        value
            .integer(at, "u32", 0.0, f64::from(u32::MAX))
            .map(|x| x as u32)
    }
}

impl FromValue for u8 {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        value
            .integer(at, "u8", 0.0, f64::from(u8::MAX))
            .map(|x| x as u8)
    }
}

impl FromValue for i32 {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        value
            .integer(at, "i32", f64::from(i32::MIN), f64::from(i32::MAX))
            .map(|x| x as i32)
    }
}

impl FromValue for bool {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        match *value {
            Value::Bool(b) => Ok(b),
            _ => Err(at.wrong_type(value, "a boolean")),
        }
    }
}

impl FromValue for String {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s.clone()),
            _ => Err(at.wrong_type(value, "a string")),
        }
    }
}

impl<T: FromValue> FromValue for Vec<T> {
    #[inline(never)]
    fn read(value: &Value, at: &At<'_>) -> Result<Self, Error> {
        match value {
            Value::Array(items) => {
                // A loop, not `collect::<Result<_>>()`: that adapter compiles to four
                // functions per element type.
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    out.push(T::read(v, &at.index(i))?);
                }
                Ok(out)
            }
            _ => Err(at.wrong_type(value, "a sequence")),
        }
    }
}

/// Reads JSON text (native callers; the wasm binding builds [`Value`]s from JS
/// values instead, so the module carries none of this).
impl<'de> de::Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ValueVisitor;

        impl<'de> Visitor<'de> for ValueVisitor {
            type Value = Value;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_unit<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }

            fn visit_none<E>(self) -> Result<Value, E> {
                Ok(Value::Null)
            }

            fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
                de::Deserialize::deserialize(d)
            }

            fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
                Ok(Value::Bool(b))
            }

            fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
                Ok(Value::Number(n as f64))
            }

            fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
                Ok(Value::Number(n as f64))
            }

            fn visit_f64<E>(self, x: f64) -> Result<Value, E> {
                Ok(Value::Number(x))
            }

            fn visit_str<E>(self, s: &str) -> Result<Value, E> {
                Ok(Value::String(s.to_string()))
            }

            fn visit_string<E>(self, s: String) -> Result<Value, E> {
                Ok(Value::String(s))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Value::Array(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
                let mut entries = Vec::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    if entries.iter().any(|(k, _)| *k == key) {
                        return Err(de::Error::custom(format!("duplicate field `{key}`")));
                    }
                    entries.push((key, value));
                }
                Ok(Value::Object(entries))
            }
        }

        deserializer.deserialize_any(ValueVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::input::{CatalogInput, EventInput, OfferInput};

    fn json(text: &str) -> Value {
        serde_json::from_str(text).expect("valid JSON")
    }

    #[test]
    fn errors_name_the_path_of_the_bad_value() {
        let catalog = json(
            r#"{"version":1,"stores":[{"id":"s","name":"n","lat":39.9,"lng":116.4}],
                "offers":[{"id":"a","title":"t","category":"c","price":1,"storeId":"s"},
                          {"id":"b","title":"t","category":"c","price":"3","storeId":"s"}]}"#,
        );
        let err = from_value::<CatalogInput>(&catalog, "").unwrap_err();
        assert_eq!(err.path, "offers[1].price");
        assert_eq!(
            err.message, "invalid type: string \"3\", expected f64",
            "{err}"
        );
        let err = from_value::<CatalogInput>(&catalog, "catalog").unwrap_err();
        assert_eq!(err.path, "catalog.offers[1].price");
    }

    #[test]
    fn unknown_and_missing_fields_are_reported_at_their_object() {
        let offer = json(
            r#"{"id":"a","title":"t","category":"c","price":1,"storeId":"s","originalPrce":2}"#,
        );
        let err = from_value::<OfferInput>(&offer, "offers[4]").unwrap_err();
        assert_eq!(err.path, "offers[4]");
        assert!(
            err.message.starts_with("unknown field `originalPrce`"),
            "{err}"
        );
        let offer = json(r#"{"id":"a","title":"t","category":"c","storeId":"s"}"#);
        let err = from_value::<OfferInput>(&offer, "").unwrap_err();
        assert_eq!(err.message, "missing field `price`");
    }

    #[test]
    fn integers_are_checked_for_fraction_and_range() {
        let offer = |stock: &str| {
            json(&format!(
                r#"{{"id":"a","title":"t","category":"c","price":1,"storeId":"s","stock":{stock}}}"#
            ))
        };
        let ok: OfferInput = from_value(&offer("7"), "").unwrap();
        assert_eq!(ok.stock, Some(7));
        for (bad, message) in [
            ("2.5", "invalid type: number 2.5, expected u32"),
            ("-1", "invalid value: number -1, expected u32"),
            (
                "4294967296",
                "invalid value: number 4294967296, expected u32",
            ),
        ] {
            let err = from_value::<OfferInput>(&offer(bad), "").unwrap_err();
            assert_eq!(
                (err.path.as_str(), err.message.as_str()),
                ("stock", message)
            );
        }
        let nan = Value::Object(vec![
            ("type".into(), Value::String("click".into())),
            ("offerId".into(), Value::String("a".into())),
            ("at".into(), Value::Number(1.0)),
            ("quantity".into(), Value::Number(f64::NAN)),
        ]);
        let err = from_value::<EventInput>(&nan, "event").unwrap_err();
        assert_eq!(err.path, "event.quantity");
        assert_eq!(err.message, "invalid type: number NaN, expected u32");
    }

    #[test]
    fn enums_nulls_and_unsupported_values() {
        let event = |kind: Value| {
            Value::Object(vec![
                ("type".into(), kind),
                ("offerId".into(), Value::String("a".into())),
                ("at".into(), Value::Number(1.0)),
                ("category".into(), Value::Null),
            ])
        };
        let ok: EventInput = from_value(&event(Value::String("addToCart".into())), "").unwrap();
        assert_eq!(ok.category, None);
        let err = from_value::<EventInput>(&event(Value::String("buy".into())), "e").unwrap_err();
        assert_eq!(err.path, "e.type");
        assert!(err.message.starts_with("unknown variant `buy`"), "{err}");
        let err =
            from_value::<EventInput>(&event(Value::Unsupported("a BigInt")), "e").unwrap_err();
        assert_eq!(err.path, "e.type");
        assert!(err.message.starts_with("invalid type: a BigInt"), "{err}");
        let err = from_value::<Vec<String>>(&Value::Number(3.0), "ids").unwrap_err();
        assert_eq!(
            err.to_string(),
            "ids: invalid type: number 3, expected a sequence"
        );
    }
}
