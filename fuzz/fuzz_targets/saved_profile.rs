//! Saved profile bytes and base64 text → profile; see `goods_ranker::fuzzing::saved_profile`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| goods_ranker::fuzzing::saved_profile(data));
