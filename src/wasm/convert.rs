//! Every conversion between JS values and Rust values, and the one place where an
//! [`Error`] becomes a JS `Error`.

use js_sys::{Error as JsError, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::{Error, ErrorCode};

/// The binding layer's result type.
pub type JsResult<T> = Result<T, JsValue>;

/// Reads a JS value into `T`, reporting the path of a bad field below `root`.
pub fn from_js<T: DeserializeOwned>(value: JsValue, root: &str) -> Result<T, Error> {
    let de = serde_wasm_bindgen::Deserializer::from(value);
    serde_path_to_error::deserialize(de).map_err(|e| Error::from_serde(e).within(root))
}

/// Reads an optional JS value (`undefined` / `null` → `T::default()`).
pub fn from_js_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    root: &str,
) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, root)
    }
}

/// Reads a JS object, or JSON text, into `T`.
pub fn from_js_or_json<T: DeserializeOwned>(value: JsValue, root: &str) -> Result<T, Error> {
    match value.as_string() {
        Some(text) => {
            let parsed = js_sys::JSON::parse(&text).map_err(|e| {
                let detail = e
                    .dyn_ref::<JsError>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_default();
                Error::invalid(root, format!("invalid JSON: {detail}"))
            })?;
            from_js(parsed, root)
        }
        None => from_js(value, root),
    }
}

/// Writes a Rust value as plain JS objects and arrays.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> JsResult<JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value
        .serialize(&serializer)
        .map_err(|e| to_js_error(Error::invalid("", format!("cannot convert output: {e}"))))
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
