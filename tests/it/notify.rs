//! The push gate: budget, quiet hours, gap, threshold, and its reasons.

use goods_ranker::explain::NotifyCode;
use goods_ranker::input::{NotifyOptions, QuietHoursInput};
use goods_ranker::profile::local_day;
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{EventInput, EventType, Profile};

use super::*;

const HOUR: f64 = 3_600_000.0;
/// 2025-11-25 00:00 Beijing time.
const MIDNIGHT: f64 = NOW - 10.0 * HOUR;

fn sample() -> (Engine, Vec<(String, Profile)>) {
    let input = sample_catalog(&SampleOptions::default());
    let users = sample_users(&input, NOW)
        .into_iter()
        .map(|u| (u.id.clone(), Profile::from_user(&u.user).unwrap()))
        .collect();
    (
        Engine::new(input, &EngineOptions::default()).unwrap(),
        users,
    )
}

fn push(e: &Engine, p: &mut Profile, offer_id: &str, at: f64) {
    e.record(
        p,
        &EventInput {
            kind: EventType::Push,
            offer_id: offer_id.into(),
            at,
            category: None,
            price: None,
            quantity: None,
        },
    )
    .unwrap();
}

fn at(now: f64) -> NotifyOptions {
    NotifyOptions {
        now: Some(now),
        ..Default::default()
    }
}

/// Beijing local hour of `t`.
fn local_hour(t: f64) -> u32 {
    (((t + 8.0 * HOUR).rem_euclid(DAY)) / HOUR) as u32
}

#[test]
fn over_three_days_the_gate_never_exceeds_its_budget_nor_fires_in_quiet_hours() {
    let (e, users) = sample();
    for (budget, gap, threshold) in [(2, 240.0, 0.0), (3, 0.0, 0.0), (1, 30.0, 0.5)] {
        for (id, profile) in &users {
            let mut p = profile.clone();
            let mut per_day = std::collections::HashMap::<i32, u32>::new();
            let mut fired = 0;
            // Every 10 minutes for three days, starting at midnight.
            for step in 0..(3 * 24 * 6) {
                let now = MIDNIGHT + f64::from(step) * 10.0 * 60_000.0;
                let d = e
                    .should_notify(
                        &p,
                        &NotifyOptions {
                            budget_per_day: Some(budget),
                            min_gap_minutes: Some(gap),
                            threshold: Some(threshold),
                            ..at(now)
                        },
                        NOW,
                    )
                    .unwrap();
                let hour = local_hour(now);
                if !(8..22).contains(&hour) {
                    assert!(!d.notify, "{id}: fired at {hour}:00");
                    assert_eq!(d.reason.code, NotifyCode::QuietHours);
                }
                if d.notify {
                    let offer = d.offer.as_ref().expect("an offer with a yes");
                    push(&e, &mut p, &offer.offer_id, now);
                    *per_day.entry(local_day(now, 480)).or_default() += 1;
                    fired += 1;
                }
            }
            assert!(per_day.values().all(|&n| n <= budget), "{id}: {per_day:?}");
            if threshold == 0.0 {
                // With no threshold the budget is exactly used every day.
                assert_eq!(fired, 3 * budget, "{id}");
            }
        }
    }
}

#[test]
fn each_no_has_its_code_and_text() {
    let (e, users) = sample();
    let grandma = &users.iter().find(|(id, _)| id == "grandma").unwrap().1;
    let newcomer = &users.iter().find(|(id, _)| id == "newcomer").unwrap().1;
    // 10:00: grandma's eggs (0.68) beat the default threshold 0.5.
    let yes = e.should_notify(grandma, &at(NOW), NOW).unwrap();
    assert!(yes.notify);
    assert_eq!(yes.reason.code, NotifyCode::Ok);
    let offer = yes.offer.unwrap();
    assert_eq!(offer.title, "土鸡蛋 30枚装");
    assert_eq!(yes.reason.text, "值得提醒：土鸡蛋 30枚装");
    assert!(offer.score >= 0.5);
    // The newcomer's best (0.22) is below it.
    let no = e.should_notify(newcomer, &at(NOW), NOW).unwrap();
    assert!(!no.notify && no.offer.is_none());
    assert_eq!(no.reason.code, NotifyCode::BelowThreshold);
    assert!(no.score.unwrap() < 0.5);
    // 23:00 and 07:59 are quiet; 08:00 is not.
    for (t, quiet) in [
        (MIDNIGHT + 23.0 * HOUR, true),
        (MIDNIGHT + 8.0 * HOUR - 60_000.0, true),
        (MIDNIGHT + 8.0 * HOUR, false),
    ] {
        let d = e.should_notify(grandma, &at(t), NOW).unwrap();
        assert_eq!(d.reason.code == NotifyCode::QuietHours, quiet, "{t}");
    }
    let d = e
        .should_notify(grandma, &at(MIDNIGHT + 23.0 * HOUR), NOW)
        .unwrap();
    assert_eq!(d.reason.text, "免打扰时段（22:00–08:00）");
    // Quiet hours follow the time zone: 10:00 Beijing is 03:00 in Berlin (UTC+1).
    let berlin = e
        .should_notify(
            grandma,
            &NotifyOptions {
                utc_offset_minutes: Some(60),
                ..at(NOW)
            },
            NOW,
        )
        .unwrap();
    assert_eq!(berlin.reason.code, NotifyCode::QuietHours);
    // A push an hour ago: too soon (default gap 4 h); in English.
    let mut p = grandma.clone();
    push(&e, &mut p, "o00001", NOW - HOUR);
    let d = e
        .should_notify(
            &p,
            &NotifyOptions {
                locale: Some(goods_ranker::Locale::En),
                ..at(NOW)
            },
            NOW,
        )
        .unwrap();
    assert_eq!(d.reason.code, NotifyCode::TooSoon);
    assert_eq!(d.reason.text, "No: less than 4 h since the last one");
    assert_eq!(d.pushes_today, 1);
    // Five hours later: allowed, but not the eggs again (pushed within 7 days).
    let d = e.should_notify(&p, &at(NOW + 4.0 * HOUR), NOW).unwrap();
    assert!(d.notify);
    assert_ne!(d.offer.unwrap().offer_id, "o00001");
    // Two pushes today: budget used.
    push(&e, &mut p, "o00032", NOW + HOUR);
    let d = e.should_notify(&p, &at(NOW + 6.0 * HOUR), NOW).unwrap();
    assert_eq!(d.reason.code, NotifyCode::BudgetUsed);
    assert_eq!(d.reason.text, "今天的 2 次提醒已用完");
    assert_eq!((d.pushes_today, d.budget_per_day), (2, 2));
    // Budget 0 means never.
    let d = e
        .should_notify(
            grandma,
            &NotifyOptions {
                budget_per_day: Some(0),
                ..at(NOW)
            },
            NOW,
        )
        .unwrap();
    assert_eq!(d.reason.code, NotifyCode::BudgetUsed);
    // An empty catalog for this user: nothing eligible.
    let empty = super::engine(vec![OfferInput {
        stock: Some(0),
        ..super::offer("a", "蛋品", 10.0, "near")
    }]);
    let d = empty.should_notify(grandma, &at(NOW), NOW).unwrap();
    assert_eq!(d.reason.code, NotifyCode::NothingEligible);
}

#[test]
fn quiet_hours_can_be_moved_or_turned_off() {
    let (e, users) = sample();
    let grandma = &users.iter().find(|(id, _)| id == "grandma").unwrap().1;
    let with = |start, end, t| {
        e.should_notify(
            grandma,
            &NotifyOptions {
                quiet_hours: Some(QuietHoursInput { start, end }),
                ..at(t)
            },
            NOW,
        )
        .unwrap()
        .reason
        .code
    };
    assert_eq!(with(9, 12, NOW), NotifyCode::QuietHours);
    assert_eq!(with(12, 9, NOW), NotifyCode::Ok);
    assert_eq!(with(0, 0, MIDNIGHT + 3.0 * HOUR), NotifyCode::Ok);
}

#[test]
fn bad_gate_options_name_their_path() {
    let (e, users) = sample();
    let p = &users[0].1;
    let err = |o: NotifyOptions| e.should_notify(p, &o, NOW).unwrap_err();
    assert_eq!(
        err(NotifyOptions {
            budget_per_day: Some(25),
            ..Default::default()
        })
        .to_string(),
        "options.budgetPerDay: expected an integer in 0..=24, got 25"
    );
    assert_eq!(
        err(NotifyOptions {
            quiet_hours: Some(QuietHoursInput { start: 24, end: 8 }),
            ..Default::default()
        })
        .path,
        "options.quietHours.start"
    );
    assert_eq!(
        err(NotifyOptions {
            threshold: Some(f64::NAN),
            ..Default::default()
        })
        .path,
        "options.threshold"
    );
    assert_eq!(
        err(NotifyOptions {
            utc_offset_minutes: Some(900),
            ..Default::default()
        })
        .path,
        "options.utcOffsetMinutes"
    );
    assert_eq!(
        err(NotifyOptions {
            min_gap_minutes: Some(-1.0),
            ..Default::default()
        })
        .path,
        "options.minGapMinutes"
    );
    assert_eq!(
        err(NotifyOptions {
            now: Some(f64::NAN),
            ..Default::default()
        })
        .path,
        "options.now"
    );
}
