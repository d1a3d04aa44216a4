//! Each feature score against its documented formula.

use goods_ranker::util::geo::{haversine_m, LatLng};
use goods_ranker::{
    DecayFunction, EventInput, EventType, Feature, Profile, ProximityInput, PurchaseInput,
    RankOptions, UserInput,
};

use super::*;

/// Columns hold f32 (prices, ln prices), so scores match the f64 formulas to ~1e-7.
const EPS: f64 = 1e-6;

fn f(scores: &[f64; goods_ranker::rank::features::N_FEATURES], feature: Feature) -> f64 {
    scores[feature as usize]
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < EPS, "got {got}, want {want}");
}

fn user(u: UserInput) -> Profile {
    Profile::from_user(&u).unwrap()
}

fn purchase(offer_id: &str, category: &str, price: f64, at: f64) -> PurchaseInput {
    PurchaseInput {
        offer_id: offer_id.into(),
        category: Some(category.into()),
        price: Some(price),
        quantity: None,
        at,
    }
}

#[test]
fn proximity_follows_the_gauss_exp_and_linear_formulas() {
    let e = engine(vec![offer("a", "蛋品", 20.0, "near")]);
    let p = Profile::new();
    let store = LatLng::new(ORIGIN.0, ORIGIN.1);
    for dlat in [0.0, 0.001, 0.005, 0.01, 0.02, 0.04] {
        let options = at(ORIGIN.0 - dlat, ORIGIN.1);
        let km = haversine_m(store, LatLng::new(ORIGIN.0 - dlat, ORIGIN.1)) / 1000.0;
        let x = (km - 0.2_f64).max(0.0);
        // Default: gauss, offset 0.2 km, scale 1.5 km, decay 0.5 → decay^(x²/scale²).
        close(
            f(&features(&e, &p, &options, "a"), Feature::Proximity),
            0.5_f64.powf(x * x / (1.5 * 1.5)),
        );
        let exp = RankOptions {
            proximity: Some(ProximityInput {
                function: Some(DecayFunction::Exp),
                offset_km: Some(0.1),
                scale_km: Some(1.0),
                decay: Some(0.3),
            }),
            ..options.clone()
        };
        let x = (km - 0.1_f64).max(0.0);
        close(
            f(&features(&e, &p, &exp, "a"), Feature::Proximity),
            0.3_f64.powf(x / 1.0),
        );
        let linear = RankOptions {
            proximity: Some(ProximityInput {
                function: Some(DecayFunction::Linear),
                offset_km: Some(0.0),
                scale_km: Some(2.0),
                decay: Some(0.5),
            }),
            ..options.clone()
        };
        let s = 2.0 / (1.0 - 0.5);
        close(
            f(&features(&e, &p, &linear, "a"), Feature::Proximity),
            ((s - km) / s).max(0.0),
        );
    }
    // Unknown location: no proximity signal at all.
    close(f(&features(&e, &p, &opts(), "a"), Feature::Proximity), 0.0);
}

#[test]
fn age_fit_is_one_inside_the_target_and_decays_outside() {
    let mut targeted = offer("t", "奶粉", 200.0, "near");
    targeted.age_min = Some(20);
    targeted.age_max = Some(40);
    let e = engine(vec![targeted, offer("u", "奶粉", 200.0, "near")]);
    let age = |a| {
        user(UserInput {
            age: Some(a),
            ..Default::default()
        })
    };
    close(
        f(&features(&e, &age(30), &opts(), "t"), Feature::AgeFit),
        1.0,
    );
    close(
        f(&features(&e, &age(40), &opts(), "t"), Feature::AgeFit),
        1.0,
    );
    // Gauss with scale 8 years, decay 0.5: 8 years out scores 0.5, 16 out 0.5⁴.
    close(
        f(&features(&e, &age(48), &opts(), "t"), Feature::AgeFit),
        0.5,
    );
    close(
        f(&features(&e, &age(12), &opts(), "t"), Feature::AgeFit),
        0.5,
    );
    close(
        f(&features(&e, &age(56), &opts(), "t"), Feature::AgeFit),
        0.0625,
    );
    // Untargeted offers and unknown ages are neutral.
    close(
        f(&features(&e, &age(30), &opts(), "u"), Feature::AgeFit),
        0.5,
    );
    close(
        f(
            &features(&e, &Profile::new(), &opts(), "t"),
            Feature::AgeFit,
        ),
        0.5,
    );
}

#[test]
fn price_fit_uses_income_band_observed_spend_and_income_targeting() {
    // Category reference price: the geometric mean of 10, 20, 40 = 20.
    let e = engine(vec![
        offer("p10", "蛋品", 10.0, "near"),
        offer("p20", "蛋品", 20.0, "near"),
        offer("p40", "蛋品", 40.0, "near"),
    ]);
    let band = |b| {
        user(UserInput {
            income_band: Some(b),
            ..Default::default()
        })
    };
    // Band 3 prefers the reference price; a factor of two away scores 0.5.
    close(
        f(&features(&e, &band(3), &opts(), "p20"), Feature::PriceFit),
        1.0,
    );
    close(
        f(&features(&e, &band(3), &opts(), "p40"), Feature::PriceFit),
        0.5,
    );
    close(
        f(&features(&e, &band(3), &opts(), "p10"), Feature::PriceFit),
        0.5,
    );
    // Band 5 prefers 1.8 × the reference (36): 40 fits it better than 20 does.
    let want =
        |price: f64, preferred: f64| 0.5_f64.powf(((price / preferred).ln() / 2f64.ln()).powi(2));
    close(
        f(&features(&e, &band(5), &opts(), "p40"), Feature::PriceFit),
        want(40.0, 36.0),
    );
    close(
        f(&features(&e, &band(5), &opts(), "p20"), Feature::PriceFit),
        want(20.0, 36.0),
    );
    // Monthly income maps to a band: 30k CNY → band 5.
    let rich = user(UserInput {
        monthly_income: Some(30_000.0),
        ..Default::default()
    });
    close(
        f(&features(&e, &rich, &opts(), "p40"), Feature::PriceFit),
        want(40.0, 36.0),
    );
    // Observed spend alone: the user pays ~10 in this category.
    let thrifty = user(UserInput {
        history: Some(vec![purchase("p10", "蛋品", 10.0, NOW - DAY)]),
        ..Default::default()
    });
    close(
        f(&features(&e, &thrifty, &opts(), "p10"), Feature::PriceFit),
        1.0,
    );
    close(
        f(&features(&e, &thrifty, &opts(), "p20"), Feature::PriceFit),
        0.5,
    );
    // Nothing known: neutral.
    close(
        f(
            &features(&e, &Profile::new(), &opts(), "p20"),
            Feature::PriceFit,
        ),
        0.5,
    );

    // Income targeting: a hit counts 1, a miss 0.2, averaged with the band fit.
    let mut budget = offer("b", "粮油", 30.0, "near");
    budget.income_bands = Some(vec![1, 2]);
    let e = engine(vec![budget]);
    close(
        f(&features(&e, &band(3), &opts(), "b"), Feature::PriceFit),
        (1.0 + 0.2) / 2.0,
    );
    close(
        f(&features(&e, &band(1), &opts(), "b"), Feature::PriceFit),
        (want(30.0, 30.0 * 0.6) + 1.0) / 2.0,
    );
}

#[test]
fn item_and_category_affinity_decay_with_a_30_day_half_life() {
    let e = engine(vec![
        offer("eggs", "蛋品", 25.9, "near"),
        offer("quail", "蛋品", 12.9, "near"),
    ]);
    let fresh = user(UserInput {
        history: Some(vec![purchase("eggs", "蛋品", 25.9, NOW)]),
        ..Default::default()
    });
    let s = features(&e, &fresh, &opts(), "eggs");
    close(f(&s, Feature::ItemAffinity), 1.0 - (-1.0_f64).exp());
    close(
        f(&s, Feature::CategoryAffinity),
        1.0 - (-1.0_f64 / 1.5).exp(),
    );
    // The other egg offer shares the category but not the item affinity.
    let s = features(&e, &fresh, &opts(), "quail");
    close(f(&s, Feature::ItemAffinity), 0.0);
    close(
        f(&s, Feature::CategoryAffinity),
        1.0 - (-1.0_f64 / 1.5).exp(),
    );
    let old = user(UserInput {
        history: Some(vec![purchase("eggs", "蛋品", 25.9, NOW - 30.0 * DAY)]),
        ..Default::default()
    });
    close(
        f(&features(&e, &old, &opts(), "eggs"), Feature::ItemAffinity),
        1.0 - (-0.5_f64).exp(),
    );
    // Clicks count less than purchases.
    let mut clicked = Profile::new();
    clicked
        .record(&EventInput {
            kind: EventType::Click,
            offer_id: "eggs".into(),
            at: NOW,
            category: Some("蛋品".into()),
            price: None,
            quantity: None,
        })
        .unwrap();
    close(
        f(
            &features(&e, &clicked, &opts(), "eggs"),
            Feature::ItemAffinity,
        ),
        1.0 - (-0.3_f64).exp(),
    );
}

#[test]
fn embedding_similarity_is_the_cosine_to_the_profile_vector() {
    let mut input = catalog(vec![]);
    input.embedding_dim = Some(2);
    for (id, emb) in [
        ("x", [1.0, 0.0]),
        ("y", [0.0, 3.0]),
        ("xy", [2.0, 2.0]),
        ("anti", [-1.0, 0.0]),
    ] {
        let mut o = offer(id, "零食", 10.0, "near");
        o.embedding = Some(emb.to_vec());
        input.offers.push(o);
    }
    input.offers.push(offer("none", "零食", 10.0, "near"));
    let e = Engine::new(input, &EngineOptions::default()).unwrap();
    let p = user(UserInput {
        history: Some(vec![purchase("x", "零食", 10.0, NOW)]),
        ..Default::default()
    });
    let sim = |id| f(&features(&e, &p, &opts(), id), Feature::Embedding);
    close(sim("x"), 1.0);
    close(sim("y"), 0.0);
    assert!((sim("xy") - std::f64::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    close(sim("anti"), 0.0);
    close(sim("none"), 0.0);
    // No history: no profile vector, no similarity.
    close(
        f(
            &features(&e, &Profile::new(), &opts(), "xy"),
            Feature::Embedding,
        ),
        0.0,
    );
}

#[test]
fn repurchase_peaks_around_the_cycle() {
    let mut eggs = offer("eggs", "蛋品", 25.9, "near");
    eggs.repurchase_days = Some(7.0);
    let mut quail = offer("quail", "蛋品", 12.9, "near");
    quail.repurchase_days = Some(7.0);
    let e = engine(vec![eggs, quail, offer("rice", "粮油", 59.0, "near")]);
    let bought = |days_ago: f64| {
        user(UserInput {
            history: Some(vec![purchase("eggs", "蛋品", 25.9, NOW - days_ago * DAY)]),
            ..Default::default()
        })
    };
    // Before the cycle: gauss on 1 − t/c with offset 0.1, scale 0.3, decay 0.5.
    let early = |r: f64| 0.5_f64.powf((((1.0 - r) - 0.1).max(0.0) / 0.3).powi(2));
    // After: gauss on t/c − 1 with offset 0.25, scale 1, decay 0.5.
    let late = |r: f64| 0.5_f64.powf(((r - 1.0) - 0.25).max(0.0).powi(2));
    let rep = |p: &Profile, id| f(&features(&e, p, &opts(), id), Feature::Repurchase);
    close(rep(&bought(6.0), "eggs"), early(6.0 / 7.0));
    close(rep(&bought(2.0), "eggs"), early(2.0 / 7.0));
    close(rep(&bought(7.0), "eggs"), 1.0);
    close(rep(&bought(20.0), "eggs"), late(20.0 / 7.0));
    assert!(rep(&bought(6.0), "eggs") > 0.9 && rep(&bought(2.0), "eggs") < 0.1);
    // The same category counts 0.6 of an item-level signal; other categories nothing.
    close(rep(&bought(6.0), "quail"), 0.6 * early(6.0 / 7.0));
    close(rep(&bought(6.0), "rice"), 0.0);
    // A learned cycle (bought every 12 days) overrides the catalog's 7 days.
    let every_12 = user(UserInput {
        history: Some(vec![
            purchase("eggs", "蛋品", 25.9, NOW - 36.0 * DAY),
            purchase("eggs", "蛋品", 25.9, NOW - 24.0 * DAY),
            purchase("eggs", "蛋品", 25.9, NOW - 12.0 * DAY),
        ]),
        ..Default::default()
    });
    close(rep(&every_12, "eggs"), 1.0);
    close(rep(&Profile::new(), "eggs"), 0.0);
}

#[test]
fn popularity_freshness_discount_and_boost() {
    let mut hot = offer("hot", "水果", 20.0, "near");
    hot.popularity = Some(999.0);
    let mut warm = offer("warm", "水果", 20.0, "near");
    warm.popularity = Some(99.0);
    let mut new = offer("new", "水果", 20.0, "near");
    new.starts_at = Some(NOW - 0.5 * DAY);
    let mut week = offer("week", "水果", 20.0, "near");
    week.starts_at = Some(NOW - 8.0 * DAY);
    let mut sale = offer("sale", "水果", 80.0, "near");
    sale.original_price = Some(100.0);
    let mut deep = offer("deep", "水果", 40.0, "near");
    deep.original_price = Some(100.0);
    let mut boosted = offer("boosted", "水果", 20.0, "near");
    boosted.boost = Some(0.7);
    let e = engine(vec![hot, warm, new, week, sale, deep, boosted]);
    let p = Profile::new();
    let get = |id, feature| f(&features(&e, &p, &opts(), id), feature);
    close(get("hot", Feature::Popularity), 1.0);
    close(get("warm", Feature::Popularity), 100f64.ln() / 1000f64.ln());
    close(get("new", Feature::Popularity), 0.0);
    // Exp decay on days on sale: offset 1 day, scale 7 days, decay 0.5.
    close(get("new", Feature::Freshness), 1.0);
    close(get("week", Feature::Freshness), 0.5);
    close(get("hot", Feature::Freshness), 0.0);
    // Discount depth × 2, capped at 1.
    assert!((get("sale", Feature::Discount) - 0.4).abs() < 1e-6);
    close(get("deep", Feature::Discount), 1.0);
    close(get("hot", Feature::Discount), 0.0);
    assert!((get("boosted", Feature::Boost) - 0.7).abs() < 1e-6);
    close(get("hot", Feature::Boost), 0.0);
}

#[test]
fn every_feature_stays_in_unit_range_on_the_sample_catalog() {
    use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
    let input = sample_catalog(&SampleOptions::default());
    let users = sample_users(&input, NOW);
    let e = Engine::new(input, &EngineOptions::default()).unwrap();
    for u in users {
        let p = Profile::from_user(&u.user).unwrap();
        let options = RankOptions {
            location: u.user.location,
            ..opts()
        };
        for i in 0..e.catalog().len() {
            let id = e.catalog().offer_id(i).to_string();
            for (k, x) in features(&e, &p, &options, &id).iter().enumerate() {
                assert!((0.0..=1.0).contains(x), "{} {id} feature {k} = {x}", u.id);
            }
        }
    }
}
