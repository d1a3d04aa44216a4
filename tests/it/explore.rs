//! Seeded exploration: deterministic for a seed, different across seeds, explained.

use std::collections::HashSet;

use goods_ranker::contract::input::{DiversityInput, ExploreInput};
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{Profile, RankOptions, ReasonKind};

use super::*;

fn grandma() -> (Engine, Profile) {
    let input = sample_catalog(&SampleOptions::default());
    let users = sample_users(&input, NOW);
    let p = Profile::from_user(&users.iter().find(|u| u.id == "grandma").unwrap().user).unwrap();
    (Engine::new(input, &EngineOptions::default()).unwrap(), p)
}

fn explore(seed: f64, slots: u32) -> RankOptions {
    RankOptions {
        limit: Some(20),
        explore: Some(ExploreInput {
            seed,
            slots: Some(slots),
        }),
        ..opts()
    }
}

fn explored(feed: &[goods_ranker::RankedOffer]) -> Vec<(u32, String)> {
    feed.iter()
        .filter_map(|o| match &o.reasons[0].kind {
            ReasonKind::Explore { category } => Some((o.rank, category.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_feed_and_another_seed_a_different_one() {
    let (e, p) = grandma();
    let a = e.rank(&p, &explore(42.0, 2), NOW).unwrap();
    let b = e.rank(&p, &explore(42.0, 2), NOW).unwrap();
    assert_eq!(a, b);
    let c = e.rank(&p, &explore(43.0, 2), NOW).unwrap();
    assert_ne!(ids(&a), ids(&c));
    // Over 20 seeds the explored categories vary: at least 5 different ones.
    let mut categories = HashSet::new();
    for seed in 0..20 {
        for (_, c) in explored(&e.rank(&p, &explore(f64::from(seed), 1), NOW).unwrap()) {
            categories.insert(c);
        }
    }
    assert!(categories.len() >= 5, "{categories:?}");
}

#[test]
fn explored_offers_come_from_new_categories_at_even_positions_and_say_so() {
    let (e, p) = grandma();
    let plain = e
        .rank(
            &p,
            &RankOptions {
                limit: Some(20),
                ..opts()
            },
            NOW,
        )
        .unwrap();
    let plain_categories: HashSet<&str> = plain.iter().map(|o| o.category.as_str()).collect();
    let feed = e.rank(&p, &explore(7.0, 3), NOW).unwrap();
    assert_eq!(feed.len(), 20);
    let slots = explored(&feed);
    assert_eq!(slots.len(), 3);
    // Positions 20·(j+1)/4 (0-based 5, 10, 15): ranks 6, 11, 16.
    assert_eq!(slots.iter().map(|s| s.0).collect::<Vec<_>>(), [6, 11, 16]);
    let mut distinct = HashSet::new();
    for (rank, category) in &slots {
        assert!(!plain_categories.contains(category.as_str()), "{category}");
        assert!(distinct.insert(category.clone()));
        let o = &feed[*rank as usize - 1];
        assert_eq!(&o.category, category);
        assert_eq!(o.reasons[0].text, format!("为你发现新品类「{category}」"));
    }
    // The other 17 are the plain feed's first 17, in order.
    let rest: Vec<&str> = feed
        .iter()
        .filter(|o| !matches!(o.reasons[0].kind, ReasonKind::Explore { .. }))
        .map(|o| o.offer_id.as_str())
        .collect();
    assert_eq!(rest, ids(&plain)[..17].to_vec());
}

#[test]
fn exploration_respects_caps_and_zero_slots_is_off() {
    let (e, p) = grandma();
    for seed in 0..10 {
        let feed = e
            .rank(
                &p,
                &RankOptions {
                    diversity: Some(DiversityInput {
                        max_per_category: Some(2),
                        max_per_store: Some(6),
                        ..Default::default()
                    }),
                    ..explore(f64::from(seed), 2)
                },
                NOW,
            )
            .unwrap();
        let mut per_store = std::collections::HashMap::<&str, u32>::new();
        let mut per_cat = std::collections::HashMap::<&str, u32>::new();
        for o in &feed {
            *per_store.entry(&o.store_id).or_default() += 1;
            *per_cat.entry(&o.category).or_default() += 1;
        }
        assert!(per_store.values().all(|&n| n <= 6), "{per_store:?}");
        assert!(per_cat.values().all(|&n| n <= 2), "{per_cat:?}");
    }
    let off = e.rank(&p, &explore(1.0, 0), NOW).unwrap();
    assert!(explored(&off).is_empty());
}

#[test]
fn bad_explore_options_name_their_path() {
    let (e, p) = grandma();
    let err = e.rank(&p, &explore(1.5, 1), NOW).unwrap_err();
    assert_eq!(
        err.to_string(),
        "options.explore.seed: expected an integer in 0..=2^53, got 1.5"
    );
    assert_eq!(
        e.rank(&p, &explore(-1.0, 1), NOW).unwrap_err().path,
        "options.explore.seed"
    );
    assert_eq!(
        e.rank(&p, &explore(1.0, 101), NOW).unwrap_err().path,
        "options.explore.slots"
    );
}
