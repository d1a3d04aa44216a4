//! Binary catalog bytes → engine; see `goods_ranker::fuzzing::binary_catalog`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| goods_ranker::fuzzing::binary_catalog(data));
