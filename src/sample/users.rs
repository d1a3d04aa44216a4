//! The sample users: a handful of people with stories, their locations, ages,
//! incomes and purchase histories placed relative to the current time.

use std::collections::HashMap;

use super::generator::offer_id;
use super::tables::PRODUCTS;
use super::*;
use crate::contract::input::{LocationInput, OfferInput, PurchaseInput, UserInput};

/// Id of the first copy of the table row titled `title`, if there is such a row.
fn row_offer_id(title: &str) -> Option<String> {
    PRODUCTS.iter().position(|p| p.title == title).map(offer_id)
}

/// Builds a purchase history from offers that exist in the catalog.
struct HistoryBuilder<'a> {
    offers: &'a HashMap<&'a str, &'a OfferInput>,
    now_ms: f64,
    purchases: Vec<PurchaseInput>,
}

impl<'a> HistoryBuilder<'a> {
    pub(super) fn new(offers: &'a HashMap<&'a str, &'a OfferInput>, now_ms: f64) -> Self {
        Self {
            offers,
            now_ms,
            purchases: Vec::new(),
        }
    }

    /// Records a purchase of `quantity` units of offer `id`, `days_ago` days before
    /// now; skipped when the catalog has no such offer.
    fn buy(&mut self, id: &str, days_ago: f64, quantity: u32) {
        if let Some(offer) = self.offers.get(id) {
            self.purchases.push(PurchaseInput {
                offer_id: offer.id.clone(),
                category: Some(offer.category.clone()),
                price: Some(offer.price),
                quantity: Some(quantity),
                at: self.now_ms - days_ago * DAY_MS,
            });
        }
    }

    /// Like [`HistoryBuilder::buy`], for the first copy of the table row `title`.
    fn buy_row(&mut self, title: &str, days_ago: f64, quantity: u32) {
        if let Some(id) = row_offer_id(title) {
            self.buy(&id, days_ago, quantity);
        }
    }

    /// The purchases, oldest first, or `None` when there are none.
    fn finish(mut self) -> Option<Vec<PurchaseInput>> {
        self.purchases.sort_by(|a, b| a.at.total_cmp(&b.at));
        (!self.purchases.is_empty()).then_some(self.purchases)
    }
}

fn sample_user(
    id: &str,
    name: &str,
    name_en: &str,
    description: &str,
    description_en: &str,
    user: UserInput,
) -> SampleUser {
    SampleUser {
        id: id.to_string(),
        name: name.to_string(),
        name_en: name_en.to_string(),
        description: description.to_string(),
        description_en: description_en.to_string(),
        user,
    }
}

/// Generates the five sample users, whose histories reference offers of `catalog`
/// (made by [`sample_catalog`]) with purchase times relative to `now_ms` (epoch ms).
///
/// The users, by id:
/// - `"office-worker"` 小林, 27, income band 3, at 望京SOHO given in WGS-84; buys coffee,
///   snacks and ready meals, and beer now and then.
/// - `"grandma"` 王奶奶, 68, income band 2, at the 花家地北里 pickup point given in
///   GCJ-02; bought [`EGGS_OFFER_ID`] every 7 days for six weeks, the last time 6 days
///   before `now_ms`, plus vegetables.
/// - `"parent"` 陈女士, 33, income band 4, in 南湖东园 (GCJ-02); buys diapers, formula,
///   baby food and fruit.
/// - `"student"` 小明, 12, no income band and no history: a child, who must never be
///   shown alcohol.
/// - `"newcomer"` 新用户: nothing known at all.
///
/// Purchases of offers missing from `catalog` are left out, so every history entry
/// references an existing offer and carries its category and price.
pub fn sample_users(catalog: &CatalogInput, now_ms: f64) -> Vec<SampleUser> {
    let offers: HashMap<&str, &OfferInput> = catalog
        .offers
        .iter()
        .map(|offer| (offer.id.as_str(), offer))
        .collect();

    let mut office = HistoryBuilder::new(&offers, now_ms);
    for days_ago in [1.9, 8.1, 15.2, 23.0] {
        office.buy(COFFEE_OFFER_ID, days_ago, 1);
    }
    office.buy(BEER_OFFER_ID, 9.6, 1);
    office.buy(BEER_OFFER_ID, 30.6, 1);
    office.buy_row("莫小仙 自热火锅 麻辣 2盒", 1.4, 2);
    office.buy_row("莫小仙 自热火锅 麻辣 2盒", 11.4, 1);
    office.buy_row("宫保鸡丁 预制菜 350g", 4.4, 2);
    office.buy_row("鱼香肉丝 预制菜 300g", 6.4, 1);
    office.buy_row("拉面说 日式豚骨拉面 3盒", 13.4, 1);
    office.buy_row("乐事 原味薯片 135g", 3.3, 2);
    office.buy_row("三只松鼠 每日坚果 750g/30袋", 20.3, 1);
    office.buy_row("隅田川 挂耳咖啡 10g×24片", 40.2, 1);

    let mut grandma = HistoryBuilder::new(&offers, now_ms);
    for week in 0..6 {
        grandma.buy(EGGS_OFFER_ID, 6.0 + 7.0 * f64::from(week), 1);
    }
    for days_ago in [3.1, 10.1, 17.1] {
        grandma.buy_row("大白菜 约2.5kg", days_ago, 1);
    }
    for days_ago in [2.1, 9.1, 16.1, 27.1] {
        grandma.buy_row("西红柿 1kg", days_ago, 1);
    }
    grandma.buy_row("土豆 1.5kg", 5.1, 1);
    grandma.buy_row("土豆 1.5kg", 19.1, 1);
    grandma.buy_row("上海青 500g", 1.1, 2);
    grandma.buy_row("山东章丘大葱 1kg", 14.1, 1);

    let mut parent = HistoryBuilder::new(&offers, now_ms);
    for days_ago in [2.5, 17.5, 32.5, 47.5] {
        parent.buy(DIAPERS_OFFER_ID, days_ago, 1);
    }
    for days_ago in [8.5, 28.5, 48.5] {
        parent.buy(FORMULA_OFFER_ID, days_ago, 1);
    }
    parent.buy_row("小皮 有机高铁米粉 160g", 12.5, 1);
    parent.buy_row("香蕉 3斤", 1.5, 1);
    parent.buy_row("香蕉 3斤", 6.5, 1);
    parent.buy_row("蓝莓 125g×4盒", 3.5, 1);
    parent.buy_row("丹东红颜草莓 2斤", 10.5, 1);
    parent.buy_row("红富士苹果 5斤装", 15.5, 1);

    vec![
        sample_user(
            "office-worker",
            "小林",
            "Xiao Lin",
            "27 岁的互联网运营，在望京SOHO上班，常在楼下自提点买咖啡、零食和速食，周末偶尔来一箱啤酒。",
            "A 27-year-old internet operations specialist at Wangjing SOHO who picks up coffee, snacks and ready meals downstairs, with the occasional weekend case of beer.",
            UserInput {
                location: Some(LocationInput {
                    lat: 39.995_3,
                    lng: 116.474_6,
                    datum: Some(Datum::Wgs84),
                }),
                age: Some(27),
                income_band: Some(3),
                monthly_income: None,
                history: office.finish(),
            },
        ),
        sample_user(
            "grandma",
            "王奶奶",
            "Grandma Wang",
            "68 岁的退休教师，住在花家地北里，每周都在小区自提点买一盒土鸡蛋，顺手带些时令蔬菜。",
            "A 68-year-old retired teacher in Huajiadi Beili who buys a box of free-range eggs at the compound's pickup point every week, along with seasonal vegetables.",
            UserInput {
                location: Some(LocationInput {
                    lat: 39.986_9,
                    lng: 116.470_1,
                    datum: Some(Datum::Gcj02),
                }),
                age: Some(68),
                income_band: Some(2),
                monthly_income: None,
                history: grandma.finish(),
            },
        ),
        sample_user(
            "parent",
            "陈女士",
            "Ms. Chen",
            "33 岁的新手妈妈，住在南湖东园，定期囤纸尿裤和奶粉，也常给家里买水果。",
            "A 33-year-old new mother in Nanhu Dongyuan who regularly stocks up on diapers and formula and often buys fruit for the family.",
            UserInput {
                location: Some(LocationInput {
                    lat: 40.005_3,
                    lng: 116.473_4,
                    datum: Some(Datum::Gcj02),
                }),
                age: Some(33),
                income_band: Some(4),
                monthly_income: None,
                history: parent.finish(),
            },
        ),
        sample_user(
            "student",
            "小明",
            "Xiao Ming",
            "12 岁的小学生，住在望京西园三区，用家长的手机逛团购，还没有买过东西，酒类绝不能推给他。",
            "A 12-year-old pupil in Wangjing Xiyuan Area 3 browsing on a parent's phone with no purchases yet, who must never be shown alcohol.",
            UserInput {
                location: Some(LocationInput {
                    lat: 39.999_0,
                    lng: 116.460_3,
                    datum: Some(Datum::Wgs84),
                }),
                age: Some(12),
                income_band: None,
                monthly_income: None,
                history: None,
            },
        ),
        sample_user(
            "newcomer",
            "新用户",
            "Newcomer",
            "刚打开小程序的新用户，位置、年龄、收入和购买记录都未知。",
            "A brand-new user who has just opened the mini-program, with location, age, income and history all unknown.",
            UserInput::default(),
        ),
    ]
}
