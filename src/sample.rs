//! Deterministic sample data: a community group-buying (社区团购) catalog for the
//! 望京 (Wangjing) neighbourhood of Beijing's Chaoyang district, and a handful of users
//! with stories.
//!
//! The data is meant for demos, examples, tests and benchmarks. Everything is derived
//! from [`SampleOptions::seed`] with a small SplitMix64 generator using only integer
//! arithmetic, exactly rounded `f64` operations and `sqrt`, so the same options give
//! the same catalog on every platform, native or wasm.
//!
//! The first offers come from a hand-written table of real-looking products (titles
//! with specs, CNY prices, replenishment cycles, age and income targeting); bigger
//! catalogs cycle through the table again with price variants, flash sales (限时秒杀)
//! and group-leader picks (团长推荐), spread over more pickup points in rings around
//! the neighbourhood. Six anchor offers have fixed ids, prices and stores (see
//! [`EGGS_OFFER_ID`] and its siblings) so that tests and demos can point at them.
//!
//! Store coordinates are GCJ-02, as copied from AMap, and the catalog says so with
//! [`Datum::Gcj02`]. Sale windows are placed around the fixed [`SAMPLE_EPOCH_MS`], so
//! the catalog itself does not depend on the clock; [`sample_users`] takes the current
//! time and places purchase histories relative to it.

use std::collections::HashMap;

use serde::Serialize;

use crate::input::{
    CatalogInput, Datum, LocationInput, OfferInput, PurchaseInput, StoreInput, StoreKind, UserInput,
};
use StoreKind::{PickupPoint, Store, Warehouse};

/// The fixed reference time of the sample catalog, epoch milliseconds: 2025-11-25
/// 00:00 Beijing time (2025-11-24T16:00:00Z). Sale windows (`startsAt`/`endsAt`) are
/// placed a few days around it.
pub const SAMPLE_EPOCH_MS: f64 = 1_764_000_000_000.0;

pub use crate::profile::DAY_MS;

/// Anchor offer 「土鸡蛋 30枚装」: leaf category 「蛋品」, ¥25.9, `repurchaseDays` 7,
/// sold at the 花家地北里 pickup point ([`HUAJIADI_PICKUP_ID`]), always in stock.
pub const EGGS_OFFER_ID: &str = "o00001";

/// Anchor offer 「蒙牛纯牛奶 250ml×24盒」: leaf category 「牛奶」, ¥59.9,
/// `repurchaseDays` 8, sold at the 花家地北里 pickup point, always in stock.
pub const MILK_OFFER_ID: &str = "o00002";

/// Anchor offer 「青岛啤酒 经典 500ml×12听」: leaf category 「酒类」, ¥49.9, `minAge` 18
/// with soft targeting 20–60, sold at the 望京SOHO pickup point, always in stock.
pub const BEER_OFFER_ID: &str = "o00003";

/// Anchor offer 「花王纸尿裤 M码 64片」: leaf category 「纸尿裤」, ¥119, `repurchaseDays`
/// 16, soft targeting 25–45, sold at the 南湖东园 pickup point, always in stock.
pub const DIAPERS_OFFER_ID: &str = "o00004";

/// Anchor offer 「飞鹤星飞帆 1段 700g」: leaf category 「奶粉」, ¥269, `repurchaseDays`
/// 20, soft targeting 25–45, sold at the 南湖东园 pickup point, always in stock.
pub const FORMULA_OFFER_ID: &str = "o00005";

/// Anchor offer 「三顿半 超即溶精品咖啡 3g×24颗」: leaf category 「咖啡」, ¥129,
/// `repurchaseDays` 14, soft targeting 20–40, sold at the 望京SOHO pickup point,
/// always in stock.
pub const COFFEE_OFFER_ID: &str = "o00006";

/// All anchor offer ids, in catalog order; they are the first offers of every sample
/// catalog, whatever its size.
pub const ANCHOR_OFFER_IDS: [&str; 6] = [
    EGGS_OFFER_ID,
    MILK_OFFER_ID,
    BEER_OFFER_ID,
    DIAPERS_OFFER_ID,
    FORMULA_OFFER_ID,
    COFFEE_OFFER_ID,
];

/// Store id of the 「花家地北里自提点」 pickup point (kind `pickupPoint`, radius 1 km),
/// where [`EGGS_OFFER_ID`] and [`MILK_OFFER_ID`] are sold and the grandma lives.
pub const HUAJIADI_PICKUP_ID: &str = "s002";

/// Latitude of the 花家地北里 pickup point, GCJ-02 degrees.
pub const HUAJIADI_PICKUP_LAT: f64 = 39.986_2;

/// Longitude of the 花家地北里 pickup point, GCJ-02 degrees.
pub const HUAJIADI_PICKUP_LNG: f64 = 116.470_6;

/// Store id of the 「望京SOHO T2 自提点」 pickup point, where [`BEER_OFFER_ID`] and
/// [`COFFEE_OFFER_ID`] are sold.
pub const SOHO_PICKUP_ID: &str = "s006";

/// Latitude of 望京SOHO, the centre of the sample neighbourhood, GCJ-02 degrees.
pub const WANGJING_SOHO_LAT: f64 = 39.996_6;

/// Longitude of 望京SOHO, the centre of the sample neighbourhood, GCJ-02 degrees.
pub const WANGJING_SOHO_LNG: f64 = 116.480_8;

/// Number of hand-placed stores in 望京; the smallest catalogs have exactly these.
pub const CORE_STORE_COUNT: usize = 12;

/// Upper bound on the number of stores of a sample catalog.
pub const MAX_SAMPLE_STORES: usize = 2000;

/// Upper bound on [`SampleOptions::embedding_dim`]; larger values are clamped to it.
pub const MAX_SAMPLE_EMBEDDING_DIM: usize = 1024;

/// One store per this many offers, between [`CORE_STORE_COUNT`] and
/// [`MAX_SAMPLE_STORES`].
const OFFERS_PER_STORE: usize = 50;

const HOUR_MS: f64 = 3_600_000.0;

/// Options for the generator.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleOptions {
    /// Number of offers to generate. Catalogs always contain at least the six anchor
    /// offers, so values below 6 are raised to 6.
    pub offers: usize,
    /// Length of every offer embedding; 0 means no embeddings. Values above
    /// [`MAX_SAMPLE_EMBEDDING_DIM`] are clamped to it.
    pub embedding_dim: usize,
    /// Seed of the generator; the same options always give the same catalog.
    pub seed: u64,
}

impl Default for SampleOptions {
    /// 400 offers with 16-dimensional embeddings, seed 7.
    fn default() -> Self {
        Self {
            offers: 400,
            embedding_dim: 16,
            seed: 7,
        }
    }
}

/// A sample user with a story.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SampleUser {
    /// Stable id, e.g. `"grandma"`.
    pub id: String,
    /// Display name in Chinese, e.g. 「王奶奶」.
    pub name: String,
    /// Display name in English, e.g. "Grandma Wang".
    pub name_en: String,
    /// One-sentence story in Chinese.
    pub description: String,
    /// One-sentence story in English.
    pub description_en: String,
    /// What the engine is told about the user.
    pub user: UserInput,
}

// ---------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
const STREAM_STORE: u64 = 1;
const STREAM_OFFER: u64 = 2;
const STREAM_TOP: u64 = 3;
const STREAM_LEAF: u64 = 4;

/// The SplitMix64 output function (Steele, Lea and Flood 2014).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A SplitMix64 generator: tiny, fast, and identical on every platform.
struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// An independent generator for item `index` of stream `stream` under `seed`, so
    /// that e.g. offer 17 is the same whatever the catalog size.
    fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let base =
            mix64(seed.wrapping_add(GOLDEN_GAMMA) ^ mix64(stream.wrapping_mul(GOLDEN_GAMMA)));
        Self {
            state: mix64(base ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03)),
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix64(self.state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Uniform in [-1, 1).
    fn signed(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in 0..n (0 when n is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }

    /// Uniform in 0..n as `u32` (0 when n is 0).
    fn below_u32(&mut self, n: u32) -> u32 {
        if n == 0 {
            0
        } else {
            (self.next_u64() % u64::from(n)) as u32
        }
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

// ---------------------------------------------------------------------------------
// Stores
// ---------------------------------------------------------------------------------

struct CoreStore {
    name: &'static str,
    lat: f64,
    lng: f64,
    kind: StoreKind,
    radius_km: f64,
}

const fn core(
    name: &'static str,
    lat: f64,
    lng: f64,
    kind: StoreKind,
    radius_km: f64,
) -> CoreStore {
    CoreStore {
        name,
        lat,
        lng,
        kind,
        radius_km,
    }
}

const S_XIYUAN: usize = 0;
const S_HUAJIADI: usize = 1;
const S_NANHU: usize = 2;
const S_LIZE: usize = 3;
const S_HUAYUAN: usize = 4;
const S_SOHO: usize = 5;
const S_NANHU_WEST: usize = 6;
const S_DONGYUAN: usize = 7;
const S_FUTONG: usize = 8;
const S_GUANGSHUN: usize = 9;
const S_HUGUANG: usize = 10;
const S_WAREHOUSE: usize = 11;
/// "No fixed store": the product is placed at a random core store.
const ANY_STORE: usize = usize::MAX;

/// The hand-placed stores of 望京, GCJ-02, all within 2.5 km of 望京SOHO.
#[rustfmt::skip]
const CORE_STORES: [CoreStore; CORE_STORE_COUNT] = [
    core("望京西园三区自提点", 40.000_3, 116.466_5, PickupPoint, 1.2),
    core("花家地北里自提点", HUAJIADI_PICKUP_LAT, HUAJIADI_PICKUP_LNG, PickupPoint, 1.0),
    core("南湖东园自提点", 40.004_8, 116.474_0, PickupPoint, 1.2),
    core("利泽西园自提点", 40.012_5, 116.474_5, PickupPoint, 1.5),
    core("望京花园自提点", 39.992_1, 116.472_2, PickupPoint, 1.0),
    core("望京SOHO T2 自提点", 39.996_2, 116.481_8, PickupPoint, 1.0),
    core("南湖西园二区自提点", 40.006_2, 116.466_8, PickupPoint, 1.2),
    core("望京东园四区自提点", 40.001_6, 116.486_8, PickupPoint, 1.3),
    core("邻里鲜生（阜通东大街店）", 39.993_5, 116.479_5, Store, 3.0),
    core("广顺北大街便民超市", 40.001_0, 116.471_2, Store, 3.0),
    core("湖光中街果蔬店", 40.003_0, 116.478_0, Store, 3.0),
    core("望京前置仓（酒仙桥北路）", 39.988_0, 116.495_0, Warehouse, 8.0),
];

/// Neighbourhoods farther out (GCJ-02 centres, roughly from near to far), where bigger
/// catalogs put more pickup points, shops and warehouses.
#[rustfmt::skip]
const OUTER_AREAS: [(&str, f64, f64); 32] = [
    ("大山子", 39.983_0, 116.492_0), ("将台", 39.973_0, 116.483_0),
    ("来广营", 40.023_0, 116.463_0), ("酒仙桥", 39.970_0, 116.495_0),
    ("太阳宫", 39.973_0, 116.449_0), ("芍药居", 39.983_0, 116.440_0),
    ("崔各庄", 40.010_0, 116.515_0), ("大屯", 40.004_0, 116.410_0),
    ("惠新西街", 39.978_0, 116.417_0), ("三元桥", 39.960_0, 116.456_0),
    ("亚运村", 39.995_0, 116.410_0), ("西坝河", 39.964_0, 116.440_0),
    ("左家庄", 39.956_0, 116.442_0), ("亮马桥", 39.948_0, 116.464_0),
    ("北苑", 40.040_0, 116.430_0), ("孙河", 40.040_0, 116.530_0),
    ("安贞", 39.973_0, 116.405_0), ("朝阳公园", 39.943_0, 116.483_0),
    ("东坝", 39.968_0, 116.550_0), ("和平里", 39.956_0, 116.417_0),
    ("三里屯", 39.937_0, 116.455_0), ("团结湖", 39.933_0, 116.470_0),
    ("立水桥", 40.053_0, 116.412_0), ("红领巾", 39.924_0, 116.500_0),
    ("呼家楼", 39.922_0, 116.462_0), ("高碑店", 39.905_0, 116.525_0),
    ("天通苑", 40.070_0, 116.410_0), ("定福庄", 39.915_0, 116.550_0),
    ("双井", 39.893_0, 116.463_0), ("管庄", 39.912_0, 116.595_0),
    ("劲松", 39.885_0, 116.465_0), ("常营", 39.930_0, 116.600_0),
];

const OUTER_SUBAREAS: [&str; 6] = ["北里", "南里", "东里", "西里", "家园", "小区"];

fn store_id(index: usize) -> String {
    format!("s{:03}", index + 1)
}

fn store_count(offers: usize) -> usize {
    (offers / OFFERS_PER_STORE).clamp(CORE_STORE_COUNT, MAX_SAMPLE_STORES)
}

/// Rounds a coordinate to 6 decimals, as map SDKs print them.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn sample_stores(count: usize, seed: u64) -> Vec<StoreInput> {
    let mut stores = Vec::with_capacity(count);
    for (index, store) in CORE_STORES.iter().enumerate() {
        stores.push(StoreInput {
            id: store_id(index),
            name: store.name.to_string(),
            lat: store.lat,
            lng: store.lng,
            datum: None,
            delivery_radius_km: Some(store.radius_km),
            kind: Some(store.kind),
        });
    }
    let per_round = OUTER_AREAS.len() * OUTER_SUBAREAS.len();
    for k in 0..count.saturating_sub(CORE_STORE_COUNT) {
        let index = CORE_STORE_COUNT + k;
        let mut rng = SplitMix64::derive(seed, STREAM_STORE, index as u64);
        let (area, lat, lng) = OUTER_AREAS[k % OUTER_AREAS.len()];
        let sub = OUTER_SUBAREAS[(k / OUTER_AREAS.len()) % OUTER_SUBAREAS.len()];
        let building = k / per_round + 1;
        let (name, kind, radius_km) = if k % 40 == 39 {
            (format!("{area}前置仓（{}号）", k / 40 + 1), Warehouse, 8.0)
        } else if k % 6 == 5 {
            (format!("{area}{sub}{building}号便民超市"), Store, 3.0)
        } else {
            let radius = 1.0 + 0.1 * rng.below(6) as f64;
            (
                format!("{area}{sub}{building}号楼自提点"),
                PickupPoint,
                radius,
            )
        };
        stores.push(StoreInput {
            id: store_id(index),
            name,
            lat: round6(lat + rng.signed() * 0.012),
            lng: round6(lng + rng.signed() * 0.015),
            datum: None,
            delivery_radius_km: Some(radius_km),
            kind: Some(kind),
        });
    }
    stores
}

// ---------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------

/// A category: top level and leaf.
#[derive(Clone, Copy)]
struct Cat {
    top: &'static str,
    leaf: &'static str,
}

const fn cat(top: &'static str, leaf: &'static str) -> Cat {
    Cat { top, leaf }
}

const EGG: Cat = cat("肉禽蛋", "蛋品");
const PORK: Cat = cat("肉禽蛋", "猪肉");
const BEEF_LAMB: Cat = cat("肉禽蛋", "牛羊肉");
const POULTRY: Cat = cat("肉禽蛋", "禽肉");
const SEAFOOD: Cat = cat("生鲜", "水产");
const FROZEN: Cat = cat("生鲜", "速冻");
const READY_MEAL: Cat = cat("生鲜", "预制菜");
const LEAFY: Cat = cat("蔬菜", "叶菜");
const FRUITING: Cat = cat("蔬菜", "茄果");
const ROOT: Cat = cat("蔬菜", "根茎");
const MUSHROOM: Cat = cat("蔬菜", "菌菇");
const AROMATIC: Cat = cat("蔬菜", "葱姜蒜");
const APPLE_PEAR: Cat = cat("水果", "苹果梨");
const CITRUS: Cat = cat("水果", "柑橘");
const BERRY: Cat = cat("水果", "浆果");
const TROPICAL: Cat = cat("水果", "热带水果");
const MELON: Cat = cat("水果", "瓜果");
const MILK: Cat = cat("乳品烘焙", "牛奶");
const YOGURT: Cat = cat("乳品烘焙", "酸奶");
const BAKERY: Cat = cat("乳品烘焙", "面包糕点");
const STAPLE: Cat = cat("粮油调味", "米面");
const OIL: Cat = cat("粮油调味", "食用油");
const SEASONING: Cat = cat("粮油调味", "调味品");
const ALCOHOL: Cat = cat("酒水饮料", "酒类");
const DRINK: Cat = cat("酒水饮料", "饮料");
const COFFEE: Cat = cat("酒水饮料", "咖啡");
const NUTS: Cat = cat("休闲零食", "坚果");
const CRISPS: Cat = cat("休闲零食", "膨化食品");
const BISCUIT: Cat = cat("休闲零食", "饼干");
const JERKY: Cat = cat("休闲零食", "肉干卤味");
const INSTANT: Cat = cat("休闲零食", "方便速食");
const PAPER: Cat = cat("日用百货", "纸品");
const CLEANING: Cat = cat("日用百货", "清洁用品");
const KITCHEN: Cat = cat("日用百货", "厨房用品");
const DIAPER: Cat = cat("母婴", "纸尿裤");
const FORMULA: Cat = cat("母婴", "奶粉");
const BABY_FOOD: Cat = cat("母婴", "辅食");
const BABY_CARE: Cat = cat("母婴", "婴童洗护");
const HAIR: Cat = cat("个护", "洗发护发");
const ORAL: Cat = cat("个护", "口腔护理");
const BODY: Cat = cat("个护", "身体护理");

/// Income bands of premium products.
const PREMIUM: &[u8] = &[4, 5];
/// Income bands of upper-middle products.
const UPPER: &[u8] = &[3, 4, 5];
/// Income bands of budget products.
const BUDGET: &[u8] = &[1, 2];
/// Income bands of value products.
const VALUE: &[u8] = &[1, 2, 3];

/// One row of the hand-written product table.
#[derive(Clone, Copy)]
struct Product {
    title: &'static str,
    cat: Cat,
    /// Price range in CNY; anchors use `lo` exactly.
    lo: f64,
    hi: f64,
    /// Replenishment cycle in days; 0 when not a consumable.
    repurchase_days: f64,
    /// Soft age targeting; 0 when absent.
    age_min: u32,
    age_max: u32,
    /// Hard minimum age; 0 when absent.
    min_age: u32,
    income_bands: &'static [u8],
    tags: &'static [&'static str],
    /// Index into [`CORE_STORES`] for the first copy, or [`ANY_STORE`].
    store: usize,
    /// Popularity multiplier.
    hot: f64,
}

const fn p(title: &'static str, cat: Cat, lo: f64, hi: f64) -> Product {
    Product {
        title,
        cat,
        lo,
        hi,
        repurchase_days: 0.0,
        age_min: 0,
        age_max: 0,
        min_age: 0,
        income_bands: &[],
        tags: &[],
        store: ANY_STORE,
        hot: 1.0,
    }
}

impl Product {
    const fn rep(self, days: f64) -> Self {
        Self {
            repurchase_days: days,
            ..self
        }
    }

    const fn ages(self, age_min: u32, age_max: u32) -> Self {
        Self {
            age_min,
            age_max,
            ..self
        }
    }

    /// Alcohol: legal minimum age 18 plus soft targeting.
    const fn alcohol(self, age_min: u32, age_max: u32) -> Self {
        Self {
            min_age: 18,
            age_min,
            age_max,
            ..self
        }
    }

    const fn bands(self, income_bands: &'static [u8]) -> Self {
        Self {
            income_bands,
            ..self
        }
    }

    const fn tags(self, tags: &'static [&'static str]) -> Self {
        Self { tags, ..self }
    }

    const fn at(self, store: usize) -> Self {
        Self { store, ..self }
    }

    const fn hot(self, hot: f64) -> Self {
        Self { hot, ..self }
    }
}

/// The hand-written product table. The first [`ANCHOR_OFFER_IDS`]`.len()` rows are the
/// anchors, in the order of their ids; the first copy of row `i` is offer `o{i+1:05}`.
#[rustfmt::skip]
const PRODUCTS: &[Product] = &[
    // Anchors.
    p("土鸡蛋 30枚装", EGG, 25.9, 25.9).rep(7.0).tags(&["农家散养"]).at(S_HUAJIADI).hot(3.0),
    p("蒙牛纯牛奶 250ml×24盒", MILK, 59.9, 59.9).rep(8.0).at(S_HUAJIADI).hot(2.5),
    p("青岛啤酒 经典 500ml×12听", ALCOHOL, 49.9, 49.9).alcohol(20, 60).at(S_SOHO).hot(1.5),
    p("花王纸尿裤 M码 64片", DIAPER, 119.0, 119.0).rep(16.0).ages(25, 45).at(S_NANHU).hot(1.5),
    p("飞鹤星飞帆 1段 700g", FORMULA, 269.0, 269.0).rep(20.0).ages(25, 45).at(S_NANHU),
    p("三顿半 超即溶精品咖啡 3g×24颗", COFFEE, 129.0, 129.0).rep(14.0).ages(20, 40).at(S_SOHO).hot(2.0),
    // 肉禽蛋.
    p("散养柴鸡蛋 15枚", EGG, 18.9, 22.9).rep(7.0).tags(&["农家散养"]).at(S_XIYUAN).hot(2.0),
    p("德青源 鲜鸡蛋 20枚", EGG, 22.0, 28.0).rep(7.0).at(S_FUTONG).hot(1.5),
    p("高邮咸鸭蛋 6枚", EGG, 12.0, 16.0),
    p("鹌鹑蛋 500g", EGG, 9.9, 13.9),
    p("黑猪五花肉 500g", PORK, 25.0, 35.0).rep(7.0).at(S_HUAJIADI),
    p("精品猪里脊 400g", PORK, 18.0, 24.0),
    p("猪肋排 1kg", PORK, 45.0, 59.0),
    p("内蒙古羔羊肉卷 400g", BEEF_LAMB, 35.0, 45.0).tags(&["涮肉必备"]),
    p("澳洲谷饲牛腱子 1kg", BEEF_LAMB, 79.0, 99.0).bands(PREMIUM),
    p("原切西冷牛排 4片装", BEEF_LAMB, 99.0, 139.0).ages(22, 45).bands(PREMIUM),
    p("圣农 鸡翅中 1kg", POULTRY, 39.0, 49.0),
    p("三黄鸡 整只 1.2kg", POULTRY, 29.0, 39.0).ages(35, 75),
    p("冷鲜鸡胸肉 1kg", POULTRY, 19.9, 25.9).ages(18, 40).tags(&["健身", "低脂"]),
    // 生鲜.
    p("鲜活基围虾 500g", SEAFOOD, 39.0, 55.0).tags(&["鲜活"]),
    p("冰鲜三文鱼 200g", SEAFOOD, 49.0, 69.0).ages(22, 45).bands(PREMIUM),
    p("鲜活鲈鱼 1条 约600g", SEAFOOD, 25.0, 35.0).ages(35, 75),
    p("舟山带鱼段 500g", SEAFOOD, 29.0, 39.0),
    p("湾仔码头 猪肉白菜水饺 720g", FROZEN, 26.0, 32.0).rep(14.0),
    p("思念 黑芝麻汤圆 500g", FROZEN, 10.0, 14.0),
    p("三全 荠菜猪肉馄饨 500g", FROZEN, 15.0, 19.0),
    p("鱼香肉丝 预制菜 300g", READY_MEAL, 12.0, 16.0).ages(20, 40).at(S_SOHO),
    p("宫保鸡丁 预制菜 350g", READY_MEAL, 14.0, 19.0).ages(20, 40).at(S_SOHO),
    p("老北京炸酱面 半成品 2人份", READY_MEAL, 16.0, 22.0),
    p("梅菜扣肉 预制菜 400g", READY_MEAL, 19.9, 26.9).ages(30, 65),
    // 蔬菜.
    p("大白菜 约2.5kg", LEAFY, 5.0, 8.0).rep(7.0).at(S_HUAJIADI).hot(1.5),
    p("西红柿 1kg", FRUITING, 6.0, 9.0).rep(5.0).at(S_HUAJIADI).hot(1.5),
    p("黄瓜 500g", FRUITING, 3.0, 5.0).rep(5.0),
    p("土豆 1.5kg", ROOT, 5.0, 7.0).rep(10.0).at(S_HUAJIADI),
    p("胡萝卜 1kg", ROOT, 3.5, 5.0),
    p("上海青 500g", LEAFY, 3.0, 5.0).rep(4.0).at(S_HUAJIADI),
    p("菠菜 400g", LEAFY, 4.0, 6.0),
    p("西兰花 500g", LEAFY, 5.0, 8.0),
    p("香菇 300g", MUSHROOM, 6.0, 9.0),
    p("金针菇 200g×2袋", MUSHROOM, 4.0, 6.0),
    p("铁棍山药 1kg", ROOT, 12.0, 15.0).ages(40, 80),
    p("长茄子 500g", FRUITING, 3.0, 5.0),
    p("山东章丘大葱 1kg", AROMATIC, 5.0, 8.0).at(S_HUAJIADI),
    p("小黄姜 250g", AROMATIC, 3.0, 5.0),
    p("紫皮大蒜 500g", AROMATIC, 6.0, 9.0),
    // 水果.
    p("红富士苹果 5斤装", APPLE_PEAR, 19.9, 29.9).rep(10.0).hot(1.5),
    p("阿克苏冰糖心苹果 5斤", APPLE_PEAR, 39.0, 49.0).bands(UPPER),
    p("库尔勒香梨 3斤", APPLE_PEAR, 19.9, 26.9),
    p("广西砂糖橘 5斤", CITRUS, 19.9, 25.9).hot(1.5),
    p("赣南脐橙 5斤", CITRUS, 25.0, 35.0),
    p("琯溪红心蜜柚 2个装", CITRUS, 15.0, 22.0),
    p("智利车厘子 JJ级 2斤", BERRY, 99.0, 159.0).bands(PREMIUM),
    p("丹东红颜草莓 2斤", BERRY, 59.0, 89.0).bands(UPPER).at(S_NANHU),
    p("蓝莓 125g×4盒", BERRY, 39.0, 59.0).at(S_NANHU),
    p("佳沛阳光金果 奇异果 12粒", BERRY, 69.0, 89.0).bands(UPPER),
    p("香蕉 3斤", TROPICAL, 9.9, 14.9).rep(5.0).at(S_NANHU).hot(1.5),
    p("海南贵妃芒 3斤", TROPICAL, 19.9, 29.9),
    p("麒麟西瓜 1个 约4kg", MELON, 25.0, 35.0),
    p("新疆哈密瓜 1个 约2kg", MELON, 19.0, 29.0),
    // 乳品烘焙.
    p("伊利 安慕希 原味酸奶 205g×12盒", YOGURT, 49.0, 65.0).rep(10.0),
    p("光明 鲜牛奶 950ml", MILK, 14.0, 18.0).rep(4.0).hot(1.5),
    p("特仑苏 纯牛奶 250ml×12盒", MILK, 55.0, 69.0).rep(10.0).bands(UPPER),
    p("三元 纯牛奶 250ml×24盒", MILK, 50.0, 60.0).rep(9.0).ages(40, 80),
    p("简爱 无蔗糖酸奶 100g×6杯", YOGURT, 22.0, 29.0).rep(7.0).ages(20, 45),
    p("桃李 醇熟切片面包 400g", BAKERY, 8.0, 11.0).rep(5.0),
    p("全麦吐司 450g", BAKERY, 12.0, 16.0).ages(20, 45),
    p("稻香村 京八件 糕点礼盒", BAKERY, 89.0, 129.0).ages(40, 80),
    p("轻乳酪芝士蛋糕 6寸", BAKERY, 59.0, 79.0).ages(18, 40),
    // 粮油调味.
    p("五常大米 稻花香 5kg", STAPLE, 59.0, 79.0).rep(30.0).bands(UPPER),
    p("东北珍珠米 10kg", STAPLE, 49.0, 59.0).rep(30.0).bands(VALUE),
    p("金龙鱼 特一粉 5kg", STAPLE, 25.0, 32.0).rep(30.0),
    p("龙须挂面 1kg", STAPLE, 8.0, 12.0).rep(20.0).ages(45, 85),
    p("鲁花 5S压榨一级花生油 5L", OIL, 129.0, 159.0).rep(45.0),
    p("金龙鱼 玉米油 5L", OIL, 69.0, 85.0).rep(45.0),
    p("海天 金标生抽 1.28L", SEASONING, 11.0, 15.0).rep(45.0),
    p("六必居 黄酱 300g", SEASONING, 5.0, 8.0).ages(40, 80),
    p("王致和 红腐乳 340g", SEASONING, 8.0, 10.0).ages(45, 85),
    p("太太乐 鸡精 200g", SEASONING, 8.0, 11.0),
    // 酒水饮料.
    p("燕京啤酒 U8 500ml×12听", ALCOHOL, 45.0, 59.0).alcohol(20, 60),
    p("牛栏山 二锅头 陈酿 500ml", ALCOHOL, 15.0, 22.0).alcohol(30, 65).bands(BUDGET),
    p("张裕 解百纳 干红葡萄酒 750ml", ALCOHOL, 69.0, 99.0).alcohol(28, 60).bands(UPPER),
    p("汾酒 黄盖玻汾 42度 475ml", ALCOHOL, 45.0, 55.0).alcohol(30, 65),
    p("农夫山泉 饮用天然水 550ml×24瓶", DRINK, 26.0, 32.0).rep(10.0).hot(2.0),
    p("元气森林 白桃气泡水 480ml×15瓶", DRINK, 55.0, 69.0).ages(15, 35),
    p("可口可乐 330ml×24罐", DRINK, 45.0, 55.0).ages(12, 40),
    p("康师傅 冰红茶 1L×12瓶", DRINK, 35.0, 45.0),
    p("东方树叶 茉莉花茶 500ml×15瓶", DRINK, 59.0, 69.0).ages(20, 50),
    p("雀巢 速溶咖啡 1+2原味 30条", COFFEE, 39.0, 49.0).rep(20.0).ages(25, 55),
    p("隅田川 挂耳咖啡 10g×24片", COFFEE, 39.0, 49.0).rep(20.0).ages(20, 45).at(S_SOHO),
    p("瑞幸 冷萃冻干咖啡 3g×20颗", COFFEE, 69.0, 89.0).rep(14.0).ages(20, 40),
    // 休闲零食.
    p("三只松鼠 每日坚果 750g/30袋", NUTS, 89.0, 119.0).rep(30.0).ages(20, 50).at(S_SOHO),
    p("洽洽 香瓜子 308g×2袋", NUTS, 15.0, 19.0).ages(35, 75),
    p("良品铺子 猪肉脯 200g", JERKY, 29.0, 39.0).ages(18, 40),
    p("周黑鸭 锁鲜鸭脖 240g", JERKY, 29.0, 39.0).ages(18, 35),
    p("乐事 原味薯片 135g", CRISPS, 8.0, 11.0).ages(8, 35).at(S_SOHO),
    p("旺旺 仙贝 520g", CRISPS, 19.0, 25.0).ages(5, 60),
    p("卫龙 大面筋 辣条 106g×5袋", CRISPS, 12.0, 16.0).ages(10, 30).bands(BUDGET),
    p("奥利奥 夹心饼干 原味 388g", BISCUIT, 15.0, 19.0).ages(6, 40),
    p("好丽友 巧克力派 12枚", BISCUIT, 19.0, 24.0).ages(6, 40),
    p("统一 老坛酸菜牛肉面 5袋", INSTANT, 12.0, 16.0).ages(18, 40).bands(BUDGET),
    p("莫小仙 自热火锅 麻辣 2盒", INSTANT, 29.0, 39.0).ages(18, 35).at(S_SOHO),
    p("拉面说 日式豚骨拉面 3盒", INSTANT, 39.0, 49.0).ages(20, 35).at(S_SOHO),
    // 日用百货.
    p("维达 超韧抽纸 3层100抽×24包", PAPER, 45.0, 59.0).rep(30.0).hot(1.5),
    p("清风 原木卷纸 4层140g×27卷", PAPER, 39.0, 49.0).rep(30.0),
    p("蓝月亮 深层洁净洗衣液 3kg", CLEANING, 39.0, 55.0).rep(45.0),
    p("立白 洗洁精 1.5kg", CLEANING, 12.0, 16.0).rep(30.0),
    p("加厚垃圾袋 45×50cm 150只", CLEANING, 9.9, 14.9).rep(30.0).bands(VALUE),
    p("妙洁 保鲜袋 中号 200只", KITCHEN, 12.0, 16.0),
    p("双枪 天然竹筷 10双", KITCHEN, 12.0, 18.0),
    // 母婴.
    p("帮宝适 一级帮 纸尿裤 L码 52片", DIAPER, 139.0, 169.0).rep(14.0).ages(25, 45).bands(UPPER),
    p("好奇 心钻装 拉拉裤 XL码 36片", DIAPER, 99.0, 129.0).rep(14.0).ages(25, 45),
    p("爱他美 卓萃 2段 900g", FORMULA, 328.0, 358.0).rep(20.0).ages(25, 45).bands(PREMIUM),
    p("君乐宝 至臻 3段 800g", FORMULA, 199.0, 239.0).rep(20.0).ages(25, 45),
    p("小皮 有机高铁米粉 160g", BABY_FOOD, 49.0, 59.0).rep(14.0).ages(25, 45).at(S_NANHU),
    p("亨氏 婴儿营养面条 336g", BABY_FOOD, 19.0, 25.0).ages(25, 45),
    p("全棉时代 婴儿棉柔巾 80抽×6包", BABY_CARE, 59.0, 79.0).rep(20.0).ages(25, 45),
    // 个护.
    p("海飞丝 去屑洗发水 750ml", HAIR, 59.0, 79.0).rep(60.0),
    p("潘婷 丝质顺滑护发素 500ml", HAIR, 39.0, 55.0),
    p("云南白药 牙膏 180g×2支", ORAL, 45.0, 59.0).rep(60.0).ages(30, 75),
    p("舒适达 抗敏感牙膏 120g×2支", ORAL, 49.0, 69.0).bands(UPPER),
    p("高露洁 软毛牙刷 4支装", ORAL, 19.0, 29.0),
    p("舒肤佳 纯白清香沐浴露 1L", BODY, 35.0, 45.0),
    p("六神 花露水 195ml", BODY, 12.0, 16.0).ages(30, 80),
    p("大宝 SOD蜜 200ml", BODY, 12.0, 16.0).ages(40, 80).bands(BUDGET),
    // More fresh produce for the neighbourhood's other pickup points.
    p("农家笨鸡蛋 40枚 礼盒", EGG, 49.0, 59.0).rep(10.0).ages(40, 80).at(S_LIZE),
    p("牛肉馅 500g", BEEF_LAMB, 39.0, 49.0).at(S_HUAYUAN),
    p("平谷大桃 5斤", APPLE_PEAR, 29.0, 39.0).at(S_NANHU_WEST),
    p("密云水库 鲜活鳙鱼头 1个", SEAFOOD, 35.0, 45.0).ages(40, 80).at(S_DONGYUAN),
    p("有机油麦菜 400g", LEAFY, 5.0, 8.0).at(S_GUANGSHUN),
    p("水果玉米 4根", FRUITING, 9.9, 13.9).at(S_HUGUANG),
    p("东北黑木耳 250g", MUSHROOM, 19.0, 29.0).at(S_WAREHOUSE),
];

/// Extra tags a copy of an offer may carry.
const DELIVERY_TAGS: [&str; 3] = ["次日达", "当日达", "满39减5"];

/// Boost values given to a few offers.
const BOOSTS: [f64; 5] = [0.2, 0.3, 0.5, 0.8, 1.0];

/// A plausible shelf price near `x`: ¥…9 from ¥100, ¥….9 from ¥10, one decimal below.
fn shelf_price(x: f64) -> f64 {
    if x >= 100.0 {
        (x / 10.0).floor() * 10.0 + 9.0
    } else if x >= 10.0 {
        (x.floor() * 10.0 + 9.0) / 10.0
    } else {
        ((x * 10.0).round() / 10.0).max(0.1)
    }
}

// ---------------------------------------------------------------------------------
// Embeddings
// ---------------------------------------------------------------------------------

/// Per-leaf centroids: a mix of a top-category direction and a leaf direction, so
/// offers of the same leaf are very similar and leaves of the same top somewhat so.
struct Embedder {
    dim: usize,
    /// Centroid of each leaf.
    centroids: Vec<Vec<f64>>,
    /// Leaf index of each row of [`PRODUCTS`].
    leaf_of: Vec<usize>,
    /// Half-width of the uniform per-component noise.
    noise: f64,
}

fn normalize(v: &mut [f64]) {
    let norm = v.iter().map(|x| x * x).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in v.iter_mut() {
            *x /= norm;
        }
    }
}

fn random_unit(rng: &mut SplitMix64, dim: usize) -> Vec<f64> {
    let mut v: Vec<f64> = (0..dim).map(|_| rng.signed()).collect();
    normalize(&mut v);
    v
}

impl Embedder {
    fn new(seed: u64, dim: usize) -> Self {
        let mut tops: Vec<&str> = Vec::new();
        let mut leaves: Vec<Cat> = Vec::new();
        let mut leaf_of = Vec::with_capacity(PRODUCTS.len());
        for product in PRODUCTS {
            if !tops.contains(&product.cat.top) {
                tops.push(product.cat.top);
            }
            let index = match leaves.iter().position(|c| c.leaf == product.cat.leaf) {
                Some(index) => index,
                None => {
                    leaves.push(product.cat);
                    leaves.len() - 1
                }
            };
            leaf_of.push(index);
        }
        let top_vectors: Vec<Vec<f64>> = (0..tops.len())
            .map(|t| random_unit(&mut SplitMix64::derive(seed, STREAM_TOP, t as u64), dim))
            .collect();
        let centroids = leaves
            .iter()
            .enumerate()
            .map(|(l, leaf)| {
                let top = tops.iter().position(|t| *t == leaf.top).unwrap_or(0);
                let mut rng = SplitMix64::derive(seed, STREAM_LEAF, l as u64);
                let own = random_unit(&mut rng, dim);
                let mut centroid: Vec<f64> = top_vectors[top]
                    .iter()
                    .zip(&own)
                    .map(|(a, b)| 0.6 * a + 0.8 * b)
                    .collect();
                normalize(&mut centroid);
                centroid
            })
            .collect();
        // Uniform noise of half-width a has variance a²/3 per component; this makes
        // the noise vector's expected norm 0.45, for a cosine of about 0.8 between
        // two offers of the same leaf.
        let noise = 0.45 * (3.0 / dim as f64).sqrt();
        Self {
            dim,
            centroids,
            leaf_of,
            noise,
        }
    }

    fn embed(&self, product: usize, rng: &mut SplitMix64) -> Vec<f32> {
        let leaf = self.leaf_of.get(product).copied().unwrap_or(0);
        let mut v: Vec<f64> = match self.centroids.get(leaf) {
            Some(centroid) => centroid
                .iter()
                .map(|c| c + self.noise * rng.signed())
                .collect(),
            None => vec![0.0; self.dim],
        };
        normalize(&mut v);
        v.into_iter().map(|x| x as f32).collect()
    }
}

// ---------------------------------------------------------------------------------
// Offers
// ---------------------------------------------------------------------------------

fn offer_id(index: usize) -> String {
    format!("o{:05}", index + 1)
}

fn make_offer(
    index: usize,
    stores: &[StoreInput],
    seed: u64,
    embedder: Option<&Embedder>,
) -> OfferInput {
    let row = index % PRODUCTS.len();
    let cycle = index / PRODUCTS.len();
    let product = &PRODUCTS[row];
    let anchor = index < ANCHOR_OFFER_IDS.len();
    let mut rng = SplitMix64::derive(seed, STREAM_OFFER, index as u64);

    let store = if cycle > 0 {
        rng.below(stores.len())
    } else if product.store < CORE_STORE_COUNT {
        product.store
    } else {
        rng.below(CORE_STORE_COUNT)
    };
    let store_id = stores
        .get(store)
        .map_or_else(|| store_id(0), |s| s.id.clone());

    let mut price = if anchor {
        product.lo
    } else {
        let jitter = if cycle == 0 { 1.0 } else { rng.range(0.9, 1.1) };
        shelf_price(rng.range(product.lo, product.hi) * jitter)
    };
    let mut original_price = if rng.chance(0.55) {
        Some(shelf_price(price * rng.range(1.1, 1.6)))
    } else {
        None
    };

    let mut title = product.title.to_string();
    let mut tags: Vec<String> = product.tags.iter().map(|t| (*t).to_string()).collect();
    let mut window = None;
    let mut hot = product.hot;
    if !anchor {
        if cycle > 0 && rng.chance(0.10) {
            // Flash sale: a deep cut for one to three days around the epoch.
            original_price = Some(price);
            price = shelf_price(price * rng.range(0.6, 0.8));
            title = format!("【限时秒杀】{title}");
            tags.push("限时秒杀".to_string());
            hot *= 1.5;
            let start = SAMPLE_EPOCH_MS + (rng.below(4) as f64 - 2.0) * DAY_MS + 10.0 * HOUR_MS;
            window = Some((start, start + (1 + rng.below(3)) as f64 * DAY_MS));
        } else if cycle > 0 && rng.chance(0.07) {
            title = format!("【团长推荐】{title}");
            tags.push("团长推荐".to_string());
        } else if rng.chance(0.05) {
            // Seasonal listing: running now, or starting in a few days.
            window = Some(if rng.chance(0.3) {
                let start = SAMPLE_EPOCH_MS + (1 + rng.below(3)) as f64 * DAY_MS;
                (start, start + 7.0 * DAY_MS)
            } else {
                (
                    SAMPLE_EPOCH_MS - (1 + rng.below(10)) as f64 * DAY_MS,
                    SAMPLE_EPOCH_MS + (1 + rng.below(14)) as f64 * DAY_MS,
                )
            });
        }
    }
    if rng.chance(0.4) {
        let tag = DELIVERY_TAGS[rng.below(DELIVERY_TAGS.len())];
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    let original_price = original_price.filter(|&o| o > price);

    let stock = if anchor {
        Some(30 + rng.below_u32(270))
    } else {
        let u = rng.unit();
        if u < 0.06 {
            Some(0)
        } else if u < 0.36 {
            None
        } else {
            Some(1 + rng.below_u32(300))
        }
    };
    // A long tail: about 8 / U sales for uniform U, so most offers sell a few dozen
    // and a few sell thousands.
    let popularity = (hot * 8.0 / (rng.unit() + 0.004)).round();
    let boost = if !anchor && rng.chance(0.04) {
        Some(BOOSTS[rng.below(BOOSTS.len())])
    } else {
        None
    };
    let embedding = embedder.map(|e| e.embed(row, &mut rng));

    OfferInput {
        id: offer_id(index),
        title,
        category: product.cat.leaf.to_string(),
        category_path: Some(vec![
            product.cat.top.to_string(),
            product.cat.leaf.to_string(),
        ]),
        tags: (!tags.is_empty()).then_some(tags),
        price,
        original_price,
        store_id,
        stock,
        popularity: Some(popularity),
        starts_at: window.map(|w| w.0),
        ends_at: window.map(|w| w.1),
        age_min: (product.age_min > 0).then_some(product.age_min),
        age_max: (product.age_max > 0).then_some(product.age_max),
        min_age: (product.min_age > 0).then_some(product.min_age),
        income_bands: (!product.income_bands.is_empty()).then(|| product.income_bands.to_vec()),
        repurchase_days: (product.repurchase_days > 0.0).then_some(product.repurchase_days),
        boost,
        embedding,
        ..Default::default()
    }
}

/// Generates a sample catalog of 望京 stores and offers.
///
/// The catalog has `max(options.offers, 6)` offers with ids `o00001`, `o00002`, …; the
/// first six are the anchors ([`ANCHOR_OFFER_IDS`]). It has one store per 50 offers,
/// at least [`CORE_STORE_COUNT`] and at most [`MAX_SAMPLE_STORES`], with ids `s001`,
/// `s002`, …; the first twelve are the hand-placed 望京 stores. The datum is GCJ-02 and
/// the version 1. The same options always give the same catalog, and offer `i` does
/// not depend on how many offers follow it (only on the seed, the embedding size and,
/// past the hand-written table, the number of stores).
pub fn sample_catalog(options: &SampleOptions) -> CatalogInput {
    let count = options.offers.max(ANCHOR_OFFER_IDS.len());
    let dim = options.embedding_dim.min(MAX_SAMPLE_EMBEDDING_DIM);
    let stores = sample_stores(store_count(count), options.seed);
    let embedder = (dim > 0).then(|| Embedder::new(options.seed, dim));
    let offers = (0..count)
        .map(|index| make_offer(index, &stores, options.seed, embedder.as_ref()))
        .collect();
    CatalogInput {
        version: 1,
        datum: Datum::Gcj02,
        embedding_dim: u32::try_from(dim).ok().filter(|&d| d > 0),
        stores,
        offers,
        areas: None,
    }
}

// ---------------------------------------------------------------------------------
// Users
// ---------------------------------------------------------------------------------

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
    fn new(offers: &'a HashMap<&'a str, &'a OfferInput>, now_ms: f64) -> Self {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

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
        let count =
            |f: &dyn Fn(&OfferInput) -> bool| catalog.offers.iter().filter(|o| f(o)).count();
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
    fn rng_is_the_reference_splitmix64() {
        // First outputs of SplitMix64 seeded with 1234567 (reference implementation).
        let mut rng = SplitMix64 { state: 1_234_567 };
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
        for _ in 0..1000 {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(rng.below(7) < 7);
        }
    }

    #[test]
    fn shelf_prices_look_real() {
        assert_eq!(shelf_price(25.3), 25.9);
        assert_eq!(shelf_price(3.47), 3.5);
        assert_eq!(shelf_price(131.0), 139.0);
        assert_eq!(shelf_price(0.01), 0.1);
    }
}
