//! Rank, notify and group options JSON on a fixed catalog; see `goods_ranker::fuzzing::options`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| goods_ranker::fuzzing::options(data));
