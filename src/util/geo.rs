//! Geodesy helpers: datum conversion between WGS-84 and GCJ-02, great-circle
//! distances, and coordinate validation.
//!
//! Store and user coordinates can arrive in two datums. GPS receivers, the browser
//! Geolocation API and `wx.getLocation({type: 'wgs84'})` report WGS-84, while Chinese
//! map SDKs (AMap, Tencent Maps) and `wx.getLocation({type: 'gcj02'})` report GCJ-02,
//! which inside mainland China is shifted by a few hundred metres. Mixing the two
//! would make a store 30 m away look 500 m away, so every coordinate is converted to
//! WGS-84 with [`to_wgs84`] before any distance is computed.
//!
//! Distances use a sphere of radius [`EARTH_RADIUS_M`]. [`haversine_m`] measures one
//! pair of points; [`LocalOrigin`] precomputes the origin once and measures many
//! points given as [`UnitVector`]s, which is cheaper when one user is compared with a
//! whole catalog.

use crate::contract::input::Datum;
use crate::error::describe_number;

/// Mean Earth radius in metres used by [`haversine_m`] and [`LocalOrigin`]
/// (the IUGG mean radius R1 of the WGS-84 ellipsoid, 6_371_008.8 m).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Semi-major axis in metres of the Krasovsky 1940 ellipsoid used by GCJ-02.
const KRASOVSKY_A: f64 = 6_378_245.0;

/// First eccentricity squared of the Krasovsky 1940 ellipsoid used by GCJ-02.
///
/// The published constant is 0.00669342162296594323; the literal below is the same
/// `f64`, written without the digits a double cannot hold.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;

/// Residual in degrees below which the GCJ-02 to WGS-84 iteration stops.
const INVERSE_TOLERANCE_DEG: f64 = 1e-9;

/// Maximum number of fixed-point iterations of the GCJ-02 to WGS-84 inverse.
const INVERSE_MAX_ITERATIONS: usize = 30;

/// A WGS-84 point in degrees.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LatLng {
    /// Latitude in degrees, positive north.
    pub lat: f64,
    /// Longitude in degrees, positive east.
    pub lng: f64,
}

impl LatLng {
    /// Creates a point from a latitude and a longitude in degrees.
    pub fn new(lat: f64, lng: f64) -> Self {
        Self { lat, lng }
    }
}

/// True when the point is outside mainland China's GCJ-02 area, where GCJ-02 equals
/// WGS-84.
///
/// This is the usual rectangle test of the published algorithm: a point is inside
/// when its longitude is in `72.004..=137.8347` and its latitude is in
/// `0.8293..=55.8271`. Non-finite coordinates count as outside, so the conversions
/// pass them through unchanged.
pub fn out_of_china(lat: f64, lng: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

/// The polynomial-plus-sine distortion of the published GCJ-02 algorithm.
///
/// `x` and `y` are the longitude and latitude relative to (105, 35). The result is
/// the latitude and longitude offsets in metres on the Krasovsky ellipsoid, before
/// conversion to degrees.
fn distortion_m(x: f64, y: f64) -> (f64, f64) {
    use std::f64::consts::PI;

    let xy = x * y;
    let abs_x = x.abs().sqrt();
    let x_pi = x * PI;
    let y_pi = y * PI;
    let common = (20.0 * libm::sin(6.0 * x_pi) + 20.0 * libm::sin(2.0 * x_pi)) * 2.0 / 3.0;

    let mut d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * xy + 0.2 * abs_x;
    d_lat += common;
    d_lat += (20.0 * libm::sin(y_pi) + 40.0 * libm::sin(y_pi / 3.0)) * 2.0 / 3.0;
    d_lat += (160.0 * libm::sin(y_pi / 12.0) + 320.0 * libm::sin(y_pi / 30.0)) * 2.0 / 3.0;

    let mut d_lng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * xy + 0.1 * abs_x;
    d_lng += common;
    d_lng += (20.0 * libm::sin(x_pi) + 40.0 * libm::sin(x_pi / 3.0)) * 2.0 / 3.0;
    d_lng += (150.0 * libm::sin(x_pi / 12.0) + 300.0 * libm::sin(x_pi / 30.0)) * 2.0 / 3.0;

    (d_lat, d_lng)
}

/// The GCJ-02 offset in degrees of a WGS-84 point, without the rectangle test.
fn gcj02_delta(lat: f64, lng: f64) -> (f64, f64) {
    let (d_lat_m, d_lng_m) = distortion_m(lng - 105.0, lat - 35.0);
    let rad_lat = lat.to_radians();
    let sin_lat = libm::sin(rad_lat);
    let magic = 1.0 - KRASOVSKY_EE * sin_lat * sin_lat;
    let sqrt_magic = magic.sqrt();
    // Metres to degrees: divide by the meridian and parallel arc length of one degree.
    let meridian_radius = KRASOVSKY_A * (1.0 - KRASOVSKY_EE) / (magic * sqrt_magic);
    let parallel_radius = KRASOVSKY_A / sqrt_magic * libm::cos(rad_lat);
    let d_lat = (d_lat_m * 180.0) / (meridian_radius * std::f64::consts::PI);
    let d_lng = (d_lng_m * 180.0) / (parallel_radius * std::f64::consts::PI);
    (d_lat, d_lng)
}

/// Converts a WGS-84 point to GCJ-02 with the standard published ("eviltransform")
/// formula on the Krasovsky ellipsoid (a = 6378245.0, ee = 0.00669342162296594323).
///
/// Takes and returns `(lat, lng)` in degrees. Outside China (see [`out_of_china`])
/// the point is returned unchanged.
pub fn wgs84_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    if out_of_china(lat, lng) {
        return (lat, lng);
    }
    let (d_lat, d_lng) = gcj02_delta(lat, lng);
    (lat + d_lat, lng + d_lng)
}

/// Converts a GCJ-02 point to WGS-84 by fixed-point iteration of the forward
/// transform.
///
/// Takes and returns `(lat, lng)` in degrees. The estimate is corrected by the
/// forward transform's residual until the residual is below 1e-9 degrees (at most 30
/// iterations; three or four suffice in practice), which is accurate to well under
/// 0.1 m. Outside China (see [`out_of_china`]) the point is returned unchanged.
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> (f64, f64) {
    if out_of_china(lat, lng) {
        return (lat, lng);
    }
    let (d_lat, d_lng) = gcj02_delta(lat, lng);
    let mut w_lat = lat - d_lat;
    let mut w_lng = lng - d_lng;
    for _ in 0..INVERSE_MAX_ITERATIONS {
        // The offset is applied without the rectangle test so that the iteration
        // stays continuous for points right at the edge of the area.
        let (d_lat, d_lng) = gcj02_delta(w_lat, w_lng);
        let r_lat = w_lat + d_lat - lat;
        let r_lng = w_lng + d_lng - lng;
        w_lat -= r_lat;
        w_lng -= r_lng;
        if r_lat.abs() < INVERSE_TOLERANCE_DEG && r_lng.abs() < INVERSE_TOLERANCE_DEG {
            break;
        }
    }
    (w_lat, w_lng)
}

/// Converts a point given in `datum` into WGS-84.
pub fn to_wgs84(lat: f64, lng: f64, datum: Datum) -> LatLng {
    let (lat, lng) = match datum {
        Datum::Wgs84 => (lat, lng),
        Datum::Gcj02 => gcj02_to_wgs84(lat, lng),
    };
    LatLng { lat, lng }
}

/// Great-circle distance in metres between two points, by the haversine formula on a
/// sphere of radius [`EARTH_RADIUS_M`].
pub fn haversine_m(a: LatLng, b: LatLng) -> f64 {
    let lat_a = a.lat.to_radians();
    let lat_b = b.lat.to_radians();
    let half_d_lat = (b.lat - a.lat).to_radians() / 2.0;
    let half_d_lng = (b.lng - a.lng).to_radians() / 2.0;
    let h = libm::sin(half_d_lat).powi(2)
        + libm::cos(lat_a) * libm::cos(lat_b) * libm::sin(half_d_lng).powi(2);
    // Rounding can push `h` a hair past 1 for antipodal points.
    2.0 * EARTH_RADIUS_M * libm::asin(h.sqrt().min(1.0))
}

/// A point as a unit vector on the sphere, in Earth-centred coordinates: `x` towards
/// (0°, 0°), `y` towards (0°, 90°E) and `z` towards the North Pole.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnitVector {
    /// Component towards latitude 0, longitude 0.
    pub x: f64,
    /// Component towards latitude 0, longitude 90° east.
    pub y: f64,
    /// Component towards the North Pole.
    pub z: f64,
}

impl UnitVector {
    /// Computes the unit vector of a point given in degrees.
    pub fn new(p: LatLng) -> Self {
        let (sin_lat, cos_lat) = libm::sincos(p.lat.to_radians());
        let (sin_lng, cos_lng) = libm::sincos(p.lng.to_radians());
        Self {
            x: cos_lat * cos_lng,
            y: cos_lat * sin_lng,
            z: sin_lat,
        }
    }
}

impl From<LatLng> for UnitVector {
    fn from(p: LatLng) -> Self {
        Self::new(p)
    }
}

/// A fixed origin for measuring the distance to many points cheaply.
///
/// The origin's unit vector is computed once; each distance is then the angle between
/// two unit vectors, `atan2(|o × p|, o · p)`, times [`EARTH_RADIUS_M`]. This is exact
/// on the sphere and, unlike `acos` of the dot product, keeps full precision at short
/// range, so it matches [`haversine_m`] to better than 1e-6 relative for distances
/// over 1 m.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LocalOrigin {
    /// Unit vector of the origin.
    origin: UnitVector,
}

impl LocalOrigin {
    /// Creates an origin at a point given in degrees.
    pub fn new(origin: LatLng) -> Self {
        Self {
            origin: UnitVector::new(origin),
        }
    }

    /// Returns the unit vector of the origin.
    pub fn unit_vector(&self) -> UnitVector {
        self.origin
    }

    /// Great-circle distance in metres from the origin to `to`.
    pub fn distance_m(&self, to: &UnitVector) -> f64 {
        let o = &self.origin;
        let cx = o.y * to.z - o.z * to.y;
        let cy = o.z * to.x - o.x * to.z;
        let cz = o.x * to.y - o.y * to.x;
        let cross = (cx * cx + cy * cy + cz * cz).sqrt();
        let dot = o.x * to.x + o.y * to.y + o.z * to.z;
        EARTH_RADIUS_M * libm::atan2(cross, dot)
    }
}

/// Validates a coordinate pair: both numbers finite, the latitude in `-90..=90` and
/// the longitude in `-180..=180`.
///
/// On failure returns the name of the first wrong field (`"lat"` or `"lng"`) and a
/// message such as `expected a latitude in -90..=90, got 91` or
/// `expected a longitude in -180..=180, got NaN`.
pub fn check_lat_lng(lat: f64, lng: f64) -> Result<(), (&'static str, String)> {
    // `contains` is false for NaN, so non-finite values fail the range test too.
    if !(-90.0..=90.0).contains(&lat) {
        return Err((
            "lat",
            format!(
                "expected a latitude in -90..=90, got {}",
                describe_number(lat)
            ),
        ));
    }
    if !(-180.0..=180.0).contains(&lng) {
        return Err((
            "lng",
            format!(
                "expected a longitude in -180..=180, got {}",
                describe_number(lng)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published WGS-84 -> GCJ-02 test vectors, `(wgs_lat, wgs_lng, gcj_lat, gcj_lng)`.
    ///
    /// Copied from the `tests` table of googollee/eviltransform, file
    /// `go/transform_test.go` (the same table is in `python/test.py`, which asserts
    /// agreement to 6 decimal places).
    const EVILTRANSFORM_VECTORS: [(f64, f64, f64, f64); 3] = [
        (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215), // shanghai
        (22.543847, 113.912316, 22.540796131694766, 113.9171764808363), // shenzhen
        (39.911954, 116.377817, 39.91334545536069, 116.38404722455657), // beijing
    ];

    /// Published WGS-84 -> GCJ-02 test vector `(wgs_lat, wgs_lng, gcj_lat, gcj_lng)`
    /// from hujiulong/gcoord, file `test/unit/crs/WGS84.spec.ts` ("WGS84 to GCJ02":
    /// `[123, 45]` -> `[123.00607541, 45.00197815]`, checked with `toBeCloseTo(_, 5)`).
    const GCOORD_SPEC_VECTOR: (f64, f64, f64, f64) = (45.0, 123.0, 45.00197815, 123.00607541);

    /// Published WGS-84 -> GCJ-02 example `(wgs_lat, wgs_lng, gcj_lat, gcj_lng)` from
    /// wandergis/coordtransform, file `README.md`: `wgs84togcj02(116.404, 39.915)`
    /// gives `[116.41024449916938, 39.91640428150164]` (`[lng, lat]` there).
    const COORDTRANSFORM_README_VECTOR: (f64, f64, f64, f64) =
        (39.915, 116.404, 39.91640428150164, 116.41024449916938);

    /// Published GCJ-02 -> WGS-84 vector `(gcj_lat, gcj_lng, wgs_lat, wgs_lng)` from
    /// hujiulong/gcoord, file `test/unit/crs/GCJ02.spec.ts` ("GCJ02 to WGS84":
    /// `[123, 45]` -> `[122.99395597, 44.99804071]`, checked with `toBeCloseTo(_, 5)`,
    /// that is to within 5e-6).
    const GCOORD_INVERSE_VECTOR: (f64, f64, f64, f64) = (45.0, 123.0, 44.99804071, 122.99395597);

    fn ll(lat: f64, lng: f64) -> LatLng {
        LatLng { lat, lng }
    }

    fn assert_close_deg(got: (f64, f64), want: (f64, f64), tol: f64, what: &str) {
        let d_lat = (got.0 - want.0).abs();
        let d_lng = (got.1 - want.1).abs();
        assert!(
            d_lat < tol && d_lng < tol,
            "{what}: got {got:?}, want {want:?} (|dlat| {d_lat:e}, |dlng| {d_lng:e}, tol {tol:e})"
        );
    }

    #[test]
    fn wgs84_to_gcj02_matches_eviltransform_vectors() {
        for &(w_lat, w_lng, g_lat, g_lng) in &EVILTRANSFORM_VECTORS {
            let got = wgs84_to_gcj02(w_lat, w_lng);
            assert_close_deg(got, (g_lat, g_lng), 1e-6, "eviltransform vector");
            // Tighter than the source requires: the published values are full
            // doubles of the same formula, so agreement should be near rounding.
            assert_close_deg(got, (g_lat, g_lng), 1e-9, "eviltransform vector (tight)");
        }
    }

    #[test]
    fn wgs84_to_gcj02_matches_gcoord_and_coordtransform_vectors() {
        let (w_lat, w_lng, g_lat, g_lng) = GCOORD_SPEC_VECTOR;
        // Eight published decimals; the source's toBeCloseTo(_, 5) allows 5e-6.
        let got = wgs84_to_gcj02(w_lat, w_lng);
        assert_close_deg(got, (g_lat, g_lng), 5e-6, "gcoord spec");
        assert_close_deg(got, (g_lat, g_lng), 1e-8, "gcoord spec (tight)");

        let (w_lat, w_lng, g_lat, g_lng) = COORDTRANSFORM_README_VECTOR;
        let got = wgs84_to_gcj02(w_lat, w_lng);
        assert_close_deg(got, (g_lat, g_lng), 1e-6, "coordtransform README");
        assert_close_deg(got, (g_lat, g_lng), 1e-9, "coordtransform README (tight)");
    }

    #[test]
    fn gcj02_to_wgs84_matches_gcoord_vector() {
        let (g_lat, g_lng, w_lat, w_lng) = GCOORD_INVERSE_VECTOR;
        let got = gcj02_to_wgs84(g_lat, g_lng);
        assert_close_deg(got, (w_lat, w_lng), 5e-6, "gcoord inverse");
    }

    #[test]
    fn gcj02_to_wgs84_inverts_published_vectors() {
        for &(w_lat, w_lng, g_lat, g_lng) in &EVILTRANSFORM_VECTORS {
            let (lat, lng) = gcj02_to_wgs84(g_lat, g_lng);
            // The source's exact inverse is checked to 0.5 m; ours must do 0.05 m.
            let err = haversine_m(ll(lat, lng), ll(w_lat, w_lng));
            assert!(err < 0.05, "inverse of ({g_lat}, {g_lng}) is {err} m off");
        }
    }

    #[test]
    fn gcj02_round_trip_across_china() {
        let points = [
            ("Beijing Wangjing", 39.99, 116.48),
            ("Shanghai", 31.2304, 121.4737),
            ("Shenzhen", 22.5431, 114.0579),
            ("Urumqi", 43.8256, 87.6168),
            ("Harbin", 45.8038, 126.5350),
            ("Lhasa", 29.6520, 91.1721),
        ];
        for (name, lat, lng) in points {
            let (g_lat, g_lng) = wgs84_to_gcj02(lat, lng);
            let (w_lat, w_lng) = gcj02_to_wgs84(g_lat, g_lng);
            let err = haversine_m(ll(w_lat, w_lng), ll(lat, lng));
            assert!(err < 0.05, "{name}: round trip is {err} m off");
            let (r_lat, r_lng) = wgs84_to_gcj02(w_lat, w_lng);
            assert_close_deg((r_lat, r_lng), (g_lat, g_lng), 1e-8, name);
        }
    }

    #[test]
    fn gcj02_offset_in_beijing_is_hundreds_of_metres() {
        let wgs = ll(39.99, 116.48);
        let (g_lat, g_lng) = wgs84_to_gcj02(wgs.lat, wgs.lng);
        let offset = haversine_m(wgs, ll(g_lat, g_lng));
        assert!(
            (100.0..=700.0).contains(&offset),
            "Beijing GCJ-02 offset {offset} m"
        );

        // A store 30 m north of the user in WGS-84, published in GCJ-02.
        let store_wgs = ll(wgs.lat + 30.0 / 111_195.0, wgs.lng);
        let (s_lat, s_lng) = wgs84_to_gcj02(store_wgs.lat, store_wgs.lng);
        let converted = to_wgs84(s_lat, s_lng, Datum::Gcj02);
        let d = haversine_m(wgs, converted);
        assert!((d - 30.0).abs() < 0.1, "converted distance {d} m");
        let naive = haversine_m(wgs, ll(s_lat, s_lng));
        assert!(naive > 300.0, "naive distance {naive} m");
    }

    #[test]
    fn conversions_are_identity_outside_china() {
        for (lat, lng) in [
            (35.6812, 139.7671),
            (51.5074, -0.1278),
            (-33.8688, 151.2093),
        ] {
            assert!(out_of_china(lat, lng));
            assert_eq!(wgs84_to_gcj02(lat, lng), (lat, lng));
            assert_eq!(gcj02_to_wgs84(lat, lng), (lat, lng));
            assert_eq!(to_wgs84(lat, lng, Datum::Gcj02), ll(lat, lng));
        }
        assert!(!out_of_china(39.99, 116.48));
        assert_eq!(to_wgs84(39.99, 116.48, Datum::Wgs84), ll(39.99, 116.48));
    }

    #[test]
    fn non_finite_input_passes_through() {
        assert!(out_of_china(f64::NAN, 116.0));
        assert!(out_of_china(39.0, f64::INFINITY));
        let (lat, lng) = gcj02_to_wgs84(f64::NAN, 116.0);
        assert!(lat.is_nan());
        assert_eq!(lng, 116.0);
    }

    #[test]
    fn haversine_matches_published_distances() {
        // Rosetta Code "Haversine formula" task: BNA (36.12, -86.67) to LAX
        // (33.94, -118.40) is 2886.44444283798 km on a sphere of radius 6371.0 km.
        let published_m = 2_886_444.442_837_983;
        let d = haversine_m(ll(36.12, -86.67), ll(33.94, -118.40));
        assert!(
            ((d - published_m) / published_m).abs() < 1e-3,
            "BNA-LAX {d} m"
        );
        // Rescaled to our radius the agreement must be exact up to rounding.
        let rescaled = published_m * EARTH_RADIUS_M / 6_371_000.0;
        assert!(((d - rescaled) / rescaled).abs() < 1e-9, "BNA-LAX {d} m");

        // One degree of latitude on the mean sphere is about 111.19 km.
        let one_deg = haversine_m(ll(10.0, 20.0), ll(11.0, 20.0));
        assert!(
            ((one_deg - 111_195.0) / 111_195.0).abs() < 1e-3,
            "{one_deg} m"
        );

        assert_eq!(haversine_m(ll(1.0, 2.0), ll(1.0, 2.0)), 0.0);
        // Antipodes: half the circumference, and no NaN from rounding.
        let half = haversine_m(ll(30.0, 40.0), ll(-30.0, -140.0));
        let want = std::f64::consts::PI * EARTH_RADIUS_M;
        assert!(((half - want) / want).abs() < 1e-9, "antipodes {half} m");
    }

    #[test]
    fn local_origin_matches_haversine() {
        let origin = ll(39.99, 116.48);
        let local = LocalOrigin::new(origin);
        // Bearings and distances chosen to cover short and long range.
        for distance in [10.0, 1_000.0, 50_000.0, 2_000_000.0] {
            for bearing_deg in [0.0_f64, 45.0, 90.0, 200.0] {
                let to = destination(origin, bearing_deg, distance);
                let h = haversine_m(origin, to);
                let l = local.distance_m(&UnitVector::new(to));
                let rel = ((l - h) / h).abs();
                assert!(rel < 1e-6, "{distance} m at {bearing_deg}: {l} vs {h}");
                assert!(
                    ((h - distance) / distance).abs() < 1e-6,
                    "{h} vs {distance}"
                );
            }
        }
        assert_eq!(local.distance_m(&local.unit_vector()), 0.0);
    }

    /// The point at `distance_m` along `bearing_deg` from `from`, on the sphere.
    fn destination(from: LatLng, bearing_deg: f64, distance_m: f64) -> LatLng {
        let delta = distance_m / EARTH_RADIUS_M;
        let theta = bearing_deg.to_radians();
        let phi1 = from.lat.to_radians();
        let lambda1 = from.lng.to_radians();
        let phi2 = (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * theta.cos()).asin();
        let lambda2 = lambda1
            + (theta.sin() * delta.sin() * phi1.cos()).atan2(delta.cos() - phi1.sin() * phi2.sin());
        ll(phi2.to_degrees(), lambda2.to_degrees())
    }

    #[test]
    fn unit_vector_axes() {
        let v = UnitVector::new(ll(0.0, 0.0));
        assert!((v.x - 1.0).abs() < 1e-15 && v.y.abs() < 1e-15 && v.z.abs() < 1e-15);
        let v = UnitVector::from(ll(90.0, 0.0));
        assert!((v.z - 1.0).abs() < 1e-15);
        let v = UnitVector::new(ll(0.0, 90.0));
        assert!((v.y - 1.0).abs() < 1e-15);
    }

    #[test]
    fn check_lat_lng_rejects_out_of_range_and_non_finite() {
        assert_eq!(
            check_lat_lng(91.0, 0.0),
            Err(("lat", "expected a latitude in -90..=90, got 91".to_owned()))
        );
        assert_eq!(
            check_lat_lng(0.0, -181.0),
            Err((
                "lng",
                "expected a longitude in -180..=180, got -181".to_owned()
            ))
        );
        assert_eq!(
            check_lat_lng(f64::NAN, 0.0),
            Err(("lat", "expected a latitude in -90..=90, got NaN".to_owned()))
        );
        assert_eq!(
            check_lat_lng(0.0, f64::INFINITY),
            Err((
                "lng",
                "expected a longitude in -180..=180, got Infinity".to_owned()
            ))
        );
        assert_eq!(
            check_lat_lng(f64::NEG_INFINITY, 0.0),
            Err((
                "lat",
                "expected a latitude in -90..=90, got -Infinity".to_owned()
            ))
        );
        assert_eq!(
            check_lat_lng(-90.5, 0.0),
            Err((
                "lat",
                "expected a latitude in -90..=90, got -90.5".to_owned()
            ))
        );
    }

    #[test]
    fn check_lat_lng_accepts_bounds() {
        assert_eq!(check_lat_lng(90.0, 180.0), Ok(()));
        assert_eq!(check_lat_lng(-90.0, -180.0), Ok(()));
        assert_eq!(check_lat_lng(0.0, 0.0), Ok(()));
        assert_eq!(check_lat_lng(39.99, 116.48), Ok(()));
    }
}
