//! A/B experiments: stable assignment, the configured split, per-variant overrides.

use goods_ranker::contract::input::{DiversityInput, ExperimentInput, VariantInput, WeightsInput};
use goods_ranker::serve::experiment::assign;
use goods_ranker::{ErrorCode, Profile, RankOptions};

use super::*;

fn experiment(splits: &[(&str, f64)]) -> ExperimentInput {
    ExperimentInput {
        name: "feed-2025-11".into(),
        variants: splits
            .iter()
            .map(|(name, split)| VariantInput {
                name: (*name).into(),
                split: *split,
                ..Default::default()
            })
            .collect(),
    }
}

fn shares(exp: &ExperimentInput, n: u32) -> Vec<f64> {
    let mut counts = vec![0u32; exp.variants.len()];
    for i in 0..n {
        let (_, idx) = assign(&format!("user-{i}"), exp, "userId", "experiment").unwrap();
        counts[idx] += 1;
    }
    counts
        .iter()
        .map(|&c| f64::from(c) / f64::from(n))
        .collect()
}

#[test]
fn the_split_holds_within_two_percent_over_100k_ids() {
    let half = experiment(&[("control", 1.0), ("treatment", 1.0)]);
    let s = shares(&half, 100_000);
    for share in &s {
        assert!((share - 0.5).abs() <= 0.02, "{s:?}");
    }
    let three = experiment(&[("a", 0.1), ("b", 0.3), ("c", 0.6)]);
    let s = shares(&three, 100_000);
    for (share, want) in s.iter().zip([0.1, 0.3, 0.6]) {
        assert!((share - want).abs() <= 0.02, "{s:?}");
    }
    // A 0 share gets nobody.
    let off = experiment(&[("a", 0.0), ("b", 1.0)]);
    assert_eq!(shares(&off, 10_000), [0.0, 1.0]);
}

#[test]
fn assignment_is_stable_and_pinned_to_known_values() {
    let exp = experiment(&[("control", 1.0), ("treatment", 1.0)]);
    let first: Vec<String> = (0..1000)
        .map(|i| {
            assign(&format!("u{i}"), &exp, "userId", "experiment")
                .unwrap()
                .0
                .variant
        })
        .collect();
    let again: Vec<String> = (0..1000)
        .map(|i| {
            assign(&format!("u{i}"), &exp, "userId", "experiment")
                .unwrap()
                .0
                .variant
        })
        .collect();
    assert_eq!(first, again);
    // The hash is part of the contract (the JS tests check the same values): FNV-1a
    // then SplitMix64's finaliser, 53 bits → [0, 1).
    // (Values computed independently, in Python.)
    assert_eq!(
        goods_ranker::serve::experiment::stable_hash(&["feed-2025-11", "user-42"]),
        0x4fe2_087b_a40d_2103
    );
    let (a, _) = assign("user-42", &exp, "userId", "experiment").unwrap();
    assert_eq!(a.bucket, 0.312_042_741_952_656_13);
    assert_eq!(a.variant, "control");
    assert_eq!(a.experiment, "feed-2025-11");
    // Renaming the experiment reshuffles users.
    let renamed = ExperimentInput {
        name: "feed-2025-12".into(),
        ..exp.clone()
    };
    let moved = (0..1000)
        .filter(|i| {
            let u = format!("u{i}");
            assign(&u, &exp, "userId", "experiment").unwrap().1
                != assign(&u, &renamed, "userId", "experiment").unwrap().1
        })
        .count();
    assert!((400..600).contains(&moved), "{moved}");
}

#[test]
fn the_variant_applies_its_overrides_and_is_returned_with_the_ranking() {
    let e = engine(vec![
        OfferInput {
            popularity: Some(100.0),
            ..offer("a", "蛋品", 10.0, "near")
        },
        OfferInput {
            popularity: Some(90.0),
            ..offer("b", "蛋品", 10.0, "near")
        },
        OfferInput {
            boost: Some(1.0),
            ..offer("c", "水果", 10.0, "near")
        },
    ]);
    let exp = ExperimentInput {
        name: "boost-test".into(),
        variants: vec![
            VariantInput {
                name: "control".into(),
                split: 1.0,
                ..Default::default()
            },
            VariantInput {
                name: "promote".into(),
                split: 1.0,
                weights: Some(WeightsInput {
                    boost: Some(20.0),
                    ..Default::default()
                }),
                diversity: Some(DiversityInput {
                    max_per_category: Some(1),
                    ..Default::default()
                }),
                ..Default::default()
            },
        ],
    };
    let user_in = |variant: &str| {
        (0..)
            .map(|i| format!("user-{i}"))
            .find(|u| assign(u, &exp, "userId", "experiment").unwrap().0.variant == variant)
            .unwrap()
    };
    let p = Profile::new();
    let run = |user: String| {
        e.rank_with_variant(
            &p,
            &RankOptions {
                experiment: Some(exp.clone()),
                user_id: Some(user),
                ..opts()
            },
            NOW,
        )
        .unwrap()
    };
    let control = run(user_in("control"));
    assert_eq!(control.variant.as_ref().unwrap().variant, "control");
    assert_eq!(ids(&control.items), ["a", "b", "c"]);
    let promote = run(user_in("promote"));
    assert_eq!(promote.variant.as_ref().unwrap().variant, "promote");
    assert_eq!(promote.variant.as_ref().unwrap().experiment, "boost-test");
    assert_eq!(ids(&promote.items), ["c", "a"]);
    // Without an experiment there is no variant, and `rank` is the same feed.
    let none = e.rank_with_variant(&p, &opts(), NOW).unwrap();
    assert!(none.variant.is_none());
    assert_eq!(none.items, e.rank(&p, &opts(), NOW).unwrap());
}

#[test]
fn bad_experiments_name_their_path() {
    let e = engine(vec![offer("a", "蛋品", 10.0, "near")]);
    let p = Profile::new();
    let run = |exp: ExperimentInput, user: Option<&str>| {
        e.rank(
            &p,
            &RankOptions {
                experiment: Some(exp),
                user_id: user.map(str::to_string),
                ..opts()
            },
            NOW,
        )
        .unwrap_err()
    };
    let ok = experiment(&[("a", 1.0), ("b", 1.0)]);
    assert_eq!(run(ok.clone(), None).path, "options.userId");
    assert_eq!(run(ok.clone(), Some("")).path, "options.userId");
    let err = run(experiment(&[]), Some("u"));
    assert_eq!(
        err.to_string(),
        "options.experiment.variants: expected 1..=16 variants, got 0"
    );
    let err = run(experiment(&[("a", 1.0), ("a", 1.0)]), Some("u"));
    assert_eq!(err.code, ErrorCode::DuplicateId);
    assert_eq!(err.path, "options.experiment.variants[1].name");
    let err = run(experiment(&[("a", -1.0)]), Some("u"));
    assert_eq!(err.path, "options.experiment.variants[0].split");
    let err = run(experiment(&[("a", 0.0)]), Some("u"));
    assert_eq!(err.path, "options.experiment.variants");
    // A bad override in a variant the user is not in still fails.
    let mut bad = ok.clone();
    bad.variants[1].weights = Some(WeightsInput {
        boost: Some(-1.0),
        ..Default::default()
    });
    for user in ["u1", "u2", "u3", "u4"] {
        assert_eq!(
            run(bad.clone(), Some(user)).path,
            "options.experiment.variants[1].weights.boost"
        );
    }
}
