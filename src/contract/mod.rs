//! The contract with callers: what they hand to the engine, as JS objects or JSON.
//!
//! - [`input`]: the input types (field names are the JS-facing camelCase contract),
//!   each with its reader.
//! - [`value`]: the plain data tree JSON and JS values are read into, and the reader
//!   machinery (field paths in errors, unknown keys rejected).
//! - [`check`]: validation shared by several layers (times, locations, positive
//!   numbers).
//!
//! The types only describe shape; ranges and cross-references are checked when the
//! input becomes engine state (`Catalog::from_input`, `Profile::from_user`,
//! `RankParams::resolve`).

pub mod check;
pub mod input;
pub mod value;
