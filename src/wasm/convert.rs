//! Every conversion between JS values and Rust values, and the one place where an
//! [`Error`] becomes a JS `Error`.

use wasm_bindgen::prelude::*;

use super::js;

use crate::contract::value::{from_value, FromValue, Value};
use crate::error::{Error, ErrorCode};
use crate::json::ToJson;

/// The binding layer's result type.
pub type JsResult<T> = Result<T, JsValue>;

/// How deep inputs nest at most (a catalog: catalog → offers → offer → embedding);
/// anything deeper, such as a cyclic object, is reported instead of walked.
const MAX_DEPTH: u32 = 16;

/// Longest array read (the most offers a catalog may hold): a longer one is reported
/// before it is copied, instead of exhausting wasm memory on the way to the limit
/// check.
const MAX_ARRAY: usize = crate::catalog::limits::MAX_OFFERS;
const TOO_LONG: &str = "an array of more than 1000000 elements";
const UNREADABLE: &str = "a value that throws when read";

/// Copies a JS value into a [`Value`] (`undefined` reads as absent, typed arrays as
/// arrays of numbers).
fn to_value(value: &JsValue, depth: u32) -> Value {
    if value.is_undefined() || value.is_null() {
        Value::Null
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(x) = value.as_f64() {
        Value::Number(x)
    } else if let Some(s) = value.as_string() {
        Value::String(s)
    } else if value.is_bigint() {
        Value::Unsupported("a BigInt")
    } else if value.is_symbol() {
        Value::Unsupported("a Symbol")
    } else if value.is_function() {
        Value::Unsupported("a function")
    } else if depth >= MAX_DEPTH {
        Value::Unsupported("a value nested too deeply")
    } else if js::is_array(value) {
        // Every read goes through a catching import: a getter or Proxy trap that
        // throws becomes an error at this path, not an exception through wasm.
        let Some(len) = js::length(value) else {
            return Value::Unsupported(UNREADABLE);
        };
        if len > MAX_ARRAY as f64 {
            return Value::Unsupported(TOO_LONG);
        }
        let mut items = Vec::with_capacity(len as usize);
        for i in 0..len as u32 {
            items.push(match js::get_index(value, i) {
                Ok(v) => to_value(&v, depth + 1),
                Err(_) => Value::Unsupported(UNREADABLE),
            });
        }
        Value::Array(items)
    } else if js::ArrayBuffer::is_view(value) {
        if value.is_instance_of::<js::DataView>()
            || value.is_instance_of::<js::BigInt64Array>()
            || value.is_instance_of::<js::BigUint64Array>()
        {
            return Value::Unsupported("a DataView or BigInt array");
        }
        if js::length(value).is_none_or(|n| n > MAX_ARRAY as f64) {
            return Value::Unsupported(TOO_LONG);
        }
        // Every other typed array converts element-wise to Float64Array.
        let numbers = js::Float64Array::new(value).to_vec();
        Value::Array(numbers.into_iter().map(Value::Number).collect())
    } else {
        // `Object.keys` returns a plain array of strings: read directly.
        let Ok(keys) = js::object_keys(value) else {
            return Value::Unsupported(UNREADABLE);
        };
        let count = keys.length();
        let mut fields = Vec::with_capacity(count as usize);
        for i in 0..count {
            let key = keys.at(i);
            let v = match js::get(value, &key) {
                Ok(v) if v.is_undefined() => continue,
                Ok(v) => to_value(&v, depth + 1),
                Err(_) => Value::Unsupported(UNREADABLE),
            };
            fields.push((key.as_string().unwrap_or_default(), v));
        }
        Value::Object(fields)
    }
}

/// Reads a JS value into `T`, reporting the path of a bad field below `root`.
pub fn from_js<T: FromValue>(value: JsValue, root: &str) -> Result<T, Error> {
    from_value(&to_value(&value, 0), root)
}

/// Reads an optional JS value (`undefined` / `null` → `T::default()`).
pub fn from_js_or_default<T: FromValue + Default>(
    value: Option<JsValue>,
    root: &str,
) -> Result<T, Error> {
    match value {
        Some(v) if !v.is_undefined() && !v.is_null() => from_js(v, root),
        _ => Ok(T::default()),
    }
}

/// Reads a `Uint8Array` (or `ArrayBuffer`) argument.
pub fn bytes_arg(value: &JsValue, path: &str) -> Result<Vec<u8>, Error> {
    js::bytes(value).ok_or_else(|| Error::corrupt(path, "expected a Uint8Array"))
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
pub fn from_js_or_json<T: FromValue>(value: JsValue, root: &str) -> Result<T, Error> {
    match value.as_string() {
        Some(text) => {
            let parsed = js::json_parse(&text).map_err(|e| {
                let detail = js::get(&e, &JsValue::from_str("message"))
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_default();
                Error::invalid(root, format!("invalid JSON: {detail}"))
            })?;
            from_js(parsed, root)
        }
        None => from_js(value, root),
    }
}

/// Writes a Rust value as plain JS objects and arrays.
///
/// The value crosses the boundary as one JSON string (written by [`crate::json`])
/// parsed by the JS engine: building the objects field by field from wasm costs a
/// boundary call per property (about 17 µs per ranked offer with its reasons and
/// breakdown), one `JSON.parse` a fraction of that. Outputs hold only finite numbers,
/// so nothing is lost in JSON.
pub fn to_js(value: &dyn ToJson) -> JsResult<JsValue> {
    let mut text = String::new();
    value.write_json(&mut text);
    js::json_parse(&text)
}

/// Turns an [`Error`] into a JS `Error` with `name = "GoodsRankerError"`, and `code`
/// and `path` properties.
pub fn to_js_error(error: Error) -> JsValue {
    let e = js::JsError::new(&error.to_string());
    // Setting a property on a fresh Error object cannot fail.
    js::set(&e, "name", "GoodsRankerError");
    js::set(&e, "code", error.code.as_str());
    js::set(&e, "path", &error.path);
    e.into()
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
