//! The sample module's exports: `sampleCatalog` and `sampleUsers`.

use wasm_bindgen::prelude::*;

use super::convert::{self, from_js, from_js_or_default, js, optional_number_arg, to_js, JsResult};
use crate::contract::input::CatalogInput;
use crate::contract::value::{read_fields, At, FromValue, Value};
use crate::sample::{sample_catalog, sample_users, SampleOptions};

#[derive(Default)]
struct SampleOptionsInput {
    offers: Option<u32>,
    embedding_dim: Option<u32>,
    seed: Option<u32>,
}

impl FromValue for SampleOptionsInput {
    fn read(value: &Value, at: &At<'_>) -> Result<Self, crate::error::Error> {
        let mut o = SampleOptionsInput::default();
        let fields = &["offers", "embeddingDim", "seed"];
        read_fields(value, at, "SampleOptions", fields, 0, &mut |i, v, at| {
            let n = Some(FromValue::read(v, at)?);
            match i {
                0 => o.offers = n,
                1 => o.embedding_dim = n,
                _ => o.seed = n,
            }
            Ok(())
        })?;
        Ok(o)
    }
}

/// Most offers `sampleCatalog` makes (the catalog crosses into JS as objects).
const MAX_SAMPLE_OFFERS: usize = 200_000;
/// Longest embedding `sampleCatalog` makes.
const MAX_SAMPLE_DIM: usize = 64;

/// Generates the deterministic sample catalog (Beijing 望京 community group-buying).
#[wasm_bindgen(js_name = sampleCatalog, unchecked_return_type = "CatalogInput")]
pub fn js_sample_catalog(
    #[wasm_bindgen(unchecked_param_type = "SampleOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let input: SampleOptionsInput = js(from_js_or_default(options, "options"))?;
    let defaults = SampleOptions::default();
    let offers = input.offers.map_or(defaults.offers, |n| n as usize);
    if offers > MAX_SAMPLE_OFFERS {
        return Err(convert::to_js_error(crate::error::Error::new(
            crate::error::ErrorCode::TooLarge,
            "options.offers",
            format!("at most {MAX_SAMPLE_OFFERS} offers"),
        )));
    }
    let embedding_dim = input
        .embedding_dim
        .map_or(defaults.embedding_dim, |d| d as usize);
    if embedding_dim > MAX_SAMPLE_DIM {
        return Err(convert::to_js_error(crate::error::Error::invalid(
            "options.embeddingDim",
            format!("expected an integer in 0..={MAX_SAMPLE_DIM}"),
        )));
    }
    let options = SampleOptions {
        offers,
        embedding_dim,
        seed: input.seed.map_or(defaults.seed, u64::from),
    };
    to_js(&sample_catalog(&options))
}

/// The sample users (young office worker, grandmother, parent, child, newcomer) for
/// a catalog made by `sampleCatalog`, with histories relative to `now`.
#[wasm_bindgen(js_name = sampleUsers, unchecked_return_type = "SampleUser[]")]
pub fn js_sample_users(
    #[wasm_bindgen(unchecked_param_type = "CatalogInput")] catalog: JsValue,
    #[wasm_bindgen(unchecked_param_type = "number | null")] now: Option<JsValue>,
) -> JsResult<JsValue> {
    let catalog: CatalogInput = js(from_js(catalog, "catalog"))?;
    let now = js(optional_number_arg(&now.unwrap_or_default(), "now"))?
        .unwrap_or_else(super::js::date_now);
    js(crate::contract::check::check_time(now, "now"))?;
    to_js(&sample_users(&catalog, now))
}
