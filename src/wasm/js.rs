//! The JS built-ins the binding calls, declared here instead of through js-sys: the
//! dozen functions below are all it needs, and js-sys links code of its own (its
//! async task support and the closure shims that come with it) into every module.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`.
    #[wasm_bindgen(js_namespace = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> bool;

    /// `Reflect.get`, catching what a getter or a Proxy trap throws.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    pub fn get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    /// `Reflect.get` of an array index, catching what a getter or a Proxy trap throws.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    pub fn get_index(target: &JsValue, index: u32) -> Result<JsValue, JsValue>;

    /// `Reflect.set` of a string property.
    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    pub fn set(target: &JsValue, key: &str, value: &str) -> bool;

    /// `Object.keys`, catching what a Proxy's `ownKeys` trap throws.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub fn object_keys(value: &JsValue) -> Result<JsArray, JsValue>;

    /// `JSON.parse`, catching its `SyntaxError`.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    pub fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    /// `Array`, for arrays the binding made or got from a built-in (never a Proxy).
    #[wasm_bindgen(js_name = Array)]
    pub type JsArray;
    /// `array.length`.
    #[wasm_bindgen(method, getter, structural)]
    pub fn length(this: &JsArray) -> u32;
    /// `array[index]`.
    #[wasm_bindgen(method, structural, indexing_getter)]
    pub fn at(this: &JsArray, index: u32) -> JsValue;

    /// `Date.now()`: epoch milliseconds.
    #[wasm_bindgen(js_namespace = Date, js_name = now)]
    pub fn date_now() -> f64;

    /// `Error`.
    #[wasm_bindgen(js_name = Error)]
    pub type JsError;
    /// `new Error(message)`.
    #[wasm_bindgen(constructor, js_class = Error)]
    pub fn new(message: &str) -> JsError;

    /// `Uint8Array`.
    pub type Uint8Array;
    /// `new Uint8Array(buffer)`: a view of an `ArrayBuffer`.
    #[wasm_bindgen(constructor)]
    pub fn new(source: &JsValue) -> Uint8Array;
    /// The bytes, copied once, into wasm memory (`subarray()` is a view).
    #[wasm_bindgen(method, js_name = subarray)]
    pub fn to_vec(this: &Uint8Array) -> Vec<u8>;

    /// `Float64Array`.
    pub type Float64Array;
    /// `new Float64Array(typedArray)`: the elements converted to numbers.
    #[wasm_bindgen(constructor)]
    pub fn new(source: &JsValue) -> Float64Array;
    /// The numbers, copied once, into wasm memory (`subarray()` is a view).
    #[wasm_bindgen(method, js_name = subarray)]
    pub fn to_vec(this: &Float64Array) -> Vec<f64>;

    /// `ArrayBuffer`.
    pub type ArrayBuffer;
    /// `ArrayBuffer.isView`: typed arrays and `DataView`s.
    #[wasm_bindgen(static_method_of = ArrayBuffer, js_name = isView)]
    pub fn is_view(value: &JsValue) -> bool;
    /// `DataView`.
    pub type DataView;
    /// `BigInt64Array`.
    pub type BigInt64Array;
    /// `BigUint64Array`.
    pub type BigUint64Array;
}

/// The bytes of a `Uint8Array`, or `None` for anything else.
pub fn uint8_array(value: &JsValue) -> Option<Vec<u8>> {
    value.dyn_ref::<Uint8Array>().map(|bytes| bytes.to_vec())
}

/// The bytes of a `Uint8Array` or `ArrayBuffer`, or `None` for anything else.
pub fn bytes(value: &JsValue) -> Option<Vec<u8>> {
    uint8_array(value).or_else(|| {
        value
            .is_instance_of::<ArrayBuffer>()
            .then(|| Uint8Array::new(value).to_vec())
    })
}

/// A JS value's numeric `length` property, if it has one and reading it does not throw.
pub fn length(value: &JsValue) -> Option<f64> {
    get(value, &JsValue::from_str("length"))
        .ok()
        .and_then(|n| n.as_f64())
}
