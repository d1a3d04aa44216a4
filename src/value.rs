//! A plain data tree (what JSON and JS objects hold) and the one deserializer that
//! turns it into the input types, reporting errors at their field path.
//!
//! Inputs reach the engine either as JSON text (native callers) or as JS values
//! (the wasm binding walks them into a [`Value`]). Both then go through
//! [`from_value`]: one non-generic data walk, one serde `Deserializer` that tracks the
//! path as it descends (`offers[3].price`), so an error names the field without a
//! path-tracking wrapper around every type, which would double the code the wasm
//! module carries for each input struct. Unknown keys are rejected by the input
//! types' `deny_unknown_fields`.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde::forward_to_deserialize_any;

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
    /// can, and the input types then report a duplicate field).
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
pub fn from_value<T: DeserializeOwned>(value: &Value, root: &str) -> Result<T, Error> {
    T::deserialize(Reader(value)).map_err(|e| e.into_error(root))
}

/// One step of a path, innermost first while an error travels up.
#[derive(Debug)]
enum Step {
    Key(String),
    Index(usize),
}

/// A deserialization error on its way up, collecting the path.
#[derive(Debug)]
pub struct ReadError {
    steps: Vec<Step>,
    message: String,
}

impl ReadError {
    fn at(mut self, step: Step) -> Self {
        self.steps.push(step);
        self
    }

    fn into_error(self, root: &str) -> Error {
        let mut path = root.to_string();
        for step in self.steps.iter().rev() {
            path = match step {
                Step::Key(key) => join_path(&path, key),
                Step::Index(i) => format!("{path}[{i}]"),
            };
        }
        Error::invalid(path, self.message)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ReadError {}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ReadError {
            steps: Vec::new(),
            message: msg.to_string(),
        }
    }

    // Written out so that numbers read as in every other message (`NaN`, `-3`).
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::custom(format_args!(
            "invalid type: {}, expected {exp}",
            describe(&unexp)
        ))
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::custom(format_args!(
            "invalid value: {}, expected {exp}",
            describe(&unexp)
        ))
    }
}

fn describe(unexp: &Unexpected<'_>) -> String {
    match *unexp {
        Unexpected::Float(x) => format!("number {}", describe_number(x)),
        Unexpected::Unsigned(n) => format!("number {n}"),
        Unexpected::Signed(n) => format!("number {n}"),
        Unexpected::Bool(b) => format!("boolean `{b}`"),
        Unexpected::Str(s) => format!("string \"{s}\""),
        Unexpected::Seq => "array".to_string(),
        Unexpected::Map => "object".to_string(),
        Unexpected::Other(what) => what.to_string(),
        // Not produced by `Value`; spelt out rather than using `Unexpected`'s own
        // `Display`, which links core's float formatter.
        _ => "value".to_string(),
    }
}

impl Value {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            Value::Null => Unexpected::Other("null"),
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(x) => Unexpected::Float(*x),
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
            Value::Unsupported(what) => Unexpected::Other(what),
        }
    }
}

/// The deserializer over a borrowed [`Value`].
struct Reader<'a>(&'a Value);

impl Reader<'_> {
    fn wrong<V, E: Expected>(&self, exp: &E) -> Result<V, ReadError> {
        Err(de::Error::invalid_type(self.0.unexpected(), exp))
    }

    /// An integral number within ±2^53 as an integer visit (the visitor checks the
    /// target type's range); anything else is the wrong type.
    fn integer<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        const EXACT: f64 = 9_007_199_254_740_992.0;
        match *self.0 {
            Value::Number(x) if x.fract() == 0.0 && x.abs() <= EXACT => {
                if x >= 0.0 {
                    visitor.visit_u64(x as u64)
                } else {
                    visitor.visit_i64(x as i64)
                }
            }
            _ => self.wrong(&visitor),
        }
    }
}

impl<'de> de::Deserializer<'de> for Reader<'_> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(x) => visitor.visit_f64(*x),
            Value::String(s) => visitor.visit_str(s),
            Value::Array(items) => visitor.visit_seq(Items { items, next: 0 }),
            Value::Object(entries) => visitor.visit_map(Entries { entries, next: 0 }),
            Value::Unsupported(_) => self.wrong(&visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => self.wrong(&visitor),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Number(x) => visitor.visit_f64(*x),
            _ => self.wrong(&visitor),
        }
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.integer(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::String(s) => visitor.visit_str(s),
            _ => self.wrong(&visitor),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Array(items) => visitor.visit_seq(Items { items, next: 0 }),
            _ => self.wrong(&visitor),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Object(entries) => visitor.visit_map(Entries { entries, next: 0 }),
            _ => self.wrong(&visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(UnitVariant(s)),
            _ => self.wrong(&visitor),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        i128 u128 char bytes byte_buf unit unit_struct tuple tuple_struct
    }
}

/// The elements of an array, each read at its index.
struct Items<'a> {
    items: &'a [Value],
    next: usize,
}

impl<'de> SeqAccess<'de> for Items<'_> {
    type Error = ReadError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        let Some(item) = self.items.get(self.next) else {
            return Ok(None);
        };
        let i = self.next;
        self.next += 1;
        seed.deserialize(Reader(item))
            .map(Some)
            .map_err(|e| e.at(Step::Index(i)))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.next)
    }
}

/// The entries of an object, each value read at its key.
struct Entries<'a> {
    entries: &'a [(String, Value)],
    next: usize,
}

impl<'de> MapAccess<'de> for Entries<'_> {
    type Error = ReadError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        match self.entries.get(self.next) {
            Some((key, _)) => seed.deserialize(key.as_str().into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        let (key, value) = &self.entries[self.next];
        self.next += 1;
        seed.deserialize(Reader(value))
            .map_err(|e| e.at(Step::Key(key.clone())))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

/// An enum written as its variant's name (all input enums are unit-only).
struct UnitVariant<'a>(&'a str);

impl<'de> EnumAccess<'de> for UnitVariant<'_> {
    type Error = ReadError;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Self), ReadError> {
        let variant = seed.deserialize(self.0.into_deserializer())?;
        Ok((variant, self))
    }
}

impl<'de> VariantAccess<'de> for UnitVariant<'_> {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        _seed: T,
    ) -> Result<T::Value, ReadError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"a variant with data",
        ))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, ReadError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"a tuple variant",
        ))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, ReadError> {
        Err(de::Error::invalid_type(
            Unexpected::UnitVariant,
            &"a struct variant",
        ))
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
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
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
    use crate::input::{CatalogInput, EventInput, OfferInput};

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
