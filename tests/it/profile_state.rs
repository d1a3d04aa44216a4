//! Profile learning, bounds and the saved form.

use goods_ranker::profile::{MAX_ITEMS, PROFILE_VERSION};
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{ErrorCode, EventInput, EventType, Profile, UserInput};

use super::*;

fn event(kind: EventType, offer_id: &str, at: f64) -> EventInput {
    EventInput {
        kind,
        offer_id: offer_id.into(),
        at,
        category: Some("蛋品".into()),
        price: Some(25.9),
        quantity: None,
    }
}

fn rich_profile() -> Profile {
    let input = sample_catalog(&SampleOptions::default());
    let users = sample_users(&input, NOW);
    let grandma = users.iter().find(|u| u.id == "grandma").unwrap();
    let mut p = Profile::from_user(&grandma.user).unwrap();
    p.record(&event(EventType::Click, "o00002", NOW)).unwrap();
    p.record(&event(EventType::Impression, "o00010", NOW))
        .unwrap();
    p.record(&event(EventType::Dismiss, "o00011", NOW)).unwrap();
    p
}

#[test]
fn saved_form_round_trips_through_bytes_and_base64() {
    let p = rich_profile();
    let bytes = p.to_bytes();
    assert_eq!(&bytes[..4], b"GRPF");
    assert_eq!(bytes[4], PROFILE_VERSION);
    assert_eq!(Profile::from_bytes(&bytes).unwrap(), p);
    assert_eq!(Profile::from_base64(&p.to_base64()).unwrap(), p);
    // Small: a grandma with weeks of history fits in well under a kilobyte.
    assert!(bytes.len() < 1024, "{} bytes", bytes.len());
    // And the loaded profile ranks exactly like the original.
    let input = sample_catalog(&SampleOptions::default());
    let e = Engine::new(input, &EngineOptions::default()).unwrap();
    let loaded = Profile::from_bytes(&bytes).unwrap();
    assert_eq!(
        e.rank(&p, &opts(), NOW).unwrap(),
        e.rank(&loaded, &opts(), NOW).unwrap()
    );
}

#[test]
fn every_single_bit_flip_and_truncation_is_rejected() {
    let bytes = rich_profile().to_bytes();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut bad = bytes.clone();
            bad[i] ^= 1 << bit;
            let err = Profile::from_bytes(&bad).expect_err("corruption accepted");
            assert_eq!(err.code, ErrorCode::CorruptState, "byte {i} bit {bit}");
            assert_eq!(err.path, "profile");
        }
    }
    for len in 0..bytes.len() {
        let err = Profile::from_bytes(&bytes[..len]).expect_err("truncation accepted");
        assert_eq!(err.code, ErrorCode::CorruptState, "len {len}");
    }
    let mut extended = bytes.clone();
    extended.push(0);
    assert!(Profile::from_bytes(&extended).is_err());
}

#[test]
fn other_versions_and_garbage_get_clear_errors() {
    let mut bytes = rich_profile().to_bytes();
    bytes[4] = 9;
    // Recompute the checksum so only the version is wrong.
    let n = bytes.len() - 4;
    let crc = crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    let err = Profile::from_bytes(&bytes).unwrap_err();
    assert_eq!(
        err.to_string(),
        "profile: unsupported profile version 9 (this build reads 1 and 2)"
    );
    let err = Profile::from_base64("not base64!").unwrap_err();
    assert_eq!(err.code, ErrorCode::CorruptState);
    assert!(Profile::from_bytes(b"hello world, not a profile").is_err());
}

#[test]
fn saved_maps_with_keys_out_of_order_are_rejected() {
    // Two items whose states are identical, so swapping their one-byte ids in the
    // saved form leaves a well-formed payload whose keys are merely out of order.
    let mut p = Profile::new();
    p.record(&event(EventType::Click, "a", NOW)).unwrap();
    p.record(&event(EventType::Click, "b", NOW)).unwrap();
    let mut bytes = p.to_bytes();
    let n = bytes.len() - 4;
    // A key is written as its length (1) then its bytes.
    let at = |bytes: &[u8], key: u8| bytes.windows(2).position(|w| w == [1, key]).unwrap() + 1;
    let (ia, ib) = (at(&bytes, b'a'), at(&bytes, b'b'));
    assert!(ia < ib);
    bytes.swap(ia, ib);
    let crc = crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    let err = Profile::from_bytes(&bytes).unwrap_err();
    assert_eq!(err.code, ErrorCode::CorruptState);
    assert!(
        err.message.starts_with("cannot decode saved profile"),
        "{err}"
    );
    // Unswapped, the same bytes load.
    bytes.swap(ia, ib);
    let crc = crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    assert_eq!(Profile::from_bytes(&bytes).unwrap(), p);
}

#[test]
fn events_learn_cycles_prices_and_dismissals() {
    let mut p = Profile::new();
    for week in 0..4 {
        p.record(&event(
            EventType::Purchase,
            "eggs",
            NOW - f64::from(3 - week) * 7.0 * DAY,
        ))
        .unwrap();
    }
    let item = &p.items().get("eggs").unwrap();
    assert_eq!(item.purchases, 4);
    assert!((item.interval_days - 7.0).abs() < 1e-9);
    assert_eq!(item.last_purchase_at, NOW);
    let cat = &p.categories().get("蛋品").unwrap();
    assert!((cat.ln_price_mean - 25.9f64.ln()).abs() < 1e-9);
    // Two purchases on the same trip do not shorten the cycle.
    p.record(&event(EventType::Purchase, "eggs", NOW + 3_600_000.0))
        .unwrap();
    assert!((p.items().get("eggs").unwrap().interval_days - 7.0).abs() < 1e-9);
    p.record(&event(EventType::Dismiss, "eggs", NOW)).unwrap();
    assert!(p.is_dismissed("eggs"));
    assert!(!p.items().contains_key("eggs"));
    assert_eq!(p.event_count(), 6);
}

#[test]
fn a_failed_record_leaves_the_profile_unchanged() {
    let mut p = rich_profile();
    let before = p.clone();
    let mut bad = event(EventType::Purchase, "eggs", f64::NAN);
    let err = p.record(&bad).unwrap_err();
    assert_eq!(err.path, "event.at");
    bad.at = NOW;
    bad.quantity = Some(0);
    assert_eq!(p.record(&bad).unwrap_err().path, "event.quantity");
    bad.quantity = None;
    bad.price = Some(-1.0);
    assert_eq!(
        p.record(&bad).unwrap_err().to_string(),
        "event.price: expected a positive number, got -1"
    );
    assert_eq!(p, before);
}

#[test]
fn the_profile_stays_bounded() {
    let mut p = Profile::new();
    for i in 0..(MAX_ITEMS + 300) {
        let mut e = event(EventType::Click, &format!("o{i}"), NOW + i as f64 * 1000.0);
        e.category = Some(format!("c{}", i % 300));
        p.record(&e).unwrap();
    }
    // A full map is evicted down to 7/8 of its cap (amortised eviction), never above.
    assert!((MAX_ITEMS - MAX_ITEMS / 8..=MAX_ITEMS).contains(&p.items().len()));
    assert!(p.categories().len() <= goods_ranker::profile::MAX_CATEGORIES);
    // The newest interactions are the ones kept.
    assert!(p.items().contains_key(&format!("o{}", MAX_ITEMS + 299)));
    assert!(!p.items().contains_key("o0"));
    assert!(p.to_bytes().len() < 64 * 1024);
}

#[test]
fn user_attributes_are_validated_with_paths() {
    let bad = |u: UserInput| Profile::from_user(&u).unwrap_err().to_string();
    assert_eq!(
        bad(UserInput {
            income_band: Some(6),
            ..Default::default()
        }),
        "user.incomeBand: expected an income band in 1..=5, got 6"
    );
    assert_eq!(
        bad(UserInput {
            monthly_income: Some(f64::NAN),
            ..Default::default()
        }),
        "user.monthlyIncome: expected a number ≥ 0, got NaN"
    );
    assert!(bad(UserInput {
        age: Some(200),
        ..Default::default()
    })
    .starts_with("user.age:"));
    let history = vec![goods_ranker::PurchaseInput {
        offer_id: "x".into(),
        category: None,
        price: Some(0.0),
        quantity: None,
        at: NOW,
    }];
    assert_eq!(
        bad(UserInput {
            history: Some(history),
            ..Default::default()
        }),
        "user.history[0].price: expected a positive number, got 0"
    );
}
