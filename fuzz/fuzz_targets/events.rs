//! A JSON list of events recorded into a profile; see `goods_ranker::fuzzing::events`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| goods_ranker::fuzzing::events(data));
