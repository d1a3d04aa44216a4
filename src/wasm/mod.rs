//! The WebAssembly binding: the only code that knows about JS. Each exported
//! method converts its arguments in (`convert`), calls the core, and converts the
//! result out.
//!
//! The crate builds two modules: the engine (`engine.rs`, the default), and with the
//! `sample-only` feature the sample-data module of the `goods-ranker/sample` entry
//! (`sample.rs`), so the shipped engine carries no sample tables.

// The sample module uses only part of the conversions.
#[cfg_attr(feature = "sample-only", allow(dead_code))]
mod convert;
#[cfg(not(feature = "sample-only"))]
mod engine;
#[cfg_attr(feature = "sample-only", allow(dead_code))]
mod js;
#[cfg(feature = "sample-only")]
mod sample;

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");
