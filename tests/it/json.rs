//! The JSON writer of the outputs (`goods_ranker::json`) against serde_json on the
//! types' `Serialize` derives: the text must be byte for byte the same, so that the
//! objects JS receives do not change.

use std::collections::BTreeSet;

use goods_ranker::contract::input::{
    AreaInput, DiversityInput, ExperimentInput, ExploreInput, GroupObjective, GroupOptions,
    NotifyOptions, QuietHoursInput, VariantInput, WeightsInput,
};
use goods_ranker::engine::Ranking;
use goods_ranker::json::{to_json, ToJson};
use goods_ranker::rank::explain::NotifyCode;
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions, SampleUser};
use goods_ranker::serve::experiment::{assign, Assignment};
use goods_ranker::serve::group::{GroupPick, GroupSelection, ServedMember};
use goods_ranker::serve::notify::{NotifyDecision, NotifyReason};
use goods_ranker::{
    Breakdown, FilterCode, FilteredOffer, Locale, LocationInput, RankedOffer, Reason, ReasonKind,
};
use goods_ranker::{Datum, PurchaseInput, StoreKind, UserInput};
use proptest::prelude::*;
use serde::Serialize;

use super::*;

/// Asserts that the writer and serde_json produce the same text.
#[track_caller]
fn same<T: ToJson + Serialize + ?Sized>(value: &T) {
    let ours = to_json(value);
    let serde = serde_json::to_string(value).expect("serializable");
    assert_eq!(ours, serde);
}

/// The sample catalog's engine and its users' profiles.
fn sample_engine() -> (Engine, Vec<SampleUser>, Vec<Profile>) {
    let input = sample_catalog(&SampleOptions::default());
    let users = sample_users(&input, NOW);
    let profiles = users
        .iter()
        .map(|u| Profile::from_user(&u.user).expect("valid sample user"))
        .collect();
    let engine = Engine::new(input, &EngineOptions::default()).expect("valid sample");
    (engine, users, profiles)
}

fn experiment() -> ExperimentInput {
    ExperimentInput {
        name: "feed \"2025\"\n".into(),
        variants: vec![
            VariantInput {
                name: "control".into(),
                split: 1.0,
                ..Default::default()
            },
            VariantInput {
                name: "近处优先".into(),
                split: 1.0,
                weights: Some(WeightsInput {
                    proximity: Some(3.0),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ],
    }
}

/// Rank options that exercise distances, both locales, re-ranking and exploration.
fn rank_options() -> Vec<RankOptions> {
    let here = LocationInput {
        lat: 39.9966,
        lng: 116.4808,
        datum: Some(Datum::Gcj02),
    };
    vec![
        opts(),
        RankOptions {
            location: Some(here),
            locale: Some(Locale::En),
            ..opts()
        },
        RankOptions {
            location: Some(here),
            diversity: Some(DiversityInput {
                max_per_category: Some(2),
                mmr_lambda: Some(0.7),
                ..Default::default()
            }),
            explore: Some(ExploreInput {
                seed: 42.0,
                slots: Some(2),
            }),
            pin: Some(vec!["o00003".into(), "o00010".into()]),
            hide: Some(vec!["o00001".into()]),
            exclude: Some(vec!["o00002".into()]),
            limit: Some(1000),
            ..opts()
        },
    ]
}

#[test]
fn ranked_and_filtered_offers_match_serde_json_on_the_sample_catalog() {
    let (engine, _, profiles) = sample_engine();
    let mut codes = BTreeSet::new();
    let mut with_distance = 0;
    for profile in profiles.iter().chain([&Profile::new()]) {
        for options in rank_options() {
            let feed = engine.rank(profile, &options, NOW).unwrap();
            assert!(!feed.is_empty());
            same(&feed);
            for offer in &feed {
                same(offer);
                with_distance += usize::from(offer.distance_m.is_some());
                for reason in &offer.reasons {
                    codes.insert(serde_json::to_value(reason).unwrap()["code"].to_string());
                }
            }
            let filtered = engine.filtered(profile, &options, NOW).unwrap();
            assert!(!filtered.is_empty());
            same(&filtered);
        }
    }
    // The sample covers most reason codes, with and without distances.
    assert!(codes.len() >= 8, "{codes:?}");
    assert!(with_distance > 0);
}

#[test]
fn rankings_with_and_without_a_variant_match_serde_json() {
    let (engine, _, profiles) = sample_engine();
    for (i, profile) in profiles.iter().enumerate() {
        let plain = engine.rank_with_variant(profile, &opts(), NOW).unwrap();
        assert!(plain.variant.is_none());
        same(&plain);
        let options = RankOptions {
            experiment: Some(experiment()),
            user_id: Some(format!("user-{i}")),
            ..opts()
        };
        let ranking = engine.rank_with_variant(profile, &options, NOW).unwrap();
        assert!(ranking.variant.is_some());
        same(&ranking);
    }
    let (assignment, _) = assign("user-7", &experiment(), "userId", "experiment").unwrap();
    same(&assignment);
}

#[test]
fn notify_decisions_match_serde_json() {
    let (engine, _, profiles) = sample_engine();
    let gates = [
        NotifyOptions {
            now: Some(NOW),
            threshold: Some(0.0),
            ..Default::default()
        },
        NotifyOptions {
            now: Some(NOW),
            threshold: Some(1.0),
            locale: Some(Locale::En),
            ..Default::default()
        },
        NotifyOptions {
            now: Some(NOW),
            quiet_hours: Some(QuietHoursInput { start: 9, end: 11 }),
            ..Default::default()
        },
        NotifyOptions {
            now: Some(NOW),
            budget_per_day: Some(0),
            ..Default::default()
        },
    ];
    let mut seen = BTreeSet::new();
    for profile in &profiles {
        for gate in &gates {
            let decision = engine.should_notify(profile, gate, NOW).unwrap();
            seen.insert((decision.notify, decision.score.is_some()));
            same(&decision);
        }
    }
    // Both answers, with and without a score.
    assert!(seen.contains(&(true, true)), "{seen:?}");
    assert!(seen.contains(&(false, true)), "{seen:?}");
    assert!(seen.contains(&(false, false)), "{seen:?}");
}

#[test]
fn group_selections_match_serde_json() {
    let (engine, users, profiles) = sample_engine();
    let members: Vec<(&Profile, Option<&str>)> = profiles
        .iter()
        .zip(&users)
        .enumerate()
        .map(|(i, (p, u))| (p, (i % 2 == 0).then_some(u.name.as_str())))
        .collect();
    for objective in [GroupObjective::Coverage, GroupObjective::Mean] {
        for locale in [Locale::ZhCn, Locale::En] {
            let options = GroupOptions {
                now: Some(NOW),
                objective: Some(objective),
                locale: Some(locale),
                ..Default::default()
            };
            let selection = engine.rank_for_group(&members, &options, NOW).unwrap();
            assert!(!selection.items.is_empty());
            same(&selection);
        }
    }
}

#[test]
fn sample_catalogs_and_users_match_serde_json() {
    for (offers, embedding_dim) in [(400, 16), (1200, 0), (30, 3)] {
        let mut catalog = sample_catalog(&SampleOptions {
            offers,
            embedding_dim,
            seed: 11,
        });
        same(&catalog);
        same(&sample_users(&catalog, NOW));
        // Every optional field, as enrichment and callers set them.
        catalog.datum = Datum::Wgs84;
        catalog.embedding_dim = None;
        catalog.areas = Some(vec![
            AreaInput {
                id: "a1".into(),
                lat: 39.99,
                lng: 116.47,
                datum: None,
                radius_km: Some(2.0),
            },
            AreaInput {
                id: "a\"2\\".into(),
                lat: 40.01,
                lng: -116.49,
                datum: Some(Datum::Gcj02),
                radius_km: None,
            },
        ]);
        for (i, o) in catalog.offers.iter_mut().enumerate() {
            let x = i as f32;
            o.age_lift = Some(
                (0..10)
                    .map(|b| 0.5 + 0.1 * ((b as f32 + x) % 7.0))
                    .collect(),
            );
            o.income_lift = Some(vec![f32::MIN_POSITIVE, 1e-30, 3.4e38, -0.0, f32::NAN]);
            o.area_popularity = Some(vec![f64::from(x) * 3.0, 1e21, 1e-7]);
            o.repurchase_rate = Some(0.05 + 0.1 * f64::from(x));
            o.category_path = Some(vec!["肉禽蛋".into(), o.category.clone()]);
            o.tags = Some(vec!["有机\t散养".into(), String::new()]);
            o.income_bands = Some(vec![1, 5, 255]);
            o.stock = Some(u32::MAX);
            o.min_age = Some(0);
        }
        for s in &mut catalog.stores {
            s.kind = Some(StoreKind::Store);
            s.datum = Some(Datum::Wgs84);
        }
        same(&catalog);
    }
}

#[test]
fn every_variant_and_optional_field_matches_serde_json() {
    use ReasonKind as R;
    let kinds = [
        R::Nearby {
            distance_m: 350,
            store_name: "花家地北里自提点".into(),
        },
        R::AgeFit,
        R::PriceFit,
        R::BoughtBefore { times: 3 },
        R::FrequentCategory {
            category: "蛋品".into(),
        },
        R::SimilarToLiked,
        R::RepurchaseDue {
            days_since: 6,
            cycle_days: 7,
        },
        R::Popular { sales: 1200 },
        R::NewArrival,
        R::Discount {
            save_yuan: 4.5,
            percent_off: 18,
        },
        R::Promoted,
        R::ColdStart,
        R::Pinned,
        R::Explore {
            category: "水果\"".into(),
        },
        R::Fatigued { impressions: 4 },
        R::LessOfCategory {
            category: "酒类\\".into(),
        },
    ];
    let reasons: Vec<Reason> = kinds
        .into_iter()
        .enumerate()
        .map(|(i, kind)| Reason {
            kind,
            text: format!("reason {i}\n"),
            weight: 0.1 * i as f64,
        })
        .collect();
    same(&reasons);
    let ranked = RankedOffer {
        offer_id: "o1".into(),
        score: 0.5,
        rank: 1,
        title: "\u{1}".into(),
        category: String::new(),
        price: 1e16,
        store_id: "s".into(),
        store_name: "🛒".into(),
        distance_m: Some(f64::INFINITY),
        reasons: reasons.clone(),
        breakdown: Breakdown {
            proximity: f64::NAN,
            age_fit: -0.0,
            ..Breakdown::default()
        },
    };
    same(&ranked);
    same(&Ranking {
        variant: Some(Assignment {
            experiment: "e".into(),
            variant: "v".into(),
            bucket: 0.999_999_999_999,
        }),
        items: vec![ranked.clone(), ranked.clone()],
    });
    same(&Ranking {
        variant: None,
        items: Vec::new(),
    });
    let codes = FilterCode::ALL;
    same(&FilteredOffer {
        offer_id: "o2".into(),
        title: "t".into(),
        codes: codes.to_vec(),
        text: "x".into(),
    });
    for code in [
        NotifyCode::Ok,
        NotifyCode::BudgetUsed,
        NotifyCode::QuietHours,
        NotifyCode::TooSoon,
        NotifyCode::BelowThreshold,
        NotifyCode::NothingEligible,
    ] {
        same(&NotifyDecision {
            notify: code == NotifyCode::Ok,
            offer: (code == NotifyCode::Ok).then(|| ranked.clone()),
            reason: NotifyReason {
                code,
                text: "t".into(),
            },
            score: (code == NotifyCode::BelowThreshold).then_some(0.25),
            pushes_today: 1,
            budget_per_day: 2,
        });
    }
    for objective in [GroupObjective::Coverage, GroupObjective::Mean] {
        same(&GroupSelection {
            items: vec![GroupPick {
                offer_id: "o".into(),
                rank: 1,
                title: "t".into(),
                category: "c".into(),
                price: 9.9,
                store_id: "s".into(),
                store_name: "n".into(),
                mean_score: 0.3,
                served: vec![
                    ServedMember {
                        member: 0,
                        name: None,
                        score: 0.4,
                        reasons: reasons.clone(),
                    },
                    ServedMember {
                        member: 1,
                        name: Some("王奶奶".into()),
                        score: 0.4,
                        reasons: Vec::new(),
                    },
                ],
            }],
            members: 2,
            members_served: 2,
            objective,
        });
    }
    same(&UserInput::default());
    same(&UserInput {
        location: Some(LocationInput {
            lat: 1.0,
            lng: 2.0,
            datum: Some(Datum::Gcj02),
        }),
        age: Some(30),
        income_band: Some(3),
        monthly_income: Some(12000.0),
        history: Some(vec![PurchaseInput {
            offer_id: "o".into(),
            category: Some("c".into()),
            price: Some(1.5),
            quantity: Some(2),
            at: NOW,
        }]),
    });
    for kind in [
        StoreKind::PickupPoint,
        StoreKind::Store,
        StoreKind::Warehouse,
    ] {
        let mut c = catalog(vec![offer("a", "蛋品", 1.0, "near")]);
        c.stores[0].kind = Some(kind);
        c.datum = Datum::Gcj02;
        c.embedding_dim = Some(0);
        same(&c);
    }
}

/// Strings rich in what needs escaping: control characters, quotes, backslashes,
/// DEL, non-ASCII and emoji, among arbitrary characters.
fn tricky_string() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        any::<char>(),
        (0u8..0x20).prop_map(char::from),
        prop::sample::select(vec!['"', '\\', '/', '\u{7f}', 'é', '中', '😀', '\u{2028}']),
    ];
    prop::collection::vec(ch, 0..24).prop_map(|cs| cs.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2048,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn strings_are_escaped_as_serde_json_does(s in tricky_string(), t in any::<String>()) {
        prop_assert_eq!(to_json(&s), serde_json::to_string(&s).unwrap());
        prop_assert_eq!(to_json(&t), serde_json::to_string(&t).unwrap());
        let list = vec![s, t];
        prop_assert_eq!(to_json(&list), serde_json::to_string(&list).unwrap());
    }

    #[test]
    fn numbers_are_written_as_serde_json_does(
        x in any::<f64>(),
        bits in any::<u64>(),
        y in any::<f32>(),
        bits32 in any::<u32>(),
        n in any::<u32>(),
        b in any::<u8>(),
    ) {
        for v in [x, f64::from_bits(bits), f64::from(y), f64::from(n), -f64::from(n)] {
            prop_assert_eq!(to_json(&v), serde_json::to_string(&v).unwrap());
        }
        for v in [y, f32::from_bits(bits32)] {
            prop_assert_eq!(to_json(&v), serde_json::to_string(&v).unwrap());
        }
        prop_assert_eq!(to_json(&n), serde_json::to_string(&n).unwrap());
        prop_assert_eq!(to_json(&b), serde_json::to_string(&b).unwrap());
    }
}

#[test]
fn special_numbers_are_written_as_serde_json_does() {
    for v in [
        0.0,
        -0.0,
        1.0,
        -1.5,
        0.1,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e-5,
        1e-7,
        f64::MIN_POSITIVE,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
        f64::NAN,
        -f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        NOW,
    ] {
        same(&v);
    }
    for n in [0, 9, 10, 99, 100, 4_294_967_295u32] {
        same(&n);
    }
    same(&Some(1.5));
    same(&None::<u32>);
    same(&[true, false][..]);
}
