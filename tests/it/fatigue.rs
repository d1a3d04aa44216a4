//! Fatigue from ignored impressions, daily frequency caps, and dismissal damping.

use goods_ranker::contract::input::FatigueInput;
use goods_ranker::{EventInput, EventType, FilterCode, Profile, RankOptions, ReasonKind};

use super::*;

const HOUR: f64 = 3_600_000.0;

/// Two categories; `a` beats `b` beats `c` on popularity alone.
fn popular_engine() -> Engine {
    engine(vec![
        OfferInput {
            popularity: Some(100.0),
            ..offer("a", "蛋品", 10.0, "near")
        },
        OfferInput {
            popularity: Some(80.0),
            ..offer("b", "水果", 10.0, "near")
        },
        OfferInput {
            popularity: Some(60.0),
            ..offer("c", "水果", 10.0, "near")
        },
        OfferInput {
            popularity: Some(40.0),
            ..offer("d", "蛋品", 10.0, "near")
        },
    ])
}

fn event(e: &Engine, p: &mut Profile, kind: EventType, id: &str, at: f64) {
    e.record(
        p,
        &EventInput {
            kind,
            offer_id: id.into(),
            at,
            category: None,
            price: None,
            quantity: None,
        },
    )
    .unwrap();
}

fn at_time(t: f64) -> RankOptions {
    RankOptions {
        now: Some(t),
        ..opts()
    }
}

fn score(e: &Engine, p: &Profile, options: &RankOptions, id: &str) -> f64 {
    e.rank(p, options, NOW)
        .unwrap()
        .into_iter()
        .find(|o| o.offer_id == id)
        .map(|o| o.score)
        .unwrap()
}

#[test]
fn ignored_impressions_lower_an_offer_and_it_recovers_after_the_recovery_time() {
    let e = popular_engine();
    let fresh = Profile::new();
    let base = e.rank(&fresh, &at_time(NOW), NOW).unwrap();
    assert_eq!(ids(&base), ["a", "b", "c", "d"]);
    let base_a = base[0].score;
    let mut p = Profile::new();
    // Two impressions are free: nothing changes.
    for h in 0..2 {
        event(
            &e,
            &mut p,
            EventType::Impression,
            "a",
            NOW - f64::from(5 - h) * HOUR,
        );
    }
    assert_eq!(
        ids(&e.rank(&p, &at_time(NOW), NOW).unwrap()),
        ["a", "b", "c", "d"]
    );
    assert_eq!(score(&e, &p, &at_time(NOW), "a"), base_a);
    // Three more, the last one at NOW: 3 beyond the free 2, factor 0.7³ = 0.343.
    for h in 2..5 {
        event(
            &e,
            &mut p,
            EventType::Impression,
            "a",
            NOW - f64::from(4 - h) * HOUR,
        );
    }
    let feed = e.rank(&p, &at_time(NOW), NOW).unwrap();
    assert_eq!(
        ids(&feed),
        ["b", "c", "d", "a"],
        "a dropped from 1st to last"
    );
    let a = feed.iter().find(|o| o.offer_id == "a").unwrap();
    assert!((a.score - base_a * 0.343).abs() < 1e-12, "{}", a.score);
    let fatigued = a.reasons.last().unwrap();
    assert_eq!(fatigued.kind, ReasonKind::Fatigued { impressions: 5 });
    assert_eq!(fatigued.text, "看过 5 次未点击，已降低");
    assert!((fatigued.weight + base_a * (1.0 - 0.343)).abs() < 1e-12);
    // The breakdown still adds up to the (lowered) score.
    let sum: f64 = goods_ranker::Feature::ALL
        .iter()
        .map(|f| a.breakdown.get(*f))
        .sum();
    assert!((sum - a.score).abs() < 1e-12);
    // Halfway through the 72 h recovery the excess is 1.5: factor 0.7^1.5.
    let half = score(&e, &p, &at_time(NOW + 36.0 * HOUR), "a");
    assert!((half - base_a * 0.7f64.powf(1.5)).abs() < 1e-12, "{half}");
    // After 72 h it is fully back, at rank 1, with no fatigue reason.
    let later = e.rank(&p, &at_time(NOW + 72.0 * HOUR), NOW).unwrap();
    assert_eq!(ids(&later), ["a", "b", "c", "d"]);
    assert_eq!(later[0].score, base_a);
    assert!(later[0]
        .reasons
        .iter()
        .all(|r| !matches!(r.kind, ReasonKind::Fatigued { .. })));
}

#[test]
fn a_click_resets_fatigue_and_options_tune_or_disable_it() {
    let e = popular_engine();
    let mut p = Profile::new();
    for h in 0..6 {
        event(
            &e,
            &mut p,
            EventType::Impression,
            "a",
            NOW - f64::from(h) * HOUR,
        );
    }
    assert_eq!(ids(&e.rank(&p, &at_time(NOW), NOW).unwrap())[0], "b");
    let off = RankOptions {
        fatigue: Some(FatigueInput {
            enabled: Some(false),
            ..Default::default()
        }),
        ..at_time(NOW)
    };
    assert_eq!(ids(&e.rank(&p, &off, NOW).unwrap())[0], "a");
    let lenient = RankOptions {
        fatigue: Some(FatigueInput {
            free_impressions: Some(10),
            ..Default::default()
        }),
        ..at_time(NOW)
    };
    assert_eq!(ids(&e.rank(&p, &lenient, NOW).unwrap())[0], "a");
    let quick = RankOptions {
        fatigue: Some(FatigueInput {
            recovery_hours: Some(1.0),
            ..Default::default()
        }),
        ..at_time(NOW + HOUR)
    };
    assert_eq!(ids(&e.rank(&p, &quick, NOW).unwrap())[0], "a");
    event(&e, &mut p, EventType::Click, "a", NOW);
    assert_eq!(p.items().get("a").unwrap().ignored, 0);
    assert_eq!(ids(&e.rank(&p, &at_time(NOW), NOW).unwrap())[0], "a");
}

#[test]
fn daily_caps_hide_offers_and_categories_until_the_next_local_day() {
    let e = popular_engine();
    let mut p = Profile::new();
    // NOW is 10:00 in Beijing; three impressions of `a` this morning.
    for h in 1..=3 {
        event(
            &e,
            &mut p,
            EventType::Impression,
            "a",
            NOW - f64::from(h) * HOUR,
        );
    }
    let capped = |offer: Option<u32>, category: Option<u32>, t: f64| RankOptions {
        fatigue: Some(FatigueInput {
            max_per_offer_per_day: offer,
            max_per_category_per_day: category,
            free_impressions: Some(100),
            ..Default::default()
        }),
        ..at_time(t)
    };
    let feed = e.rank(&p, &capped(Some(3), None, NOW), NOW).unwrap();
    assert_eq!(ids(&feed), ["b", "c", "d"]);
    let f = e.filtered(&p, &capped(Some(3), None, NOW), NOW).unwrap();
    assert_eq!(f[0].offer_id, "a");
    assert_eq!(f[0].codes, [FilterCode::OfferCap]);
    assert_eq!(
        ids(&e.rank(&p, &capped(Some(4), None, NOW), NOW).unwrap())[0],
        "a"
    );
    // The category 蛋品 was shown 3 times: a cap of 3 hides both of its offers.
    let feed = e.rank(&p, &capped(None, Some(3), NOW), NOW).unwrap();
    assert_eq!(ids(&feed), ["b", "c"]);
    let f = e.filtered(&p, &capped(None, Some(3), NOW), NOW).unwrap();
    assert_eq!(f.len(), 2);
    assert!(f.iter().all(|x| x.codes == [FilterCode::CategoryCap]));
    // Local midnight in Beijing is 14 h after NOW: the caps reset then, not before.
    let before_midnight = NOW + 13.9 * HOUR;
    let after_midnight = NOW + 14.1 * HOUR;
    assert_eq!(
        ids(&e
            .rank(&p, &capped(Some(3), Some(3), before_midnight), NOW)
            .unwrap()),
        ["b", "c"]
    );
    assert_eq!(
        ids(&e
            .rank(&p, &capped(Some(3), Some(3), after_midnight), NOW)
            .unwrap()),
        ["a", "b", "c", "d"]
    );
    // In another time zone the day boundary moves: at UTC the day of NOW started at
    // 00:00Z = 08:00 Beijing, so all three impressions (07:00–09:00 Beijing) are not
    // all "today" — 07:00 Beijing is yesterday in UTC.
    let mut utc = Profile::new();
    utc.set_utc_offset_minutes(0.0).unwrap();
    for h in 1..=3 {
        event(
            &e,
            &mut utc,
            EventType::Impression,
            "a",
            NOW - f64::from(h) * HOUR,
        );
    }
    assert_eq!(utc.items().get("a").unwrap().day_impressions, 2);
    assert_eq!(
        ids(&e.rank(&utc, &capped(Some(3), None, NOW), NOW).unwrap())[0],
        "a"
    );
}

#[test]
fn dismissal_removes_the_offer_and_dampens_its_category_with_a_reason() {
    let e = popular_engine();
    let mut p = Profile::new();
    event(&e, &mut p, EventType::Dismiss, "b", NOW);
    let feed = e.rank(&p, &at_time(NOW), NOW).unwrap();
    // `b` is gone; `c` (水果) is damped by 0.8, which drops it below `d`.
    assert_eq!(ids(&feed), ["a", "d", "c"]);
    let fresh = Profile::new();
    let c0 = score(&e, &fresh, &at_time(NOW), "c");
    let c = feed.iter().find(|o| o.offer_id == "c").unwrap();
    assert!((c.score - 0.8 * c0).abs() < 1e-12);
    let reason = c.reasons.last().unwrap();
    assert_eq!(
        reason.kind,
        ReasonKind::LessOfCategory {
            category: "水果".into()
        }
    );
    assert_eq!(reason.text, "你对「水果」不感兴趣，已减少");
    assert!(reason.weight < 0.0);
    // Repeated dismissals in a category push it further down: 0.8³.
    let mut q = Profile::new();
    for id in ["b", "x1", "x2"] {
        q.record(&EventInput {
            kind: EventType::Dismiss,
            offer_id: id.into(),
            at: NOW,
            category: Some("水果".into()),
            price: None,
            quantity: None,
        })
        .unwrap();
    }
    let feed = e.rank(&q, &at_time(NOW), NOW).unwrap();
    assert_eq!(ids(&feed), ["a", "d", "c"]);
    let c3 = score(&e, &q, &at_time(NOW), "c");
    assert!((c3 - 0.512 * c0).abs() < 1e-12);
}

#[test]
fn bad_fatigue_options_name_their_path() {
    let e = popular_engine();
    let p = Profile::new();
    let err = |f: FatigueInput| {
        e.rank(
            &p,
            &RankOptions {
                fatigue: Some(f),
                ..opts()
            },
            NOW,
        )
        .unwrap_err()
    };
    assert_eq!(
        err(FatigueInput {
            decay: Some(0.0),
            ..Default::default()
        })
        .to_string(),
        "options.fatigue.decay: expected a number in (0, 1], got 0"
    );
    assert_eq!(
        err(FatigueInput {
            recovery_hours: Some(f64::INFINITY),
            ..Default::default()
        })
        .path,
        "options.fatigue.recoveryHours"
    );
    assert_eq!(
        err(FatigueInput {
            max_per_offer_per_day: Some(0),
            ..Default::default()
        })
        .path,
        "options.fatigue.maxPerOfferPerDay"
    );
    assert_eq!(
        err(FatigueInput {
            dismiss_damping: Some(1.5),
            ..Default::default()
        })
        .path,
        "options.fatigue.dismissDamping"
    );
}
