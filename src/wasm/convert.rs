//! Every conversion between JS values and Rust values, and the one place where an
//! [`Error`] becomes a JS `Error`.

use js_sys::{Array, Error as JsError, Object, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode};
use crate::input::fields;

/// The binding layer's result type.
pub type JsResult<T> = Result<T, JsValue>;

/// Which keys the objects of an input may have, level by level.
///
/// serde-wasm-bindgen reads only the fields a struct asks for, so a misspelt key
/// (`originalPrce`) would be ignored; [`check_keys`] walks the JS value with this
/// shape and rejects it instead. Field lists come from the DTOs' own `Deserialize`
/// lists ([`fields`], checked against the DTOs); only the nesting is written here.
pub enum Shape {
    /// An object whose keys must be among the struct's fields; listed keys hold
    /// nested shapes.
    Object(&'static [&'static str], &'static [(&'static str, Shape)]),
    /// An array of values of one shape.
    List(&'static Shape),
}

const LOCATION: Shape = Shape::Object(fields::LOCATION, &[]);
const WEIGHTS: Shape = Shape::Object(fields::WEIGHTS, &[]);
const PROXIMITY: Shape = Shape::Object(fields::PROXIMITY, &[]);
const STORE: Shape = Shape::Object(fields::STORE, &[]);
const OFFER: Shape = Shape::Object(fields::OFFER, &[]);
const AREA: Shape = Shape::Object(fields::AREA, &[]);
const PURCHASE: Shape = Shape::Object(fields::PURCHASE, &[]);
const DIVERSITY: Shape = Shape::Object(fields::DIVERSITY, &[]);
const EXPLORE: Shape = Shape::Object(fields::EXPLORE, &[]);
const FATIGUE: Shape = Shape::Object(fields::FATIGUE, &[]);
const QUIET_HOURS: Shape = Shape::Object(fields::QUIET_HOURS, &[]);
const VARIANT: Shape = Shape::Object(
    fields::VARIANT,
    &[
        ("weights", WEIGHTS),
        ("diversity", DIVERSITY),
        ("explore", EXPLORE),
        ("fatigue", FATIGUE),
    ],
);
/// An A/B experiment.
pub const EXPERIMENT: Shape =
    Shape::Object(fields::EXPERIMENT, &[("variants", Shape::List(&VARIANT))]);

/// A whole catalog.
pub const CATALOG: Shape = Shape::Object(
    fields::CATALOG,
    &[
        ("stores", Shape::List(&STORE)),
        ("offers", Shape::List(&OFFER)),
        ("areas", Shape::List(&AREA)),
    ],
);
/// A list of stores.
pub const STORES: Shape = Shape::List(&STORE);
/// A list of offers.
pub const OFFERS: Shape = Shape::List(&OFFER);
/// What is known about a user.
pub const USER: Shape = Shape::Object(
    fields::USER,
    &[("location", LOCATION), ("history", Shape::List(&PURCHASE))],
);
/// A profile event.
pub const EVENT: Shape = Shape::Object(fields::EVENT, &[]);
/// Engine options.
pub const ENGINE_OPTIONS: Shape = Shape::Object(
    fields::ENGINE_OPTIONS,
    &[("weights", WEIGHTS), ("proximity", PROXIMITY)],
);
/// Rank options.
pub const RANK_OPTIONS: Shape = Shape::Object(
    fields::RANK_OPTIONS,
    &[
        ("location", LOCATION),
        ("weights", WEIGHTS),
        ("proximity", PROXIMITY),
        ("diversity", DIVERSITY),
        ("explore", EXPLORE),
        ("fatigue", FATIGUE),
        ("experiment", EXPERIMENT),
    ],
);
/// Push-gate options.
pub const NOTIFY_OPTIONS: Shape = Shape::Object(
    fields::NOTIFY_OPTIONS,
    &[
        ("location", LOCATION),
        ("weights", WEIGHTS),
        ("quietHours", QUIET_HOURS),
    ],
);
/// Group-selection options.
pub const GROUP_OPTIONS: Shape = Shape::Object(
    fields::GROUP_OPTIONS,
    &[("location", LOCATION), ("weights", WEIGHTS)],
);

/// Rejects keys `shape` does not know, naming the object's path. Values of the
/// wrong type are left to the deserializer, which reports them.
pub fn check_keys(value: &JsValue, shape: &Shape, path: &str) -> Result<(), Error> {
    match shape {
        Shape::List(item) => {
            if let Some(array) = value.dyn_ref::<Array>() {
                for (i, v) in array.iter().enumerate() {
                    check_keys(&v, item, &format!("{path}[{i}]"))?;
                }
            }
        }
        Shape::Object(fields, nested) => {
            if !value.is_object() || Array::is_array(value) {
                return Ok(());
            }
            for key in Object::keys(value.unchecked_ref::<Object>()).iter() {
                let Some(key) = key.as_string() else { continue };
                if !fields.contains(&key.as_str()) {
                    return Err(Error::invalid(
                        path,
                        format!(
                            "unknown field `{key}`, expected one of {}",
                            fields
                                .iter()
                                .map(|f| format!("`{f}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                if let Some((_, inner)) = nested.iter().find(|(name, _)| *name == key) {
                    let child = Reflect::get(value, &JsValue::from_str(&key)).unwrap_or_default();
                    check_keys(&child, inner, &crate::error::join_path(path, &key))?;
                }
            }
        }
    }
    Ok(())
}

/// Reads a JS value of `shape` into `T`, reporting the path of a bad field below
/// `root`.
pub fn from_js<T: DeserializeOwned>(value: JsValue, shape: &Shape, root: &str) -> Result<T, Error> {
    let de = serde_wasm_bindgen::Deserializer::from(value.clone());
    let parsed = serde_path_to_error::deserialize(de).map_err(|e| shape_error(e, root))?;
    check_keys(&value, shape, root)?;
    Ok(parsed)
}

/// A deserialization error at its path below `root`, without the `Error: ` prefix
/// serde-wasm-bindgen puts on its messages.
fn shape_error(err: serde_path_to_error::Error<serde_wasm_bindgen::Error>, root: &str) -> Error {
    let mut error = Error::from_serde(err).within(root);
    if let Some(rest) = error.message.strip_prefix("Error: ") {
        error.message = rest.to_string();
    }
    error
}

/// Reads a JS value that has no objects inside (a list of ids, …) into `T`.
pub fn from_js_plain<T: DeserializeOwned>(value: JsValue, root: &str) -> Result<T, Error> {
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(de).map_err(|e| shape_error(e, root))
}

/// Reads an optional JS value (`undefined` / `null` → `T::default()`).
pub fn from_js_or_default<T: DeserializeOwned + Default>(
    value: Option<JsValue>,
    shape: &Shape,
    root: &str,
) -> Result<T, Error> {
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js(v, shape, root),
        _ => Ok(T::default()),
    }
}

/// Reads a `Uint8Array` (or `ArrayBuffer`) argument.
pub fn bytes_arg(value: &JsValue, path: &str) -> Result<Vec<u8>, Error> {
    if value.is_instance_of::<js_sys::Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>()
    {
        Ok(js_sys::Uint8Array::new(value).to_vec())
    } else {
        Err(Error::corrupt(path, "expected a Uint8Array"))
    }
}

/// Reads a JS string argument.
pub fn string_arg(value: &JsValue, path: &str) -> Result<String, Error> {
    value
        .as_string()
        .ok_or_else(|| Error::invalid(path, "expected a string"))
}

/// Reads an optional number argument (`null` / `undefined` → `None`).
#[cfg(feature = "sample-only")]
pub fn optional_number_arg(value: &JsValue, path: &str) -> Result<Option<f64>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_f64()
        .map(Some)
        .ok_or_else(|| Error::invalid(path, "expected a number"))
}

/// Reads a JS object, or JSON text, of `shape` into `T`.
pub fn from_js_or_json<T: DeserializeOwned>(
    value: JsValue,
    shape: &Shape,
    root: &str,
) -> Result<T, Error> {
    match value.as_string() {
        Some(text) => {
            let parsed = js_sys::JSON::parse(&text).map_err(|e| {
                let detail = e
                    .dyn_ref::<JsError>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                Error::invalid(root, format!("invalid JSON: {detail}"))
            })?;
            from_js(parsed, shape, root)
        }
        None => from_js(value, shape, root),
    }
}

/// Writes a Rust value as plain JS objects and arrays.
///
/// The value crosses the boundary as one JSON string parsed by the JS engine: building
/// the objects field by field from wasm costs a boundary call per property (about
/// 17 µs per ranked offer with its reasons and breakdown), one `JSON.parse` a fraction
/// of that. Outputs hold only finite numbers, so nothing is lost in JSON.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let text = serde_json::to_string(value)
        .map_err(|e| to_js_error(Error::invalid("", format!("cannot convert output: {e}"))))?;
    js_sys::JSON::parse(&text)
}

/// Turns an [`Error`] into a JS `Error` with `name = "GoodsRankerError"`, and `code`
/// and `path` properties.
pub fn to_js_error(error: Error) -> JsValue {
    let js = JsError::new(&error.to_string());
    js.set_name("GoodsRankerError");
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&js, &"code".into(), &error.code.as_str().into());
    let _ = Reflect::set(&js, &"path".into(), &error.path.as_str().into());
    js.into()
}

/// Converts a core result into a JS result.
pub fn js<T>(result: Result<T, Error>) -> JsResult<T> {
    result.map_err(to_js_error)
}

/// Reads an optional non-negative integer (`null` / `undefined` → `None`).
pub fn optional_count(value: &JsValue, path: &str) -> Result<Option<u32>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    match value.as_f64() {
        Some(x) if x.fract() == 0.0 && (0.0..=f64::from(u32::MAX - 1)).contains(&x) => {
            Ok(Some(x as u32))
        }
        Some(x) => Err(Error::invalid(
            path,
            format!(
                "expected a non-negative integer or null, got {}",
                crate::error::describe_number(x)
            ),
        )),
        None => Err(Error::new(
            ErrorCode::InvalidInput,
            path,
            "expected a non-negative integer or null",
        )),
    }
}
