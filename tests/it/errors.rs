//! Malformed catalog JSON: every error names the field path.

use goods_ranker::{ErrorCode, Profile};

use super::*;

fn load(json: &str) -> goods_ranker::Error {
    Engine::from_json(json, &EngineOptions::default()).expect_err("accepted bad input")
}

fn valid_json() -> serde_json::Value {
    serde_json::to_value(catalog(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "蛋品", 30.0, "far"),
    ]))
    .unwrap()
}

fn with(edit: impl FnOnce(&mut serde_json::Value)) -> goods_ranker::Error {
    let mut v = valid_json();
    edit(&mut v);
    load(&v.to_string())
}

#[test]
fn the_valid_fixture_loads() {
    let e = Engine::from_json(&valid_json().to_string(), &EngineOptions::default()).unwrap();
    assert_eq!(e.rank(&Profile::new(), &opts(), NOW).unwrap().len(), 2);
}

#[test]
fn shape_errors_name_their_path() {
    let e = with(|v| v["offers"][1]["price"] = "12".into());
    assert_eq!(e.path, "offers[1].price");
    assert!(e.message.contains("invalid type"), "{e}");
    let e = with(|v| {
        v["offers"][0]
            .as_object_mut()
            .unwrap()
            .remove("id")
            .map(|_| ())
            .unwrap()
    });
    assert_eq!(e.path, "offers[0]");
    assert!(e.message.contains("missing field `id`"), "{e}");
    let e = with(|v| v["offers"][0]["originalPrce"] = 30.into());
    assert!(e.message.contains("unknown field `originalPrce`"), "{e}");
    let e = with(|v| v["stores"] = 5.into());
    assert_eq!(e.path, "stores");
    let e = load("{\"version\": 1, \"stores\": [");
    assert_eq!(e.code, ErrorCode::InvalidInput);
}

#[test]
fn value_errors_name_their_path() {
    let e = with(|v| v["offers"][1]["price"] = (-3).into());
    assert_eq!(
        e.to_string(),
        "offers[1].price: expected a positive number, got -3"
    );
    let e = with(|v| v["stores"][0]["lat"] = 91.into());
    assert_eq!(
        e.to_string(),
        "stores[0].lat: expected a latitude in -90..=90, got 91"
    );
    let e = with(|v| v["offers"][1]["id"] = "a".into());
    assert_eq!(e.code, ErrorCode::DuplicateId);
    assert_eq!(e.path, "offers[1].id");
    let e = with(|v| v["stores"][1]["id"] = "near".into());
    assert_eq!(e.path, "stores[1].id");
    let e = with(|v| v["offers"][0]["storeId"] = "nowhere".into());
    assert_eq!(
        e.to_string(),
        "offers[0].storeId: unknown store id \"nowhere\""
    );
    let e = with(|v| {
        v["embeddingDim"] = 3.into();
        v["offers"][1]["embedding"] = serde_json::json!([1.0, 2.0]);
    });
    assert_eq!(
        e.to_string(),
        "offers[1].embedding: expected 3 numbers (embeddingDim), got 2"
    );
    let e = with(|v| v["version"] = 2.into());
    assert_eq!(
        e.to_string(),
        "version: unsupported catalog version 2 (this build reads 1)"
    );
    let e = with(|v| v["offers"][0]["originalPrice"] = 10.into());
    assert_eq!(e.path, "offers[0].originalPrice");
    let e = with(|v| v["offers"][0]["incomeBands"] = serde_json::json!([2, 7]));
    assert_eq!(e.path, "offers[0].incomeBands[1]");
    let e = with(|v| {
        v["offers"][0]["ageMin"] = 40.into();
        v["offers"][0]["ageMax"] = 20.into();
    });
    assert_eq!(e.path, "offers[0].ageMax");
    let e = with(|v| v["offers"][0]["boost"] = 2.into());
    assert_eq!(e.path, "offers[0].boost");
    let e = with(|v| v["offers"][0]["title"] = "  ".into());
    assert_eq!(e.path, "offers[0].title");
}

#[test]
fn non_finite_numbers_from_rust_callers_are_rejected() {
    // JSON cannot carry NaN; Rust (and JS) callers can.
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let mut o = offer("a", "蛋品", bad, "near");
        let e = Engine::new(catalog(vec![o.clone()]), &EngineOptions::default()).unwrap_err();
        assert_eq!(e.path, "offers[0].price");
        o.price = 10.0;
        o.popularity = Some(bad);
        let e = Engine::new(catalog(vec![o]), &EngineOptions::default()).unwrap_err();
        assert_eq!(e.path, "offers[0].popularity");
        let mut s = catalog(vec![]);
        s.stores[1].lng = bad;
        let e = Engine::new(s, &EngineOptions::default()).unwrap_err();
        assert_eq!(e.path, "stores[1].lng");
    }
    let mut input = catalog(vec![]);
    input.embedding_dim = Some(2);
    let mut o = offer("a", "蛋品", 10.0, "near");
    o.embedding = Some(vec![1.0, f32::NAN]);
    input.offers.push(o);
    let e = Engine::new(input, &EngineOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "offers[0].embedding[1]: expected a finite number, got NaN"
    );
}

#[test]
fn oversized_input_is_rejected() {
    let e = with(|v| v["offers"][0]["tags"] = serde_json::json!(vec!["x"; 40]));
    assert_eq!(e.code, ErrorCode::TooLarge);
    assert_eq!(e.path, "offers[0].tags");
    let e = with(|v| v["offers"][0]["id"] = "x".repeat(200).into());
    assert_eq!(e.code, ErrorCode::TooLarge);
    let e = with(|v| v["embeddingDim"] = 100_000.into());
    assert_eq!(e.path, "embeddingDim");
}
