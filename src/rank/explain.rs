//! Explanations: structured reason codes, when each is given, and their zh-CN / en
//! texts.
//!
//! A reason is data first (`code` plus parameters, serialised to JS as
//! `{ code: 'nearby', distanceM: 350, storeName: '…', text: '距你 350 米', … }`) and
//! text second; texts are rendered only for the offers returned. The reasons of a
//! ranked offer are chosen here (`Context::explain_tagged`: thresholds on its
//! feature scores, strongest first), next to their texts; filter codes and the push
//! gate's codes have their texts here too.

use serde::Serialize;

use super::context::{Context, Personal};
use super::features::{Feature, N_FEATURES};
use super::rerank::Tag;
use super::{Breakdown, RankedOffer, Reason};
use crate::catalog::NO_AGE_MAX;
use crate::contract::input::Locale;
use crate::error::describe_number;

/// Why an offer was chosen. Serialised with `code` as the tag.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(
    tag = "code",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum ReasonKind {
    /// The store is close: 距你 350 米.
    Nearby {
        /// Distance in metres (rounded to 10 m).
        distance_m: u32,
        /// The store's name.
        store_name: String,
    },
    /// The offer is aimed at the user's age group.
    AgeFit,
    /// The price suits the user's income and spending: 符合你的消费水平.
    PriceFit,
    /// The user bought this offer before.
    BoughtBefore {
        /// How many times.
        times: u32,
    },
    /// The user often buys this category: 你常买「蛋品」.
    FrequentCategory {
        /// The category.
        category: String,
    },
    /// The offer is similar to what the user likes.
    SimilarToLiked,
    /// A consumable is due for replenishment: 上次购买 6 天前，该补货了.
    RepurchaseDue {
        /// Whole days since the last purchase.
        days_since: u32,
        /// The purchase cycle in days.
        cycle_days: u32,
    },
    /// Many recent sales.
    Popular {
        /// Recent sales.
        sales: u32,
    },
    /// Recently put on sale.
    NewArrival,
    /// A discount off the list price.
    Discount {
        /// Saving in CNY.
        save_yuan: f64,
        /// Percent off (18 = 18 % off = 8.2 折).
        percent_off: u32,
    },
    /// Promoted by the shop or group leader.
    Promoted,
    /// Nothing is known about the user yet; a popular, general pick.
    ColdStart,
    /// Put first by the operator: 置顶.
    Pinned,
    /// An exploration slot: a category the feed would not otherwise show.
    Explore {
        /// The explored category.
        category: String,
    },
    /// Shown several times without a click, so lowered.
    Fatigued {
        /// Impressions since the last click.
        impressions: u32,
    },
    /// The user said "not interested" to this category recently, so lowered.
    LessOfCategory {
        /// The category.
        category: String,
    },
}

/// Why an offer was filtered out before scoring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum FilterCode {
    /// Stock is 0.
    OutOfStock,
    /// The sale has not started.
    NotStarted,
    /// The sale has ended.
    Ended,
    /// The user is outside the store's delivery / pickup radius.
    OutOfRange,
    /// Age-restricted and the user is too young or of unknown age.
    AgeRestricted,
    /// The user said "not interested".
    Dismissed,
    /// Excluded by the caller.
    Excluded,
    /// Hidden by the operator.
    Hidden,
    /// Shown as often today as `maxPerOfferPerDay` allows.
    OfferCap,
    /// Its category was shown as often today as `maxPerCategoryPerDay` allows.
    CategoryCap,
}

impl FilterCode {
    /// Every filter code, in declaration order.
    pub const ALL: [FilterCode; 10] = [
        FilterCode::OutOfStock,
        FilterCode::NotStarted,
        FilterCode::Ended,
        FilterCode::OutOfRange,
        FilterCode::AgeRestricted,
        FilterCode::Dismissed,
        FilterCode::Excluded,
        FilterCode::Hidden,
        FilterCode::OfferCap,
        FilterCode::CategoryCap,
    ];
}

/// Why the push gate said yes or no.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NotifyCode {
    /// Worth a notification now.
    Ok,
    /// Today's notifications are used up.
    BudgetUsed,
    /// It is quiet hours in the user's time zone.
    QuietHours,
    /// The last notification was too recent.
    TooSoon,
    /// The best offer does not reach the threshold.
    BelowThreshold,
    /// No offer is eligible at all.
    NothingEligible,
}

/// Renders a reason in `locale`.
pub fn reason_text(kind: &ReasonKind, locale: Locale) -> String {
    use ReasonKind as R;
    match locale {
        Locale::ZhCn => match kind {
            R::Nearby { distance_m, .. } => zh_distance(*distance_m),
            R::AgeFit => "适合你的年龄段".into(),
            R::PriceFit => "符合你的消费水平".into(),
            R::BoughtBefore { times: 1 } => "你买过".into(),
            R::BoughtBefore { times } => format!("你买过 {times} 次"),
            R::FrequentCategory { category } => format!("你常买「{category}」"),
            R::SimilarToLiked => "和你喜欢的商品相似".into(),
            R::RepurchaseDue { days_since: 0, .. } => "今天买过，按周期推荐补货".into(),
            R::RepurchaseDue { days_since, .. } => {
                format!("上次购买 {days_since} 天前，该补货了")
            }
            R::Popular { sales } => format!("热销 {sales} 件"),
            R::NewArrival => "新品上架".into(),
            R::Discount {
                save_yuan,
                percent_off,
            } => format!(
                "立减 ¥{}（{} 折）",
                yuan_one_decimal(*save_yuan),
                format_zhe(100 - percent_off.min(&100))
            ),
            R::Promoted => "团长推荐".into(),
            R::ColdStart => "新人推荐：大家都在买".into(),
            R::Pinned => "置顶".into(),
            R::Explore { category } => format!("为你发现新品类「{category}」"),
            R::Fatigued { impressions } => format!("看过 {impressions} 次未点击，已降低"),
            R::LessOfCategory { category } => format!("你对「{category}」不感兴趣，已减少"),
        },
        Locale::En => match kind {
            R::Nearby { distance_m, .. } => format!("{} away", en_distance(*distance_m)),
            R::AgeFit => "Suits your age group".into(),
            R::PriceFit => "Fits your budget".into(),
            R::BoughtBefore { times: 1 } => "You bought this before".into(),
            R::BoughtBefore { times } => format!("You bought this {times} times"),
            R::FrequentCategory { category } => format!("You often buy {category}"),
            R::SimilarToLiked => "Similar to items you like".into(),
            R::RepurchaseDue { days_since: 0, .. } => "Bought today; on your restock cycle".into(),
            R::RepurchaseDue { days_since: 1, .. } => {
                "Last bought 1 day ago — time to restock".into()
            }
            R::RepurchaseDue { days_since, .. } => {
                format!("Last bought {days_since} days ago — time to restock")
            }
            R::Popular { sales } => format!("{sales} sold recently"),
            R::NewArrival => "New arrival".into(),
            R::Discount {
                save_yuan,
                percent_off,
            } => format!(
                "Save ¥{} ({percent_off}% off)",
                yuan_one_decimal(*save_yuan)
            ),
            R::Promoted => "Recommended by the shop".into(),
            R::ColdStart => "Popular pick while we get to know you".into(),
            R::Pinned => "Pinned".into(),
            R::Explore { category } => format!("Something new for you: {category}"),
            R::Fatigued { impressions } => {
                format!("Shown {impressions} times without a click — lowered")
            }
            R::LessOfCategory { category } => {
                format!("Fewer {category}: you said not interested")
            }
        },
    }
}

/// Renders a filter code in `locale`.
pub fn filter_text(code: FilterCode, locale: Locale) -> &'static str {
    use FilterCode as F;
    match locale {
        Locale::ZhCn => match code {
            F::OutOfStock => "已售罄",
            F::NotStarted => "尚未开售",
            F::Ended => "活动已结束",
            F::OutOfRange => "超出配送/自提范围",
            F::AgeRestricted => "年龄限制商品",
            F::Dismissed => "你标记了不感兴趣",
            F::Excluded => "已排除",
            F::Hidden => "运营已隐藏",
            F::OfferCap => "今天已展示多次",
            F::CategoryCap => "该品类今天已展示多次",
        },
        Locale::En => match code {
            F::OutOfStock => "Sold out",
            F::NotStarted => "Not on sale yet",
            F::Ended => "Sale has ended",
            F::OutOfRange => "Outside the delivery or pickup range",
            F::AgeRestricted => "Age-restricted",
            F::Dismissed => "You marked it not interested",
            F::Excluded => "Excluded",
            F::Hidden => "Hidden by the operator",
            F::OfferCap => "Shown often enough today",
            F::CategoryCap => "Category shown often enough today",
        },
    }
}

/// Renders a push-gate answer in `locale`: `budget` is the daily budget,
/// `quiet` the quiet hours, `gap_min` the minimum gap in minutes and `title` the
/// offer's title (for `ok`).
pub fn notify_text(
    code: NotifyCode,
    locale: Locale,
    budget: u32,
    quiet: (u32, u32),
    gap_min: f64,
    title: &str,
) -> String {
    use NotifyCode as N;
    let gap = if gap_min >= 60.0 && gap_min % 60.0 == 0.0 {
        (gap_min / 60.0, true)
    } else {
        (gap_min, false)
    };
    match locale {
        Locale::ZhCn => match code {
            N::Ok => format!("值得提醒：{title}"),
            N::BudgetUsed => format!("今天的 {budget} 次提醒已用完"),
            N::QuietHours => format!("免打扰时段（{:02}:00–{:02}:00）", quiet.0, quiet.1),
            N::TooSoon if gap.1 => format!("距上次提醒不到 {} 小时", describe_number(gap.0)),
            N::TooSoon => format!("距上次提醒不到 {} 分钟", describe_number(gap.0)),
            N::BelowThreshold => "没有足够相关的商品，不打扰".into(),
            N::NothingEligible => "没有可推荐的商品".into(),
        },
        Locale::En => match code {
            N::Ok => format!("Worth a notification: {title}"),
            N::BudgetUsed => format!("No: today's {budget} notifications are used"),
            N::QuietHours => format!("No: quiet hours ({:02}:00–{:02}:00)", quiet.0, quiet.1),
            N::TooSoon if gap.1 => format!(
                "No: less than {} h since the last one",
                describe_number(gap.0)
            ),
            N::TooSoon => format!(
                "No: less than {} min since the last one",
                describe_number(gap.0)
            ),
            N::BelowThreshold => "No: nothing relevant enough".into(),
            N::NothingEligible => "No: nothing eligible".into(),
        },
    }
}

/// Below this many metres distances read "less than 50 m".
const NEAR_M: u32 = 50;

fn zh_distance(m: u32) -> String {
    if m < NEAR_M {
        format!("距你不到 {NEAR_M} 米")
    } else if m < 1000 {
        format!("距你 {m} 米")
    } else {
        format!("距你 {} 公里", km_one_decimal(m))
    }
}

fn en_distance(m: u32) -> String {
    if m < NEAR_M {
        format!("less than {NEAR_M} m")
    } else if m < 1000 {
        format!("{m} m")
    } else {
        format!("{} km", km_one_decimal(m))
    }
}

/// 1249 m → "1.2", 1250 m → "1.3": kilometres to one decimal, rounded half up, in
/// integers (the float formatter would add ~16 KB to the wasm module).
fn km_one_decimal(m: u32) -> String {
    let tenths = (m + 50) / 100;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// 6.0 → "6.0", 12.34 → "12.3": an amount in yuan to one decimal, as `{:.1}` would
/// print it but in integers (amounts are far below 2^53 tenths).
fn yuan_one_decimal(yuan: f64) -> String {
    let tenths = (yuan * 10.0).round().max(0.0) as u64;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// 82 → "8.2", 80 → "8", 95 → "9.5": the Chinese 折 notation of a price ratio.
fn format_zhe(percent_of_list: u32) -> String {
    if percent_of_list % 10 == 0 {
        format!("{}", percent_of_list / 10)
    } else {
        format!("{}.{}", percent_of_list / 10, percent_of_list % 10)
    }
}

/// Reasons kept per offer.
const MAX_REASONS: usize = 3;

impl<'a> Context<'a> {
    pub(super) fn explain(
        &self,
        i: usize,
        p: Option<&Personal>,
        score: f64,
        rank: u32,
    ) -> RankedOffer {
        self.explain_tagged(i, p, score, rank, Tag::Ranked)
    }

    pub(super) fn explain_tagged(
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
            crate::util::order::ascending(candidates.iter().map(|(_, w)| -w))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn both(kind: ReasonKind) -> (String, String) {
        (
            reason_text(&kind, Locale::ZhCn),
            reason_text(&kind, Locale::En),
        )
    }

    #[test]
    fn distances_round_to_one_decimal_km() {
        for (m, text) in [
            (1000, "1.0"),
            (1049, "1.0"),
            (1050, "1.1"),
            (2345, "2.3"),
            (9999, "10.0"),
        ] {
            assert_eq!(km_one_decimal(m), text, "{m} m");
        }
        assert_eq!(zh_distance(1250), "距你 1.3 公里");
        assert_eq!(en_distance(999), "999 m");
    }

    #[test]
    fn texts_render_in_both_locales() {
        let cases = [
            (
                ReasonKind::Nearby {
                    distance_m: 350,
                    store_name: "x".into(),
                },
                "距你 350 米",
                "350 m away",
            ),
            (
                ReasonKind::Nearby {
                    distance_m: 1240,
                    store_name: "x".into(),
                },
                "距你 1.2 公里",
                "1.2 km away",
            ),
            (
                ReasonKind::FrequentCategory {
                    category: "蛋品".into(),
                },
                "你常买「蛋品」",
                "You often buy 蛋品",
            ),
            (
                ReasonKind::RepurchaseDue {
                    days_since: 6,
                    cycle_days: 7,
                },
                "上次购买 6 天前，该补货了",
                "Last bought 6 days ago — time to restock",
            ),
            (
                ReasonKind::Nearby {
                    distance_m: 0,
                    store_name: "x".into(),
                },
                "距你不到 50 米",
                "less than 50 m away",
            ),
            (ReasonKind::PriceFit, "符合你的消费水平", "Fits your budget"),
            (
                ReasonKind::Discount {
                    save_yuan: 6.0,
                    percent_off: 18,
                },
                "立减 ¥6.0（8.2 折）",
                "Save ¥6.0 (18% off)",
            ),
            (
                ReasonKind::Discount {
                    save_yuan: 10.0,
                    percent_off: 20,
                },
                "立减 ¥10.0（8 折）",
                "Save ¥10.0 (20% off)",
            ),
            (
                ReasonKind::BoughtBefore { times: 3 },
                "你买过 3 次",
                "You bought this 3 times",
            ),
            (ReasonKind::Pinned, "置顶", "Pinned"),
            (
                ReasonKind::Fatigued { impressions: 5 },
                "看过 5 次未点击，已降低",
                "Shown 5 times without a click — lowered",
            ),
            (
                ReasonKind::Explore {
                    category: "烘焙".into(),
                },
                "为你发现新品类「烘焙」",
                "Something new for you: 烘焙",
            ),
            (
                ReasonKind::LessOfCategory {
                    category: "酒类".into(),
                },
                "你对「酒类」不感兴趣，已减少",
                "Fewer 酒类: you said not interested",
            ),
        ];
        for (kind, zh, en) in cases {
            assert_eq!(both(kind), (zh.to_string(), en.to_string()));
        }
    }

    #[test]
    fn every_filter_code_has_text() {
        for code in FilterCode::ALL {
            assert!(!filter_text(code, Locale::ZhCn).is_empty());
            assert!(filter_text(code, Locale::En).is_ascii());
        }
    }
}
