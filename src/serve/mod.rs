//! Serving decisions built on ranking: the push gate ([`notify`]), group selection for
//! a group leader ([`group`]) and A/B experiment assignment ([`experiment`]).

pub mod experiment;
pub mod group;
pub mod notify;
