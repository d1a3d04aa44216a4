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

mod index_property {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::super::properties::config;
    use super::super::{engine, offer};

    /// One step of a random update sequence over ids `o0`..`o11`.
    #[derive(Clone, Debug)]
    enum Step {
        Upsert(Vec<u8>),
        Remove(Vec<u8>),
    }

    fn step() -> impl Strategy<Value = Step> {
        let ids = proptest::collection::vec(0u8..12, 1..5);
        prop_oneof![
            ids.clone().prop_map(Step::Upsert),
            ids.prop_map(Step::Remove)
        ]
    }

    proptest! {
        #![proptest_config(config())]

        /// After any sequence of upserts and removals (each removal moves the last
        /// offer into the gap), every offer is found at its own position by its id, and
        /// exactly the ids of the model set are in the catalog.
        #[test]
        fn id_lookups_follow_upserts_and_removals(steps in proptest::collection::vec(step(), 1..30)) {
            let mut e = engine(vec![offer("o0", "蛋品", 10.0, "near"), offer("o1", "水果", 12.0, "far")]);
            let mut model: BTreeSet<u8> = [0, 1].into();
            for s in steps {
                match s {
                    Step::Upsert(ids) => {
                        let unique: BTreeSet<u8> = ids.into_iter().collect();
                        let batch = unique.iter().map(|i| offer(&format!("o{i}"), "蛋品", 5.0 + f64::from(*i), "near")).collect();
                        e.upsert_offers(batch).unwrap();
                        model.extend(unique);
                    }
                    Step::Remove(ids) => {
                        let unique: BTreeSet<u8> = ids.into_iter().collect();
                        let names: Vec<String> = unique.iter().map(|i| format!("o{i}")).collect();
                        let all_present = unique.iter().all(|i| model.contains(i));
                        prop_assert_eq!(e.remove_offers(&names).is_ok(), all_present);
                        if all_present {
                            model.retain(|i| !unique.contains(i));
                        }
                    }
                }
                let c = e.catalog();
                prop_assert_eq!(c.len(), model.len());
                for i in 0..c.len() {
                    prop_assert_eq!(c.offer_idx(c.offer_id(i)), Some(i));
                }
                for i in 0u8..12 {
                    prop_assert_eq!(c.offer_idx(&format!("o{i}")).is_some(), model.contains(&i));
                }
            }
        }
    }
}
