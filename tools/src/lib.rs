//! # goods-ranker-tools
//!
//! The native tools around the engine (never part of the wasm build):
//!
//! - [`enrich`]: learns the catalog fields (popularity, audience lift, repurchase
//!   interval, co-purchase embeddings) from a purchase log; the
//!   `goods-ranker-enrich` command.
//! - [`eval`]: offline next-basket evaluation of the engine against baselines; the
//!   `goods-ranker-evaluate` command.
//! - the `goods-ranker-catalog` command: binary catalogs and sample catalogs.
//! - [`cli`]: what the three commands share (flag values, errors, `--help`).
#![deny(missing_docs)]

pub mod cli;
pub mod enrich;
pub mod eval;
