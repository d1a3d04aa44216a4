//! Property tests of the invariants: random catalogs, profiles and options (proptest,
//! shrinking to a minimal counterexample on failure).

use std::collections::{BTreeMap, BTreeSet};

use goods_ranker::contract::input::{
    DiversityInput, ExploreInput, FatigueInput, GroupObjective, GroupOptions, NotifyOptions,
    QuietHoursInput,
};
use goods_ranker::rank::features::Feature;
use goods_ranker::serve::notify::max_repeat_days;
use goods_ranker::{
    DecayFunction, EventInput, EventType, LocationInput, OfferInput, Profile, ProximityInput,
    RankOptions, UserInput,
};
use proptest::prelude::*;

use super::{engine, features, offer, DAY, NOW, ORIGIN};

const CATEGORIES: [&str; 6] = ["蛋品", "蔬菜", "水果", "乳品", "酒类", "烘焙"];
const KINDS: [EventType; 6] = EventType::ALL;

/// Cases per property: enough to find edge cases, few enough that the module runs in
/// seconds in a debug build.
pub(super) fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One random offer (its id is set by [`offers`]).
fn offer_strategy() -> impl Strategy<Value = OfferInput> {
    (
        (0..CATEGORIES.len(), 1.0f64..300.0, any::<bool>()),
        (
            prop::option::of(0u32..3),
            prop::option::of(0.0f64..5000.0),
            prop::option::of(-10.0f64..10.0),
            prop::option::of(1.0f64..20.0),
        ),
        (
            prop::option::of(0u32..30),
            prop::option::of((0u32..80, 0u32..40)),
            prop::option::of(prop::collection::btree_set(1u8..=5, 1..4)),
        ),
        (
            prop::option::of(1.0f64..2.0),
            prop::option::of(1.0f64..60.0),
            prop::option::of(0.0f64..=1.0),
        ),
    )
        .prop_map(
            |(
                (cat, price, near),
                (stock, popularity, start_days, length_days),
                (min_age, ages, bands),
                (markup, repurchase_days, boost),
            )| {
                let mut o = offer(
                    "x",
                    CATEGORIES[cat],
                    price,
                    if near { "near" } else { "far" },
                );
                o.stock = stock;
                o.popularity = popularity;
                o.starts_at = start_days.map(|d| NOW + d * DAY);
                o.ends_at = start_days
                    .zip(length_days)
                    .map(|(s, l)| NOW + (s + l) * DAY);
                o.min_age = min_age;
                if let Some((lo, span)) = ages {
                    o.age_min = Some(lo);
                    o.age_max = Some(lo + span);
                }
                o.income_bands = bands.map(|b| b.into_iter().collect());
                o.original_price = markup.map(|m| price * m);
                o.repurchase_days = repurchase_days;
                o.boost = boost;
                o
            },
        )
}

fn offers(max: usize) -> impl Strategy<Value = Vec<OfferInput>> {
    offers_in(1..max)
}

/// A catalog of `sizes` random offers, `o000`, `o001`, …
fn offers_in(sizes: std::ops::Range<usize>) -> impl Strategy<Value = Vec<OfferInput>> {
    prop::collection::vec(offer_strategy(), sizes).prop_map(|mut v| {
        for (i, o) in v.iter_mut().enumerate() {
            o.id = format!("o{i:03}");
            o.title = format!("商品 {i}");
        }
        v
    })
}

/// A location within a few kilometres of the fixture stores.
fn location() -> impl Strategy<Value = LocationInput> {
    (-0.04f64..0.06, -0.05f64..0.05).prop_map(|(dlat, dlng)| LocationInput {
        lat: ORIGIN.0 + dlat,
        lng: ORIGIN.1 + dlng,
        datum: None,
    })
}

/// (kind, offer index, days before NOW, quantity).
type RawEvent = (usize, usize, f64, u32);

fn raw_events(max: usize) -> impl Strategy<Value = Vec<RawEvent>> {
    prop::collection::vec(
        (0..KINDS.len(), 0usize..1000, 0.0f64..90.0, 1u32..4),
        0..max,
    )
}

fn user() -> impl Strategy<Value = UserInput> {
    (
        prop::option::of(location()),
        prop::option::of(0u32..100),
        prop::option::of(1u8..=5),
    )
        .prop_map(|(location, age, income_band)| UserInput {
            location,
            age,
            income_band,
            ..Default::default()
        })
}

/// A profile built through the engine from raw events on the catalog's offers.
fn profile_for(
    engine: &goods_ranker::Engine,
    n_offers: usize,
    user: &UserInput,
    events: &[RawEvent],
) -> Profile {
    let mut p = Profile::from_user(user).expect("valid user");
    let mut sorted: Vec<&RawEvent> = events.iter().collect();
    sorted.sort_by(|a, b| b.2.total_cmp(&a.2));
    for &&(kind, o, days_ago, quantity) in &sorted {
        let e = EventInput {
            kind: KINDS[kind],
            offer_id: format!("o{:03}", o % n_offers),
            at: NOW - days_ago * DAY,
            category: None,
            price: None,
            quantity: Some(quantity),
        };
        engine.record(&mut p, &e).expect("valid event");
    }
    p
}

fn diversity() -> impl Strategy<Value = DiversityInput> {
    (
        prop::option::of(1u32..4),
        prop::option::of(1u32..6),
        prop::option::of(0.0f64..=1.0),
    )
        .prop_map(|(c, s, l)| DiversityInput {
            max_per_category: c,
            max_per_store: s,
            mmr_lambda: l,
            similarity: None,
        })
}

/// Options that exercise every filter and the re-ranking.
fn options(n: usize) -> impl Strategy<Value = RankOptions> {
    (
        prop::option::of(location()),
        1u32..40,
        prop::collection::vec(0..n, 0..4),
        prop::collection::vec(0..n, 0..4),
        prop::option::of(diversity()),
        prop::option::of((0.0f64..1e6, 1u32..3)),
        (
            any::<bool>(),
            prop::option::of(1u32..3),
            prop::option::of(1u32..4),
        ),
    )
        .prop_map(
            move |(
                location,
                limit,
                exclude,
                hide,
                diversity,
                explore,
                (unknown_age, per_offer, per_cat),
            )| {
                RankOptions {
                    location,
                    now: Some(NOW),
                    limit: Some(limit),
                    exclude: Some(exclude.iter().map(|i| format!("o{i:03}")).collect()),
                    hide: Some(hide.iter().map(|i| format!("o{i:03}")).collect()),
                    allow_unknown_age: Some(unknown_age),
                    diversity,
                    explore: explore.map(|(seed, slots)| ExploreInput {
                        seed: seed.floor(),
                        slots: Some(slots),
                    }),
                    fatigue: Some(FatigueInput {
                        max_per_offer_per_day: per_offer,
                        max_per_category_per_day: per_cat,
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            },
        )
}

/// Catalog, profile and options for one ranking call.
fn scenario() -> impl Strategy<Value = (Vec<OfferInput>, UserInput, Vec<RawEvent>, RankOptions)> {
    offers(40).prop_flat_map(|offers| {
        let n = offers.len();
        (Just(offers), user(), raw_events(60), options(n))
    })
}

proptest! {
    #![proptest_config(config())]

    /// No filtered offer is ever ranked, whatever re-ranking is asked for; and without
    /// re-ranking and with room for every offer, each offer is ranked or filtered.
    #[test]
    fn a_filtered_offer_never_appears((offers, user, events, options) in scenario()) {
        let n = offers.len();
        let engine = engine(offers);
        let profile = profile_for(&engine, n, &user, &events);
        let filtered: BTreeSet<String> = engine
            .filtered(&profile, &options, NOW)
            .unwrap()
            .into_iter()
            .map(|f| f.offer_id)
            .collect();
        let feed = engine.rank(&profile, &options, NOW).unwrap();
        for o in &feed {
            prop_assert!(!filtered.contains(&o.offer_id), "{} is filtered but ranked", o.offer_id);
        }
        let plain = RankOptions { diversity: None, explore: None, limit: Some(1000), ..options };
        let all = engine.rank(&profile, &plain, NOW).unwrap();
        let ranked: BTreeSet<String> = all.into_iter().map(|o| o.offer_id).collect();
        prop_assert_eq!(ranked.len() + filtered.len(), n);
        prop_assert!(ranked.is_disjoint(&filtered));
    }

    /// Every feature score is in [0, 1]; every ranked score is finite, in [0, 1], and
    /// its breakdown adds up to it.
    #[test]
    fn scores_stay_in_range((offers, user, events, options) in scenario()) {
        let n = offers.len();
        let engine = engine(offers);
        let profile = profile_for(&engine, n, &user, &events);
        for i in 0..n {
            let f = features(&engine, &profile, &options, &format!("o{i:03}"));
            for (k, v) in f.iter().enumerate() {
                prop_assert!(v.is_finite() && (0.0..=1.0).contains(v), "feature {k} of o{i:03} = {v}");
            }
        }
        for o in engine.rank(&profile, &options, NOW).unwrap() {
            prop_assert!(o.score.is_finite() && (0.0..=1.0).contains(&o.score), "{}: {}", o.offer_id, o.score);
            let sum: f64 = Feature::ALL.iter().map(|&f| o.breakdown.get(f)).sum();
            prop_assert!((sum - o.score).abs() < 1e-9, "{}: breakdown {sum} vs score {}", o.offer_id, o.score);
            for r in &o.reasons {
                prop_assert!(r.weight.is_finite());
            }
        }
    }

    /// The same catalog, profile, options and exploration seed give the same feed,
    /// from a freshly built engine and a reloaded profile too.
    #[test]
    fn the_same_inputs_give_the_same_feed((offers, user, events, options) in scenario()) {
        let n = offers.len();
        let a = engine(offers.clone());
        let b = engine(offers);
        let profile = profile_for(&a, n, &user, &events);
        let reloaded = Profile::from_bytes(&profile.to_bytes()).unwrap();
        let first = a.rank(&profile, &options, NOW).unwrap();
        prop_assert_eq!(&first, &a.rank(&profile, &options, NOW).unwrap());
        prop_assert_eq!(&first, &b.rank(&reloaded, &options, NOW).unwrap());
    }

    /// Moving towards a store never lowers the proximity of its offers, for every
    /// decay curve.
    #[test]
    fn moving_closer_never_lowers_proximity(
        bearing in 0.0f64..std::f64::consts::TAU,
        far in 0.0f64..0.08,
        closer in 0.0f64..=1.0,
        function in 0usize..3,
        offset_km in prop::option::of(0.0f64..2.0),
        scale_km in prop::option::of(0.05f64..5.0),
        decay in prop::option::of(0.01f64..0.99),
    ) {
        let engine = engine(vec![offer("a", "蛋品", 10.0, "near")]);
        let profile = Profile::new();
        let proximity = ProximityInput {
            function: Some([DecayFunction::Gauss, DecayFunction::Exp, DecayFunction::Linear][function]),
            offset_km,
            scale_km,
            decay,
        };
        let at = |r: f64| RankOptions {
            location: Some(LocationInput {
                lat: ORIGIN.0 + r * bearing.sin(),
                lng: ORIGIN.1 + r * bearing.cos(),
                datum: None,
            }),
            proximity: Some(proximity),
            ..super::opts()
        };
        let p_far = features(&engine, &profile, &at(far), "a")[Feature::Proximity as usize];
        let p_near = features(&engine, &profile, &at(far * closer), "a")[Feature::Proximity as usize];
        prop_assert!(p_near >= p_far, "{p_near} at {} < {p_far} at {far}", far * closer);
    }

    /// Saving and loading a profile gives the same profile, for random users and event
    /// sequences, through bytes and base64.
    #[test]
    fn save_then_load_is_the_identity(
        user in user(),
        events in prop::collection::vec((0..KINDS.len(), 0usize..2000, 0usize..200, 0.01f64..500.0, -400.0f64..1.0, 1u32..5), 0..300),
        offset in prop::option::of(-720i32..=840),
    ) {
        let mut p = Profile::from_user(&user).unwrap();
        if let Some(m) = offset {
            p.set_utc_offset_minutes(f64::from(m)).unwrap();
        }
        for (kind, o, c, price, days, quantity) in events {
            p.record(&EventInput {
                kind: KINDS[kind],
                offer_id: format!("o{o}"),
                at: NOW + days * DAY,
                category: Some(format!("c{c}")),
                price: Some(price),
                quantity: Some(quantity),
            }).unwrap();
        }
        let bytes = p.to_bytes();
        let loaded = Profile::from_bytes(&bytes).unwrap();
        prop_assert_eq!(&loaded, &p);
        prop_assert_eq!(loaded.to_bytes(), bytes);
        prop_assert_eq!(Profile::from_base64(&p.to_base64()).unwrap(), p);
    }

    /// Caps are never exceeded: at most `maxPerCategory` per category and
    /// `maxPerStore` per store, with MMR and exploration on or off.
    #[test]
    fn diversity_caps_are_never_exceeded((offers, user, events, options) in scenario()) {
        let n = offers.len();
        let engine = engine(offers);
        let profile = profile_for(&engine, n, &user, &events);
        let feed = engine.rank(&profile, &options, NOW).unwrap();
        prop_assert!(feed.len() <= options.limit.unwrap() as usize);
        if let Some(d) = &options.diversity {
            let mut per_category = BTreeMap::<&str, u32>::new();
            let mut per_store = BTreeMap::<&str, u32>::new();
            for o in &feed {
                *per_category.entry(&o.category).or_default() += 1;
                *per_store.entry(&o.store_id).or_default() += 1;
            }
            if let Some(m) = d.max_per_category {
                prop_assert!(per_category.values().all(|&c| c <= m), "{per_category:?} over {m}");
            }
            if let Some(m) = d.max_per_store {
                prop_assert!(per_store.values().all(|&c| c <= m), "{per_store:?} over {m}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// However many events arrive (20 000 per case, 16 cases, over up to 100 000 offers and 400
    /// categories), the saved profile stays under 51 KB.
    #[test]
    fn the_saved_profile_stays_bounded(
        seed in any::<u64>(),
        kinds in prop::collection::vec(0..KINDS.len(), 1..6),
    ) {
        let mut p = Profile::new();
        let mut x = seed;
        for i in 0..20_000u32 {
            // SplitMix64: cheap random offers, categories and prices.
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            p.record(&EventInput {
                kind: KINDS[kinds[i as usize % kinds.len()]],
                offer_id: format!("o{:06}", z % 100_000),
                at: NOW + f64::from(i) * 60_000.0,
                category: Some(format!("category-{}", (z >> 20) % 400)),
                price: Some(1.0 + ((z >> 40) % 50_000) as f64 / 100.0),
                quantity: Some(1 + (z >> 60) as u32),
            }).unwrap();
        }
        prop_assert_eq!(p.event_count(), 20_000);
        let size = p.to_bytes().len();
        prop_assert!(size < 51 * 1024, "{size} bytes");
    }
}

/// One push-gate scenario: (budget, quiet start, quiet end, offset, offset in the
/// options or the profile, gap, repeat days, threshold).
type GateConfig = (u32, u32, u32, i32, bool, f64, f64, f64);

/// Gate options within the documented limit: a repeat window of at most
/// `max_repeat_days(budget)` days, what the 64 remembered pushes can honour.
fn gate_config() -> impl Strategy<Value = GateConfig> {
    prop_oneof![0u32..=3, 0u32..=24].prop_flat_map(|budget| {
        let longest = max_repeat_days(budget).map_or(30.0, f64::from);
        (
            Just(budget),
            0u32..24,
            0u32..24,
            -720i32..=840,
            any::<bool>(),
            prop_oneof![Just(0.0), 0.0f64..600.0, 0.0f64..=10_080.0],
            prop_oneof![
                Just(0.0),
                0.0f64..longest.min(3.0),
                0.0f64..=longest,
                Just(longest)
            ],
            prop_oneof![Just(0.0), 0.0f64..0.6, 0.0f64..=1.0],
        )
    })
}

/// Call times of a simulated stretch of 1 to 10 days from NOW, whole minutes, sorted
/// (several calls may fall in the same minute).
fn call_minutes() -> impl Strategy<Value = Vec<u32>> {
    (1u32..=10).prop_flat_map(|days| {
        prop::collection::vec(0..days * 1440, 1..200).prop_map(|mut v| {
            v.sort_unstable();
            v
        })
    })
}

/// Gate options that push a lot: a budget of 5 to 24, mostly no quiet hours, a gap
/// under 30 min, a threshold under 0.1 and mostly the longest repeat window allowed.
fn busy_gate_config() -> impl Strategy<Value = GateConfig> {
    (5u32..=24).prop_flat_map(|budget| {
        let longest = max_repeat_days(budget).map_or(30.0, f64::from);
        (
            Just(budget),
            prop_oneof![3 => Just((0u32, 0u32)), 1 => (0u32..24, 0u32..24)],
            -720i32..=840,
            any::<bool>(),
            0.0f64..30.0,
            prop_oneof![3 => Just(longest), 1 => 0.0f64..=longest],
            0.0f64..0.1,
        )
            .prop_map(
                |(budget, (start, end), offset, in_options, gap, repeat, threshold)| {
                    (
                        budget, start, end, offset, in_options, gap, repeat, threshold,
                    )
                },
            )
    })
}

/// An app asking every 10 min to 2 h for 2 to 10 days, from a random minute of the
/// first day (so the first day's pushes often come late, as in the worst case).
fn busy_call_minutes() -> impl Strategy<Value = Vec<u32>> {
    (2u32..=10, 0u32..1440, 10usize..=120)
        .prop_map(|(days, start, step)| (start..days * 1440).step_by(step).collect())
}

/// A push-gate scenario: catalog, gate options and call times. Half are busy:
/// more than 64 offers and enough pushes to fill the log within one repeat window,
/// where a forgotten push would show as a repeat.
fn gate_scenario() -> impl Strategy<Value = (Vec<OfferInput>, GateConfig, Vec<u32>)> {
    prop_oneof![
        (offers(101), gate_config(), call_minutes()),
        (offers_in(65..101), busy_gate_config(), busy_call_minutes()),
    ]
}

/// Whether local hour `hour` is inside quiet hours `start` → `end` (end exclusive,
/// wrapping midnight when start > end, none when equal), as documented.
fn in_quiet_hours(hour: u32, start: u32, end: u32) -> bool {
    if start <= end {
        (start..end).contains(&hour)
    } else {
        hour >= start || hour < end
    }
}

proptest! {
    #![proptest_config(config())]

    /// The push gate over simulated days: the caller asks at random times and records a
    /// `push` whenever the gate says yes. Each yes is outside quiet hours (user's local
    /// time), within the day's budget counting every push recorded that local day, at
    /// least `minGapMinutes` after every earlier push, and not about an offer pushed in
    /// the last `repeatAfterDays`. Catalogs have up to 100 offers, more than the 64
    /// pushes a profile remembers, and busy scenarios fill the log, so a push forgotten
    /// inside its window would show as a repeat; the options keep to the documented
    /// limit that prevents it.
    #[test]
    fn the_push_gate_keeps_budget_quiet_hours_gap_and_repeat(
        (offers, (budget, quiet_start, quiet_end, offset, in_options, gap, repeat_days, threshold), calls)
            in gate_scenario(),
        (user, events) in (user(), raw_events(30)),
    ) {
        // Local time in the user's zone, computed here from whole minutes.
        let local_minutes = |t: f64| (t / 60_000.0) as i64 + i64::from(offset);
        let local_day = |t: f64| local_minutes(t).div_euclid(1440);
        let local_hour = |t: f64| (local_minutes(t).rem_euclid(1440) / 60) as u32;
        // Pushes already in the profile keep to the budget, as if the gate had allowed
        // them: the repeat window's limit counts on at most `budget` a local day.
        let mut history_per_day = BTreeMap::<i64, u32>::new();
        let events: Vec<RawEvent> = events
            .into_iter()
            .filter(|&(kind, _, days_ago, _)| {
                KINDS[kind] != EventType::Push || {
                    let count = history_per_day.entry(local_day(NOW - days_ago * DAY)).or_default();
                    *count += 1;
                    *count <= budget
                }
            })
            .collect();
        let n = offers.len();
        let engine = engine(offers);
        let mut profile = profile_for(&engine, n, &user, &events);
        // Either the options carry the time zone, or the profile does (and the options
        // leave it out).
        let options_offset = if in_options {
            profile.set_utc_offset_minutes(f64::from((offset + 720 + 300).rem_euclid(1561) - 720)).unwrap();
            Some(offset)
        } else {
            profile.set_utc_offset_minutes(f64::from(offset)).unwrap();
            None
        };
        // Every push the gate must count: the ones already in the profile, then ours.
        let mut log: Vec<(f64, String)> = profile
            .pushes()
            .iter()
            .map(|p| (p.at, p.offer_id.clone()))
            .collect();
        let mut yeses: Vec<(f64, String)> = Vec::new();
        for &minute in &calls {
            let now = NOW + f64::from(minute) * 60_000.0;
            let decision = engine
                .should_notify(
                    &profile,
                    &NotifyOptions {
                        now: Some(now),
                        threshold: Some(threshold),
                        budget_per_day: Some(budget),
                        quiet_hours: Some(QuietHoursInput { start: quiet_start, end: quiet_end }),
                        utc_offset_minutes: options_offset,
                        min_gap_minutes: Some(gap),
                        repeat_after_days: Some(repeat_days),
                        ..Default::default()
                    },
                    NOW,
                )
                .unwrap();
            prop_assert_eq!(decision.notify, decision.offer.is_some());
            let Some(offer) = decision.offer else { continue };
            let id = offer.offer_id;
            let hour = local_hour(now);
            prop_assert!(!in_quiet_hours(hour, quiet_start, quiet_end),
                "pushed {id} at local hour {hour}, quiet {quiet_start} → {quiet_end}");
            prop_assert!(offer.score >= threshold, "{id}: {} < {threshold}", offer.score);
            let earlier: Vec<&(f64, String)> = log.iter().filter(|p| p.0 <= now).collect();
            let today = earlier.iter().filter(|p| local_day(p.0) == local_day(now)).count();
            prop_assert!(today < budget as usize, "{today} pushes today, budget {budget}");
            for (at, other) in &earlier {
                prop_assert!(now - at >= gap * 60_000.0,
                    "{id} pushed {} min after the push at {at}, gap {gap}", (now - at) / 60_000.0);
                if *other == id {
                    prop_assert!(now - at >= repeat_days * DAY,
                        "{id} pushed again after {} days, repeatAfterDays {repeat_days}", (now - at) / DAY);
                }
            }
            engine
                .record(&mut profile, &EventInput {
                    kind: EventType::Push,
                    offer_id: id.clone(),
                    at: now,
                    category: None,
                    price: None,
                    quantity: None,
                })
                .unwrap();
            log.push((now, id.clone()));
            yeses.push((now, id));
        }
        // And, counted directly: at most `budget` yeses per local day.
        let mut per_day = BTreeMap::<i64, u32>::new();
        for (at, _) in &yeses {
            *per_day.entry(local_day(*at)).or_default() += 1;
        }
        prop_assert!(per_day.values().all(|&c| c <= budget), "{per_day:?} over {budget}");
    }
}

/// A group: 1 to 6 members, each a random user with a random event history.
fn members() -> impl Strategy<Value = Vec<(UserInput, Vec<RawEvent>)>> {
    prop::collection::vec((user(), raw_events(40)), 1..=6)
}

/// Group options with the objective left to the test.
fn group_options() -> impl Strategy<Value = GroupOptions> {
    (
        prop::option::of(location()),
        1u32..=12,
        prop::option::of(prop_oneof![Just(1.0), 0.05f64..=1.0]),
        prop::option::of(any::<bool>()),
    )
        .prop_map(
            |(location, limit, serve_ratio, allow_unknown_age)| GroupOptions {
                now: Some(NOW),
                limit: Some(limit),
                location,
                serve_ratio,
                allow_unknown_age,
                ..Default::default()
            },
        )
}

/// What each member's own feed says, computed through `rank` and `filtered`, not
/// through group selection.
struct MemberView {
    /// Offer id → the member's feed score (absent when filtered for them).
    scores: BTreeMap<String, f64>,
    /// The feed, best first.
    feed: Vec<String>,
}

fn member_view(
    engine: &goods_ranker::Engine,
    profile: &Profile,
    options: &GroupOptions,
) -> MemberView {
    let rank_options = RankOptions {
        location: options.location,
        now: options.now,
        limit: Some(1000),
        allow_unknown_age: options.allow_unknown_age,
        ..Default::default()
    };
    let feed = engine.rank(profile, &rank_options, NOW).unwrap();
    let filtered: BTreeSet<String> = engine
        .filtered(profile, &rank_options, NOW)
        .unwrap()
        .into_iter()
        .map(|f| f.offer_id)
        .collect();
    for o in &feed {
        assert!(!filtered.contains(&o.offer_id));
    }
    MemberView {
        scores: feed.iter().map(|o| (o.offer_id.clone(), o.score)).collect(),
        feed: feed.into_iter().map(|o| o.offer_id).collect(),
    }
}

proptest! {
    #![proptest_config(config())]

    /// Group selection, both objectives: at most `limit` offers, no duplicates, all from
    /// the documented candidates (the union of each member's best max(2K, 20)); an offer
    /// serves exactly the members it is not filtered for and that it gives a score above
    /// 0 and at least `serveRatio` × their best (their score as their own feed has it);
    /// `meanScore` averages the members' scores with 0 where filtered; `membersServed`
    /// counts the members some pick serves; `coverage` serves at least as many members
    /// as the top K by mean and within 1 − 1/e of the most any K candidates serve; the
    /// same input gives the same selection.
    #[test]
    fn group_selection_keeps_its_promises(
        (offers, group, options) in offers(40).prop_flat_map(|o| (Just(o), members(), group_options())),
        mean_objective in any::<bool>(),
    ) {
        let n = offers.len();
        let engine = engine(offers.clone());
        let profiles: Vec<Profile> = group
            .iter()
            .map(|(user, events)| profile_for(&engine, n, user, events))
            .collect();
        let names: Vec<String> = (0..profiles.len()).map(|i| format!("成员{i}")).collect();
        let with_names: Vec<(&Profile, Option<&str>)> = profiles
            .iter()
            .zip(&names)
            .enumerate()
            .map(|(i, (p, name))| (p, (i % 2 == 0).then_some(name.as_str())))
            .collect();
        let objective = if mean_objective { GroupObjective::Mean } else { GroupObjective::Coverage };
        let options = GroupOptions { objective: Some(objective), ..options };
        let k = options.limit.unwrap() as usize;
        let ratio = options.serve_ratio.unwrap_or(0.9);
        let selection = engine.rank_for_group(&with_names, &options, NOW).unwrap();

        let views: Vec<MemberView> = profiles.iter().map(|p| member_view(&engine, p, &options)).collect();
        let m = views.len();
        let best: Vec<f64> = views.iter().map(|v| v.feed.first().map_or(0.0, |id| v.scores[id])).collect();
        let candidates: BTreeSet<&str> = views
            .iter()
            .flat_map(|v| v.feed.iter().take((2 * k).max(20)).map(String::as_str))
            .collect();
        let score = |member: usize, id: &str| views[member].scores.get(id).copied();
        let mean = |id: &str| (0..m).map(|member| score(member, id).unwrap_or(0.0)).sum::<f64>() / m as f64;
        let serves = |member: usize, id: &str| score(member, id).is_some_and(|s| s > 0.0 && s >= ratio * best[member]);

        prop_assert_eq!(selection.members as usize, m);
        prop_assert_eq!(selection.objective, objective);
        prop_assert_eq!(selection.items.len(), k.min(candidates.len()));
        let picked: Vec<&str> = selection.items.iter().map(|i| i.offer_id.as_str()).collect();
        prop_assert_eq!(picked.iter().collect::<BTreeSet<_>>().len(), picked.len(), "duplicates in {:?}", picked);
        let mut served_anyone = BTreeSet::new();
        for (r, item) in selection.items.iter().enumerate() {
            let id = item.offer_id.as_str();
            prop_assert_eq!(item.rank as usize, r + 1);
            prop_assert!(candidates.contains(id), "{} is not a candidate", id);
            prop_assert!((item.mean_score - mean(id)).abs() < 1e-12, "{}: mean {} vs {}", id, item.mean_score, mean(id));
            let served: Vec<usize> = item.served.iter().map(|s| s.member as usize).collect();
            let expected: Vec<usize> = (0..m).filter(|&member| serves(member, id)).collect();
            prop_assert_eq!(&served, &expected, "{} serves", id);
            for s in &item.served {
                let member = s.member as usize;
                // Never counted as serving a member it is filtered for.
                let own = score(member, id);
                prop_assert!(own.is_some(), "{} is filtered for member {}", id, member);
                prop_assert!((s.score - own.unwrap()).abs() < 1e-12);
                prop_assert_eq!(s.name.as_deref(), with_names[member].1);
                served_anyone.insert(member);
            }
        }
        prop_assert_eq!(selection.members_served as usize, served_anyone.len());
        // The plain top-K of the candidates by mean score, ties by offer id, and the
        // members it serves.
        let mut by_mean: Vec<(f64, &str)> = candidates.iter().map(|&id| (mean(id), id)).collect();
        by_mean.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let top: Vec<&str> = by_mean.iter().take(k).map(|x| x.1).collect();
        let served_by_top = (0..m).filter(|&member| top.iter().any(|id| serves(member, id))).count();
        match objective {
            GroupObjective::Mean => {
                prop_assert_eq!(&picked, &top);
                prop_assert_eq!(selection.members_served as usize, served_by_top);
            }
            // Greedy on members newly served first (or, when they serve more members,
            // the top K by mean, listed in greedy order): the new members per pick never
            // increase, at least min(K, members with a positive best score) are served,
            // and never fewer than the top K by mean serve.
            GroupObjective::Coverage => {
                let mut covered = BTreeSet::new();
                let mut last = usize::MAX;
                for item in &selection.items {
                    let newly = item.served.iter().filter(|s| covered.insert(s.member)).count();
                    prop_assert!(newly <= last, "{} serves {newly} new members after {last}", item.offer_id);
                    last = newly;
                }
                let servable = best.iter().filter(|&&b| b > 0.0).count();
                prop_assert!(selection.members_served as usize >= k.min(servable),
                    "{} served of {servable} servable, limit {k}", selection.members_served);
                // Never fewer members than the top-K by mean, computed here and as the
                // `mean` objective returns it for the same input.
                prop_assert!(selection.members_served as usize >= served_by_top,
                    "{} served, the top {k} by mean serve {served_by_top}", selection.members_served);
                let by_engine = engine
                    .rank_for_group(&with_names, &GroupOptions { objective: Some(GroupObjective::Mean), ..options.clone() }, NOW)
                    .unwrap();
                prop_assert!(selection.members_served >= by_engine.members_served,
                    "{} served, mean serves {}", selection.members_served, by_engine.members_served);
                // Greedy coverage is within 1 − 1/e of the most members any K candidates
                // serve (checked by brute force where there are few enough K-subsets).
                let pool: Vec<&str> = candidates.iter().copied().collect();
                let size = k.min(pool.len());
                if subsets(pool.len(), size) <= 5_000 {
                    let mut most = 0;
                    for_each_subset(pool.len(), size, |chosen| {
                        let n = (0..m).filter(|&member| chosen.iter().any(|&j| serves(member, pool[j]))).count();
                        most = most.max(n);
                    });
                    prop_assert!(selection.members_served as f64 >= (1.0 - (-1.0f64).exp()) * most as f64,
                        "{} served, {most} possible", selection.members_served);
                }
            }
        }

        let fresh = super::engine(offers);
        let reloaded: Vec<Profile> = profiles.iter().map(|p| Profile::from_bytes(&p.to_bytes()).unwrap()).collect();
        let again: Vec<(&Profile, Option<&str>)> = reloaded.iter().zip(&with_names).map(|(p, w)| (p, w.1)).collect();
        prop_assert_eq!(&selection, &engine.rank_for_group(&with_names, &options, NOW).unwrap());
        prop_assert_eq!(&selection, &fresh.rank_for_group(&again, &options, NOW).unwrap());
    }
}

/// The number of `k`-subsets of `n` things (saturating).
fn subsets(n: usize, k: usize) -> u64 {
    (0..k as u64).fold(1u64, |acc, i| acc.saturating_mul(n as u64 - i) / (i + 1))
}

/// Calls `f` with every `k`-subset of `0..n`, as sorted indices.
fn for_each_subset(n: usize, k: usize, mut f: impl FnMut(&[usize])) {
    let mut idx: Vec<usize> = (0..k).collect();
    loop {
        f(&idx);
        let Some(i) = (0..k).rev().find(|&i| idx[i] != i + n - k) else {
            return;
        };
        idx[i] += 1;
        for j in i + 1..k {
            idx[j] = idx[j - 1] + 1;
        }
    }
}

/// A million events into one profile — offers from a million ids, 5 000 categories,
/// every event type, times spread over six months and arriving slightly out of order —
/// and the saved profile stays under 51 KB throughout (sampled every 100 000 events).
#[test]
fn a_million_events_keep_the_saved_profile_bounded() {
    const EVENTS: u32 = 1_000_000;
    const SPAN: f64 = 182.0 * DAY;
    // xorshift64*: cheap random numbers, a million times.
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut p = Profile::new();
    let mut sizes = Vec::new();
    for i in 1..=EVENTS {
        let r = next();
        let jitter = ((r >> 40) % (3 * 86_400)) as f64 * 1000.0;
        p.record(&EventInput {
            kind: KINDS[(r % 6) as usize],
            offer_id: format!("o{:07}", (r >> 8) % 1_000_000),
            at: NOW - SPAN + f64::from(i) / f64::from(EVENTS) * SPAN - jitter,
            category: Some(format!("category-{}", (r >> 28) % 5_000)),
            price: Some(1.0 + ((r >> 50) % 10_000) as f64 / 100.0),
            quantity: Some(1 + (r >> 62) as u32),
        })
        .unwrap();
        if i % 100_000 == 0 {
            let size = p.to_bytes().len();
            sizes.push(size);
            assert!(size < 51 * 1024, "{size} bytes after {i} events");
        }
    }
    eprintln!("saved profile size every 100 000 events: {sizes:?}");
    assert_eq!(p.event_count(), u64::from(EVENTS));
    assert_eq!(Profile::from_bytes(&p.to_bytes()).unwrap(), p);
}
