//! Ranking: hard filters → feature scores → weighted sum → top-K → explanations.
//!
//! A rank call first builds a [`Context`]: everything that depends on the user but
//! not on the offer (store distances, per-category affinities and reference prices,
//! the sparse list of offers the profile knows, the user vector). The loop over the
//! offers then reads only columns and that context; the top-K is kept bounded, and
//! reasons and breakdowns are built only for the offers returned.

use serde::Serialize;

use crate::catalog::{age_band, Catalog, NO_AGE_MAX};
use crate::decay::Decay;
use crate::explain::{filter_text, reason_text, FilterCode, ReasonKind};
use crate::geo::LocalOrigin;
use crate::input::DecayFunction;
use crate::params::{Feature, RankParams, N_FEATURES};
use crate::profile::{local_day, Profile, DAY_MS};
use crate::rerank::{self, Pick, Tag};

/// One ranked offer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RankedOffer {
    /// The offer id.
    pub offer_id: String,
    /// The score in 0..=1 (Σ wᵢ·fᵢ / Σ wᵢ).
    pub score: f64,
    /// 1-based position.
    pub rank: u32,
    /// The offer title.
    pub title: String,
    /// Leaf category.
    pub category: String,
    /// Price in CNY.
    pub price: f64,
    /// The store id.
    pub store_id: String,
    /// The store name.
    pub store_name: String,
    /// Distance from the user to the store in metres, when the location is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// Why it was chosen, strongest first.
    pub reasons: Vec<Reason>,
    /// Each feature's contribution to `score` (they add up to it).
    pub breakdown: Breakdown,
}

/// A reason with its rendered text and its contribution to the score.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    /// The code and its parameters.
    #[serde(flatten)]
    pub kind: ReasonKind,
    /// Rendered text in the requested locale.
    pub text: String,
    /// The contribution of the feature behind this reason to the score (0 for
    /// `coldStart`).
    pub weight: f64,
}

/// Per-feature contributions `wᵢ·fᵢ / Σ wᵢ`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub struct Breakdown {
    pub proximity: f64,
    pub age_fit: f64,
    pub price_fit: f64,
    pub item_affinity: f64,
    pub category_affinity: f64,
    pub embedding: f64,
    pub repurchase: f64,
    pub popularity: f64,
    pub freshness: f64,
    pub discount: f64,
    pub boost: f64,
}

impl Breakdown {
    fn from_contributions(c: &[f64; N_FEATURES]) -> Self {
        Breakdown {
            proximity: c[0],
            age_fit: c[1],
            price_fit: c[2],
            item_affinity: c[3],
            category_affinity: c[4],
            embedding: c[5],
            repurchase: c[6],
            popularity: c[7],
            freshness: c[8],
            discount: c[9],
            boost: c[10],
        }
    }

    /// The contribution of one feature.
    pub fn get(&self, feature: Feature) -> f64 {
        match feature {
            Feature::Proximity => self.proximity,
            Feature::AgeFit => self.age_fit,
            Feature::PriceFit => self.price_fit,
            Feature::ItemAffinity => self.item_affinity,
            Feature::CategoryAffinity => self.category_affinity,
            Feature::Embedding => self.embedding,
            Feature::Repurchase => self.repurchase,
            Feature::Popularity => self.popularity,
            Feature::Freshness => self.freshness,
            Feature::Discount => self.discount,
            Feature::Boost => self.boost,
        }
    }
}

/// An offer removed by a hard filter.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FilteredOffer {
    /// The offer id.
    pub offer_id: String,
    /// The offer title.
    pub title: String,
    /// Every filter that applies, in a fixed order.
    pub codes: Vec<FilterCode>,
    /// The first code rendered in the requested locale.
    pub text: String,
}

/// Neutral score for a feature that cannot be judged (unknown age, no targeting).
const NEUTRAL: f64 = 0.5;
/// Preferred price relative to the category's typical price, per income band 1..=5.
const BAND_PRICE_RATIO: [f64; 5] = [0.6, 0.8, 1.0, 1.35, 1.8];
/// The fixed curves of the features other than proximity.
#[derive(Clone, Copy, Debug)]
struct Curves {
    /// Age fit outside the targeted range: 0.5 at 8 years out.
    age: Decay,
    /// Price fit on |ln(price / preferred)|: 0.5 at a factor of two.
    price: Decay,
    /// Repurchase before the cycle is due, on 1 − t/cycle.
    early: Decay,
    /// Repurchase after the cycle is due, on t/cycle − 1.
    late: Decay,
    /// Freshness on days since the sale started: 1 for a day, 0.5 a week later.
    fresh: Decay,
}

impl Curves {
    fn new() -> Self {
        use DecayFunction::{Exp, Gauss};
        Curves {
            age: Decay::unchecked(Gauss, 0.0, 8.0, 0.5),
            price: Decay::unchecked(Gauss, 0.0, std::f64::consts::LN_2, 0.5),
            early: Decay::unchecked(Gauss, 0.1, 0.3, 0.5),
            late: Decay::unchecked(Gauss, 0.25, 1.0, 0.5),
            fresh: Decay::unchecked(Exp, 1.0, 7.0, 0.5),
        }
    }

    /// How due a replenishment is, for `days_since` the last purchase and a cycle.
    fn repurchase(&self, days_since: f64, cycle_days: f64) -> f64 {
        if cycle_days <= 0.0 || days_since < 0.0 {
            return 0.0;
        }
        let r = days_since / cycle_days;
        if r < 1.0 {
            self.early.eval(1.0 - r)
        } else {
            self.late.eval(r - 1.0)
        }
    }
}
/// Category-level repurchase counts this much of an item-level one.
const CATEGORY_REPURCHASE_FACTOR: f64 = 0.6;
/// Share of the popularity feature taken by the popularity in the user's area, when
/// the catalog has learned per-area popularity and the user is in an area.
const AREA_SHARE: f64 = 0.5;
/// Reasons kept per offer.
const MAX_REASONS: usize = 3;

/// How due a replenishment is (0..=1) for `days_since` the last purchase and a
/// purchase cycle: near 1 from 90 % of the cycle to 125 % of it, lower before,
/// slowly lower after.
pub fn repurchase_score(days_since: f64, cycle_days: f64) -> f64 {
    Curves::new().repurchase(days_since, cycle_days)
}

/// What the profile knows about one offer, resolved for this call.
#[derive(Clone, Copy, Debug)]
struct Personal {
    item_affinity: f64,
    purchases: u32,
    /// Days since the last purchase, NaN if never.
    days_since_purchase: f64,
    /// Learned cycle in days, 0 if not learned.
    interval_days: f64,
    dismissed: bool,
    excluded: bool,
    hidden: bool,
    /// Shown as often today as the daily cap allows.
    capped: bool,
    /// Impressions since the last click.
    ignored: u32,
    /// Fatigue score factor in (0, 1].
    fatigue: f64,
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
struct CategoryCtx {
    affinity: f64,
    /// ln of the price this user's band prefers in this category.
    ln_band_price: f64,
    /// ln of the price the user usually pays here, NaN if unknown.
    ln_paid: f64,
    days_since_purchase: f64,
    interval_days: f64,
    /// Dismissal damping factor in (0, 1].
    damping: f64,
    /// Shown as often today as the daily category cap allows.
    capped: bool,
}

/// Per-store state resolved for this call.
#[derive(Clone, Copy, Debug)]
struct StoreCtx {
    /// Distance in km, NaN when the location is unknown.
    km: f64,
    /// The proximity feature for every offer of this store (0 without a location).
    proximity: f64,
    /// Whether the user is inside the store's radius (true without a location).
    in_range: bool,
}

/// Everything a rank call computes once before the loop over offers.
struct Context<'a> {
    catalog: &'a Catalog,
    profile: &'a Profile,
    params: &'a RankParams,
    curves: Curves,
    weights: [f64; N_FEATURES],
    inv_total: f64,
    /// Per store, computed once per call: the distance, its proximity score and
    /// whether the user is inside the store's radius.
    stores: Vec<StoreCtx>,
    categories: Vec<CategoryCtx>,
    /// Offers the profile or the call mention, sorted by offer index.
    personal: Vec<(usize, Personal)>,
    /// Cosine similarity of each offer to the user vector, when both exist.
    similarity: Option<Vec<f32>>,
    inv_ln_pop_max: f64,
    /// The catalog area the user is in (learned per-area popularity), if any.
    area: Option<usize>,
    /// 1 / ln(1 + the best seller of that area), 0 without an area.
    inv_ln_area_pop_max: f64,
}

impl<'a> Context<'a> {
    fn new(catalog: &'a Catalog, profile: &'a Profile, params: &'a RankParams) -> Self {
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
                            crate::decay::powf(fatigue.dismiss_damping, s.dismissals.at(now))
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
            crate::order::ascending(personal.iter().map(|(idx, _)| *idx as f64))
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
    fn check_filters(
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
    fn is_filtered(&self, i: usize, p: Option<&Personal>) -> bool {
        let mut hit = false;
        self.check_filters(i, p, |_| {
            hit = true;
            false
        });
        hit
    }

    /// The feature scores of offer `i`, each in 0..=1.
    #[inline]
    fn features(&self, i: usize, p: Option<&Personal>) -> [f64; N_FEATURES] {
        self.features_or_bound::<true>(i, p)
    }

    /// With `EXACT`, the feature scores of offer `i`; without, an upper bound of each
    /// that skips the transcendental calls (a decay curve is replaced by its maximum,
    /// 1). Every curve is ≤ 1 and every weight ≥ 0, and rounding is monotone, so the
    /// bound's weighted score is never below the exact one: an offer whose bound
    /// cannot reach the current top-K threshold is skipped without losing anything.
    #[inline]
    fn features_or_bound<const EXACT: bool>(
        &self,
        i: usize,
        p: Option<&Personal>,
    ) -> [f64; N_FEATURES] {
        let c = &self.catalog.cols;
        let cat = &self.categories[c.category[i] as usize];
        let mut f = [0.0; N_FEATURES];

        f[Feature::Proximity as usize] = self.stores[c.store[i] as usize].proximity;

        f[Feature::AgeFit as usize] = match self.profile.age() {
            None => NEUTRAL,
            Some(age) => {
                let (lo, hi) = (c.age_min[i], c.age_max[i]);
                let hand = (lo != 0 || hi != NO_AGE_MAX).then(|| {
                    let age = age as f64;
                    let out = (f64::from(lo) - age).max(age - f64::from(hi)).max(0.0);
                    if EXACT {
                        self.curves.age.eval(out)
                    } else {
                        1.0
                    }
                });
                // Learned audience lift l of the user's age band: l / (1 + l), so
                // 0.5 at the base rate.
                let learned = self
                    .catalog
                    .offer_age_lift(i)
                    .map(|lift| lift_score(lift[age_band(age)]));
                match (hand, learned) {
                    (Some(h), Some(l)) => 0.5 * (h + l),
                    (Some(x), None) | (None, Some(x)) => x,
                    (None, None) => NEUTRAL,
                }
            }
        };

        let ln_price = f64::from(c.ln_price[i]);
        let mut price_sum = 0.0;
        let mut price_n = 0u32;
        let price_curve = |x: f64| {
            if EXACT {
                self.curves.price.eval(x)
            } else {
                1.0
            }
        };
        if !cat.ln_band_price.is_nan() {
            price_sum += price_curve(ln_price - cat.ln_band_price);
            price_n += 1;
        }
        if !cat.ln_paid.is_nan() {
            price_sum += price_curve(ln_price - cat.ln_paid);
            price_n += 1;
        }
        let mask = c.income_mask[i];
        if mask != 0 {
            if let Some(band) = self.profile.income_band() {
                price_sum += if mask & (1 << (band - 1)) != 0 {
                    1.0
                } else {
                    0.2
                };
                price_n += 1;
            }
        }
        if let (Some(band), Some(lift)) = (
            self.profile.income_band(),
            self.catalog.offer_income_lift(i),
        ) {
            price_sum += lift_score(lift[usize::from(band.clamp(1, 5) - 1)]);
            price_n += 1;
        }
        f[Feature::PriceFit as usize] = if price_n == 0 {
            NEUTRAL
        } else {
            price_sum / f64::from(price_n)
        };

        f[Feature::CategoryAffinity as usize] = cat.affinity;
        if let Some(sim) = &self.similarity {
            f[Feature::Embedding as usize] = f64::from(sim[i]).clamp(0.0, 1.0);
        }

        let cycle = f64::from(c.repurchase_days[i]);
        let mut repurchase = 0.0;
        if !cat.days_since_purchase.is_nan() {
            let cat_cycle = if cycle > 0.0 {
                cycle
            } else {
                cat.interval_days
            };
            repurchase = CATEGORY_REPURCHASE_FACTOR
                * if EXACT {
                    self.curves.repurchase(cat.days_since_purchase, cat_cycle)
                } else {
                    1.0
                };
        }
        if let Some(p) = p {
            // Learned share of buyers who rebuy: past purchases of an offer people
            // rarely buy twice say less about the next basket.
            f[Feature::ItemAffinity as usize] = match self.catalog.offer_repurchase_rate(i) {
                Some(r) => p.item_affinity * r.sqrt(),
                None => p.item_affinity,
            };
            if !p.days_since_purchase.is_nan() {
                let item_cycle = if p.interval_days > 0.0 {
                    p.interval_days
                } else {
                    cycle
                };
                repurchase = repurchase.max(if EXACT {
                    self.curves.repurchase(p.days_since_purchase, item_cycle)
                } else {
                    1.0
                });
            }
        }
        f[Feature::Repurchase as usize] = repurchase;

        let global = f64::from(c.ln_popularity[i]) * self.inv_ln_pop_max;
        f[Feature::Popularity as usize] = match self.area {
            Some(a) => {
                let local = f64::from(c.ln_area_popularity[i * self.catalog.areas().len() + a])
                    * self.inv_ln_area_pop_max;
                AREA_SHARE * local + (1.0 - AREA_SHARE) * global
            }
            None => global,
        };
        let started = c.starts_at[i];
        f[Feature::Freshness as usize] = if started.is_finite() && !EXACT {
            1.0
        } else if started.is_finite() {
            self.curves
                .fresh
                .eval(((self.params.now_ms - started) / DAY_MS).max(0.0))
        } else {
            0.0
        };
        f[Feature::Discount as usize] = (f64::from(c.discount[i]) * 2.0).min(1.0);
        f[Feature::Boost as usize] = f64::from(c.boost[i]);
        f
    }

    #[inline]
    fn score(&self, f: &[f64; N_FEATURES]) -> f64 {
        let s: f64 = self.weights.iter().zip(f).map(|(w, x)| w * x).sum();
        s * self.inv_total
    }

    /// The fatigue and dismissal-damping factors of offer `i`.
    #[inline]
    fn penalties(&self, i: usize, p: Option<&Personal>) -> (f64, f64) {
        let damping = self.categories[self.catalog.cols.category[i] as usize].damping;
        (p.map_or(1.0, |p| p.fatigue), damping)
    }

    /// The final score of offer `i`, or `None` when a hard filter removes it.
    #[inline]
    fn final_score(&self, i: usize, p: Option<&Personal>) -> Option<f64> {
        if self.is_filtered(i, p) {
            return None;
        }
        let (fatigue, damping) = self.penalties(i, p);
        Some(self.score(&self.features(i, p)) * fatigue * damping)
    }

    fn personal(&self, i: usize) -> Option<&Personal> {
        self.personal
            .binary_search_by_key(&i, |(idx, _)| *idx)
            .ok()
            .map(|j| &self.personal[j].1)
    }

    /// Whether offer `a` ranks before offer `b` (higher score, then smaller id).
    fn before(&self, a: (f64, usize), b: (f64, usize)) -> std::cmp::Ordering {
        b.0.total_cmp(&a.0)
            .then_with(|| self.catalog.offer_id(a.1).cmp(self.catalog.offer_id(b.1)))
    }

    fn explain(&self, i: usize, p: Option<&Personal>, score: f64, rank: u32) -> RankedOffer {
        self.explain_tagged(i, p, score, rank, Tag::Ranked)
    }

    fn explain_tagged(
        &self,
        i: usize,
        p: Option<&Personal>,
        score: f64,
        rank: u32,
        tag: Tag,
    ) -> RankedOffer {
        let f = self.features(i, p);
        let (fatigue, damping) = self.penalties(i, p);
        let factor = fatigue * damping;
        let mut contributions = [0.0; N_FEATURES];
        let mut base = 0.0;
        for k in 0..N_FEATURES {
            let c = self.weights[k] * f[k] * self.inv_total;
            base += c;
            // Penalties scale every contribution, so the breakdown adds up to the score.
            contributions[k] = c * factor;
        }
        let c = &self.catalog.cols;
        let store = self.catalog.offer_store(i);
        let km = self.stores[c.store[i] as usize].km;
        let distance_m = (!km.is_nan()).then_some(km * 1000.0);
        let mut candidates: Vec<(ReasonKind, f64)> = Vec::new();
        let add = |cands: &mut Vec<(ReasonKind, f64)>, feature: Feature, kind: ReasonKind| {
            cands.push((kind, contributions[feature as usize]));
        };
        if f[Feature::Proximity as usize] >= 0.5 {
            if let Some(m) = distance_m {
                add(
                    &mut candidates,
                    Feature::Proximity,
                    ReasonKind::Nearby {
                        distance_m: ((m / 10.0).round() * 10.0) as u32,
                        store_name: store.name.clone(),
                    },
                );
            }
        }
        let targeted = c.age_min[i] > 0 || c.age_max[i] != NO_AGE_MAX;
        if targeted && self.profile.age().is_some() && f[Feature::AgeFit as usize] >= 0.9 {
            add(&mut candidates, Feature::AgeFit, ReasonKind::AgeFit);
        }
        if f[Feature::PriceFit as usize] >= 0.8 {
            add(&mut candidates, Feature::PriceFit, ReasonKind::PriceFit);
        }
        if let Some(p) = p.filter(|p| p.purchases > 0) {
            add(
                &mut candidates,
                Feature::ItemAffinity,
                ReasonKind::BoughtBefore { times: p.purchases },
            );
        }
        if f[Feature::CategoryAffinity as usize] >= 0.5 {
            add(
                &mut candidates,
                Feature::CategoryAffinity,
                ReasonKind::FrequentCategory {
                    category: self.catalog.offer_category(i).to_string(),
                },
            );
        }
        if f[Feature::Embedding as usize] >= 0.75 {
            add(
                &mut candidates,
                Feature::Embedding,
                ReasonKind::SimilarToLiked,
            );
        }
        if f[Feature::Repurchase as usize] >= 0.5 {
            let cat = &self.categories[c.category[i] as usize];
            let (days, cycle) = match p.filter(|p| !p.days_since_purchase.is_nan()) {
                Some(p) if p.interval_days > 0.0 => (p.days_since_purchase, p.interval_days),
                Some(p) => (p.days_since_purchase, f64::from(c.repurchase_days[i])),
                None if c.repurchase_days[i] > 0.0 => {
                    (cat.days_since_purchase, f64::from(c.repurchase_days[i]))
                }
                None => (cat.days_since_purchase, cat.interval_days),
            };
            add(
                &mut candidates,
                Feature::Repurchase,
                ReasonKind::RepurchaseDue {
                    days_since: days.max(0.0).floor() as u32,
                    cycle_days: cycle.round() as u32,
                },
            );
        }
        if f[Feature::Popularity as usize] >= 0.6 {
            add(
                &mut candidates,
                Feature::Popularity,
                ReasonKind::Popular {
                    sales: c.popularity[i].round() as u32,
                },
            );
        }
        if f[Feature::Freshness as usize] >= 0.5 {
            add(&mut candidates, Feature::Freshness, ReasonKind::NewArrival);
        }
        let depth = f64::from(c.discount[i]);
        if depth >= 0.1 {
            let price = self.catalog.offer_price(i);
            let original = price / (1.0 - depth);
            add(
                &mut candidates,
                Feature::Discount,
                ReasonKind::Discount {
                    save_yuan: ((original - price) * 10.0).round() / 10.0,
                    percent_off: (depth * 100.0).round() as u32,
                },
            );
        }
        if c.boost[i] > 0.0 {
            add(&mut candidates, Feature::Boost, ReasonKind::Promoted);
        }
        // Strongest first; equal weights keep the fixed order above.
        let mut candidates: Vec<(ReasonKind, f64)> =
            crate::order::ascending(candidates.iter().map(|(_, w)| -w))
                .into_iter()
                .map(|j| candidates[j as usize].clone())
                .collect();
        candidates.truncate(MAX_REASONS);
        if self.profile.is_cold() {
            candidates.insert(0, (ReasonKind::ColdStart, 0.0));
        }
        match tag {
            Tag::Pinned => candidates.insert(0, (ReasonKind::Pinned, 0.0)),
            Tag::Explored => candidates.insert(
                0,
                (
                    ReasonKind::Explore {
                        category: self.catalog.offer_category(i).to_string(),
                    },
                    0.0,
                ),
            ),
            Tag::Ranked => {}
        }
        // Penalties come last, weighted by the score they took away (negative).
        if damping < 1.0 {
            candidates.push((
                ReasonKind::LessOfCategory {
                    category: self.catalog.offer_category(i).to_string(),
                },
                -(base * (1.0 - damping)),
            ));
        }
        if fatigue < 1.0 {
            candidates.push((
                ReasonKind::Fatigued {
                    impressions: p.map_or(0, |p| p.ignored),
                },
                -(base * damping * (1.0 - fatigue)),
            ));
        }
        let locale = self.params.locale;
        RankedOffer {
            offer_id: c.ids[i].clone(),
            score,
            rank,
            title: c.titles[i].clone(),
            category: self.catalog.offer_category(i).to_string(),
            price: self.catalog.offer_price(i),
            store_id: store.id.clone(),
            store_name: store.name.clone(),
            distance_m,
            reasons: candidates
                .into_iter()
                .map(|(kind, weight)| Reason {
                    text: reason_text(&kind, locale),
                    kind,
                    weight,
                })
                .collect(),
            breakdown: Breakdown::from_contributions(&contributions),
        }
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
fn dot(xs: &[f32], ys: &[f32]) -> f32 {
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

/// Ranks the catalog for one profile and returns the top `params.limit` offers,
/// re-ranked (pins, caps, MMR, exploration) when the options ask for it.
pub fn rank(catalog: &Catalog, profile: &Profile, params: &RankParams) -> Vec<RankedOffer> {
    let ctx = Context::new(catalog, profile, params);
    let limit = params.limit;
    let reranking =
        params.diversity.is_active() || params.explore.is_some() || !params.pin.is_empty();
    if !reranking {
        let best = scan(&ctx, limit, None);
        return best
            .iter()
            .enumerate()
            .map(|(r, &(score, i))| ctx.explain(i, ctx.personal(i), score, r as u32 + 1))
            .collect();
    }
    let mut best_per_category = Vec::new();
    let mut prior = Vec::new();
    if params.explore.is_some() {
        best_per_category = vec![(f64::NEG_INFINITY, usize::MAX); catalog.categories().len()];
        prior = catalog
            .categories()
            .iter()
            .map(|name| match profile.categories().get(name) {
                Some(s) => (
                    1.0 + s.affinity.at(params.now_ms),
                    1.0 + s.impressions.at(params.now_ms) + 3.0 * s.dismissals.at(params.now_ms),
                ),
                None => (1.0, 1.0),
            })
            .collect();
    }
    let pool = scan(
        &ctx,
        rerank::pool_size(limit).min(catalog.len().max(1)),
        params
            .explore
            .is_some()
            .then_some(&mut best_per_category[..]),
    );
    let mut pinned: Vec<(f64, usize)> = Vec::new();
    for id in &params.pin {
        if let Some(i) = catalog.offer_idx(id) {
            if pinned.iter().any(|p| p.1 == i) {
                continue;
            }
            if let Some(score) = ctx.final_score(i, ctx.personal(i)) {
                pinned.push((score, i));
            }
        }
    }
    let picks: Vec<Pick> = rerank::rerank(&rerank::Input {
        catalog,
        pool: &pool,
        pinned: &pinned,
        best_per_category: &best_per_category,
        prior: &prior,
        limit,
        diversity: params.diversity,
        explore: params.explore,
    });
    picks
        .iter()
        .enumerate()
        .map(|(r, pick)| {
            ctx.explain_tagged(
                pick.idx,
                ctx.personal(pick.idx),
                pick.score,
                r as u32 + 1,
                pick.tag,
            )
        })
        .collect()
}

/// One pass over the catalog: the best `k` offers by final score, sorted (score
/// descending, id ascending), and, when asked, the best offer of every category.
fn scan(
    ctx: &Context<'_>,
    k: usize,
    mut best_per_category: Option<&mut [(f64, usize)]>,
) -> Vec<(f64, usize)> {
    let catalog = ctx.catalog;
    let n = catalog.len();
    let k = k.max(1);
    // Bounded selection: keep at most 2k candidates, shrink to the best k whenever
    // the buffer fills, and skip offers that cannot beat the current k-th best.
    let mut best: Vec<(f64, usize)> = Vec::with_capacity(2 * k + 1);
    let mut threshold = f64::NEG_INFINITY;
    let mut cursor = 0;
    for i in 0..n {
        let mut p = None;
        if cursor < ctx.personal.len() && ctx.personal[cursor].0 == i {
            p = Some(&ctx.personal[cursor].1);
            cursor += 1;
        }
        if ctx.is_filtered(i, p) {
            continue;
        }
        let (fatigue, damping) = ctx.penalties(i, p);
        // Exploration needs every category's best exact score; otherwise an offer whose
        // upper bound cannot reach the threshold is skipped before the exp/ln work.
        if best_per_category.is_none()
            && threshold > f64::NEG_INFINITY
            && ctx.score(&ctx.features_or_bound::<false>(i, p)) * fatigue * damping < threshold
        {
            continue;
        }
        let score = ctx.score(&ctx.features(i, p)) * fatigue * damping;
        if let Some(per_cat) = best_per_category.as_deref_mut() {
            let slot = &mut per_cat[catalog.cols.category[i] as usize];
            if slot.0 == f64::NEG_INFINITY || ctx.before((score, i), *slot).is_lt() {
                *slot = (score, i);
            }
        }
        if score < threshold {
            continue;
        }
        best.push((score, i));
        if best.len() == 2 * k {
            // Sorting the 2k buffer (rather than selecting) keeps to the one compiled
            // sort; it runs about k·ln(n/k) / k times per scan on shuffled input.
            crate::order::sort_pairs_by(&mut best, &|a, b| ctx.before(*a, *b));
            best.truncate(k);
            threshold = best[k - 1].0;
        }
    }
    crate::order::sort_pairs_by(&mut best, &|a, b| ctx.before(*a, *b));
    best.truncate(k);
    best
}

/// Scores offers for one profile and call: the building block of group selection and
/// the push gate.
pub struct Scorer<'a> {
    ctx: Context<'a>,
}

impl<'a> Scorer<'a> {
    /// Precomputes everything that depends on the profile and call.
    pub fn new(catalog: &'a Catalog, profile: &'a Profile, params: &'a RankParams) -> Self {
        Scorer {
            ctx: Context::new(catalog, profile, params),
        }
    }

    /// The best `k` offers by final score (after filters, fatigue and damping), sorted
    /// by score descending then id.
    pub fn top(&self, k: usize) -> Vec<(f64, usize)> {
        scan(&self.ctx, k, None)
    }

    /// The final score of one offer, `None` when a hard filter removes it.
    pub fn score(&self, offer_idx: usize) -> Option<f64> {
        self.ctx
            .final_score(offer_idx, self.ctx.personal(offer_idx))
    }

    /// The explained offer at `rank`.
    pub fn explain(&self, offer_idx: usize, score: f64, rank: u32) -> RankedOffer {
        self.ctx
            .explain(offer_idx, self.ctx.personal(offer_idx), score, rank)
    }
}

/// The offers hard filters remove for this profile and call, with every code that
/// applies, in catalog order.
pub fn filtered(catalog: &Catalog, profile: &Profile, params: &RankParams) -> Vec<FilteredOffer> {
    let ctx = Context::new(catalog, profile, params);
    let mut out = Vec::new();
    let mut cursor = 0;
    for i in 0..catalog.len() {
        let mut p = None;
        if cursor < ctx.personal.len() && ctx.personal[cursor].0 == i {
            p = Some(&ctx.personal[cursor].1);
            cursor += 1;
        }
        let mut codes = Vec::new();
        ctx.check_filters(i, p, |code| {
            codes.push(code);
            true
        });
        if let Some(first) = codes.first() {
            out.push(FilteredOffer {
                offer_id: catalog.offer_id(i).to_string(),
                title: catalog.offer_title(i).to_string(),
                text: filter_text(*first, params.locale).to_string(),
                codes,
            });
        }
    }
    out
}

/// The feature scores of one offer for a profile and call (for tests and tools).
pub fn offer_features(
    catalog: &Catalog,
    profile: &Profile,
    params: &RankParams,
    offer_idx: usize,
) -> [f64; N_FEATURES] {
    let ctx = Context::new(catalog, profile, params);
    let p = ctx
        .personal
        .binary_search_by_key(&offer_idx, |(idx, _)| *idx)
        .ok()
        .map(|j| &ctx.personal[j].1);
    ctx.features(offer_idx, p)
}

/// A learned audience lift `l` as a score in 0..1: `l / (1 + l)` (0.5 at the base rate).
fn lift_score(lift: f32) -> f64 {
    let l = f64::from(lift).max(0.0);
    l / (1.0 + l)
}

/// The nearest catalog area whose radius covers `origin`.
fn nearest_area(catalog: &Catalog, origin: crate::geo::LatLng) -> Option<usize> {
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
    use crate::input::{EngineOptions, RankOptions};
    use crate::params::EngineConfig;
    use crate::sample::{sample_catalog, sample_users, SampleOptions};

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

    /// The pruning bound is never below the exact score, for every offer and sample
    /// user (with and without their location), so pruning cannot change a feed.
    #[test]
    fn the_pruning_bound_is_never_below_the_exact_score() {
        let now = 1_764_036_000_000.0;
        let input = sample_catalog(&SampleOptions {
            offers: 3000,
            embedding_dim: 16,
            seed: 3,
        });
        let users = sample_users(&input, now);
        let engine = crate::Engine::new(input, &EngineOptions::default()).unwrap();
        let catalog = engine.catalog();
        let mut pruned_somewhere = 0;
        for u in &users {
            let profile = Profile::from_user(&u.user).unwrap();
            for location in [None, u.user.location] {
                let options = RankOptions {
                    now: Some(now),
                    location,
                    ..Default::default()
                };
                let params = RankParams::resolve(&EngineConfig::default(), &options, now).unwrap();
                let ctx = Context::new(catalog, &profile, &params);
                for i in 0..catalog.len() {
                    let p = ctx.personal(i);
                    let exact = ctx.score(&ctx.features(i, p));
                    let bound = ctx.score(&ctx.features_or_bound::<false>(i, p));
                    assert!(bound >= exact, "{} offer {i}: {bound} < {exact}", u.id);
                    if bound > exact {
                        pruned_somewhere += 1;
                    }
                }
            }
        }
        // The bound is not trivially equal: it really skips curve evaluations.
        assert!(pruned_somewhere > 1000, "{pruned_somewhere}");
    }
}
