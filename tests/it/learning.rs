//! Online learning and the saved profile: version-1 migration, bounded size under a
//! flood of events, and events that visibly move the feed.

use goods_ranker::profile::{
    MAX_CATEGORIES, MAX_DISMISSED, MAX_ITEMS, MAX_PUSHES, PROFILE_VERSION,
};
use goods_ranker::sample::{sample_catalog, SampleOptions};
use goods_ranker::{EventInput, EventType, Profile, RankOptions};

use super::*;

/// A version-1 saved profile as base64 text (`tests/fixtures/profile-v1.b64`, which the
/// JS tests read too), written by the build before version 2 (commit 6db0aed): the
/// sample grandma (68, band 2, weekly eggs and vegetables) plus a click on o00002, an
/// impression of o00010 and a dismissal of o00011, all at NOW.
const V1_PROFILE_FILE: &str = include_str!("../fixtures/profile-v1.b64");

/// Her top 12 with the sample catalog at NOW, as that build ranked them.
const V1_TOP12: [&str; 12] = [
    "o00001", "o00032", "o00031", "o00034", "o00036", "o00008", "o00300", "o00141", "o00043",
    "o00298", "o00263", "o00296",
];

fn ev(kind: EventType, id: &str, category: &str, at: f64) -> EventInput {
    EventInput {
        kind,
        offer_id: id.into(),
        at,
        category: Some(category.into()),
        price: Some(10.0),
        quantity: None,
    }
}

#[test]
fn a_version_1_profile_loads_migrates_and_ranks_as_before() {
    let v1_profile = V1_PROFILE_FILE.trim_end();
    let p = Profile::from_base64(v1_profile).unwrap();
    assert_eq!(p.age(), Some(68));
    assert_eq!(p.income_band(), Some(2));
    assert_eq!(p.event_count(), 20);
    assert_eq!(p.items().len(), 8);
    assert_eq!(p.items().get("o00001").unwrap().purchases, 6);
    assert_eq!(p.items().get("o00001").unwrap().interval_days, 7.0);
    assert!(p.is_dismissed("o00011"));
    // New state starts empty, at the default time zone.
    assert_eq!(p.utc_offset_minutes(), 480);
    assert!(p.pushes().is_empty());
    assert!(p
        .items()
        .values()
        .all(|s| s.ignored == 0 && s.day_impressions == 0));
    assert!(p.categories().values().all(|s| s.dismissals.value == 0.0));
    let e = Engine::new(
        sample_catalog(&SampleOptions::default()),
        &EngineOptions::default(),
    )
    .unwrap();
    let feed = e
        .rank(
            &p,
            &RankOptions {
                limit: Some(12),
                ..opts()
            },
            NOW,
        )
        .unwrap();
    assert_eq!(ids(&feed), V1_TOP12);
    // Saving writes the current version, which round-trips.
    let bytes = p.to_bytes();
    assert_eq!(bytes[4], PROFILE_VERSION);
    assert_eq!(PROFILE_VERSION, 2);
    assert_eq!(Profile::from_bytes(&bytes).unwrap(), p);
    // A corrupted version-1 file is still rejected.
    let mut v1 = base64_decode(v1_profile);
    v1[20] ^= 1;
    assert!(Profile::from_bytes(&v1).is_err());
}

fn base64_decode(text: &str) -> Vec<u8> {
    // Tiny decoder so the test does not lean on the code under test.
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).unwrap() as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[test]
fn version_2_keeps_fatigue_pushes_and_time_zone() {
    let mut p = Profile::new();
    p.set_utc_offset_minutes(-300.0).unwrap();
    for i in 0..4 {
        p.record(&ev(EventType::Impression, "a", "蛋品", NOW + f64::from(i)))
            .unwrap();
    }
    p.record(&ev(EventType::Push, "a", "蛋品", NOW)).unwrap();
    p.record(&ev(EventType::Dismiss, "b", "水果", NOW)).unwrap();
    let q = Profile::from_bytes(&p.to_bytes()).unwrap();
    assert_eq!(q, p);
    assert_eq!(q.utc_offset_minutes(), -300);
    assert_eq!(q.items().get("a").unwrap().ignored, 4);
    assert_eq!(q.pushes().len(), 1);
    assert_eq!(q.categories().get("水果").unwrap().dismissals.value, 1.0);
    assert_eq!(
        p.set_utc_offset_minutes(900.0).unwrap_err().to_string(),
        "utcOffsetMinutes: expected minutes east of UTC in -720..=840, got 900"
    );
    assert!(p.set_utc_offset_minutes(30.5).is_err());
}

#[test]
fn the_profile_stays_bounded_however_many_events_arrive() {
    let mut p = Profile::new();
    let kinds = EventType::ALL;
    let n = 30_000u32;
    let mut max_len = 0;
    for i in 0..n {
        // A different offer nearly every time, over 400 categories.
        let id = format!("o{:06}", i.wrapping_mul(7919) % 100_000);
        let cat = format!("c{}", i % 400);
        let kind = kinds[(i % 6) as usize];
        p.record(&ev(kind, &id, &cat, NOW + f64::from(i) * 1000.0))
            .unwrap();
        if i % 5_000 == 0 {
            max_len = max_len.max(p.to_bytes().len());
        }
    }
    assert_eq!(p.event_count(), u64::from(n));
    // Full maps are evicted down to 7/8 of their cap, never above it.
    let full = |len: usize, cap: usize| (cap - cap / 8..=cap).contains(&len);
    assert!(full(p.items().len(), MAX_ITEMS), "{}", p.items().len());
    assert!(full(p.categories().len(), MAX_CATEGORIES));
    assert!(full(p.dismissed().count(), MAX_DISMISSED));
    assert_eq!(p.pushes().len(), MAX_PUSHES);
    // The newest pushes are kept, oldest first.
    assert_eq!(
        p.pushes().last().unwrap().at,
        NOW + f64::from(n - 1) * 1000.0
    );
    let bytes = p.to_bytes();
    max_len = max_len.max(bytes.len());
    assert!(max_len < 64 * 1024, "{max_len} bytes");
    assert_eq!(Profile::from_bytes(&bytes).unwrap(), p);
}

#[test]
fn clicks_raise_a_category_and_repeated_dismissals_lower_it() {
    let e = engine(vec![
        OfferInput {
            popularity: Some(100.0),
            ..offer("a", "蛋品", 10.0, "near")
        },
        OfferInput {
            popularity: Some(50.0),
            ..offer("b", "水果", 10.0, "near")
        },
        offer("c", "水果", 10.0, "near"),
        OfferInput {
            popularity: Some(70.0),
            ..offer("d", "乳品", 10.0, "near")
        },
    ]);
    let rank_of = |p: &Profile, id: &str| {
        e.rank(p, &opts(), NOW)
            .unwrap()
            .iter()
            .position(|o| o.offer_id == id)
            .map(|r| r + 1)
    };
    let mut p = Profile::new();
    assert_eq!(rank_of(&p, "c"), Some(4));
    // Ten clicks on b raise its category 水果: c (never touched) climbs above a and d.
    for i in 0..10 {
        e.record(
            &mut p,
            &EventInput {
                category: None,
                price: None,
                ..ev(EventType::Click, "b", "", NOW - f64::from(i) * 60_000.0)
            },
        )
        .unwrap();
    }
    assert_eq!(rank_of(&p, "b"), Some(1));
    assert_eq!(rank_of(&p, "c"), Some(2));
    // Dismissing b removes it and drops c below a and d; each further dismissal in
    // 水果 lowers c's score again.
    let score_of = |p: &Profile| {
        e.rank(p, &opts(), NOW)
            .unwrap()
            .into_iter()
            .find(|o| o.offer_id == "c")
            .unwrap()
            .score
    };
    let mut scores = vec![score_of(&p)];
    for id in ["b", "x1", "x2"] {
        p.record(&ev(EventType::Dismiss, id, "水果", NOW)).unwrap();
        scores.push(score_of(&p));
    }
    assert_eq!(rank_of(&p, "b"), None);
    assert_eq!(rank_of(&p, "c"), Some(3));
    assert!(scores.windows(2).all(|w| w[1] < w[0]), "{scores:?}");
}
