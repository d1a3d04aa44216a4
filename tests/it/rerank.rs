//! Re-ranking: category and store caps, MMR, operator pins and hides.

use std::collections::HashMap;

use goods_ranker::contract::input::{DiversityInput, SimilarityKind};
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{FilterCode, Profile, RankOptions, RankedOffer, ReasonKind};

use super::*;

fn sample() -> (Engine, Vec<Profile>) {
    let input = sample_catalog(&SampleOptions::default());
    let profiles = sample_users(&input, NOW)
        .iter()
        .map(|u| Profile::from_user(&u.user).unwrap())
        .collect();
    (
        Engine::new(input, &EngineOptions::default()).unwrap(),
        profiles,
    )
}

fn diverse(limit: u32, d: DiversityInput) -> RankOptions {
    RankOptions {
        limit: Some(limit),
        diversity: Some(d),
        ..opts()
    }
}

fn max_count<K: std::hash::Hash + Eq>(keys: impl Iterator<Item = K>) -> usize {
    let mut counts: HashMap<K, usize> = HashMap::new();
    for k in keys {
        *counts.entry(k).or_default() += 1;
    }
    counts.values().copied().max().unwrap_or(0)
}

fn distinct_categories(feed: &[RankedOffer]) -> usize {
    let mut c: Vec<&str> = feed.iter().map(|o| o.category.as_str()).collect();
    c.sort_unstable();
    c.dedup();
    c.len()
}

#[test]
fn category_and_store_caps_are_never_exceeded() {
    let (e, profiles) = sample();
    let mut checked = 0;
    for p in &profiles {
        let plain = e
            .rank(
                p,
                &RankOptions {
                    limit: Some(20),
                    ..opts()
                },
                NOW,
            )
            .unwrap();
        // Without caps the feeds do repeat categories, so the caps have work to do.
        assert!(max_count(plain.iter().map(|o| &o.category)) >= 2);
        for limit in [5, 20, 60] {
            for cat_cap in [1, 2, 3] {
                for store_cap in [None, Some(4)] {
                    let feed = e
                        .rank(
                            p,
                            &diverse(
                                limit,
                                DiversityInput {
                                    max_per_category: Some(cat_cap),
                                    max_per_store: store_cap,
                                    ..Default::default()
                                },
                            ),
                            NOW,
                        )
                        .unwrap();
                    assert!(max_count(feed.iter().map(|o| &o.category)) <= cat_cap as usize);
                    if let Some(cap) = store_cap {
                        assert!(max_count(feed.iter().map(|o| &o.store_id)) <= cap as usize);
                    }
                    // Ranks stay 1..n and no offer repeats.
                    for (i, o) in feed.iter().enumerate() {
                        assert_eq!(o.rank as usize, i + 1);
                    }
                    let mut ids: Vec<&str> = ids(&feed);
                    ids.sort_unstable();
                    ids.dedup();
                    assert_eq!(ids.len(), feed.len());
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 5 * 3 * 3 * 2);
}

#[test]
fn a_cap_keeps_the_best_offer_of_each_category_in_score_order() {
    let (e, profiles) = sample();
    let p = &profiles[1]; // grandma
    let wide = e
        .rank(
            p,
            &RankOptions {
                limit: Some(200),
                ..opts()
            },
            NOW,
        )
        .unwrap();
    let capped = e
        .rank(
            p,
            &diverse(
                10,
                DiversityInput {
                    max_per_category: Some(1),
                    ..Default::default()
                },
            ),
            NOW,
        )
        .unwrap();
    // Expected: walk the uncapped feed, keep the first offer of each category.
    let mut seen = Vec::new();
    let expected: Vec<&str> = wide
        .iter()
        .filter(|o| {
            let new = !seen.contains(&o.category);
            if new {
                seen.push(o.category.clone());
            }
            new
        })
        .take(10)
        .map(|o| o.offer_id.as_str())
        .collect();
    assert_eq!(ids(&capped), expected);
}

#[test]
fn mmr_trades_relevance_for_variety_and_lambda_one_is_the_plain_feed() {
    let (e, profiles) = sample();
    for p in &profiles {
        let plain = e
            .rank(
                p,
                &RankOptions {
                    limit: Some(20),
                    ..opts()
                },
                NOW,
            )
            .unwrap();
        let mmr = |lambda: f64, similarity| {
            e.rank(
                p,
                &diverse(
                    20,
                    DiversityInput {
                        mmr_lambda: Some(lambda),
                        similarity: Some(similarity),
                        ..Default::default()
                    },
                ),
                NOW,
            )
            .unwrap()
        };
        assert_eq!(ids(&mmr(1.0, SimilarityKind::Category)), ids(&plain));
        let varied = mmr(0.5, SimilarityKind::Category);
        assert!(
            distinct_categories(&varied) > distinct_categories(&plain),
            "{} vs {}",
            distinct_categories(&varied),
            distinct_categories(&plain)
        );
        // With category similarity and λ = 0.5, a repeat costs 0.5 ≥ any score gap,
        // so every category appears once before any appears twice.
        let firsts = distinct_categories(&varied[..distinct_categories(&varied)]);
        assert_eq!(firsts, distinct_categories(&varied));
        // Embedding similarity (the sample has 16-d embeddings) also diversifies.
        let by_embedding = mmr(0.3, SimilarityKind::Embedding);
        assert_eq!(by_embedding.len(), 20);
        assert_ne!(ids(&by_embedding), ids(&plain));
        // Deterministic.
        assert_eq!(
            mmr(0.3, SimilarityKind::Auto),
            mmr(0.3, SimilarityKind::Auto)
        );
    }
}

#[test]
fn pins_come_first_in_order_and_hides_are_filtered() {
    let e = engine(vec![
        offer("a", "蛋品", 10.0, "near"),
        offer("b", "蛋品", 10.0, "near"),
        offer("c", "水果", 10.0, "near"),
        offer("d", "水果", 10.0, "near"),
        OfferInput {
            stock: Some(0),
            ..offer("sold-out", "水果", 10.0, "near")
        },
    ]);
    let p = Profile::new();
    let options = RankOptions {
        pin: Some(vec![
            "d".into(),
            "sold-out".into(),
            "no-such-offer".into(),
            "b".into(),
            "d".into(),
        ]),
        hide: Some(vec!["c".into()]),
        ..opts()
    };
    let feed = e.rank(&p, &options, NOW).unwrap();
    // Pins in the given order; a pin that a hard filter removes, an unknown id and a
    // repeat are skipped; then the rest by score (ties by id).
    assert_eq!(ids(&feed), ["d", "b", "a"]);
    assert_eq!(feed[0].reasons[0].kind, ReasonKind::Pinned);
    assert_eq!(feed[0].reasons[0].text, "置顶");
    assert!(feed[2].reasons.iter().all(|r| r.kind != ReasonKind::Pinned));
    let filtered = e.filtered(&p, &options, NOW).unwrap();
    let c = filtered.iter().find(|f| f.offer_id == "c").unwrap();
    assert_eq!(c.codes, [FilterCode::Hidden]);
    assert_eq!(c.text, "运营已隐藏");
    // Pins count against the caps but are never removed by them.
    let capped = e
        .rank(
            &p,
            &RankOptions {
                pin: Some(vec!["a".into(), "b".into()]),
                diversity: Some(DiversityInput {
                    max_per_category: Some(1),
                    ..Default::default()
                }),
                ..opts()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(ids(&capped), ["a", "b", "c"]);
}

#[test]
fn no_rerank_options_means_the_plain_top_k() {
    let (e, profiles) = sample();
    for p in &profiles {
        let wide = e
            .rank(
                p,
                &RankOptions {
                    limit: Some(100),
                    ..opts()
                },
                NOW,
            )
            .unwrap();
        let caps_that_never_bind = e
            .rank(
                p,
                &diverse(
                    20,
                    DiversityInput {
                        max_per_category: Some(1000),
                        max_per_store: Some(1000),
                        ..Default::default()
                    },
                ),
                NOW,
            )
            .unwrap();
        assert_eq!(caps_that_never_bind, wide[..20].to_vec());
    }
}

#[test]
fn bad_diversity_options_name_their_path() {
    let e = engine(vec![offer("a", "蛋品", 10.0, "near")]);
    let p = Profile::new();
    let err = |d: DiversityInput| e.rank(&p, &diverse(5, d), NOW).unwrap_err();
    let e1 = err(DiversityInput {
        max_per_category: Some(0),
        ..Default::default()
    });
    assert_eq!(
        e1.to_string(),
        "options.diversity.maxPerCategory: expected an integer ≥ 1, got 0"
    );
    let e2 = err(DiversityInput {
        mmr_lambda: Some(1.5),
        ..Default::default()
    });
    assert_eq!(
        e2.to_string(),
        "options.diversity.mmrLambda: expected a number in 0..=1, got 1.5"
    );
    let e3 = err(DiversityInput {
        mmr_lambda: Some(f64::NAN),
        ..Default::default()
    });
    assert_eq!(e3.path, "options.diversity.mmrLambda");
    let e4 = err(DiversityInput {
        max_per_store: Some(0),
        ..Default::default()
    });
    assert_eq!(e4.path, "options.diversity.maxPerStore");
}
