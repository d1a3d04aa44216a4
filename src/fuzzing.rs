//! Fuzzing entry points: one function per cargo-fuzz target in `fuzz/fuzz_targets/`.
//!
//! Each function takes arbitrary bytes, feeds them to one input surface of the
//! engine (catalog JSON, binary catalogs, saved profiles, call options, event lists)
//! and, when the input is accepted, exercises the result and checks invariants. An
//! `Err` from the engine is the expected answer to bad input and makes the function
//! return normally; it panics only when an invariant breaks (a panic inside the
//! engine, a non-finite or out-of-range score, a round trip that fails or changes the
//! bytes). The fuzz targets are thin wrappers around these functions, and the test
//! `tests/it/fuzz_corpus.rs` replays the committed corpus (`fuzz/corpus/<target>/`)
//! and crash reproducers (`fuzz/regressions/<target>/`) through the same functions
//! under plain `cargo test`. See `fuzz/README.md`.
//!
//! Not part of the public API: compiled only with the `fuzzing` feature (natively),
//! and hidden from the docs.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::contract::input::{
    from_json, EngineOptions, EventInput, GroupOptions, NotifyOptions, RankOptions,
};
use crate::engine::Engine;
use crate::profile::Profile;
use crate::rank::params::DEFAULT_LIMIT;
use crate::rank::RankedOffer;
use crate::sample::{sample_catalog, sample_users, SampleOptions};
use crate::serve::group::{GroupSelection, Member};
use crate::serve::notify::NotifyDecision;

/// The time every fuzzed call runs at when its options do not say: 2025-11-25 10:00
/// Beijing time, epoch ms.
pub const NOW: f64 = 1_764_036_000_000.0;

/// Default number of offers group selection chooses (mirrors `group`).
const DEFAULT_GROUP_LIMIT: usize = crate::serve::group::DEFAULT_GROUP_LIMIT as usize;

/// The fixed engine and profiles the option, event and profile targets run against:
/// the sample catalog with 60 offers and 8-dimensional embeddings, a fresh profile
/// and the sample users' profiles (with purchase histories, ages and locations).
pub struct Fixture {
    /// The engine.
    pub engine: Engine,
    /// `Profile::new()`.
    pub fresh: Profile,
    /// The sample users' profiles, in `sample_users` order.
    pub users: Vec<Profile>,
}

/// The fixture, built once per process.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let input = sample_catalog(&SampleOptions {
            offers: 60,
            embedding_dim: 8,
            seed: 7,
        });
        let users = sample_users(&input, NOW)
            .iter()
            .map(|u| Profile::from_user(&u.user).expect("sample users are valid"))
            .collect();
        let engine = Engine::new(input, &EngineOptions::default()).expect("sample is valid");
        Fixture {
            engine,
            fresh: Profile::new(),
            users,
        }
    })
}

/// Target `catalog_json`: bytes → catalog JSON → engine. An accepted catalog ranks
/// for a cold profile and for a profile with an age and a location, and survives a
/// binary round trip with the same feeds.
pub fn catalog_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(engine) = Engine::from_json(text, &EngineOptions::default()) else {
        return;
    };
    let feeds = rank_probes(&engine);
    let bytes = engine.to_binary();
    let reloaded = Engine::from_binary(&bytes, &EngineOptions::default())
        .unwrap_or_else(|e| panic!("the binary form of a JSON catalog does not load: {e}"));
    assert_eq!(reloaded.catalog().len(), engine.catalog().len());
    assert_eq!(
        rank_probes(&reloaded),
        feeds,
        "a JSON catalog ranks differently after a binary round trip"
    );
}

/// Target `binary_catalog`: bytes → binary catalog → engine. The bytes are tried as
/// given and, so that mutations reach the decoder past the checksum, once more with
/// the CRC-32 trailer recomputed. An accepted catalog ranks, and re-encoding it
/// gives a file that loads, ranks the same and re-encodes to the same bytes.
pub fn binary_catalog(data: &[u8]) {
    binary_catalog_once(data);
    if let Some(fixed) = with_fixed_crc(data, 6) {
        binary_catalog_once(&fixed);
    }
}

fn binary_catalog_once(bytes: &[u8]) {
    let Ok(engine) = Engine::from_binary(bytes, &EngineOptions::default()) else {
        return;
    };
    let feeds = rank_probes(&engine);
    let encoded = engine.to_binary();
    let reloaded = Engine::from_binary(&encoded, &EngineOptions::default())
        .unwrap_or_else(|e| panic!("a re-encoded binary catalog does not load: {e}"));
    assert_eq!(
        reloaded.to_binary(),
        encoded,
        "binary catalog encoding is not stable"
    );
    assert_eq!(
        rank_probes(&reloaded),
        feeds,
        "a binary catalog ranks differently after a round trip"
    );
}

/// Target `saved_profile`: bytes → `Profile::from_bytes` (as given and with the
/// CRC-32 trailer recomputed), and the bytes as text → `Profile::from_base64`. An
/// accepted profile saves to bytes that load and save to the same bytes, and ranks
/// and passes the push gate on the fixture's catalog.
pub fn saved_profile(data: &[u8]) {
    if let Ok(profile) = Profile::from_bytes(data) {
        check_loaded_profile(&profile);
    }
    if let Some(fixed) = with_fixed_crc(data, 5) {
        if let Ok(profile) = Profile::from_bytes(&fixed) {
            check_loaded_profile(&profile);
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(profile) = Profile::from_base64(text) {
            check_loaded_profile(&profile);
        }
    }
}

fn check_loaded_profile(profile: &Profile) {
    let saved = check_save_load(profile);
    let fx = fixture();
    let feed = fx
        .engine
        .rank(profile, &RankOptions::default(), NOW)
        .unwrap_or_else(|e| panic!("default options rejected for a loaded profile: {e}"));
    check_feed(&feed, DEFAULT_LIMIT, &[]);
    let decision = fx
        .engine
        .should_notify(profile, &NotifyOptions::default(), NOW)
        .unwrap_or_else(|e| panic!("default notify options rejected: {e}"));
    check_decision(&decision);
    let base64 = profile.to_base64();
    let again = Profile::from_base64(&base64)
        .unwrap_or_else(|e| panic!("a profile's base64 form does not load: {e}"));
    assert_eq!(
        again.to_bytes(),
        saved,
        "base64 round trip changed the profile"
    );
}

/// Target `options`: the first byte selects the options type (0 rank, 1 notify,
/// 2 group, modulo 3) and the rest is its JSON text, parsed with
/// [`from_json`]. Accepted options are used on the fixture's catalog: ranking and
/// the push gate for a fresh profile and a sample user, group selection for both as
/// one group.
pub fn options(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let fx = fixture();
    let profiles = [&fx.fresh, &fx.users[0]];
    match selector % 3 {
        0 => {
            let Ok(options) = from_json::<RankOptions>(text, "options") else {
                return;
            };
            let limit = options.limit.map_or(DEFAULT_LIMIT, |l| l as usize);
            let mut removed: Vec<&str> = Vec::new();
            for list in [&options.exclude, &options.hide].into_iter().flatten() {
                removed.extend(list.iter().map(String::as_str));
            }
            for profile in profiles {
                if let Ok(feed) = fx.engine.rank(profile, &options, NOW) {
                    check_feed(&feed, limit, &removed);
                    let filtered = fx
                        .engine
                        .filtered(profile, &options, NOW)
                        .unwrap_or_else(|e| panic!("rank accepted options filtered rejects: {e}"));
                    for f in &filtered {
                        assert!(
                            !feed.iter().any(|o| o.offer_id == f.offer_id),
                            "filtered offer {} is ranked",
                            f.offer_id
                        );
                    }
                }
            }
        }
        1 => {
            let Ok(options) = from_json::<NotifyOptions>(text, "options") else {
                return;
            };
            for profile in profiles {
                if let Ok(decision) = fx.engine.should_notify(profile, &options, NOW) {
                    check_decision(&decision);
                }
            }
        }
        _ => {
            let Ok(options) = from_json::<GroupOptions>(text, "options") else {
                return;
            };
            let members: Vec<Member<'_>> = vec![(profiles[0], None), (profiles[1], Some("b"))];
            if let Ok(selection) = fx.engine.rank_for_group(&members, &options, NOW) {
                let limit = options.limit.map_or(DEFAULT_GROUP_LIMIT, |l| l as usize);
                check_selection(&selection, members.len(), limit);
            }
        }
    }
}

/// Target `events`: bytes → JSON array of events, each recorded (errors skipped)
/// into a copy of a sample user's profile through the fixture's engine. The profile
/// then saves and loads to the same bytes, ranks, and passes the push gate.
pub fn events(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(list) = from_json::<Vec<EventInput>>(text, "events") else {
        return;
    };
    let fx = fixture();
    let mut profile = fx.users[0].clone();
    for event in &list {
        // An unknown offer or a bad field is rejected; the profile must stay usable.
        let _ = fx.engine.record(&mut profile, event);
    }
    check_loaded_profile(&profile);
}

/// Saves `profile`, loads it back and saves again: both loads succeed and both saves
/// give the same bytes. Returns the saved bytes.
fn check_save_load(profile: &Profile) -> Vec<u8> {
    let saved = profile.to_bytes();
    let loaded = Profile::from_bytes(&saved)
        .unwrap_or_else(|e| panic!("a saved profile does not load: {e}"));
    assert_eq!(
        loaded.to_bytes(),
        saved,
        "save → load → save changed the bytes"
    );
    saved
}

/// `data` with its last four bytes replaced by the CRC-32 of the rest, when it is
/// longer than `header` bytes plus the trailer and the CRC differs.
fn with_fixed_crc(data: &[u8], header: usize) -> Option<Vec<u8>> {
    if data.len() < header + 4 {
        return None;
    }
    let (body, trailer) = data.split_at(data.len() - 4);
    let crc = crate::util::crc32::checksum(body).to_le_bytes();
    if trailer == crc {
        return None;
    }
    let mut fixed = body.to_vec();
    fixed.extend_from_slice(&crc);
    Some(fixed)
}

/// Feeds of an engine for a cold profile and for a 34-year-old near the first store
/// (when there is one), with default options.
fn rank_probes(engine: &Engine) -> Vec<Vec<RankedOffer>> {
    let mut profiles = vec![Profile::new()];
    let mut user = crate::contract::input::UserInput {
        age: Some(34),
        income_band: Some(3),
        ..Default::default()
    };
    if let Some(store) = engine.catalog().stores().first() {
        user.location = Some(crate::contract::input::LocationInput {
            lat: store.position.lat + 0.002,
            lng: store.position.lng,
            datum: None,
        });
    }
    if let Ok(p) = Profile::from_user(&user) {
        profiles.push(p);
    }
    profiles
        .iter()
        .map(|p| {
            let feed = engine
                .rank(p, &RankOptions::default(), NOW)
                .unwrap_or_else(|e| panic!("default options rejected: {e}"));
            check_feed(&feed, DEFAULT_LIMIT, &[]);
            feed
        })
        .collect()
}

/// The invariants of every feed: at most `limit` offers, ranks 1, 2, …, distinct
/// ids, none of `removed`, scores finite in [0, 1] and equal to the sum of their
/// breakdown, distances and reason weights finite.
fn check_feed(feed: &[RankedOffer], limit: usize, removed: &[&str]) {
    assert!(
        feed.len() <= limit,
        "{} offers for limit {limit}",
        feed.len()
    );
    let mut seen = BTreeSet::new();
    for (i, o) in feed.iter().enumerate() {
        assert_eq!(o.rank as usize, i + 1, "rank of {}", o.offer_id);
        assert!(seen.insert(&o.offer_id), "{} ranked twice", o.offer_id);
        assert!(
            !removed.contains(&o.offer_id.as_str()),
            "excluded or hidden offer {} is ranked",
            o.offer_id
        );
        check_score(o);
    }
}

fn check_score(o: &RankedOffer) {
    assert!(
        o.score.is_finite() && (0.0..=1.0).contains(&o.score),
        "{}: score {}",
        o.offer_id,
        o.score
    );
    let b = &o.breakdown;
    let parts = crate::rank::features::Feature::ALL.map(|f| b.get(f));
    assert!(
        parts.iter().all(|x| x.is_finite()),
        "{}: breakdown {b:?}",
        o.offer_id
    );
    let sum: f64 = parts.iter().sum();
    assert!(
        (sum - o.score).abs() < 1e-9,
        "{}: breakdown adds up to {sum}, score {}",
        o.offer_id,
        o.score
    );
    assert!(
        o.distance_m.is_none_or(|d| d.is_finite() && d >= 0.0),
        "{}: distance {:?}",
        o.offer_id,
        o.distance_m
    );
    assert!(
        o.reasons.iter().all(|r| r.weight.is_finite()),
        "{}: reason weights {:?}",
        o.offer_id,
        o.reasons
    );
    assert!(
        o.price.is_finite() && o.price > 0.0,
        "{}: price",
        o.offer_id
    );
}

/// The push gate's answer: an offer exactly when it says notify, with a finite score
/// in [0, 1].
fn check_decision(d: &NotifyDecision) {
    assert_eq!(
        d.notify,
        d.offer.is_some(),
        "notify without an offer: {d:?}"
    );
    if let Some(o) = &d.offer {
        check_score(o);
    }
    assert!(
        d.score
            .is_none_or(|s| s.is_finite() && (0.0..=1.0).contains(&s)),
        "gate score {:?}",
        d.score
    );
}

/// Group selection: at most `limit` distinct offers ranked 1, 2, …, mean scores
/// finite in [0, 1], served members real and counted.
fn check_selection(s: &GroupSelection, members: usize, limit: usize) {
    assert_eq!(s.members as usize, members);
    assert!(s.members_served <= s.members, "{s:?}");
    assert!(
        s.items.len() <= limit,
        "{} picks for limit {limit}",
        s.items.len()
    );
    let mut seen = BTreeSet::new();
    let mut served = BTreeSet::new();
    for (i, pick) in s.items.iter().enumerate() {
        assert_eq!(pick.rank as usize, i + 1, "rank of {}", pick.offer_id);
        assert!(
            seen.insert(&pick.offer_id),
            "{} picked twice",
            pick.offer_id
        );
        assert!(
            pick.mean_score.is_finite() && (0.0..=1.0).contains(&pick.mean_score),
            "{}: mean score {}",
            pick.offer_id,
            pick.mean_score
        );
        for m in &pick.served {
            assert!((m.member as usize) < members, "member {}", m.member);
            assert!(
                m.score.is_finite() && (0.0..=1.0).contains(&m.score),
                "{}: member score {}",
                pick.offer_id,
                m.score
            );
            served.insert(m.member);
        }
    }
    assert_eq!(
        served.len(),
        s.members_served as usize,
        "{} members listed as served, {} counted",
        served.len(),
        s.members_served
    );
}
