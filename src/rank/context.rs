//! The context of one rank call: everything that depends on the user but not on the
//! offer (store distances, per-category affinities and reference prices, the sparse
//! list of offers the profile knows, the user vector), computed once before the loop
//! over offers, and the hard filters, score and order it applies to each offer.

use super::explain::FilterCode;
use super::features::{Curves, BAND_PRICE_RATIO, N_FEATURES};
use super::params::RankParams;
use crate::catalog::Catalog;
use crate::profile::{local_day, Profile, DAY_MS};
use crate::util::geo::LocalOrigin;

/// What the profile knows about one offer, resolved for this call.
#[derive(Clone, Copy, Debug)]
pub(super) struct Personal {
    pub(super) item_affinity: f64,
    pub(super) purchases: u32,
    /// Days since the last purchase, NaN if never.
    pub(super) days_since_purchase: f64,
    /// Learned cycle in days, 0 if not learned.
    pub(super) interval_days: f64,
    pub(super) dismissed: bool,
    pub(super) excluded: bool,
    pub(super) hidden: bool,
    /// Shown as often today as the daily cap allows.
    pub(super) capped: bool,
    /// Impressions since the last click.
    pub(super) ignored: u32,
    /// Fatigue score factor in (0, 1].
    pub(super) fatigue: f64,
}

impl Default for Personal {
    fn default() -> Self {
        Personal {
            item_affinity: 0.0,
            purchases: 0,
            days_since_purchase: f64::NAN,
            interval_days: 0.0,
            dismissed: false,
            excluded: false,
            hidden: false,
            capped: false,
            ignored: 0,
            fatigue: 1.0,
        }
    }
}

/// Per-category state resolved for this call.
#[derive(Clone, Copy, Debug)]
pub(super) struct CategoryCtx {
    pub(super) affinity: f64,
    /// ln of the price this user's band prefers in this category.
    pub(super) ln_band_price: f64,
    /// ln of the price the user usually pays here, NaN if unknown.
    pub(super) ln_paid: f64,
    pub(super) days_since_purchase: f64,
    pub(super) interval_days: f64,
    /// Dismissal damping factor in (0, 1].
    damping: f64,
    /// Shown as often today as the daily category cap allows.
    capped: bool,
}

/// Per-store state resolved for this call.
#[derive(Clone, Copy, Debug)]
pub(super) struct StoreCtx {
    /// Distance in km, NaN when the location is unknown.
    pub(super) km: f64,
    /// The proximity feature for every offer of this store (0 without a location).
    pub(super) proximity: f64,
    /// Whether the user is inside the store's radius (true without a location).
    in_range: bool,
}

/// Everything a rank call computes once before the loop over offers.
pub(super) struct Context<'a> {
    pub(super) catalog: &'a Catalog,
    pub(super) profile: &'a Profile,
    pub(super) params: &'a RankParams,
    pub(super) curves: Curves,
    pub(super) weights: [f64; N_FEATURES],
    pub(super) inv_total: f64,
    /// Per store, computed once per call: the distance, its proximity score and
    /// whether the user is inside the store's radius.
    pub(super) stores: Vec<StoreCtx>,
    pub(super) categories: Vec<CategoryCtx>,
    /// Offers the profile or the call mention, sorted by offer index.
    pub(super) personal: Vec<(usize, Personal)>,
    /// Cosine similarity of each offer to the user vector, when both exist.
    pub(super) similarity: Option<Vec<f32>>,
    pub(super) inv_ln_pop_max: f64,
    /// The catalog area the user is in (learned per-area popularity), if any.
    pub(super) area: Option<usize>,
    /// 1 / ln(1 + the best seller of that area), 0 without an area.
    pub(super) inv_ln_area_pop_max: f64,
}

impl<'a> Context<'a> {
    pub(super) fn new(catalog: &'a Catalog, profile: &'a Profile, params: &'a RankParams) -> Self {
        let now = params.now_ms;
        let location = params.location.or(profile.location());
        let area = location.and_then(|origin| nearest_area(catalog, origin));
        let stores = catalog
            .stores()
            .iter()
            .map(|s| match location {
                None => StoreCtx {
                    km: f64::NAN,
                    proximity: 0.0,
                    in_range: true,
                },
                Some(origin) => {
                    let km = LocalOrigin::new(origin).distance_m(&s.unit) / 1000.0;
                    StoreCtx {
                        km,
                        proximity: params.proximity.eval(km),
                        in_range: s.radius_km.is_none_or(|r| km <= r),
                    }
                }
            })
            .collect();
        let fatigue = &params.fatigue;
        let today = local_day(now, profile.utc_offset_minutes());
        let band_ln_ratio = profile
            .income_band()
            .map(|b| libm::log(BAND_PRICE_RATIO[usize::from(b.clamp(1, 5) - 1)]));
        let categories = catalog
            .categories()
            .iter()
            .enumerate()
            .map(|(c, name)| {
                let state = profile.categories().get(name);
                let affinity = state.map_or(0.0, |s| s.affinity.at(now));
                CategoryCtx {
                    affinity: 1.0 - libm::exp(-affinity / 1.5),
                    ln_band_price: band_ln_ratio
                        .map_or(f64::NAN, |r| catalog.category_ln_price(c) + r),
                    ln_paid: state
                        .filter(|s| s.price_count > 0)
                        .map_or(f64::NAN, |s| s.ln_price_mean),
                    days_since_purchase: state
                        .filter(|s| s.purchases > 0)
                        .map_or(f64::NAN, |s| (now - s.last_purchase_at) / DAY_MS),
                    interval_days: state.map_or(0.0, |s| s.interval_days),
                    damping: match state {
                        Some(s) if fatigue.enabled && s.dismissals.value > 0.0 => {
                            crate::rank::decay::powf(fatigue.dismiss_damping, s.dismissals.at(now))
                        }
                        _ => 1.0,
                    },
                    capped: fatigue.enabled
                        && state.is_some_and(|s| {
                            s.day == today
                                && fatigue
                                    .max_per_category_per_day
                                    .is_some_and(|m| s.day_impressions >= m)
                        }),
                }
            })
            .collect();
        let mut personal: Vec<(usize, Personal)> = Vec::new();
        for (id, s) in profile.items() {
            if let Some(idx) = catalog.offer_idx(id) {
                personal.push((
                    idx,
                    Personal {
                        item_affinity: 1.0 - libm::exp(-s.affinity.at(now)),
                        purchases: s.purchases,
                        days_since_purchase: if s.purchases > 0 {
                            (now - s.last_purchase_at) / DAY_MS
                        } else {
                            f64::NAN
                        },
                        interval_days: s.interval_days,
                        ignored: s.ignored,
                        fatigue: fatigue.factor(s.ignored, s.last_impression_at, now),
                        capped: fatigue.enabled
                            && s.day == today
                            && fatigue
                                .max_per_offer_per_day
                                .is_some_and(|m| s.day_impressions >= m),
                        ..Personal::default()
                    },
                ));
            }
        }
        let mut mark = |id: &str, f: fn(&mut Personal)| {
            if let Some(idx) = catalog.offer_idx(id) {
                match personal.iter_mut().find(|(i, _)| *i == idx) {
                    Some((_, p)) => f(p),
                    None => {
                        let mut p = Personal::default();
                        f(&mut p);
                        personal.push((idx, p));
                    }
                }
            }
        };
        for id in profile.dismissed() {
            mark(id, |p| p.dismissed = true);
        }
        for id in &params.exclude {
            mark(id, |p| p.excluded = true);
        }
        for id in &params.hide {
            mark(id, |p| p.hidden = true);
        }
        let personal: Vec<(usize, Personal)> =
            crate::util::order::ascending(personal.iter().map(|(idx, _)| *idx as f64))
                .into_iter()
                .map(|j| personal[j as usize])
                .collect();
        let similarity = user_vector(catalog, profile, &personal).map(|u| {
            let rows = catalog.embeddings().chunks_exact(u.len());
            rows.map(|row| dot(row, &u)).collect()
        });
        let ln_pop_max = catalog.ln_popularity_max();
        let weights = params.weights.0;
        Context {
            catalog,
            profile,
            params,
            curves: Curves::new(),
            weights,
            inv_total: 1.0 / params.weights.total(),
            stores,
            categories,
            personal,
            similarity,
            area,
            inv_ln_area_pop_max: area.map_or(0.0, |a| {
                let m = catalog.ln_area_popularity_max(a);
                if m > 0.0 {
                    1.0 / m
                } else {
                    0.0
                }
            }),
            inv_ln_pop_max: if ln_pop_max > 0.0 {
                1.0 / ln_pop_max
            } else {
                0.0
            },
        }
    }

    /// Reports the hard filters that remove offer `i` to `sink`, in a fixed order,
    /// until `sink` returns false.
    #[inline]
    pub(super) fn check_filters(
        &self,
        i: usize,
        p: Option<&Personal>,
        mut sink: impl FnMut(FilterCode) -> bool,
    ) {
        let c = &self.catalog.cols;
        let now = self.params.now_ms;
        let min_age = c.min_age[i];
        let age_blocked = min_age > 0
            && match self.profile.age() {
                Some(age) => age < u32::from(min_age),
                None => !self.params.allow_unknown_age,
            };
        let checks = [
            (c.stock[i] == 0, FilterCode::OutOfStock),
            (now < c.starts_at[i], FilterCode::NotStarted),
            (now >= c.ends_at[i], FilterCode::Ended),
            (
                !self.stores[c.store[i] as usize].in_range,
                FilterCode::OutOfRange,
            ),
            (age_blocked, FilterCode::AgeRestricted),
            (p.is_some_and(|p| p.dismissed), FilterCode::Dismissed),
            (p.is_some_and(|p| p.excluded), FilterCode::Excluded),
            (p.is_some_and(|p| p.hidden), FilterCode::Hidden),
            (p.is_some_and(|p| p.capped), FilterCode::OfferCap),
            (
                self.categories[c.category[i] as usize].capped,
                FilterCode::CategoryCap,
            ),
        ];
        for (hit, code) in checks {
            if hit && !sink(code) {
                return;
            }
        }
    }

    /// Whether any hard filter removes offer `i`.
    #[inline]
    pub(super) fn is_filtered(&self, i: usize, p: Option<&Personal>) -> bool {
        let mut hit = false;
        self.check_filters(i, p, |_| {
            hit = true;
            false
        });
        hit
    }

    #[inline]
    pub(super) fn score(&self, f: &[f64; N_FEATURES]) -> f64 {
        let s: f64 = self.weights.iter().zip(f).map(|(w, x)| w * x).sum();
        s * self.inv_total
    }

    /// The fatigue and dismissal-damping factors of offer `i`.
    #[inline]
    pub(super) fn penalties(&self, i: usize, p: Option<&Personal>) -> (f64, f64) {
        let damping = self.categories[self.catalog.cols.category[i] as usize].damping;
        (p.map_or(1.0, |p| p.fatigue), damping)
    }

    /// The final score of offer `i`, or `None` when a hard filter removes it.
    #[inline]
    pub(super) fn final_score(&self, i: usize, p: Option<&Personal>) -> Option<f64> {
        if self.is_filtered(i, p) {
            return None;
        }
        let (fatigue, damping) = self.penalties(i, p);
        Some(self.score(&self.features(i, p)) * fatigue * damping)
    }

    pub(super) fn personal(&self, i: usize) -> Option<&Personal> {
        self.personal
            .binary_search_by_key(&i, |(idx, _)| *idx)
            .ok()
            .map(|j| &self.personal[j].1)
    }

    /// Whether offer `a` ranks before offer `b` (higher score, then smaller id).
    pub(super) fn before(&self, a: (f64, usize), b: (f64, usize)) -> std::cmp::Ordering {
        b.0.total_cmp(&a.0)
            .then_with(|| self.catalog.offer_id(a.1).cmp(self.catalog.offer_id(b.1)))
    }
}

/// The user vector: the affinity-weighted sum of the embeddings of the offers the
/// profile knows, L2-normalised. `None` without embeddings or positive affinities.
fn user_vector(
    catalog: &Catalog,
    profile: &Profile,
    personal: &[(usize, Personal)],
) -> Option<Vec<f32>> {
    let d = catalog.embedding_dim();
    if d == 0 {
        return None;
    }
    let _ = profile;
    let mut u = vec![0.0f64; d];
    let mut any = false;
    for (idx, p) in personal {
        if p.item_affinity <= 0.0 || p.dismissed {
            continue;
        }
        if let Some(e) = catalog.offer_embedding(*idx) {
            for (ui, ei) in u.iter_mut().zip(e) {
                *ui += p.item_affinity * f64::from(*ei);
            }
            any = true;
        }
    }
    let norm = u.iter().map(|x| x * x).sum::<f64>().sqrt();
    (any && norm > 0.0).then(|| u.iter().map(|x| (x / norm) as f32).collect())
}

/// `Σ xs[i]·ys[i]` with eight partial sums, added up in the order of ndarray's
/// `unrolled_dot` (so results match the matrix–vector product it replaced, bit for
/// bit): the independent sums let the compiler use SIMD lanes (`simd128`) without
/// reassociating floating point.
pub(super) fn dot(xs: &[f32], ys: &[f32]) -> f32 {
    let len = xs.len().min(ys.len());
    let (mut xs, mut ys) = (&xs[..len], &ys[..len]);
    let mut p = [0.0f32; 8];
    while xs.len() >= 8 {
        for k in 0..8 {
            p[k] += xs[k] * ys[k];
        }
        xs = &xs[8..];
        ys = &ys[8..];
    }
    let mut sum = 0.0f32;
    sum += p[0] + p[4];
    sum += p[1] + p[5];
    sum += p[2] + p[6];
    sum += p[3] + p[7];
    for (x, y) in xs.iter().zip(ys) {
        sum += x * y;
    }
    sum
}

/// The nearest catalog area whose radius covers `origin`.
fn nearest_area(catalog: &Catalog, origin: crate::util::geo::LatLng) -> Option<usize> {
    let local = LocalOrigin::new(origin);
    catalog
        .areas()
        .iter()
        .enumerate()
        .map(|(i, a)| (i, local.distance_m(&a.unit) / 1000.0, a.radius_km))
        .filter(|(_, km, r)| km <= r)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_is_bit_identical_to_ndarrays_matrix_vector_product() {
        // Rows of every length from 0 to 40 (whole blocks of eight and every tail),
        // values of mixed sign and magnitude from a fixed generator.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 23) as f32 * 2.0 - 1.0
        };
        for d in 0..=40usize {
            let rows = 7;
            let m: Vec<f32> = (0..rows * d).map(|k| next() * (1 + k % 5) as f32).collect();
            let u: Vec<f32> = (0..d).map(|_| next()).collect();
            let want = ndarray::ArrayView2::from_shape((rows, d), &m[..])
                .unwrap()
                .dot(&ndarray::ArrayView1::from(&u[..]));
            for (r, w) in want.iter().enumerate() {
                let got = dot(&m[r * d..(r + 1) * d], &u);
                assert_eq!(got.to_bits(), w.to_bits(), "d = {d}, row {r}");
            }
        }
    }
}
