//! Weighted combination, top-K, determinism, explanations and the sample users.

use goods_ranker::contract::input::WeightsInput;
use goods_ranker::sample::{self, sample_catalog, sample_users, SampleOptions};
use goods_ranker::{
    Feature, Locale, Profile, PurchaseInput, RankOptions, RankedOffer, ReasonKind, UserInput,
};

use super::*;

fn sample_engine() -> (Engine, Vec<sample::SampleUser>) {
    let input = sample_catalog(&SampleOptions::default());
    let users = sample_users(&input, NOW);
    (
        Engine::new(input, &EngineOptions::default()).unwrap(),
        users,
    )
}

fn feed_for(engine: &Engine, u: &sample::SampleUser, limit: u32) -> Vec<RankedOffer> {
    let profile = Profile::from_user(&u.user).unwrap();
    let options = RankOptions {
        limit: Some(limit),
        ..opts()
    };
    engine.rank(&profile, &options, NOW).unwrap()
}

fn user<'a>(users: &'a [sample::SampleUser], id: &str) -> &'a sample::SampleUser {
    users.iter().find(|u| u.id == id).unwrap()
}

#[test]
fn scores_are_the_weighted_mean_and_the_breakdown_adds_up() {
    let (e, users) = sample_engine();
    for u in &users {
        let feed = feed_for(&e, u, 50);
        assert_eq!(feed.len(), 50);
        for (i, o) in feed.iter().enumerate() {
            assert_eq!(o.rank as usize, i + 1);
            assert!((0.0..=1.0).contains(&o.score));
            let sum: f64 = Feature::ALL.iter().map(|f| o.breakdown.get(*f)).sum();
            assert!(
                (sum - o.score).abs() < 1e-9,
                "{} {}",
                o.offer_id,
                sum - o.score
            );
            // Each contribution is wᵢ·fᵢ / Σw with fᵢ ≤ 1.
            let w = goods_ranker::Weights::default();
            for f in Feature::ALL {
                assert!(o.breakdown.get(f) <= w.get(f) / w.total() + 1e-12);
            }
        }
        for pair in feed.windows(2) {
            assert!(
                pair[0].score > pair[1].score
                    || (pair[0].score == pair[1].score && pair[0].offer_id < pair[1].offer_id)
            );
        }
    }
}

#[test]
fn top_k_equals_a_full_sort() {
    let (e, users) = sample_engine();
    for u in &users {
        let all = feed_for(&e, u, 1000);
        for k in [1, 5, 20, 37] {
            let top = feed_for(&e, u, k);
            assert_eq!(ids(&top), ids(&all[..k as usize]), "{} k={k}", u.id);
        }
    }
}

#[test]
fn weight_overrides_change_the_order_per_call_and_per_engine() {
    let (e, users) = sample_engine();
    let u = user(&users, "grandma");
    let profile = Profile::from_user(&u.user).unwrap();
    let base = e.rank(&profile, &opts(), NOW).unwrap();
    let popularity_only = RankOptions {
        weights: Some(WeightsInput {
            proximity: Some(0.0),
            age_fit: Some(0.0),
            price_fit: Some(0.0),
            item_affinity: Some(0.0),
            category_affinity: Some(0.0),
            embedding: Some(0.0),
            repurchase: Some(0.0),
            popularity: Some(1.0),
            freshness: Some(0.0),
            discount: Some(0.0),
            boost: Some(0.0),
        }),
        ..opts()
    };
    let by_pop = e.rank(&profile, &popularity_only, NOW).unwrap();
    assert_ne!(ids(&base), ids(&by_pop));
    for o in &by_pop {
        assert!((o.score - o.breakdown.popularity).abs() < 1e-12);
    }
    for pair in by_pop.windows(2) {
        assert!(pair[0].breakdown.popularity >= pair[1].breakdown.popularity);
    }
    // The same override at engine level gives the same feed; the call did not leak.
    let input = sample_catalog(&SampleOptions::default());
    let e2 = Engine::new(
        input,
        &EngineOptions {
            weights: popularity_only.weights,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(ids(&e2.rank(&profile, &opts(), NOW).unwrap()), ids(&by_pop));
    assert_eq!(ids(&e.rank(&profile, &opts(), NOW).unwrap()), ids(&base));
    // Zero proximity weight zeroes its contribution everywhere.
    let no_prox = RankOptions {
        weights: Some(WeightsInput {
            proximity: Some(0.0),
            ..Default::default()
        }),
        location: u.user.location,
        ..opts()
    };
    assert!(e
        .rank(&profile, &no_prox, NOW)
        .unwrap()
        .iter()
        .all(|o| o.breakdown.proximity == 0.0));
}

#[test]
fn rankings_are_deterministic_and_ties_break_by_id() {
    let (e, users) = sample_engine();
    for u in &users {
        assert_eq!(feed_for(&e, u, 30), feed_for(&e, u, 30));
    }
    // Identical offers tie on score; the smaller id wins regardless of catalog order.
    let offers = vec![
        offer("c", "蛋品", 20.0, "near"),
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "蛋品", 20.0, "near"),
    ];
    let mut reversed = offers.clone();
    reversed.reverse();
    for order in [offers, reversed] {
        let feed = engine(order).rank(&Profile::new(), &opts(), NOW).unwrap();
        assert_eq!(ids(&feed), ["a", "b", "c"]);
        assert_eq!(feed[0].score, feed[2].score);
    }
}

#[test]
fn grandma_gets_the_eggs_with_the_repurchase_reason_and_no_alcohol() {
    let (e, users) = sample_engine();
    let feed = feed_for(&e, user(&users, "grandma"), 20);
    let eggs = feed
        .iter()
        .find(|o| o.offer_id == sample::EGGS_OFFER_ID)
        .expect("eggs in feed");
    assert!(eggs.rank <= 3, "eggs at rank {}", eggs.rank);
    // Prices come back exactly as the catalog gave them.
    assert_eq!(eggs.price, 25.9);
    let reason = eggs
        .reasons
        .iter()
        .find(|r| matches!(r.kind, ReasonKind::RepurchaseDue { .. }))
        .expect("repurchase reason");
    assert_eq!(
        reason.kind,
        ReasonKind::RepurchaseDue {
            days_since: 6,
            cycle_days: 7
        }
    );
    assert_eq!(reason.text, "上次购买 6 天前，该补货了");
    assert!(reason.weight > 0.0);
    assert!(
        feed.iter().all(|o| o.category != "酒类"),
        "alcohol in grandma's feed"
    );
}

#[test]
fn a_child_never_sees_alcohol_and_feeds_differ_between_people() {
    let (e, users) = sample_engine();
    let child = feed_for(&e, user(&users, "student"), 1000);
    assert!(child.iter().all(|o| o.category != "酒类"));
    let grandma = feed_for(&e, user(&users, "grandma"), 10);
    let worker = feed_for(&e, user(&users, "office-worker"), 10);
    let parent = feed_for(&e, user(&users, "parent"), 10);
    let overlap = |a: &[RankedOffer], b: &[RankedOffer]| {
        a.iter()
            .filter(|o| b.iter().any(|p| p.offer_id == o.offer_id))
            .count()
    };
    assert!(overlap(&grandma, &worker) <= 2);
    assert!(overlap(&grandma, &parent) <= 2);
    assert!(overlap(&worker, &parent) <= 2);
    // The parent's feed leans to baby goods.
    assert!(
        parent
            .iter()
            .filter(|o| ["奶粉", "纸尿裤", "辅食"].contains(&o.category.as_str()))
            .count()
            >= 3
    );
}

#[test]
fn standing_next_to_a_pickup_point_raises_its_offers() {
    let (e, _) = sample_engine();
    let profile = Profile::new();
    let options = |lat, lng, datum| RankOptions {
        location: Some(goods_ranker::LocationInput {
            lat,
            lng,
            datum: Some(datum),
        }),
        limit: Some(40),
        ..opts()
    };
    let share = |feed: &[RankedOffer]| {
        feed.iter()
            .filter(|o| o.store_id == sample::HUAJIADI_PICKUP_ID)
            .count()
    };
    let near = e
        .rank(
            &profile,
            &options(
                sample::HUAJIADI_PICKUP_LAT,
                sample::HUAJIADI_PICKUP_LNG,
                Datum::Gcj02,
            ),
            NOW,
        )
        .unwrap();
    let far = e
        .rank(
            &profile,
            &options(
                sample::WANGJING_SOHO_LAT,
                sample::WANGJING_SOHO_LNG,
                Datum::Gcj02,
            ),
            NOW,
        )
        .unwrap();
    assert!(share(&near) >= 10, "near: {}", share(&near));
    assert!(
        share(&near) >= 3 * share(&far).max(1),
        "near {} far {}",
        share(&near),
        share(&far)
    );
    let first = near
        .iter()
        .find(|o| o.store_id == sample::HUAJIADI_PICKUP_ID)
        .unwrap();
    assert!(first.distance_m.unwrap() < 50.0);
}

#[test]
fn a_newcomer_gets_a_popular_feed_that_says_so() {
    let (e, users) = sample_engine();
    let feed = feed_for(&e, user(&users, "newcomer"), 20);
    assert_eq!(feed.len(), 20);
    for o in &feed {
        assert_eq!(o.reasons[0].kind, ReasonKind::ColdStart);
        assert_eq!(o.reasons[0].text, "新人推荐：大家都在买");
    }
    // Popularity drives it: the median popularity contribution in the feed is high.
    assert!(feed.iter().filter(|o| o.breakdown.popularity > 0.0).count() >= 15);
}

#[test]
fn reasons_are_strongest_first_and_render_in_english() {
    let (e, users) = sample_engine();
    let u = user(&users, "grandma");
    let profile = Profile::from_user(&u.user).unwrap();
    let en = RankOptions {
        locale: Some(Locale::En),
        location: u.user.location,
        ..opts()
    };
    let feed = e.rank(&profile, &en, NOW).unwrap();
    let eggs = feed
        .iter()
        .find(|o| o.offer_id == sample::EGGS_OFFER_ID)
        .unwrap();
    let texts: Vec<&str> = eggs.reasons.iter().map(|r| r.text.as_str()).collect();
    assert!(
        texts.contains(&"Last bought 6 days ago — time to restock"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.ends_with(" m away")), "{texts:?}");
    for o in &feed {
        assert!(o.reasons.len() <= 3);
        for pair in o.reasons.windows(2) {
            assert!(pair[0].weight >= pair[1].weight);
        }
    }
    // zh-CN is the default.
    let zh = e
        .rank(
            &profile,
            &RankOptions {
                location: u.user.location,
                ..opts()
            },
            NOW,
        )
        .unwrap();
    let eggs = zh
        .iter()
        .find(|o| o.offer_id == sample::EGGS_OFFER_ID)
        .unwrap();
    assert!(eggs.reasons.iter().any(|r| r.text.starts_with("距你 ")));
}

#[test]
fn explanations_name_category_discount_and_purchases() {
    let mut sale = offer("sale", "蛋品", 20.0, "near");
    sale.original_price = Some(25.0);
    let e = engine(vec![sale, offer("other", "粮油", 50.0, "near")]);
    let profile = Profile::from_user(&UserInput {
        history: Some(
            (1..=3)
                .map(|i| PurchaseInput {
                    offer_id: "sale".into(),
                    category: Some("蛋品".into()),
                    price: Some(20.0),
                    quantity: None,
                    at: NOW - f64::from(i) * 10.0 * DAY,
                })
                .collect(),
        ),
        ..Default::default()
    })
    .unwrap();
    let feed = e.rank(&profile, &opts(), NOW).unwrap();
    assert_eq!(feed[0].offer_id, "sale");
    let kinds: Vec<&ReasonKind> = feed[0].reasons.iter().map(|r| &r.kind).collect();
    assert!(
        kinds.contains(&&ReasonKind::BoughtBefore { times: 3 }),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&&ReasonKind::FrequentCategory {
            category: "蛋品".into()
        }),
        "{kinds:?}"
    );
    let all = feed[0]
        .reasons
        .iter()
        .map(|r| r.text.clone())
        .collect::<Vec<_>>()
        .join("|");
    assert!(
        all.contains("你买过 3 次") && all.contains("你常买「蛋品」"),
        "{all}"
    );
    let _ = Locale::ZhCn;
}
