//! Every hard filter, with its reason code, and that unfiltered offers pass.

use goods_ranker::{EventInput, EventType, FilterCode, Profile, RankOptions, UserInput};

use super::*;

fn codes(engine: &Engine, profile: &Profile, options: &RankOptions, id: &str) -> Vec<FilterCode> {
    engine
        .filtered(profile, options, NOW)
        .unwrap()
        .into_iter()
        .find(|f| f.offer_id == id)
        .map(|f| f.codes)
        .unwrap_or_default()
}

fn ranked(engine: &Engine, profile: &Profile, options: &RankOptions, id: &str) -> bool {
    engine
        .rank(profile, options, NOW)
        .unwrap()
        .iter()
        .any(|o| o.offer_id == id)
}

/// Asserts that `id` is filtered with exactly `expected` and never ranked.
fn check(
    engine: &Engine,
    profile: &Profile,
    options: &RankOptions,
    id: &str,
    expected: &[FilterCode],
) {
    assert_eq!(codes(engine, profile, options, id), expected, "{id}");
    assert_eq!(
        ranked(engine, profile, options, id),
        expected.is_empty(),
        "{id}"
    );
}

#[test]
fn out_of_stock() {
    let mut sold_out = offer("a", "蛋品", 20.0, "near");
    sold_out.stock = Some(0);
    let mut one_left = offer("b", "蛋品", 20.0, "near");
    one_left.stock = Some(1);
    let e = engine(vec![sold_out, one_left]);
    let p = Profile::new();
    check(&e, &p, &opts(), "a", &[FilterCode::OutOfStock]);
    check(&e, &p, &opts(), "b", &[]);
}

#[test]
fn time_window() {
    let mut later = offer("later", "蛋品", 20.0, "near");
    later.starts_at = Some(NOW + 1.0);
    let mut over = offer("over", "蛋品", 20.0, "near");
    over.starts_at = Some(NOW - 2.0 * DAY);
    over.ends_at = Some(NOW);
    let mut open = offer("open", "蛋品", 20.0, "near");
    open.starts_at = Some(NOW);
    open.ends_at = Some(NOW + 1.0);
    let e = engine(vec![later, over, open]);
    let p = Profile::new();
    check(&e, &p, &opts(), "later", &[FilterCode::NotStarted]);
    check(&e, &p, &opts(), "over", &[FilterCode::Ended]);
    check(&e, &p, &opts(), "open", &[]);
}

#[test]
fn delivery_radius_applies_only_with_a_location() {
    let e = engine(vec![
        offer("n", "蛋品", 20.0, "near"),
        offer("f", "蛋品", 20.0, "far"),
    ]);
    let p = Profile::new();
    // 2.2 km south of "near" (radius 1.5 km); "far" has no radius.
    let away = at(ORIGIN.0 - 0.02, ORIGIN.1);
    check(&e, &p, &away, "n", &[FilterCode::OutOfRange]);
    check(&e, &p, &away, "f", &[]);
    // 1.1 km away is inside the radius.
    check(&e, &p, &at(ORIGIN.0 - 0.01, ORIGIN.1), "n", &[]);
    // Without a location nothing is out of range.
    check(&e, &p, &opts(), "n", &[]);
}

#[test]
fn age_restriction_blocks_minors_and_unknown_age_unless_allowed() {
    let mut beer = offer("beer", "酒类", 49.9, "near");
    beer.min_age = Some(18);
    let e = engine(vec![beer, offer("milk", "牛奶", 59.9, "near")]);
    let user = |age| {
        Profile::from_user(&UserInput {
            age,
            ..Default::default()
        })
        .unwrap()
    };
    check(
        &e,
        &user(Some(12)),
        &opts(),
        "beer",
        &[FilterCode::AgeRestricted],
    );
    check(
        &e,
        &user(Some(17)),
        &opts(),
        "beer",
        &[FilterCode::AgeRestricted],
    );
    check(&e, &user(Some(18)), &opts(), "beer", &[]);
    check(
        &e,
        &user(None),
        &opts(),
        "beer",
        &[FilterCode::AgeRestricted],
    );
    let allow = RankOptions {
        allow_unknown_age: Some(true),
        ..opts()
    };
    check(&e, &user(None), &allow, "beer", &[]);
    // Allowing unknown age never lets a known minor through.
    check(
        &e,
        &user(Some(12)),
        &allow,
        "beer",
        &[FilterCode::AgeRestricted],
    );
    check(&e, &user(Some(12)), &opts(), "milk", &[]);
}

#[test]
fn dismissed_and_excluded() {
    let e = engine(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "蛋品", 20.0, "near"),
    ]);
    let mut p = Profile::new();
    p.record(&EventInput {
        kind: EventType::Dismiss,
        offer_id: "a".into(),
        at: NOW - DAY,
        category: None,
        price: None,
        quantity: None,
    })
    .unwrap();
    check(&e, &p, &opts(), "a", &[FilterCode::Dismissed]);
    let exclude = RankOptions {
        exclude: Some(vec!["b".into(), "not-in-catalog".into()]),
        ..opts()
    };
    check(&e, &p, &exclude, "b", &[FilterCode::Excluded]);
    check(&e, &Profile::new(), &opts(), "a", &[]);
}

#[test]
fn every_applicable_code_is_listed_in_a_fixed_order() {
    let mut o = offer("x", "酒类", 20.0, "near");
    o.stock = Some(0);
    o.min_age = Some(18);
    o.ends_at = Some(NOW - 1.0);
    o.starts_at = Some(NOW - DAY);
    let e = engine(vec![o]);
    let options = RankOptions {
        exclude: Some(vec!["x".into()]),
        ..at(ORIGIN.0 - 0.05, ORIGIN.1)
    };
    let filtered = e.filtered(&Profile::new(), &options, NOW).unwrap();
    assert_eq!(
        filtered[0].codes,
        [
            FilterCode::OutOfStock,
            FilterCode::Ended,
            FilterCode::OutOfRange,
            FilterCode::AgeRestricted,
            FilterCode::Excluded,
        ]
    );
    assert_eq!(filtered[0].text, "已售罄");
}
