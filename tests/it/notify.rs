//! The push gate: budget, quiet hours, gap, threshold, and its reasons.

use goods_ranker::contract::input::{NotifyOptions, QuietHoursInput};
use goods_ranker::profile::{local_day, MAX_PUSHES};
use goods_ranker::rank::explain::NotifyCode;
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::serve::notify::{max_repeat_days, DEFAULT_BUDGET, DEFAULT_REPEAT_DAYS};
use goods_ranker::{ErrorCode, EventInput, EventType, Profile};

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

/// `n` plain offers `o000`, `o001`, … alike in all but the id.
fn alike(n: usize) -> Engine {
    super::engine(
        (0..n)
            .map(|i| super::offer(&format!("o{i:03}"), "蛋品", 10.0, "near"))
            .collect(),
    )
}

/// The gate with no threshold, quiet hours or gap, in UTC.
fn open_gate(now: f64, budget: u32, repeat_days: f64) -> NotifyOptions {
    NotifyOptions {
        threshold: Some(0.0),
        budget_per_day: Some(budget),
        quiet_hours: Some(QuietHoursInput { start: 0, end: 0 }),
        utc_offset_minutes: Some(0),
        min_gap_minutes: Some(0.0),
        repeat_after_days: Some(repeat_days),
        ..at(now)
    }
}

#[test]
fn a_repeat_window_the_push_log_cannot_hold_is_refused() {
    let e = alike(65);
    let p = Profile::new();
    // 24 a day for 7 days is more than the 64 pushes a profile remembers: asked hourly,
    // `o000` would come back after 65 h. Refused instead, naming the option.
    let err = e
        .should_notify(&p, &open_gate(NOW, 24, 7.0), NOW)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidInput);
    assert_eq!(
        err.to_string(),
        "options.repeatAfterDays: expected at most 1 day with budgetPerDay 24, got 7: only \
         the last 64 pushes are remembered, and up to budgetPerDay × (ceil(repeatAfterDays) \
         + 1) − 1 of them can fall within the window, which must stay ≤ 64"
    );
    // Also when the window is the default one.
    let err = e
        .should_notify(
            &p,
            &NotifyOptions {
                repeat_after_days: None,
                ..open_gate(NOW, 24, 0.0)
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(err.path, "options.repeatAfterDays");
    assert!(
        err.message
            .starts_with("expected at most 1 day with budgetPerDay 24, got 7 (the default): "),
        "{}",
        err.message
    );
    // The defaults keep to it (2 a day for 7 days; up to 31 days at 2 a day).
    let longest = max_repeat_days(DEFAULT_BUDGET).unwrap();
    assert_eq!(longest, 31);
    assert!(DEFAULT_REPEAT_DAYS <= f64::from(longest));
    assert!(e.should_notify(&p, &at(NOW), NOW).is_ok());
    // The limit for every budget is the last whole day that fits, and a fraction of a
    // day more counts as a day: budget × (⌈days⌉ + 1) − 1 ≤ 64.
    for budget in 1..=24u32 {
        let max = max_repeat_days(budget).unwrap();
        assert!(budget * (max + 1) - 1 <= 64 && budget * (max + 2) - 1 > 64);
        assert!(e
            .should_notify(&p, &open_gate(NOW, budget, f64::from(max)), NOW)
            .is_ok());
        let err = e
            .should_notify(&p, &open_gate(NOW, budget, f64::from(max) + 0.01), NOW)
            .unwrap_err();
        assert_eq!(err.path, "options.repeatAfterDays", "budget {budget}");
    }
    assert_eq!(
        [1, 2, 3, 4, 8, 13, 24].map(|b| max_repeat_days(b).unwrap()),
        [64, 31, 20, 15, 7, 4, 1]
    );
    // With no budget nothing is pushed, so any window is fine.
    assert_eq!(max_repeat_days(0), None);
    let d = e.should_notify(&p, &open_gate(NOW, 0, 365.0), NOW).unwrap();
    assert_eq!(d.reason.code, NotifyCode::BudgetUsed);
}

/// The worst case at the limit: the first push late on day 0, the whole budget at the
/// end of day 0, on every day in between and at the start of the last day of the
/// window — `budget` × (days + 1) pushes within `days` of the first, 64 of them
/// remembered when the last is decided (when 65 is a multiple of the budget). No offer
/// comes back inside the window; the first one does once its window is over.
#[test]
fn at_the_limit_a_full_push_log_still_blocks_every_repeat() {
    let e = alike(100);
    let day0 = (NOW / DAY).floor() * DAY + DAY;
    for budget in [1, 2, 3, 5, 8, 13, 24] {
        let days = max_repeat_days(budget).unwrap();
        let mut p = Profile::new();
        let mut pushed: Vec<(f64, String)> = Vec::new();
        // Minute `i` of day `d`.
        let minute = |d: u32, i: u32| day0 + f64::from(d) * DAY + f64::from(i) * 60_000.0;
        let first = minute(0, 1440 - budget);
        // Asked every minute: the last `budget` minutes of day 0, then the first
        // `budget` minutes of each following day up to `days`.
        let calls = (0..budget)
            .map(|i| minute(0, 1440 - budget + i))
            .chain((1..=days).flat_map(|d| (0..budget).map(move |i| minute(d, i))));
        for now in calls {
            let d = e
                .should_notify(&p, &open_gate(now, budget, f64::from(days)), NOW)
                .unwrap();
            assert_eq!(d.reason.code, NotifyCode::Ok, "budget {budget} at {now}");
            let id = d.offer.unwrap().offer_id;
            if let Some((at, _)) = pushed.iter().find(|(_, o)| *o == id) {
                panic!(
                    "budget {budget}, {days} days: {id} again after {} days",
                    (now - at) / DAY
                );
            }
            push(&e, &mut p, &id, now);
            pushed.push((now, id));
        }
        let n = (budget * (days + 1)) as usize;
        assert_eq!(pushed.len(), n);
        assert!(pushed.last().unwrap().0 - first < f64::from(days) * DAY);
        assert!(n - 1 <= MAX_PUSHES);
        if 65 % budget == 0 {
            assert_eq!(n - 1, MAX_PUSHES, "budget {budget}");
        }
        // Past the window of the first push (the next day), it may come back.
        let next = minute(days + 1, 0);
        assert!(next - first >= f64::from(days) * DAY);
        let d = e
            .should_notify(&p, &open_gate(next, budget, f64::from(days)), NOW)
            .unwrap();
        assert_eq!(d.offer.unwrap().offer_id, "o000", "budget {budget}");
    }
}
