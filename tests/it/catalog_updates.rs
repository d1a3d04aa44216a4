//! Upsert, remove and stock changes in place; failed updates change nothing.

use goods_ranker::{ErrorCode, Profile};

use super::*;

fn snapshot(e: &Engine) -> Vec<goods_ranker::RankedOffer> {
    e.rank(&Profile::new(), &at(ORIGIN.0, ORIGIN.1), NOW)
        .unwrap()
}

#[test]
fn upsert_adds_and_replaces_in_place() {
    let mut e = engine(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "蛋品", 30.0, "far"),
    ]);
    let mut star = offer("star", "水果", 10.0, "near");
    star.boost = Some(1.0);
    star.popularity = Some(5000.0);
    e.upsert_offers(vec![star]).unwrap();
    assert_eq!(e.catalog().len(), 3);
    assert_eq!(snapshot(&e)[0].offer_id, "star");
    // Replace "star" with a sold-out version: same slot, now filtered.
    let mut gone = offer("star", "水果", 10.0, "near");
    gone.stock = Some(0);
    e.upsert_offers(vec![gone]).unwrap();
    assert_eq!(e.catalog().len(), 3);
    assert!(snapshot(&e).iter().all(|o| o.offer_id != "star"));
    // Category reference prices follow replacements: 蛋品 is now 20 and 40.
    e.upsert_offers(vec![offer("b", "蛋品", 40.0, "far")])
        .unwrap();
    let c = e.catalog().category_idx("蛋品").unwrap();
    assert!((e.catalog().category_ln_price(c) - (20.0f64 * 40.0).sqrt().ln()).abs() < 1e-6);
}

#[test]
fn remove_and_stock_changes() {
    let mut e = engine(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "蛋品", 30.0, "near"),
        offer("c", "蛋品", 40.0, "near"),
    ]);
    assert_eq!(e.remove_offers(&["a".into()]).unwrap(), 1);
    assert_eq!(e.catalog().len(), 2);
    assert!(e.catalog().offer_idx("a").is_none());
    // The moved offer is still found by id with its own data.
    let c = e.catalog().offer_idx("c").unwrap();
    assert_eq!(e.catalog().offer_price(c), 40.0);
    assert_eq!(ids(&snapshot(&e)).len(), 2);
    e.set_stock("b", Some(0)).unwrap();
    assert_eq!(ids(&snapshot(&e)), ["c"]);
    e.set_stock("b", None).unwrap();
    assert_eq!(ids(&snapshot(&e)).len(), 2);
    assert_eq!(
        e.set_stock("zzz", Some(1)).unwrap_err().code,
        ErrorCode::UnknownId
    );
}

#[test]
fn embeddings_follow_swap_removal() {
    let mut input = catalog(vec![]);
    input.embedding_dim = Some(2);
    for (id, v) in [("x", [1.0, 0.0]), ("y", [0.0, 1.0]), ("z", [3.0, 4.0])] {
        let mut o = offer(id, "零食", 10.0, "near");
        o.embedding = Some(v.to_vec());
        input.offers.push(o);
    }
    let mut e = Engine::new(input, &EngineOptions::default()).unwrap();
    e.remove_offers(&["x".into()]).unwrap();
    let z = e.catalog().offer_idx("z").unwrap();
    assert_eq!(e.catalog().offer_embedding(z).unwrap(), [0.6, 0.8]);
    assert_eq!(e.catalog().embeddings().len(), 2 * 2);
}

#[test]
fn failed_updates_leave_the_catalog_intact() {
    let mut e = engine(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "蛋品", 30.0, "near"),
    ]);
    let before = snapshot(&e);
    let mut bad = offer("c", "蛋品", -3.0, "near");
    bad.title = "bad".into();
    let err = e
        .upsert_offers(vec![offer("new", "蛋品", 10.0, "near"), bad])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "offers[1].price: expected a positive number, got -3"
    );
    let err = e
        .upsert_offers(vec![
            offer("a", "蛋品", 10.0, "near"),
            offer("x", "蛋品", 10.0, "nowhere"),
        ])
        .unwrap_err();
    assert_eq!(err.path, "offers[1].storeId");
    assert_eq!(err.code, ErrorCode::UnknownId);
    let err = e
        .upsert_offers(vec![
            offer("d", "蛋品", 10.0, "near"),
            offer("d", "蛋品", 11.0, "near"),
        ])
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::DuplicateId);
    let err = e
        .remove_offers(&["a".into(), "missing".into()])
        .unwrap_err();
    assert_eq!(err.path, "ids[1]");
    let err = e.remove_offers(&["a".into(), "a".into()]).unwrap_err();
    assert_eq!(err.code, ErrorCode::DuplicateId);
    let mut bad_store = stores()[0].clone();
    bad_store.lat = 91.0;
    let err = e
        .upsert_stores(&[stores()[1].clone(), bad_store])
        .unwrap_err();
    assert_eq!(err.path, "stores[1].lat");
    assert_eq!(e.catalog().len(), 2);
    assert_eq!(snapshot(&e), before);
}
