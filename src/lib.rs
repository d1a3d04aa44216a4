//! # goods-ranker
//!
//! On-device recommendation for "goods find people" (货找人) feeds. The engine scores
//! product offers against one user's location, age, income and purchase history and
//! returns a ranked feed where every offer carries its reasons (「距你 350 米」,
//! 「你常买「蛋品」」, 「上次购买 6 天前，该补货了」).
//!
//! This crate is the pure-Rust core; it compiles and is tested natively. The
//! WebAssembly binding (`src/wasm/`, compiled only for `wasm32`) is a thin layer that
//! converts JS values in and out and calls the same functions.
//!
//! ```
//! use goods_ranker::{sample, Engine, EngineOptions, Profile, RankOptions, UserInput};
//!
//! let catalog = sample::sample_catalog(&sample::SampleOptions::default());
//! let engine = Engine::new(catalog, &EngineOptions::default())?;
//! let profile = Profile::from_user(&UserInput { age: Some(30), ..Default::default() })?;
//! let feed = engine.rank(&profile, &RankOptions::default(), 1.764e12)?;
//! for offer in &feed {
//!     println!("{} {:.3} {:?}", offer.title, offer.score, offer.reasons);
//! }
//! # Ok::<(), goods_ranker::Error>(())
//! ```
#![deny(missing_docs)]

pub mod catalog;
pub mod contract;
pub mod engine;
pub mod error;
#[cfg(all(feature = "fuzzing", not(target_arch = "wasm32")))]
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
pub mod profile;
pub mod rank;
pub mod sample;
pub mod serve;
pub mod util;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use catalog::Catalog;
pub use contract::input::{
    CatalogInput, Datum, DecayFunction, EngineOptions, EventInput, EventType, Locale,
    LocationInput, OfferInput, ProximityInput, PurchaseInput, RankOptions, StoreInput, StoreKind,
    UserInput, WeightsInput,
};
pub use engine::Engine;
pub use error::{Error, ErrorCode, Result};
pub use profile::Profile;
pub use rank::explain::{FilterCode, ReasonKind};
pub use rank::features::{Feature, Weights};
pub use rank::{Breakdown, FilteredOffer, RankedOffer, Reason};
