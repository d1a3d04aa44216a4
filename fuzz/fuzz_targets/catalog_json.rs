//! Catalog JSON text → engine; see `goods_ranker::fuzzing::catalog_json`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| goods_ranker::fuzzing::catalog_json(data));
