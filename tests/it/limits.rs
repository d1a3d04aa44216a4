//! The documented input limits: each is listed in README's "Limits" table with the
//! value the code enforces, and one past it gets a clear error at its path instead of
//! being processed.

use goods_ranker::catalog::limits;
use goods_ranker::contract::input::{AreaInput, ExperimentInput, GroupOptions, VariantInput};
use goods_ranker::profile::{MAX_HISTORY, MAX_QUANTITY};
use goods_ranker::rank::params::{MAX_ID_LIST, MAX_LIMIT};
use goods_ranker::serve::experiment::{MAX_NAME_BYTES, MAX_VARIANTS};
use goods_ranker::serve::group::MAX_MEMBERS;
use goods_ranker::{ErrorCode, PurchaseInput, UserInput};

use super::*;

/// `1000000` → `1 000 000`, as the README writes numbers.
fn spaced(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_readme_lists_every_limit_the_code_enforces() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme.find("### Limits").expect("a Limits section");
    let section = &readme[start..];
    let section = &section[..section[4..].find("\n#").map_or(section.len(), |i| i + 4)];
    let rows = [
        ("offers per catalog", limits::MAX_OFFERS),
        ("stores per catalog", limits::MAX_STORES),
        ("areas per catalog", limits::MAX_AREAS),
        ("embedding dimension", limits::MAX_EMBEDDING_DIM),
        ("id length", limits::MAX_ID_LEN),
        ("text length", limits::MAX_TEXT_LEN),
        ("tags / category path", limits::MAX_TAGS),
        ("purchase history", MAX_HISTORY),
        ("quantity per event", MAX_QUANTITY as usize),
        ("ids in exclude / pin / hide", MAX_ID_LIST),
        ("limit", MAX_LIMIT),
        ("group members", MAX_MEMBERS),
        ("experiment variants", MAX_VARIANTS),
        ("experiment / variant name", MAX_NAME_BYTES),
    ];
    for (name, value) in rows {
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")))
            .unwrap_or_else(|| panic!("no README row for {name}"));
        assert!(
            row.contains(&format!("| {} |", spaced(value))),
            "README row for {name} does not say {}: {row}",
            spaced(value)
        );
    }
}

fn refused(result: Result<impl std::fmt::Debug, goods_ranker::Error>, code: ErrorCode, path: &str) {
    let err = result.expect_err("accepted input past its limit");
    assert_eq!((err.code, err.path.as_str()), (code, path), "{err}");
}

fn too_large(result: Result<impl std::fmt::Debug, goods_ranker::Error>, path: &str) {
    refused(result, ErrorCode::TooLarge, path);
}

fn invalid(result: Result<impl std::fmt::Debug, goods_ranker::Error>, path: &str) {
    refused(result, ErrorCode::InvalidInput, path);
}

fn load(input: CatalogInput) -> Result<usize, goods_ranker::Error> {
    Engine::new(input, &EngineOptions::default()).map(|e| e.catalog().len())
}

#[test]
fn catalogs_past_their_limits_are_refused() {
    let mut input = catalog(vec![offer("a", "蛋品", 10.0, "near")]);
    let store = input.stores[0].clone();
    input.stores = (0..=limits::MAX_STORES)
        .map(|i| StoreInput {
            id: format!("s{i}"),
            ..store.clone()
        })
        .collect();
    too_large(load(input), "stores");

    let mut input = catalog(vec![offer("a", "蛋品", 10.0, "near")]);
    input.areas = Some(
        (0..=limits::MAX_AREAS)
            .map(|i| AreaInput {
                id: format!("a{i}"),
                lat: ORIGIN.0,
                lng: ORIGIN.1,
                datum: None,
                radius_km: None,
            })
            .collect(),
    );
    too_large(load(input), "areas");

    let mut input = catalog(vec![offer("a", "蛋品", 10.0, "near")]);
    input.embedding_dim = Some(limits::MAX_EMBEDDING_DIM as u32 + 1);
    invalid(load(input), "embeddingDim");

    let edit = |change: fn(&mut OfferInput)| {
        let mut o = offer("a", "蛋品", 10.0, "near");
        change(&mut o);
        load(catalog(vec![o]))
    };
    too_large(
        edit(|o| o.id = "x".repeat(limits::MAX_ID_LEN + 1)),
        "offers[0].id",
    );
    too_large(
        edit(|o| o.title = "x".repeat(limits::MAX_TEXT_LEN + 1)),
        "offers[0].title",
    );
    too_large(
        edit(|o| o.tags = Some(vec!["t".into(); limits::MAX_TAGS + 1])),
        "offers[0].tags",
    );
    // At the limits themselves everything loads.
    assert!(edit(|o| o.id = "x".repeat(limits::MAX_ID_LEN)).is_ok());
    assert!(edit(|o| o.tags = Some(vec!["t".into(); limits::MAX_TAGS])).is_ok());
}

#[test]
fn a_binary_catalog_claiming_too_many_offers_is_refused_before_allocating() {
    let engine = engine(vec![offer("a", "蛋品", 10.0, "near")]);
    let mut bytes = engine.to_binary();
    // Header: magic (4), version (2), datum (1), reserved (1), then the store,
    // category, offer and dimension counts (u32 LE each).
    let at = 4 + 2 + 2 + 8;
    bytes[at..at + 4].copy_from_slice(&(limits::MAX_OFFERS as u32 + 1).to_le_bytes());
    let n = bytes.len() - 4;
    let crc = crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    let err = Engine::from_binary(&bytes, &EngineOptions::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::CorruptState);
    assert!(err.message.contains("too many offers"), "{err}");
}

#[test]
fn users_options_groups_and_experiments_past_their_limits_are_refused() {
    let purchase = PurchaseInput {
        offer_id: "a".into(),
        category: None,
        price: None,
        quantity: None,
        at: NOW,
    };
    let user = UserInput {
        history: Some(vec![purchase; MAX_HISTORY + 1]),
        ..Default::default()
    };
    too_large(Profile::from_user(&user), "user.history");

    let engine = engine(vec![offer("a", "蛋品", 10.0, "near")]);
    let profile = Profile::new();
    let rank = |options: RankOptions| engine.rank(&profile, &options, NOW);
    too_large(
        rank(RankOptions {
            exclude: Some(vec!["a".into(); MAX_ID_LIST + 1]),
            ..opts()
        }),
        "options.exclude",
    );
    invalid(
        rank(RankOptions {
            limit: Some(MAX_LIMIT as u32 + 1),
            ..opts()
        }),
        "options.limit",
    );
    let variant = VariantInput {
        name: "v".into(),
        split: 1.0,
        ..Default::default()
    };
    let experiment = |variants: Vec<VariantInput>, name: String| RankOptions {
        experiment: Some(ExperimentInput { name, variants }),
        user_id: Some("u".into()),
        ..opts()
    };
    let many: Vec<VariantInput> = (0..=MAX_VARIANTS)
        .map(|i| VariantInput {
            name: format!("v{i}"),
            split: 1.0 / (MAX_VARIANTS + 1) as f64,
            ..variant.clone()
        })
        .collect();
    invalid(
        rank(experiment(many, "e".into())),
        "options.experiment.variants",
    );
    invalid(
        rank(experiment(vec![variant], "e".repeat(MAX_NAME_BYTES + 1))),
        "options.experiment.name",
    );

    let members: Vec<goods_ranker::serve::group::Member<'_>> =
        (0..=MAX_MEMBERS).map(|_| (&profile, None)).collect();
    too_large(
        engine.rank_for_group(&members, &GroupOptions::default(), NOW),
        "group",
    );
}

#[test]
fn a_profile_at_every_cap_with_the_longest_names_stays_under_its_documented_bound() {
    use goods_ranker::{EventInput, EventType};
    // 128-byte offer ids and 512-byte category names: the longest the catalog accepts.
    let id = |i: usize| format!("{i:0>128}");
    let category = |i: usize| format!("{i:0>512}");
    let mut p = Profile::new();
    let mut t = NOW;
    let mut record = |kind: EventType, offer: String, cat: String| {
        t += 60_000.0;
        p.record(&EventInput {
            kind,
            offer_id: offer,
            at: t,
            category: Some(cat),
            price: Some(12.5),
            quantity: Some(2),
        })
        .unwrap();
    };
    for i in 0..700 {
        record(EventType::Purchase, id(i), category(i % 200));
        record(EventType::Impression, id(i), category(i % 200));
    }
    for i in 700..1_000 {
        record(EventType::Dismiss, id(i), category(i % 200));
    }
    for i in 1_000..1_100 {
        record(EventType::Push, id(i), category(i % 200));
    }
    let size = p.to_bytes().len();
    // 512 items × 206 B + 128 categories × 606 B + 256 dismissals × 138 B + 64 pushes
    // × 138 B + header: 228 KB at most (README, "Saved profiles").
    assert!(size <= 228 * 1024, "{size} bytes");
    assert!(size > 150 * 1024, "the caps were not reached: {size} bytes");
    assert_eq!(Profile::from_bytes(&p.to_bytes()).unwrap(), p);
}
