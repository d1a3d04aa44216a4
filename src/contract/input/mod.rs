//! The input data shapes: what callers hand to the engine, as JS objects or JSON.
//!
//! Field names are the JS-facing camelCase contract (see README "Data"). These types
//! only describe shape; ranges and cross-references are checked when the input is
//! turned into engine state (`Catalog::from_input`, `Profile::from_user`,
//! `RankParams::resolve`), which reports the field path of anything wrong. Unknown
//! fields are rejected so that a typo (`originalPrce`) fails loudly instead of being
//! ignored.
//!
//! One file per family, each type followed by its reader ([`FromValue`]):
//! [`catalog`] (the catalog the server ships), [`user`] (what is known about a user,
//! and events), [`options`] (engine and rank options), [`serve`] (experiments, the
//! push gate, group selection).

use crate::contract::value::FromValue;
use crate::error::{Error, Result};

pub mod catalog;
pub mod options;
pub mod serve;
pub mod user;

pub use catalog::*;
pub use options::*;
pub use serve::*;
pub use user::*;

/// Parses JSON text into an input type, reporting a syntax, shape or type error at
/// the path of the offending value below `root` (`offers[3].price`).
///
/// # Errors
/// `invalidInput` at the path of the first bad value.
pub fn from_json<T: FromValue>(json: &str, root: &str) -> Result<T> {
    let value: crate::contract::value::Value = serde_json::from_str(json)
        .map_err(|e| Error::invalid(root, format!("invalid JSON: {e}")))?;
    crate::contract::value::from_value(&value, root)
}

pub(super) fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

// ---------------------------------------------------------------------------------
// Readers: every input type has one, next to it, from a `Value`, field by field (see `crate::contract::value`).
// The field names are the camelCase names `Serialize` writes; the test
// `readers_round_trip_what_serialize_writes` checks each reader against it.

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::*;

    /// Writes `value` with `Serialize` and reads it back with its reader.
    fn round_trip<T: Serialize + FromValue + PartialEq + std::fmt::Debug>(value: &T) {
        let json = serde_json::to_string(value).unwrap();
        let back: T = from_json(&json, "").unwrap_or_else(|e| panic!("{e}\n{json}"));
        assert_eq!(&back, value, "{json}");
    }

    /// Every field of every input type set (options `Some`, enums not default), so a
    /// reader that misses or misnames a field fails the round trip.
    #[test]
    fn readers_round_trip_what_serialize_writes() {
        let location = LocationInput {
            lat: 39.99,
            lng: 116.47,
            datum: Some(Datum::Gcj02),
        };
        let weights = WeightsInput {
            proximity: Some(1.0),
            age_fit: Some(2.0),
            price_fit: Some(3.0),
            item_affinity: Some(4.0),
            category_affinity: Some(5.0),
            embedding: Some(6.0),
            repurchase: Some(7.0),
            popularity: Some(8.0),
            freshness: Some(9.0),
            discount: Some(10.0),
            boost: Some(11.0),
        };
        let proximity = ProximityInput {
            function: Some(DecayFunction::Linear),
            offset_km: Some(0.5),
            scale_km: Some(2.0),
            decay: Some(0.4),
        };
        let diversity = DiversityInput {
            max_per_category: Some(3),
            max_per_store: Some(4),
            mmr_lambda: Some(0.7),
            similarity: Some(SimilarityKind::Category),
        };
        let explore = ExploreInput {
            seed: 42.0,
            slots: Some(2),
        };
        let fatigue = FatigueInput {
            enabled: Some(true),
            free_impressions: Some(3),
            decay: Some(0.8),
            recovery_hours: Some(24.0),
            max_per_offer_per_day: Some(5),
            max_per_category_per_day: Some(9),
            dismiss_damping: Some(0.5),
        };
        round_trip(&CatalogInput {
            version: 1,
            datum: Datum::Gcj02,
            embedding_dim: Some(2),
            stores: vec![StoreInput {
                id: "s1".into(),
                name: "望京西园三区自提点".into(),
                lat: 39.99,
                lng: 116.47,
                datum: Some(Datum::Wgs84),
                delivery_radius_km: Some(3.0),
                kind: Some(StoreKind::PickupPoint),
            }],
            offers: vec![OfferInput {
                id: "o1".into(),
                title: "土鸡蛋 30 枚".into(),
                category: "蛋品".into(),
                category_path: Some(vec!["肉禽蛋".into(), "蛋品".into()]),
                tags: Some(vec!["散养".into()]),
                price: 25.9,
                original_price: Some(32.0),
                store_id: "s1".into(),
                stock: Some(40),
                popularity: Some(120.0),
                starts_at: Some(1.0),
                ends_at: Some(2.0),
                age_min: Some(25),
                age_max: Some(60),
                min_age: Some(18),
                income_bands: Some(vec![2, 3]),
                repurchase_days: Some(7.0),
                boost: Some(0.5),
                embedding: Some(vec![0.25, -0.5]),
                age_lift: Some(vec![1.5; 10]),
                income_lift: Some(vec![0.5; 5]),
                area_popularity: Some(vec![3.0]),
                repurchase_rate: Some(0.4),
            }],
            areas: Some(vec![AreaInput {
                id: "a1".into(),
                lat: 39.98,
                lng: 116.46,
                datum: Some(Datum::Gcj02),
                radius_km: Some(1.5),
            }]),
        });
        round_trip(&UserInput {
            location: Some(location),
            age: Some(68),
            income_band: Some(2),
            monthly_income: Some(4500.0),
            history: Some(vec![PurchaseInput {
                offer_id: "o1".into(),
                category: Some("蛋品".into()),
                price: Some(25.9),
                quantity: Some(2),
                at: 1.7e12,
            }]),
        });
        for kind in EventType::ALL {
            round_trip(&EventInput {
                kind,
                offer_id: "o1".into(),
                at: 1.7e12,
                category: Some("蛋品".into()),
                price: Some(25.9),
                quantity: Some(3),
            });
        }
        round_trip(&EngineOptions {
            weights: Some(weights),
            proximity: Some(proximity),
            locale: Some(Locale::En),
            allow_unknown_age: Some(true),
        });
        round_trip(&RankOptions {
            location: Some(location),
            now: Some(1.7e12),
            limit: Some(20),
            locale: Some(Locale::ZhCn),
            weights: Some(weights),
            proximity: Some(proximity),
            exclude: Some(vec!["o2".into()]),
            allow_unknown_age: Some(false),
            diversity: Some(diversity),
            pin: Some(vec!["o3".into()]),
            hide: Some(vec!["o4".into()]),
            explore: Some(explore),
            fatigue: Some(fatigue),
            experiment: Some(ExperimentInput {
                name: "exp".into(),
                variants: vec![VariantInput {
                    name: "a".into(),
                    split: 1.0,
                    weights: Some(weights),
                    diversity: Some(diversity),
                    explore: Some(explore),
                    fatigue: Some(fatigue),
                }],
            }),
            user_id: Some("u1".into()),
        });
        round_trip(&NotifyOptions {
            now: Some(1.7e12),
            location: Some(location),
            locale: Some(Locale::En),
            weights: Some(weights),
            threshold: Some(0.6),
            budget_per_day: Some(2),
            quiet_hours: Some(QuietHoursInput { start: 22, end: 8 }),
            utc_offset_minutes: Some(-300),
            min_gap_minutes: Some(90.0),
            repeat_after_days: Some(3.0),
        });
        for objective in [GroupObjective::Coverage, GroupObjective::Mean] {
            round_trip(&GroupOptions {
                now: Some(1.7e12),
                limit: Some(10),
                location: Some(location),
                locale: Some(Locale::ZhCn),
                weights: Some(weights),
                serve_ratio: Some(0.5),
                objective: Some(objective),
                allow_unknown_age: Some(true),
            });
        }
        for function in [DecayFunction::Gauss, DecayFunction::Exp] {
            round_trip(&ProximityInput {
                function: Some(function),
                ..ProximityInput::default()
            });
        }
        for similarity in [SimilarityKind::Auto, SimilarityKind::Embedding] {
            round_trip(&DiversityInput {
                similarity: Some(similarity),
                ..DiversityInput::default()
            });
        }
        round_trip(&StoreKind::Store);
        round_trip(&StoreKind::Warehouse);
    }

    #[test]
    fn aliases_and_nulls_read_as_documented() {
        let event: EventInput = from_json(
            r#"{"type":"addToCart","offerId":"o1","at":1,"price":null}"#,
            "",
        )
        .unwrap();
        assert_eq!((event.kind, event.price), (EventType::Cart, None));
        let err = from_json::<EventInput>(r#"{"type":"cart","offerId":null,"at":1}"#, "event")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "event.offerId: invalid type: null, expected a string"
        );
        let err = from_json::<OfferInput>(r#"{"id":"a","id":"b"}"#, "").unwrap_err();
        assert!(err.message.contains("duplicate field `id`"), "{err}");
    }
}
