use std::collections::{HashMap, HashSet};

use super::generator::*;
use super::tables::*;
use super::*;
use crate::contract::input::{OfferInput, StoreKind};

fn distance_km(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let k = std::f64::consts::PI / 180.0;
    let x = (lng2 - lng1) * k * ((lat1 + lat2) / 2.0 * k).cos();
    let y = (lat2 - lat1) * k;
    (x * x + y * y).sqrt() * 6371.0
}

fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let dot: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| f64::from(*x) * f64::from(*y))
        .sum();
    let na: f64 = a.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
    dot / (na * nb)
}

fn offer<'a>(catalog: &'a CatalogInput, id: &str) -> &'a OfferInput {
    catalog
        .offers
        .iter()
        .find(|o| o.id == id)
        .unwrap_or_else(|| panic!("offer {id} missing"))
}

fn check_catalog(catalog: &CatalogInput, dim: usize) {
    assert_eq!(catalog.version, 1);
    assert_eq!(catalog.datum, Datum::Gcj02);

    let store_ids: HashSet<&str> = catalog.stores.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(store_ids.len(), catalog.stores.len(), "duplicate store ids");
    for store in &catalog.stores {
        assert!(
            store.lat.is_finite() && (39.8..40.1).contains(&store.lat),
            "{store:?}"
        );
        assert!(
            store.lng.is_finite() && (116.3..116.7).contains(&store.lng),
            "{store:?}"
        );
        let radius = store.delivery_radius_km.unwrap_or(0.0);
        assert!(radius > 0.0 && radius <= 8.0, "{store:?}");
        assert!(store.kind.is_some());
    }

    let offer_ids: HashSet<&str> = catalog.offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(offer_ids.len(), catalog.offers.len(), "duplicate offer ids");
    for offer in &catalog.offers {
        assert!(store_ids.contains(offer.store_id.as_str()), "{}", offer.id);
        assert!(offer.price.is_finite() && offer.price > 0.0, "{}", offer.id);
        if let Some(original) = offer.original_price {
            assert!(
                original.is_finite() && original > offer.price,
                "{}",
                offer.id
            );
        }
        let popularity = offer.popularity.unwrap_or(-1.0);
        assert!(popularity.is_finite() && popularity >= 0.0, "{}", offer.id);
        if let Some(boost) = offer.boost {
            assert!((0.0..=1.0).contains(&boost), "{}", offer.id);
        }
        if let (Some(lo), Some(hi)) = (offer.age_min, offer.age_max) {
            assert!(lo <= hi, "{}", offer.id);
        }
        assert_eq!(
            offer.starts_at.is_some(),
            offer.ends_at.is_some(),
            "{}",
            offer.id
        );
        if let (Some(start), Some(end)) = (offer.starts_at, offer.ends_at) {
            assert!(start < end, "{}", offer.id);
            assert!(
                (start - SAMPLE_EPOCH_MS).abs() <= 15.0 * DAY_MS,
                "{}",
                offer.id
            );
        }
        for band in offer.income_bands.iter().flatten() {
            assert!((1..=5).contains(band), "{}", offer.id);
        }
        if let Some(days) = offer.repurchase_days {
            assert!(days > 0.0, "{}", offer.id);
        }
        let path = offer.category_path.as_deref().unwrap_or_default();
        assert_eq!(path.len(), 2, "{}", offer.id);
        assert_eq!(path[1], offer.category, "{}", offer.id);
        if offer.category == "酒类" {
            assert_eq!(
                offer.min_age,
                Some(18),
                "alcohol without minAge: {}",
                offer.id
            );
        } else {
            assert_eq!(offer.min_age, None, "{}", offer.id);
        }
        match &offer.embedding {
            Some(e) => {
                assert_eq!(e.len(), dim, "{}", offer.id);
                assert!(e.iter().all(|x| x.is_finite()), "{}", offer.id);
            }
            None => assert_eq!(dim, 0, "{}", offer.id),
        }
    }
    let expected_dim = u32::try_from(dim).ok().filter(|&d| d > 0);
    assert_eq!(catalog.embedding_dim, expected_dim);
}

#[test]
fn default_catalog_is_valid_and_sized() {
    let options = SampleOptions::default();
    assert_eq!(
        options,
        SampleOptions {
            offers: 400,
            embedding_dim: 16,
            seed: 7
        }
    );
    let catalog = sample_catalog(&options);
    assert_eq!(catalog.offers.len(), 400);
    assert_eq!(catalog.stores.len(), CORE_STORE_COUNT);
    check_catalog(&catalog, 16);
    assert_eq!(catalog.offers[0].id, "o00001");
    assert_eq!(catalog.offers[399].id, "o00400");
    assert_eq!(catalog.stores[0].id, "s001");
}

#[test]
fn same_options_same_catalog_and_seed_matters() {
    let options = SampleOptions::default();
    assert_eq!(sample_catalog(&options), sample_catalog(&options));
    let other = sample_catalog(&SampleOptions { seed: 8, ..options });
    assert_ne!(sample_catalog(&options), other);
    // The seed changes more than embeddings.
    let unembedded = SampleOptions {
        embedding_dim: 0,
        ..options
    };
    assert_ne!(
        sample_catalog(&unembedded),
        sample_catalog(&SampleOptions {
            seed: 8,
            ..unembedded
        })
    );
}

#[test]
fn offers_do_not_depend_on_catalog_size_within_the_table() {
    let small = sample_catalog(&SampleOptions {
        offers: 50,
        ..SampleOptions::default()
    });
    let large = sample_catalog(&SampleOptions {
        offers: 5000,
        ..SampleOptions::default()
    });
    assert_eq!(small.offers[..], large.offers[..50]);
    assert_eq!(small.stores[..], large.stores[..CORE_STORE_COUNT]);
}

#[test]
fn tiny_and_unembedded_catalogs() {
    let tiny = sample_catalog(&SampleOptions {
        offers: 0,
        embedding_dim: 0,
        seed: 1,
    });
    assert_eq!(tiny.offers.len(), ANCHOR_OFFER_IDS.len());
    check_catalog(&tiny, 0);
    let ids: Vec<&str> = tiny.offers.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ANCHOR_OFFER_IDS);

    let clamped = sample_catalog(&SampleOptions {
        offers: 10,
        embedding_dim: usize::MAX,
        seed: 1,
    });
    check_catalog(&clamped, MAX_SAMPLE_EMBEDDING_DIM);
}

#[test]
fn core_stores_are_in_wangjing() {
    let catalog = sample_catalog(&SampleOptions::default());
    let mut kinds = HashMap::new();
    for store in &catalog.stores {
        let d = distance_km(WANGJING_SOHO_LAT, WANGJING_SOHO_LNG, store.lat, store.lng);
        assert!(d <= 2.5, "{} is {d:.2} km from 望京SOHO", store.name);
        *kinds.entry(format!("{:?}", store.kind)).or_insert(0) += 1;
    }
    assert_eq!(kinds.get("Some(PickupPoint)"), Some(&8));
    assert_eq!(kinds.get("Some(Store)"), Some(&3));
    assert_eq!(kinds.get("Some(Warehouse)"), Some(&1));
    let huajiadi = catalog
        .stores
        .iter()
        .find(|s| s.id == HUAJIADI_PICKUP_ID)
        .expect("花家地北里 pickup point");
    assert!(huajiadi.name.contains("花家地北里"));
    assert_eq!(huajiadi.kind, Some(StoreKind::PickupPoint));
    assert_eq!(
        (huajiadi.lat, huajiadi.lng),
        (HUAJIADI_PICKUP_LAT, HUAJIADI_PICKUP_LNG)
    );
    let soho = catalog
        .stores
        .iter()
        .find(|s| s.id == SOHO_PICKUP_ID)
        .expect("SOHO");
    assert!(soho.name.contains("望京SOHO"));
}

#[test]
fn categories_cover_the_required_tops() {
    let catalog = sample_catalog(&SampleOptions::default());
    let tops: HashSet<&str> = catalog
        .offers
        .iter()
        .filter_map(|o| o.category_path.as_ref().map(|p| p[0].as_str()))
        .collect();
    for top in [
        "生鲜",
        "水果",
        "蔬菜",
        "肉禽蛋",
        "乳品烘焙",
        "粮油调味",
        "酒水饮料",
        "休闲零食",
        "日用百货",
        "母婴",
        "个护",
    ] {
        assert!(tops.contains(top), "missing top category {top}");
    }
    let leaves: HashSet<&str> = catalog.offers.iter().map(|o| o.category.as_str()).collect();
    for leaf in ["蛋品", "酒类", "饮料"] {
        assert!(leaves.contains(leaf), "missing leaf {leaf}");
    }
    let titles: HashSet<&str> = PRODUCTS.iter().map(|p| p.title).collect();
    assert_eq!(
        titles.len(),
        PRODUCTS.len(),
        "duplicate titles in the table"
    );
    assert!(PRODUCTS.len() >= 100);
    // Realistic variety: discounts, sold-out offers, sale windows, targeting.
    let count = |f: &dyn Fn(&OfferInput) -> bool| catalog.offers.iter().filter(|o| f(o)).count();
    assert!(count(&|o| o.original_price.is_some()) > 100);
    assert!(count(&|o| o.stock == Some(0)) > 5);
    assert!(count(&|o| o.starts_at.is_some()) > 5);
    assert!(count(&|o| o.boost.is_some()) > 2);
    assert!(count(&|o| o.income_bands.as_deref() == Some(&[4, 5][..])) > 3);
    assert!(count(&|o| o.income_bands.as_deref() == Some(&[1, 2][..])) > 3);
    assert!(count(&|o| o.title.starts_with("【限时秒杀】")) > 3);
}

#[test]
fn embeddings_cluster_by_category() {
    let catalog = sample_catalog(&SampleOptions {
        offers: 2000,
        embedding_dim: 32,
        seed: 3,
    });
    check_catalog(&catalog, 32);
    let (mut same, mut same_n, mut other, mut other_n) = (0.0, 0, 0.0, 0);
    for (i, a) in catalog.offers.iter().enumerate().step_by(7) {
        for b in catalog.offers[i + 1..].iter().step_by(13) {
            let (Some(ea), Some(eb)) = (&a.embedding, &b.embedding) else {
                panic!("missing embedding");
            };
            let c = cosine(ea, eb);
            if a.category == b.category {
                same += c;
                same_n += 1;
            } else {
                other += c;
                other_n += 1;
            }
        }
    }
    let (same, other) = (same / f64::from(same_n), other / f64::from(other_n));
    assert!(same > 0.6, "same-category cosine {same}");
    assert!(other < 0.3, "cross-category cosine {other}");
}

#[test]
fn large_catalog_has_the_right_counts() {
    let start = std::time::Instant::now();
    let catalog = sample_catalog(&SampleOptions {
        offers: 100_000,
        embedding_dim: 32,
        seed: 42,
    });
    let elapsed = start.elapsed();
    assert_eq!(catalog.offers.len(), 100_000);
    assert_eq!(catalog.stores.len(), MAX_SAMPLE_STORES);
    assert_eq!(catalog.offers[99_999].id, "o100000");
    check_catalog(&catalog, 32);
    let used: HashSet<&str> = catalog.offers.iter().map(|o| o.store_id.as_str()).collect();
    assert!(
        used.len() > MAX_SAMPLE_STORES * 9 / 10,
        "offers spread over stores"
    );
    let names: HashSet<&str> = catalog.stores.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), catalog.stores.len(), "store names are unique");
    eprintln!("100k x 32 generated in {elapsed:?}");
}

#[test]
fn anchors_have_their_documented_properties() {
    for seed in [0, 7, 12345] {
        let catalog = sample_catalog(&SampleOptions {
            seed,
            ..SampleOptions::default()
        });
        for (i, id) in ANCHOR_OFFER_IDS.iter().enumerate() {
            assert_eq!(catalog.offers[i].id, *id);
            let o = &catalog.offers[i];
            assert!(o.stock.unwrap_or(0) > 0, "{id} in stock");
            assert!(
                o.starts_at.is_none() && o.ends_at.is_none(),
                "{id} always on sale"
            );
            assert!(!o.title.starts_with('【'), "{id} plain title");
        }
        let eggs = offer(&catalog, EGGS_OFFER_ID);
        assert_eq!(eggs.title, "土鸡蛋 30枚装");
        assert_eq!(eggs.category, "蛋品");
        assert_eq!(
            eggs.category_path,
            Some(vec!["肉禽蛋".into(), "蛋品".into()])
        );
        assert_eq!(eggs.repurchase_days, Some(7.0));
        assert_eq!(eggs.store_id, HUAJIADI_PICKUP_ID);
        assert_eq!(eggs.price, 25.9);

        let milk = offer(&catalog, MILK_OFFER_ID);
        assert_eq!(milk.category, "牛奶");
        assert!(milk.title.contains("牛奶"));
        assert_eq!(milk.repurchase_days, Some(8.0));
        assert!((50.0..=70.0).contains(&milk.price));

        let beer = offer(&catalog, BEER_OFFER_ID);
        assert_eq!(beer.category, "酒类");
        assert!(beer.title.contains("啤酒"));
        assert_eq!(beer.min_age, Some(18));
        assert_eq!((beer.age_min, beer.age_max), (Some(20), Some(60)));
        assert_eq!(beer.store_id, SOHO_PICKUP_ID);

        let diapers = offer(&catalog, DIAPERS_OFFER_ID);
        assert_eq!(diapers.category, "纸尿裤");
        assert_eq!(diapers.repurchase_days, Some(16.0));
        assert_eq!((diapers.age_min, diapers.age_max), (Some(25), Some(45)));

        let formula = offer(&catalog, FORMULA_OFFER_ID);
        assert_eq!(formula.category, "奶粉");
        assert_eq!(formula.repurchase_days, Some(20.0));
        assert!((200.0..=350.0).contains(&formula.price));

        let coffee = offer(&catalog, COFFEE_OFFER_ID);
        assert_eq!(coffee.category, "咖啡");
        assert!(coffee.title.contains("咖啡"));
        assert_eq!(coffee.store_id, SOHO_PICKUP_ID);
    }
}

#[test]
fn users_reference_existing_offers() {
    let catalog = sample_catalog(&SampleOptions::default());
    let now = SAMPLE_EPOCH_MS + 3.0 * DAY_MS;
    let users = sample_users(&catalog, now);
    let ids: Vec<&str> = users.iter().map(|u| u.id.as_str()).collect();
    assert_eq!(
        ids,
        ["office-worker", "grandma", "parent", "student", "newcomer"]
    );
    let by_id: HashMap<&str, &OfferInput> =
        catalog.offers.iter().map(|o| (o.id.as_str(), o)).collect();
    for user in &users {
        assert!(!user.name.is_empty() && !user.name_en.is_empty());
        assert!(user.description.ends_with('。'), "{}", user.id);
        assert!(user.description_en.ends_with('.'), "{}", user.id);
        let history = user.user.history.as_deref().unwrap_or_default();
        for purchase in history {
            let offer = by_id
                .get(purchase.offer_id.as_str())
                .unwrap_or_else(|| panic!("{}: unknown offer {}", user.id, purchase.offer_id));
            assert_eq!(purchase.category.as_deref(), Some(offer.category.as_str()));
            assert_eq!(purchase.price, Some(offer.price));
            assert!(purchase.quantity.unwrap_or(0) >= 1);
            assert!(purchase.at < now && purchase.at > now - 60.0 * DAY_MS);
        }
        assert!(
            history.windows(2).all(|w| w[0].at <= w[1].at),
            "oldest first"
        );
    }
    let user = |id: &str| &users.iter().find(|u| u.id == id).expect("user").user;

    let office = user("office-worker");
    assert_eq!((office.age, office.income_band), (Some(27), Some(3)));
    let location = office.location.expect("office location");
    assert_eq!(location.datum, Some(Datum::Wgs84));
    let history = office.history.as_deref().unwrap_or_default();
    assert!(history.iter().any(|p| p.offer_id == COFFEE_OFFER_ID));
    assert!(history.iter().any(|p| p.offer_id == BEER_OFFER_ID));
    assert!(history
        .iter()
        .any(|p| p.category.as_deref() == Some("预制菜")));
    assert!(history.len() >= 10);

    let parent = user("parent");
    assert_eq!((parent.age, parent.income_band), (Some(33), Some(4)));
    let history = parent.history.as_deref().unwrap_or_default();
    assert!(history.iter().any(|p| p.offer_id == DIAPERS_OFFER_ID));
    assert!(history.iter().any(|p| p.offer_id == FORMULA_OFFER_ID));
    assert!(history
        .iter()
        .any(|p| p.category.as_deref() == Some("浆果")));

    let student = user("student");
    assert_eq!(student.age, Some(12));
    assert_eq!(student.income_band, None);
    assert_eq!(student.history, None);

    assert_eq!(*user("newcomer"), UserInput::default());
}

#[test]
fn grandma_buys_eggs_weekly() {
    let catalog = sample_catalog(&SampleOptions::default());
    let now = 1_780_000_123_456.0;
    let users = sample_users(&catalog, now);
    let grandma = &users
        .iter()
        .find(|u| u.id == "grandma")
        .expect("grandma")
        .user;
    assert_eq!((grandma.age, grandma.income_band), (Some(68), Some(2)));
    let location = grandma.location.expect("grandma location");
    assert_eq!(location.datum, Some(Datum::Gcj02));
    let d = distance_km(
        location.lat,
        location.lng,
        HUAJIADI_PICKUP_LAT,
        HUAJIADI_PICKUP_LNG,
    );
    assert!(d < 0.2, "grandma lives by the pickup point ({d:.3} km)");

    let history = grandma.history.as_deref().unwrap_or_default();
    let eggs: Vec<f64> = history
        .iter()
        .filter(|p| p.offer_id == EGGS_OFFER_ID)
        .map(|p| p.at)
        .collect();
    assert_eq!(eggs.len(), 6);
    for pair in eggs.windows(2) {
        assert!((pair[1] - pair[0] - 7.0 * DAY_MS).abs() < 1.0, "{pair:?}");
    }
    let last = eggs.last().copied().unwrap_or(0.0);
    assert!((now - last - 6.0 * DAY_MS).abs() < 1.0);
    assert!(history
        .iter()
        .any(|p| p.category.as_deref() == Some("叶菜")));
    assert!(history.iter().all(|p| p.offer_id != BEER_OFFER_ID));
}

#[test]
fn users_skip_offers_missing_from_small_catalogs() {
    let tiny = sample_catalog(&SampleOptions {
        offers: 6,
        embedding_dim: 0,
        seed: 7,
    });
    let users = sample_users(&tiny, SAMPLE_EPOCH_MS);
    let ids: HashSet<&str> = tiny.offers.iter().map(|o| o.id.as_str()).collect();
    for user in &users {
        for purchase in user.user.history.iter().flatten() {
            assert!(ids.contains(purchase.offer_id.as_str()));
        }
    }
    let grandma = &users[1].user;
    assert_eq!(grandma.history.as_ref().map(Vec::len), Some(6));
}

#[test]
fn sample_users_serialize_in_camel_case() {
    let catalog = sample_catalog(&SampleOptions::default());
    let users = sample_users(&catalog, SAMPLE_EPOCH_MS);
    let json = serde_json::to_string(&users).expect("serialize");
    assert!(json.contains("\"nameEn\":\"Grandma Wang\""));
    assert!(json.contains("\"descriptionEn\""));
    assert!(json.contains("\"incomeBand\":2"));
    assert!(json.contains("\"offerId\":\"o00001\""));
    assert!(json.contains("\"datum\":\"gcj02\""));
}

#[test]
fn shelf_prices_look_real() {
    assert_eq!(shelf_price(25.3), 25.9);
    assert_eq!(shelf_price(3.47), 3.5);
    assert_eq!(shelf_price(131.0), 139.0);
    assert_eq!(shelf_price(0.01), 0.1);
}
