//! Coordinates carry their datum: GCJ-02 input is converted, so distances are true.

use goods_ranker::{LocationInput, Profile, RankOptions};

use super::*;

/// A store given in GCJ-02 (as copied from a Chinese map SDK) and a user 30 m north
/// of it reporting WGS-84 (as GPS does): the engine must see ~30 m, not ~500 m.
#[test]
fn a_user_30_m_away_is_30_m_away_across_datums() {
    // WGS-84 (39.911954, 116.377817) ↔ GCJ-02 (39.91334545536069, 116.38404722455657),
    // a published eviltransform test vector (googollee/eviltransform).
    let (wgs_lat, wgs_lng) = (39.911954, 116.377817);
    let (gcj_lat, gcj_lng) = (39.91334545536069, 116.38404722455657);
    let mut input = catalog(vec![offer("a", "蛋品", 20.0, "gcj")]);
    input.stores.push(StoreInput {
        id: "gcj".into(),
        name: "GCJ-02 门店".into(),
        lat: gcj_lat,
        lng: gcj_lng,
        datum: Some(Datum::Gcj02),
        delivery_radius_km: Some(0.2),
        kind: None,
    });
    let e = Engine::new(input, &EngineOptions::default()).unwrap();
    // 30 m north: 30 / 111_195 degrees of latitude.
    let user_lat = wgs_lat + 30.0 / 111_195.08;
    let rank_at = |lat, lng, datum| {
        let options = RankOptions {
            location: Some(LocationInput {
                lat,
                lng,
                datum: Some(datum),
            }),
            ..opts()
        };
        e.rank(&Profile::new(), &options, NOW).unwrap()
    };
    let feed = rank_at(user_lat, wgs_lng, Datum::Wgs84);
    let d = feed[0].distance_m.unwrap();
    assert!((d - 30.0).abs() < 0.5, "distance {d}");
    // The same user located in GCJ-02 is also ~30 m away.
    let (g_lat, g_lng) = goods_ranker::util::geo::wgs84_to_gcj02(user_lat, wgs_lng);
    let d = rank_at(g_lat, g_lng, Datum::Gcj02)[0].distance_m.unwrap();
    assert!((d - 30.0).abs() < 0.5, "distance {d}");
    // Mislabelling the datum puts the user ~500 m off and outside the 200 m radius.
    assert!(rank_at(g_lat, g_lng, Datum::Wgs84).is_empty());
}

#[test]
fn the_catalog_datum_applies_to_stores_without_their_own() {
    let (gcj_lat, gcj_lng) = (39.91334545536069, 116.38404722455657);
    let mut input = catalog(vec![]);
    input.datum = Datum::Gcj02;
    input.stores = vec![StoreInput {
        id: "s".into(),
        name: "门店".into(),
        lat: gcj_lat,
        lng: gcj_lng,
        datum: None,
        delivery_radius_km: None,
        kind: None,
    }];
    input.offers = vec![offer("a", "蛋品", 20.0, "s")];
    let e = Engine::new(input, &EngineOptions::default()).unwrap();
    let store = &e.catalog().stores()[0];
    assert!((store.position.lat - 39.911954).abs() < 1e-7);
    assert!((store.position.lng - 116.377817).abs() < 1e-7);
}
