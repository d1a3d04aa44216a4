//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) and crash reproducers
//! (`fuzz/regressions/<target>/`) through the functions the cargo-fuzz targets call,
//! so every input the fuzzer found interesting is checked by plain `cargo test`.
//! The ignored test at the end writes the hand-made seeds (see `fuzz/README.md`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use goods_ranker::contract::input::{AreaInput, LocationInput};
use goods_ranker::fuzzing;
use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{EventInput, EventType, UserInput};

use super::*;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of a directory, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.expect("readable directory").path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

/// Runs every corpus and regression file of `target` through `run`; the corpus
/// must not be empty. Reports every failing file, not just the first.
fn replay(target: &str, run: fn(&[u8])) {
    let corpus = files(&fuzz_dir().join("corpus").join(target));
    assert!(!corpus.is_empty(), "fuzz/corpus/{target}/ is empty");
    let regressions = files(&fuzz_dir().join("regressions").join(target));
    let mut failed = Vec::new();
    for path in corpus.iter().chain(&regressions) {
        let bytes = std::fs::read(path).expect("readable corpus file");
        if catch_unwind(AssertUnwindSafe(|| run(&bytes))).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: {} of {} inputs panicked: {failed:#?}",
        failed.len(),
        corpus.len() + regressions.len()
    );
}

#[test]
fn catalog_json_corpus() {
    replay("catalog_json", fuzzing::catalog_json);
}

#[test]
fn binary_catalog_corpus() {
    replay("binary_catalog", fuzzing::binary_catalog);
}

#[test]
fn saved_profile_corpus() {
    replay("saved_profile", fuzzing::saved_profile);
}

#[test]
fn options_corpus() {
    replay("options", fuzzing::options);
}

#[test]
fn events_corpus() {
    replay("events", fuzzing::events);
}

// ---------------------------------------------------------------------------------
// Seed corpus
// ---------------------------------------------------------------------------------

/// Small valid catalogs covering every optional field, by name.
fn seed_catalogs() -> Vec<(&'static str, CatalogInput)> {
    let sample = |offers, embedding_dim| {
        sample_catalog(&SampleOptions {
            offers,
            embedding_dim,
            seed: 7,
        })
    };
    let mut enriched = sample(8, 0);
    enriched.areas = Some(vec![
        AreaInput {
            id: "a1".into(),
            lat: 39.99,
            lng: 116.47,
            datum: None,
            radius_km: Some(2.0),
        },
        AreaInput {
            id: "a2".into(),
            lat: 40.01,
            lng: 116.49,
            datum: Some(Datum::Wgs84),
            radius_km: None,
        },
    ]);
    for (i, o) in enriched.offers.iter_mut().enumerate() {
        let x = i as f32;
        o.age_lift = Some(
            (0..10)
                .map(|b| 0.5 + 0.1 * ((b as f32 + x) % 7.0))
                .collect(),
        );
        o.income_lift = Some((0..5).map(|b| 0.8 + 0.1 * b as f32).collect());
        o.area_popularity = Some(vec![f64::from(x) * 3.0, 12.0 - f64::from(x)]);
        o.repurchase_rate = Some(0.05 + 0.1 * f64::from(x));
    }
    let mut fields = catalog(vec![
        OfferInput {
            category_path: Some(vec!["肉禽蛋".into(), "蛋品".into()]),
            tags: Some(vec!["有机".into(), "散养".into()]),
            original_price: Some(32.0),
            stock: Some(12),
            popularity: Some(340.0),
            starts_at: Some(NOW - DAY),
            ends_at: Some(NOW + 2.0 * DAY),
            age_min: Some(25),
            age_max: Some(60),
            income_bands: Some(vec![2, 3, 4]),
            repurchase_days: Some(7.0),
            boost: Some(0.3),
            ..offer("eggs", "蛋品", 25.9, "near")
        },
        OfferInput {
            min_age: Some(18),
            stock: Some(0),
            ..offer("beer", "啤酒", 59.0, "far")
        },
        OfferInput {
            starts_at: Some(NOW + DAY),
            ..offer("later", "水果", 19.9, "near")
        },
        OfferInput {
            ends_at: Some(NOW - DAY),
            ..offer("ended", "水果", 9.9, "far")
        },
    ]);
    fields.stores[1].datum = Some(Datum::Gcj02);
    let mut embedded = catalog(vec![
        OfferInput {
            embedding: Some(vec![1.0, 0.0, 0.5]),
            ..offer("e1", "蛋品", 12.0, "near")
        },
        OfferInput {
            embedding: Some(vec![0.0, 1.0, -0.5]),
            ..offer("e2", "牛奶", 6.5, "far")
        },
        offer("e3", "牛奶", 7.5, "far"),
    ]);
    embedded.embedding_dim = Some(3);
    let mut no_offers = catalog(Vec::new());
    no_offers.datum = Datum::Gcj02;
    vec![
        ("anchors", sample(6, 0)),
        ("sample-12-dim4", sample(12, 4)),
        ("sample-24", sample(24, 0)),
        ("enriched", enriched),
        ("all-offer-fields", fields),
        ("embeddings", embedded),
        ("no-offers", no_offers),
        (
            "empty",
            CatalogInput {
                version: 1,
                datum: Datum::Wgs84,
                embedding_dim: None,
                stores: Vec::new(),
                offers: Vec::new(),
                areas: None,
            },
        ),
    ]
}

fn ev(kind: EventType, offer_id: &str, days_ago: f64) -> EventInput {
    EventInput {
        kind,
        offer_id: offer_id.into(),
        at: NOW - days_ago * DAY,
        category: None,
        price: None,
        quantity: None,
    }
}

/// Event lists for the fixture's catalog (offers o00001..o00060), by name.
fn seed_events() -> Vec<(&'static str, Vec<EventInput>)> {
    use EventType::*;
    vec![
        ("none", Vec::new()),
        (
            "funnel",
            vec![
                ev(Impression, "o00001", 0.3),
                ev(Click, "o00001", 0.29),
                EventInput {
                    quantity: Some(2),
                    ..ev(Cart, "o00001", 0.28)
                },
                EventInput {
                    quantity: Some(2),
                    ..ev(Purchase, "o00001", 0.27)
                },
            ],
        ),
        (
            "dismiss-and-push",
            vec![
                ev(Push, "o00003", 0.5),
                ev(Push, "o00004", 0.1),
                ev(Dismiss, "o00005", 0.2),
                ev(Dismiss, "o00006", 3.0),
            ],
        ),
        (
            "with-category-and-price",
            vec![EventInput {
                category: Some("蛋品".into()),
                price: Some(25.9),
                quantity: Some(1),
                ..ev(Purchase, "o00010", 1.0)
            }],
        ),
        (
            "repurchase-cycle",
            (0..6)
                .map(|k| ev(Purchase, "o00002", 30.0 - 6.0 * f64::from(k)))
                .collect(),
        ),
        (
            "ignored-impressions",
            (0..8)
                .map(|k| ev(Impression, "o00012", 0.01 * f64::from(k)))
                .collect(),
        ),
        (
            "unknown-offer",
            vec![ev(Click, "nope", 0.0), ev(Click, "o00020", 0.0)],
        ),
        (
            "many-offers",
            (1..=40)
                .map(|k| ev(Click, &format!("o{k:05}"), f64::from(k) / 10.0))
                .collect(),
        ),
    ]
}

/// Option objects: the selector character ('0' rank, '1' notify, '2' group) then
/// the JSON, by name.
fn seed_options(at: LocationInput) -> Vec<(&'static str, String)> {
    let loc = serde_json::to_string(&at).unwrap();
    let rank = [
        ("rank-default", "{}".to_string()),
        ("rank-limit", format!(r#"{{"limit":5,"now":{NOW}}}"#)),
        (
            "rank-location",
            format!(r#"{{"location":{loc},"limit":50,"locale":"en"}}"#),
        ),
        (
            "rank-location-gcj02",
            r#"{"location":{"lat":39.9926,"lng":116.4815,"datum":"gcj02"}}"#.to_string(),
        ),
        (
            "rank-lists",
            r#"{"exclude":["o00001"],"hide":["o00002","nope"],"pin":["o00003","o00004","o00003"]}"#
                .to_string(),
        ),
        (
            "rank-diversity",
            r#"{"diversity":{"maxPerCategory":1,"maxPerStore":2,"mmrLambda":0.7,"similarity":"embedding"}}"#
                .to_string(),
        ),
        (
            "rank-diversity-category",
            r#"{"diversity":{"mmrLambda":0.3,"similarity":"category"},"limit":12}"#.to_string(),
        ),
        (
            "rank-explore",
            r#"{"explore":{"seed":42,"slots":2},"limit":10}"#.to_string(),
        ),
        (
            "rank-fatigue",
            r#"{"fatigue":{"enabled":true,"freeImpressions":0,"decay":0.5,"recoveryHours":24,"maxPerOfferPerDay":1,"maxPerCategoryPerDay":2,"dismissDamping":0.5}}"#
                .to_string(),
        ),
        (
            "rank-experiment",
            r#"{"experiment":{"name":"exp1","variants":[{"name":"a","split":1},{"name":"b","split":2,"weights":{"proximity":3},"diversity":{"maxPerCategory":2},"explore":{"seed":7},"fatigue":{"enabled":false}}]},"userId":"user-1"}"#
                .to_string(),
        ),
        (
            "rank-weights",
            r#"{"weights":{"proximity":0,"ageFit":2,"priceFit":1,"itemAffinity":3,"categoryAffinity":1,"embedding":0.5,"repurchase":2,"popularity":0.1,"freshness":1,"discount":1,"boost":4},"proximity":{"function":"linear","offsetKm":0.1,"scaleKm":2,"decay":0.3},"allowUnknownAge":true}"#
                .to_string(),
        ),
        (
            "rank-proximity-exp",
            r#"{"proximity":{"function":"exp","offsetKm":0,"scaleKm":0.5,"decay":0.9}}"#
                .to_string(),
        ),
    ];
    let notify = [
        ("notify-default", "{}".to_string()),
        (
            "notify-all",
            format!(
                r#"{{"now":{NOW},"location":{loc},"threshold":0.2,"budgetPerDay":5,"quietHours":{{"start":23,"end":7}},"utcOffsetMinutes":480,"minGapMinutes":30,"repeatAfterDays":1,"locale":"en"}}"#
            ),
        ),
        (
            "notify-quiet-all-day",
            r#"{"quietHours":{"start":0,"end":23},"threshold":0,"budgetPerDay":0}"#.to_string(),
        ),
        (
            "notify-weights",
            r#"{"weights":{"repurchase":5,"discount":2},"threshold":0.9,"utcOffsetMinutes":-300}"#
                .to_string(),
        ),
    ];
    let group = [
        ("group-default", "{}".to_string()),
        (
            "group-mean",
            r#"{"limit":3,"objective":"mean"}"#.to_string(),
        ),
        (
            "group-all",
            format!(
                r#"{{"now":{NOW},"limit":8,"location":{loc},"locale":"en","weights":{{"priceFit":2}},"serveRatio":0.5,"objective":"coverage","allowUnknownAge":true}}"#
            ),
        ),
    ];
    let tagged = |tag: char, list: &[(&'static str, String)]| {
        list.iter()
            .map(|(name, json)| (*name, format!("{tag}{json}")))
            .collect::<Vec<_>>()
    };
    let mut out = tagged('0', &rank);
    out.extend(tagged('1', &notify));
    out.extend(tagged('2', &group));
    out
}

fn write_seed(target: &str, name: &str, bytes: &[u8]) {
    let dir = fuzz_dir().join("corpus").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("seed-{name}")), bytes).unwrap();
}

/// Writes the hand-made seeds to `fuzz/corpus/<target>/seed-*` (deterministic;
/// files the fuzzer added are left alone).
#[test]
#[ignore = "writes fuzz/corpus: cargo test --test it write_seed_corpus -- --ignored"]
fn write_seed_corpus() {
    for (name, input) in seed_catalogs() {
        // Compact JSON keeps inputs short; one catalog is pretty-printed for whitespace.
        let json = if name == "embeddings" {
            serde_json::to_string_pretty(&input).unwrap()
        } else {
            serde_json::to_string(&input).unwrap()
        };
        let engine = Engine::from_json(&json, &EngineOptions::default())
            .unwrap_or_else(|e| panic!("seed catalog {name}: {e}"));
        write_seed("catalog_json", name, json.as_bytes());
        write_seed("binary_catalog", name, &engine.to_binary());
    }

    let fx = fuzzing::fixture();
    let input = sample_catalog(&SampleOptions {
        offers: 60,
        embedding_dim: 8,
        seed: 7,
    });
    for (user, profile) in sample_users(&input, fuzzing::NOW).iter().zip(&fx.users) {
        assert_eq!(&Profile::from_bytes(&profile.to_bytes()).unwrap(), profile);
        write_seed("saved_profile", &user.id, &profile.to_bytes());
    }
    write_seed("saved_profile", "fresh", &Profile::new().to_bytes());
    let mut busy = Profile::from_user(&UserInput {
        age: Some(71),
        monthly_income: Some(4200.0),
        location: Some(LocationInput {
            lat: 39.99,
            lng: 116.47,
            datum: Some(Datum::Gcj02),
        }),
        ..Default::default()
    })
    .unwrap();
    busy.set_utc_offset_minutes(-300.0).unwrap();
    for (name, list) in seed_events() {
        for e in &list {
            let recorded = fx.engine.record(&mut busy, e);
            assert!(
                recorded.is_ok() || e.offer_id == "nope",
                "event seed {name}: {recorded:?}"
            );
        }
    }
    write_seed("saved_profile", "busy", &busy.to_bytes());
    write_seed("saved_profile", "busy-base64", busy.to_base64().as_bytes());
    let first = &sample_users(&input, fuzzing::NOW)[0].id;
    write_seed(
        "saved_profile",
        &format!("{first}-base64"),
        fx.users[0].to_base64().as_bytes(),
    );

    let store = fx.engine.catalog().stores()[0].position;
    let at = LocationInput {
        lat: store.lat + 0.003,
        lng: store.lng - 0.002,
        datum: None,
    };
    for (name, text) in seed_options(at) {
        // Every seed is accepted: the fuzzer starts from inputs that reach the engine.
        let json = &text[1..];
        let accepted = match &text[..1] {
            "0" => goods_ranker::contract::input::from_json::<RankOptions>(json, "options")
                .and_then(|o| fx.engine.rank(&fx.users[0], &o, NOW))
                .map(drop),
            "1" => goods_ranker::contract::input::from_json::<
                goods_ranker::contract::input::NotifyOptions,
            >(json, "options")
            .and_then(|o| fx.engine.should_notify(&fx.users[0], &o, NOW))
            .map(drop),
            _ => goods_ranker::contract::input::from_json::<
                goods_ranker::contract::input::GroupOptions,
            >(json, "options")
            .and_then(|o| {
                fx.engine
                    .rank_for_group(&[(&fx.fresh, None), (&fx.users[0], None)], &o, NOW)
            })
            .map(drop),
        };
        accepted.unwrap_or_else(|e| panic!("options seed {name}: {e}"));
        write_seed("options", name, text.as_bytes());
    }

    for (name, list) in seed_events() {
        let json = serde_json::to_string(&list).unwrap();
        write_seed("events", name, json.as_bytes());
    }
}
