//! Small self-contained helpers: geodesy and datums ([`geo`]), the one seeded
//! generator ([`rng`]), a stable order for scores (`order.rs`), the varint wire format
//! of the saved forms (`wire.rs`) and CRC-32 (`crc32.rs`).

pub(crate) mod crc32;
pub mod geo;
pub(crate) mod order;
pub mod rng;
pub(crate) mod wire;
