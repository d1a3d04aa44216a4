//! Enrichment maths on small hand-made logs: lift and its smoothing, repurchase
//! interval and rate, popularity per area, malformed lines, and the engine using the
//! learned fields (income bands included, which Ta Feng does not have).

use goods_ranker::{Engine, EngineOptions, Profile, RankOptions, UserInput};
use goods_ranker_tools::enrich::aggregate::smoothed_lift;
use goods_ranker_tools::enrich::log::{parse_age_band, parse_time};
use goods_ranker_tools::enrich::{self, EnrichOptions, Log, StoreSpec};

const DAY: f64 = 86_400_000.0;

fn log(purchases: &str, users: Option<&str>) -> Log {
    let mut log = Log::read_purchases(purchases.as_bytes()).expect("header");
    if let Some(u) = users {
        log.read_users(u.as_bytes()).expect("header");
    }
    log
}

fn no_embed() -> EnrichOptions {
    EnrichOptions {
        embedding_dim: 0,
        ..Default::default()
    }
}

fn stats(l: &Log, options: &EnrichOptions) -> enrich::Enriched {
    let b = enrich::baskets(l);
    enrich::enrich(l, &b, options)
}

#[test]
fn lift_is_smoothed_toward_the_base_rate() {
    // Two bands; base rates 0.25 / 0.75 (1 of 4 buyer-item pairs in band 0).
    // Item 0: 1 buyer in band 0, 0 in band 1. Item 1: 0 and 3.
    let counts = [[1.0, 0.0], [0.0, 3.0]];
    let raw = smoothed_lift(&counts, 0.0);
    assert!((raw[0].unwrap()[0] - 4.0).abs() < 1e-12); // (1/1)/0.25
    assert!((raw[1].unwrap()[1] - 4.0 / 3.0).abs() < 1e-12); // (3/3)/0.75
                                                             // Prior 4: item 0 band 0 = ((1 + 4·0.25)/(1 + 4))/0.25 = 1.6.
    let smooth = smoothed_lift(&counts, 4.0);
    let l0 = smooth[0].unwrap();
    assert!((l0[0] - 1.6).abs() < 1e-12);
    assert!((l0[1] - (4.0 * 0.75 / 5.0) / 0.75).abs() < 1e-12); // 0.8
                                                                // A rare item is pulled toward 1; more buyers move it further from 1.
    let many = smoothed_lift(&[[10.0, 0.0], [0.0, 30.0]], 4.0);
    assert!(many[0].unwrap()[0] > l0[0]);
    // An item no one with a known band bought has no lift.
    assert_eq!(smoothed_lift(&[[0.0, 0.0], [1.0, 1.0]], 4.0)[0], None);
}

const PURCHASES: &str = "\
user,time,item,quantity,price,category
u1,2024-01-01,milk,1,10,dairy
u1,2024-01-08,milk,2,12,dairy
u1,2024-01-15,milk,1,11,dairy
u2,2024-01-02,milk,1,10,dairy
u2,2024-01-12,milk,1,10,dairy
u2,2024-01-12,milk,1,10,dairy
u3,2024-01-03,wine,1,100,drinks
u3,2024-01-20,tea,1,30,drinks
u4,2024-01-20,tea,1,30,drinks
";

#[test]
fn repurchase_interval_rate_and_prices() {
    let l = log(PURCHASES, None);
    assert_eq!(l.report.malformed_total(), 0);
    let e = stats(&l, &no_embed());
    let milk = &e.items[l.items.get("milk").unwrap() as usize];
    // Baskets are user-days: u2's two lines on 01-12 are one basket (item once).
    assert_eq!(milk.baskets, 5);
    assert_eq!(milk.buyers, 2);
    assert_eq!(milk.repeat_buyers, 2);
    // Gaps: u1 7, 7; u2 10 → median 7.
    assert_eq!(milk.repurchase_days, Some(7.0));
    // Unit prices of the 5 baskets: 10, 12, 11, 10, 10 (u2's 01-12 mean 10).
    assert_eq!(milk.price.median, 10.0);
    assert_eq!(milk.price.max, 12.0);
    assert!((milk.price.mean - 10.6).abs() < 1e-6);
    let tea = &e.items[l.items.get("tea").unwrap() as usize];
    // One gap is fewer than min_gaps (2): no typical interval.
    assert_eq!(tea.repurchase_days, None);
    // Repurchase rate: base r0 = 2 repeat / 5 buyer-item pairs = 0.4; k = 10.
    // milk (2 + 4) / (2 + 10) = 0.5; tea (0 + 4) / (2 + 10) = 1/3.
    assert!((milk.repurchase_rate - 0.5).abs() < 1e-12);
    assert!((tea.repurchase_rate - 1.0 / 3.0).abs() < 1e-12);
    // Popularity halves every 30 days back from the last basket (01-20).
    let wine = &e.items[l.items.get("wine").unwrap() as usize];
    assert!((wine.popularity - 2f64.powf(-17.0 / 30.0)).abs() < 1e-9);
    assert!((tea.popularity - 2.0).abs() < 1e-9);
}

#[test]
fn malformed_lines_are_counted_not_fatal() {
    let l = log(
        "user,time,item,quantity,price\n\
         a,2024-01-01,x,1,2\n\
         ,2024-01-01,x,1,2\n\
         a,2024-13-01,x,1,2\n\
         a,2024-01-02,x,-1,2\n\
         a,2024-01-02,x,1,free\n\
         a,2024-01-02,,1,2\n\
         a,2024-01-03,y\n",
        None,
    );
    assert_eq!(l.report.lines, 7);
    assert_eq!(l.report.ok, 2);
    assert_eq!(l.report.malformed_total(), 5);
    assert_eq!(l.report.malformed["bad time"], 1);
    assert_eq!(l.report.malformed["missing user"], 1);
    assert_eq!(l.report.examples[0].0, 3); // line numbers count the header
    assert!(l.report.summary().contains("5 malformed"));
    // A missing required column is the only fatal error.
    assert!(Log::read_purchases("user,item\na,b\n".as_bytes()).is_err());
}

#[test]
fn times_and_age_bands_parse() {
    assert_eq!(parse_time("1970-01-02"), Some(DAY));
    assert_eq!(parse_time("1970-01-01T01:00:00Z"), Some(3_600_000.0));
    assert_eq!(parse_time("2000-02-30"), None);
    assert_eq!(parse_time("1700000000000"), Some(1.7e12));
    assert_eq!(parse_age_band("<25"), Some(0));
    assert_eq!(parse_age_band("35-39"), Some(3));
    assert_eq!(parse_age_band(">65"), Some(9));
    assert_eq!(parse_age_band("65+"), Some(9));
    assert_eq!(parse_age_band("old"), None);
}

/// A synthetic log where band-1 earners buy "noodles" and band-5 earners buy
/// "truffle", young users buy "energy" and old ones "tonic", area A (near) buys
/// "local" and area B (far) does not.
fn synthetic() -> (String, String) {
    let mut p = String::from("user,time,item,quantity,price\n");
    let mut u = String::from("user,age,incomeBand,area,lat,lng\n");
    for i in 0..40 {
        let rich = i % 2 == 0;
        let young = i % 4 < 2;
        let near = i < 20;
        let (lat, area) = if near { (30.0, "A") } else { (30.1, "B") };
        let age = if young { 22 } else { 70 };
        let band = if rich { 5 } else { 1 };
        u.push_str(&format!("c{i},{age},{band},{area},{lat},120.0\n"));
        let mut buy = |item: &str| p.push_str(&format!("c{i},2024-01-0{},{item},1,5\n", 1 + i % 5));
        buy(if rich { "truffle" } else { "noodles" });
        buy(if young { "energy" } else { "tonic" });
        if near {
            buy("local");
        }
        buy("bread");
    }
    (p, u)
}

#[test]
fn income_age_and_area_are_learned_and_used_by_the_engine() {
    let (p, u) = synthetic();
    let l = log(&p, Some(&u));
    assert_eq!(l.users_report.malformed_total(), 0);
    let e = stats(&l, &no_embed());
    let item = |name: &str| &e.items[l.items.get(name).unwrap() as usize];
    let truffle = item("truffle").income_lift.unwrap();
    // 20 of 40 buyers, base rate 0.5, prior 20: ((20 + 10) / 40) / 0.5 = 1.5.
    assert!((truffle[4] - 1.5).abs() < 1e-9 && (truffle[0] - 0.5).abs() < 1e-9);
    let tonic = item("tonic").age_lift.unwrap();
    assert!((tonic[9] - 1.5).abs() < 1e-9 && (tonic[0] - 0.5).abs() < 1e-9);
    let a = l.areas.get("A").unwrap() as usize;
    let b = l.areas.get("B").unwrap() as usize;
    assert!(item("local").area_popularity[a] > 0.0);
    assert_eq!(item("local").area_popularity[b], 0.0);

    let store = StoreSpec {
        id: "s".into(),
        name: "store".into(),
        lat: 30.0,
        lng: 120.0,
    };
    let catalog = enrich::to_catalog(&l, &e, &store);
    // The catalog round-trips through JSON and the binary form.
    let json = serde_json::to_string(&catalog).unwrap();
    let engine = Engine::from_json(&json, &EngineOptions::default()).unwrap();
    let engine = Engine::from_binary(&engine.to_binary(), &EngineOptions::default()).unwrap();
    let now = 1.7045e12;
    let top = |user: UserInput, weights: goods_ranker::WeightsInput| -> Vec<String> {
        let profile = Profile::from_user(&user).unwrap();
        let options = RankOptions {
            now: Some(now),
            limit: Some(6),
            weights: Some(weights),
            ..Default::default()
        };
        let feed = engine.rank(&profile, &options, now).unwrap();
        feed.into_iter().map(|o| o.offer_id).collect()
    };
    let only = |f: &str| {
        let mut w = goods_ranker::WeightsInput {
            proximity: Some(0.0),
            age_fit: Some(0.0),
            price_fit: Some(0.0),
            item_affinity: Some(0.0),
            category_affinity: Some(0.0),
            embedding: Some(0.0),
            repurchase: Some(0.0),
            popularity: Some(0.0),
            freshness: Some(0.0),
            discount: Some(0.0),
            boost: Some(0.0),
        };
        match f {
            "price" => w.price_fit = Some(1.0),
            "age" => w.age_fit = Some(1.0),
            _ => w.popularity = Some(1.0),
        }
        w
    };
    let rich = top(
        UserInput {
            income_band: Some(5),
            ..Default::default()
        },
        only("price"),
    );
    let poor = top(
        UserInput {
            income_band: Some(1),
            ..Default::default()
        },
        only("price"),
    );
    assert_eq!(rich[0], "truffle");
    assert_eq!(poor[0], "noodles");
    let old = top(
        UserInput {
            age: Some(70),
            ..Default::default()
        },
        only("age"),
    );
    assert_eq!(old[0], "tonic");
    let near_user = UserInput {
        location: Some(goods_ranker::LocationInput {
            lat: 30.0,
            lng: 120.0,
            datum: None,
        }),
        ..Default::default()
    };
    let far_user = UserInput {
        location: Some(goods_ranker::LocationInput {
            lat: 30.1,
            lng: 120.0,
            datum: None,
        }),
        ..Default::default()
    };
    let near = top(near_user, only("popularity"));
    let far = top(far_user, only("popularity"));
    let pos = |v: &[String]| v.iter().position(|x| x == "local").unwrap_or(99);
    assert!(pos(&near) < pos(&far), "near {near:?} far {far:?}");
}

#[test]
fn embeddings_put_co_purchased_items_together() {
    // Two clusters of items always bought together.
    let mut p = String::from("user,basket,time,item\n");
    for b in 0..60 {
        let cluster = if b % 2 == 0 {
            ["a", "b", "c"]
        } else {
            ["x", "y", "z"]
        };
        for (j, item) in cluster.iter().enumerate() {
            if (b / 2 + j) % 3 != 0 {
                p.push_str(&format!(
                    "u{},{b},2024-01-01,{item}{}\n",
                    b % 7,
                    (b / 2) % 2
                ));
            }
        }
    }
    let l = log(&p, None);
    let options = EnrichOptions {
        embedding_dim: 2,
        embedding_min_baskets: 1,
        ..Default::default()
    };
    let e = stats(&l, &options);
    assert_eq!(e.embedding_dim, 2);
    let v = |name: &str| {
        let i = l.items.get(name).unwrap() as usize;
        assert!(e.has_embedding[i]);
        let r = &e.embeddings[i * 2..i * 2 + 2];
        let n = (r[0] * r[0] + r[1] * r[1]).sqrt();
        [r[0] / n, r[1] / n]
    };
    let cos = |a: [f32; 2], b: [f32; 2]| a[0] * b[0] + a[1] * b[1];
    assert!(cos(v("a0"), v("b0")) > cos(v("a0"), v("x0")));
}
