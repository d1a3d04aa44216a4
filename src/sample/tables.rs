//! The hand-written tables of the sample catalog: the stores of 望京 and the
//! neighbourhoods farther out, the categories, and the products with their specs,
//! prices, cycles and targeting.

use super::{CORE_STORE_COUNT, HUAJIADI_PICKUP_LAT, HUAJIADI_PICKUP_LNG};
use crate::contract::input::StoreKind;
use StoreKind::{PickupPoint, Store, Warehouse};

pub(super) struct CoreStore {
    pub(super) name: &'static str,
    pub(super) lat: f64,
    pub(super) lng: f64,
    pub(super) kind: StoreKind,
    pub(super) radius_km: f64,
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
pub(super) const CORE_STORES: [CoreStore; CORE_STORE_COUNT] = [
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
pub(super) const OUTER_AREAS: [(&str, f64, f64); 32] = [
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

pub(super) const OUTER_SUBAREAS: [&str; 6] = ["北里", "南里", "东里", "西里", "家园", "小区"];

/// A category: top level and leaf.
#[derive(Clone, Copy)]
pub(super) struct Cat {
    pub(super) top: &'static str,
    pub(super) leaf: &'static str,
}

pub(super) const fn cat(top: &'static str, leaf: &'static str) -> Cat {
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
pub(super) struct Product {
    pub(super) title: &'static str,
    pub(super) cat: Cat,
    /// Price range in CNY; anchors use `lo` exactly.
    pub(super) lo: f64,
    pub(super) hi: f64,
    /// Replenishment cycle in days; 0 when not a consumable.
    pub(super) repurchase_days: f64,
    /// Soft age targeting; 0 when absent.
    pub(super) age_min: u32,
    pub(super) age_max: u32,
    /// Hard minimum age; 0 when absent.
    pub(super) min_age: u32,
    pub(super) income_bands: &'static [u8],
    pub(super) tags: &'static [&'static str],
    /// Index into [`CORE_STORES`] for the first copy, or [`ANY_STORE`].
    pub(super) store: usize,
    /// Popularity multiplier.
    pub(super) hot: f64,
}

pub(super) const fn p(title: &'static str, cat: Cat, lo: f64, hi: f64) -> Product {
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

    pub(super) const fn tags(self, tags: &'static [&'static str]) -> Self {
        Self { tags, ..self }
    }

    pub(super) const fn at(self, store: usize) -> Self {
        Self { store, ..self }
    }

    pub(super) const fn hot(self, hot: f64) -> Self {
        Self { hot, ..self }
    }
}

/// The hand-written product table. The first [`ANCHOR_OFFER_IDS`]`.len()` rows are the
/// anchors, in the order of their ids; the first copy of row `i` is offer `o{i+1:05}`.
#[rustfmt::skip]
pub(super) const PRODUCTS: &[Product] = &[
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
pub(super) const DELIVERY_TAGS: [&str; 3] = ["次日达", "当日达", "满39减5"];

/// Boost values given to a few offers.
pub(super) const BOOSTS: [f64; 5] = [0.2, 0.3, 0.5, 0.8, 1.0];
