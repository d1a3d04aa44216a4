//! The catalog: stores and offers, held column-wise for the scoring loop.
//!
//! Each offer is one index into a set of parallel columns (numeric columns are plain
//! `Vec`s, the embedding matrix is one contiguous row-major block). There are no per-offer heap objects in
//! the scoring path: strings (id, title) live in their own columns and are touched
//! only for the returned top-K. Updates validate the whole batch first and then apply
//! it, so a failed update leaves the catalog exactly as it was.

use std::hash::BuildHasher as _;

use rustc_hash::FxBuildHasher;

/// Id lookups hash with FxHash (rustc-hash): keys come from the app's own catalog, so
/// SipHash's flooding resistance buys nothing on a phone, and it is larger and slower.
/// The maps are hashbrown's, the same code as std's, so that the offer index's
/// `HashTable` and these maps are one copy in the module.
type HashMap<K, V> = hashbrown::HashMap<K, V, FxBuildHasher>;

/// Offer positions by id. The table holds only positions; the ids stay in the id
/// column, which every lookup reads (so an offer's id is stored once, and building
/// the index allocates nothing per offer).
#[derive(Clone, Debug, Default)]
struct OfferIndex(hashbrown::HashTable<u32>);

impl OfferIndex {
    fn hash(id: &str) -> u64 {
        FxBuildHasher.hash_one(id)
    }

    /// Position of the offer with this id.
    fn get(&self, ids: &[String], id: &str) -> Option<usize> {
        self.find(ids, id, Self::hash(id))
    }

    fn find(&self, ids: &[String], id: &str, hash: u64) -> Option<usize> {
        self.0
            .find(hash, |&i| ids[i as usize] == id)
            .map(|&i| i as usize)
    }

    /// Rehashes a position by its id when the table grows (one closure type, so one
    /// copy of the growth code).
    fn rehash(ids: &[String]) -> impl Fn(&u32) -> u64 + '_ {
        |&i| Self::hash(&ids[i as usize])
    }

    /// Adds the offer at `idx`; `false` (and nothing added) when its id is already
    /// indexed at another position.
    fn insert(&mut self, ids: &[String], idx: usize) -> bool {
        let id = ids[idx].as_str();
        let hash = Self::hash(id);
        if self.find(ids, id, hash).is_some() {
            return false;
        }
        self.0.insert_unique(hash, idx as u32, Self::rehash(ids));
        true
    }

    /// Forgets the offer at `idx` and records that the offer at `moved_from` (the
    /// last one) now sits at `idx`: what `swap_remove(idx)` does to the columns.
    /// Called before the columns change, while `ids` still has both.
    fn swap_remove(&mut self, ids: &[String], idx: usize) {
        if let Ok(entry) = self
            .0
            .find_entry(Self::hash(&ids[idx]), |&i| i as usize == idx)
        {
            entry.remove();
        }
        let last = ids.len() - 1;
        if idx != last {
            if let Some(slot) = self
                .0
                .find_mut(Self::hash(&ids[last]), |&i| i as usize == last)
            {
                *slot = idx as u32;
            }
        }
    }

    fn reserve(&mut self, ids: &[String], additional: usize) {
        self.0.reserve(additional, Self::rehash(ids));
    }
}

use crate::error::{describe_number, Error, ErrorCode, Result};
use crate::geo::{check_lat_lng, to_wgs84, LatLng, UnitVector};
use crate::input::{AreaInput, CatalogInput, Datum, OfferInput, StoreInput, StoreKind};

/// The catalog format version this build reads.
pub const CATALOG_VERSION: u32 = 1;

/// Size limits on catalog input.
pub mod limits {
    /// Most offers in one catalog.
    pub const MAX_OFFERS: usize = 1_000_000;
    /// Most stores in one catalog.
    pub const MAX_STORES: usize = 100_000;
    /// Longest embedding.
    pub const MAX_EMBEDDING_DIM: usize = 512;
    /// Longest id, in bytes.
    pub const MAX_ID_LEN: usize = 128;
    /// Longest title, name or category, in bytes.
    pub const MAX_TEXT_LEN: usize = 512;
    /// Most tags or category path entries on one offer.
    pub const MAX_TAGS: usize = 32;
    /// Highest popularity (recent sales) accepted.
    pub const MAX_POPULARITY: f64 = 1e12;
    /// Highest price accepted, CNY.
    pub const MAX_PRICE: f64 = 10_000_000.0;
    /// Largest radius accepted, km.
    pub const MAX_RADIUS_KM: f64 = 20_000.0;
    /// Oldest age accepted in targeting fields.
    pub const MAX_AGE: u32 = 150;
    /// Longest repurchase cycle accepted, days.
    pub const MAX_REPURCHASE_DAYS: f64 = 3650.0;
    /// Most areas (of learned popularity) in one catalog.
    pub const MAX_AREAS: usize = 256;
    /// Highest learned audience lift accepted.
    pub const MAX_LIFT: f64 = 1e4;
}

/// Number of age bands of learned audience lift: < 25, 25–29, 30–34, …, 60–64, ≥ 65.
pub const AGE_BANDS: usize = 10;
/// Number of income bands of learned audience lift (bands 1..=5).
pub const INCOME_BANDS: usize = 5;
/// Default radius of an area, km.
pub const DEFAULT_AREA_RADIUS_KM: f64 = 3.0;

/// The age band (0..[`AGE_BANDS`]) of an age in years.
pub fn age_band(age: u32) -> usize {
    if age < 25 {
        0
    } else {
        (((age - 25) / 5) as usize + 1).min(AGE_BANDS - 1)
    }
}

/// An area of learned popularity, with its centre converted to WGS-84.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    /// Area id.
    pub id: String,
    /// WGS-84 centre.
    pub position: LatLng,
    /// Unit vector of `position`.
    pub unit: UnitVector,
    /// Users within this many km belong to it.
    pub radius_km: f64,
}

/// A store, with its coordinates converted to WGS-84.
#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    /// Store id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// WGS-84 position.
    pub position: LatLng,
    /// Unit vector of `position`, for cheap distances.
    pub unit: UnitVector,
    /// Delivery or pickup radius in km, if limited.
    pub radius_km: Option<f64>,
    /// What kind of place it is.
    pub kind: Option<StoreKind>,
}

/// Sentinel for "no limit" in the stock column.
pub const UNLIMITED_STOCK: u32 = u32::MAX;
/// Sentinel for "no upper age target" in the `age_max` column.
pub const NO_AGE_MAX: u8 = u8::MAX;

/// Stores and offers, column-wise.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    embedding_dim: usize,
    stores: Vec<Store>,
    store_index: HashMap<String, u32>,
    categories: Vec<String>,
    category_index: HashMap<String, u32>,
    /// Per category: Σ ln(price) and the number of offers, for its typical price.
    category_log_price: Vec<(f64, u32)>,
    offer_index: OfferIndex,
    /// max of the `ln_popularity` column, refreshed after every change.
    ln_popularity_max: f64,
    areas: Vec<Area>,
    /// Per area, max of its `ln_area_popularity` column.
    ln_area_popularity_max: Vec<f64>,
    pub(crate) cols: Columns,
}

/// The per-offer columns. Row `i` of every column is offer `i`.
#[derive(Clone, Debug, Default)]
pub(crate) struct Columns {
    pub ids: Vec<String>,
    pub titles: Vec<String>,
    pub store: Vec<u32>,
    pub category: Vec<u32>,
    /// CNY, as given (f64, so prices read back exactly).
    pub price: Vec<f64>,
    /// ln(price), precomputed for the price-fit feature.
    pub ln_price: Vec<f32>,
    /// 1 − price / originalPrice, or 0.
    pub discount: Vec<f32>,
    pub stock: Vec<u32>,
    /// ln(1 + popularity).
    pub ln_popularity: Vec<f32>,
    pub popularity: Vec<f32>,
    /// Epoch ms; −∞ when open.
    pub starts_at: Vec<f64>,
    /// Epoch ms; +∞ when open.
    pub ends_at: Vec<f64>,
    /// Soft targeting, 0 when absent.
    pub age_min: Vec<u8>,
    /// Soft targeting, [`NO_AGE_MAX`] when absent.
    pub age_max: Vec<u8>,
    /// Hard restriction, 0 when absent.
    pub min_age: Vec<u8>,
    /// Bit `b − 1` set for each targeted income band `b`; 0 when absent.
    pub income_mask: Vec<u8>,
    /// Days; 0 when absent.
    pub repurchase_days: Vec<f32>,
    pub boost: Vec<f32>,
    /// Row-major `n × embedding_dim`, rows L2-normalised (all-zero rows for offers
    /// without an embedding).
    pub embeddings: Vec<f32>,
    pub has_embedding: Vec<bool>,
    /// Learned lift per age band, row-major `n × AGE_BANDS`; all-zero rows = absent.
    pub age_lift: Vec<f32>,
    /// Learned lift per income band, row-major `n × INCOME_BANDS`; zero rows = absent.
    pub income_lift: Vec<f32>,
    /// Learned share of buyers who bought again; 0 = absent.
    pub repurchase_rate: Vec<f32>,
    /// Learned sales per area, row-major `n × areas`.
    pub area_popularity: Vec<f32>,
    /// ln(1 + area popularity), same shape.
    pub ln_area_popularity: Vec<f32>,
}

/// An offer after validation, ready to be written into the columns.
struct OfferRow {
    id: String,
    title: String,
    store: u32,
    category: String,
    price: f64,
    discount: f32,
    stock: u32,
    popularity: f32,
    starts_at: f64,
    ends_at: f64,
    age_min: u8,
    age_max: u8,
    min_age: u8,
    income_mask: u8,
    repurchase_days: f32,
    boost: f32,
    embedding: Option<Vec<f32>>,
    age_lift: [f32; AGE_BANDS],
    income_lift: [f32; INCOME_BANDS],
    repurchase_rate: f32,
    area_popularity: Vec<f32>,
}

impl Catalog {
    /// Builds a catalog from its input form.
    ///
    /// # Errors
    /// The first problem found, with its path (`offers[12].price`, `stores[0].lat`,
    /// `version`, …).
    pub fn from_input(input: CatalogInput) -> Result<Self> {
        if input.version != CATALOG_VERSION {
            return Err(Error::invalid(
                "version",
                format!(
                    "unsupported catalog version {} (this build reads {CATALOG_VERSION})",
                    input.version
                ),
            ));
        }
        let embedding_dim = match input.embedding_dim {
            None => 0,
            Some(d) if (1..=limits::MAX_EMBEDDING_DIM as u32).contains(&d) => d as usize,
            Some(d) => {
                return Err(Error::invalid(
                    "embeddingDim",
                    format!(
                        "expected an integer in 1..={}, got {d}",
                        limits::MAX_EMBEDDING_DIM
                    ),
                ))
            }
        };
        check_count("stores", input.stores.len(), limits::MAX_STORES)?;
        check_count("offers", input.offers.len(), limits::MAX_OFFERS)?;
        let mut catalog = Catalog {
            embedding_dim,
            ..Default::default()
        };
        let stores = validate_stores(&input.stores, input.datum, &HashMap::default(), "stores")?;
        for store in stores {
            catalog.put_store(store);
        }
        if let Some(areas) = &input.areas {
            catalog.areas = validate_areas(areas, input.datum)?;
        }
        let rows = catalog.validate_offers(input.offers, "offers", false)?;
        catalog.reserve(rows.len());
        for row in rows {
            catalog.put_offer(row);
        }
        catalog.refresh_stats();
        Ok(catalog)
    }

    /// Parses a catalog from JSON text.
    ///
    /// # Errors
    /// A syntax or shape error with its path, or any error of [`Catalog::from_input`].
    pub fn from_json(json: &str) -> Result<Self> {
        let input: CatalogInput = crate::input::from_json(json, "")?;
        Self::from_input(input)
    }

    /// Number of offers.
    pub fn len(&self) -> usize {
        self.cols.ids.len()
    }

    /// True when there are no offers.
    pub fn is_empty(&self) -> bool {
        self.cols.ids.is_empty()
    }

    /// Embedding length (0 when the catalog has no embeddings).
    pub fn embedding_dim(&self) -> usize {
        self.embedding_dim
    }

    /// All stores.
    pub fn stores(&self) -> &[Store] {
        &self.stores
    }

    /// Category names, indexed by the category column.
    pub fn categories(&self) -> &[String] {
        &self.categories
    }

    /// Index of an offer by id.
    pub fn offer_idx(&self, id: &str) -> Option<usize> {
        self.offer_index.get(&self.cols.ids, id)
    }

    /// Id of offer `offer_idx`.
    pub fn offer_id(&self, offer_idx: usize) -> &str {
        &self.cols.ids[offer_idx]
    }

    /// Title of offer `offer_idx`.
    pub fn offer_title(&self, offer_idx: usize) -> &str {
        &self.cols.titles[offer_idx]
    }

    /// Leaf category of offer `offer_idx`.
    pub fn offer_category(&self, offer_idx: usize) -> &str {
        &self.categories[self.cols.category[offer_idx] as usize]
    }

    /// Store of offer `offer_idx`.
    pub fn offer_store(&self, offer_idx: usize) -> &Store {
        &self.stores[self.cols.store[offer_idx] as usize]
    }

    /// Price of offer `offer_idx`, CNY.
    pub fn offer_price(&self, offer_idx: usize) -> f64 {
        self.cols.price[offer_idx]
    }

    /// Stock of offer `offer_idx` (`None` = unlimited).
    pub fn offer_stock(&self, offer_idx: usize) -> Option<u32> {
        let s = self.cols.stock[offer_idx];
        (s != UNLIMITED_STOCK).then_some(s)
    }

    /// The price column.
    pub fn prices(&self) -> &[f64] {
        &self.cols.price
    }

    /// The (L2-normalised) embedding matrix, `len() × embedding_dim()` values in row
    /// order.
    pub fn embeddings(&self) -> &[f32] {
        &self.cols.embeddings
    }

    /// The normalised embedding of offer `offer_idx`, if it has one.
    pub fn offer_embedding(&self, offer_idx: usize) -> Option<&[f32]> {
        if self.embedding_dim == 0 || !self.cols.has_embedding[offer_idx] {
            return None;
        }
        let d = self.embedding_dim;
        Some(&self.cols.embeddings[offer_idx * d..(offer_idx + 1) * d])
    }

    /// ln of the geometric-mean price of category `category_idx`, the reference a
    /// price is compared against.
    pub fn category_ln_price(&self, category_idx: usize) -> f64 {
        let (sum, n) = self.category_log_price[category_idx];
        if n == 0 {
            0.0
        } else {
            sum / f64::from(n)
        }
    }

    /// The areas of learned popularity.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// ln(1 + the highest popularity in area `area_idx`).
    pub fn ln_area_popularity_max(&self, area_idx: usize) -> f64 {
        self.ln_area_popularity_max
            .get(area_idx)
            .copied()
            .unwrap_or(0.0)
    }

    /// Learned age lift of offer `offer_idx`, if it has one.
    pub fn offer_age_lift(&self, offer_idx: usize) -> Option<&[f32]> {
        let row = &self.cols.age_lift[offer_idx * AGE_BANDS..(offer_idx + 1) * AGE_BANDS];
        (row[0] > 0.0).then_some(row)
    }

    /// Learned income lift of offer `offer_idx`, if it has one.
    pub fn offer_income_lift(&self, offer_idx: usize) -> Option<&[f32]> {
        let row = &self.cols.income_lift[offer_idx * INCOME_BANDS..(offer_idx + 1) * INCOME_BANDS];
        (row[0] > 0.0).then_some(row)
    }

    /// Learned repurchase rate of offer `offer_idx`, if it has one.
    pub fn offer_repurchase_rate(&self, offer_idx: usize) -> Option<f64> {
        let r = self.cols.repurchase_rate[offer_idx];
        (r > 0.0).then_some(f64::from(r))
    }

    /// Index of a category by name.
    pub fn category_idx(&self, name: &str) -> Option<usize> {
        self.category_index.get(name).map(|i| *i as usize)
    }

    /// Adds or replaces stores. Coordinates are read in `datum` unless a store names
    /// its own.
    ///
    /// # Errors
    /// The first problem in the batch (paths start at `stores`); nothing is changed.
    pub fn upsert_stores(&mut self, stores: &[StoreInput], datum: Datum) -> Result<()> {
        check_count(
            "stores",
            self.stores.len() + stores.len(),
            limits::MAX_STORES,
        )?;
        let validated = validate_stores(stores, datum, &self.store_index, "stores")?;
        for store in validated {
            self.put_store(store);
        }
        Ok(())
    }

    /// Adds new offers and replaces existing ones with the same id.
    ///
    /// # Errors
    /// The first problem in the batch (paths start at `offers`); nothing is changed.
    pub fn upsert_offers(&mut self, offers: Vec<OfferInput>) -> Result<()> {
        check_count("offers", self.len() + offers.len(), limits::MAX_OFFERS)?;
        let rows = self.validate_offers(offers, "offers", true)?;
        self.reserve(rows.len());
        for row in rows {
            self.put_offer(row);
        }
        self.refresh_stats();
        Ok(())
    }

    /// Removes offers by id; returns how many were removed.
    ///
    /// # Errors
    /// `unknownId` at `ids[i]` for an id not in the catalog, `duplicateId` for an id
    /// listed twice; nothing is removed then.
    pub fn remove_offers(&mut self, ids: &[String]) -> Result<usize> {
        let mut seen = HashMap::with_capacity_and_hasher(ids.len(), Default::default());
        for (i, id) in ids.iter().enumerate() {
            if self.offer_idx(id).is_none() {
                return Err(Error::new(
                    ErrorCode::UnknownId,
                    format!("ids[{i}]"),
                    format!("unknown offer id \"{id}\""),
                ));
            }
            if let Some(first) = seen.insert(id.as_str(), i) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("ids[{i}]"),
                    format!("duplicate id \"{id}\" (also at ids[{first}])"),
                ));
            }
        }
        for id in ids {
            if let Some(idx) = self.offer_idx(id) {
                self.swap_remove(idx);
            }
        }
        self.refresh_stats();
        Ok(ids.len())
    }

    /// Sets the stock of one offer (0 filters it out).
    ///
    /// # Errors
    /// `unknownId` at `offerId` when the offer does not exist.
    pub fn set_stock(&mut self, offer_id: &str, stock: Option<u32>) -> Result<()> {
        let idx = self.offer_idx(offer_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownId,
                "offerId",
                format!("unknown offer id \"{offer_id}\""),
            )
        })?;
        self.cols.stock[idx] = stock.unwrap_or(UNLIMITED_STOCK);
        Ok(())
    }

    /// Assembles a catalog from decoded parts (the binary form), building the indexes
    /// and statistics. The columns must all have `cols.ids.len()` rows and
    /// `store`/`category` indices must be in range (the decoder checks both).
    ///
    /// # Errors
    /// `duplicateId` at `path` for a repeated store or offer id; `corruptState` for a
    /// category named twice.
    pub(crate) fn from_parts(
        embedding_dim: usize,
        areas: Vec<Area>,
        stores: Vec<Store>,
        categories: Vec<String>,
        cols: Columns,
        path: &str,
    ) -> Result<Self> {
        let mut catalog = Catalog {
            embedding_dim,
            areas,
            ..Default::default()
        };
        for (i, store) in stores.into_iter().enumerate() {
            if catalog.store_index.contains_key(&store.id) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}.stores[{i}]"),
                    format!("duplicate id \"{}\"", store.id),
                ));
            }
            catalog.put_store(store);
        }
        for (i, name) in categories.into_iter().enumerate() {
            // Offers refer to categories by position, so a repeated name would leave
            // the positions after it pointing past the interned list.
            if catalog.category_index.contains_key(&name) {
                return Err(Error::new(
                    ErrorCode::CorruptState,
                    format!("{path}.categories[{i}]"),
                    format!("category \"{name}\" is listed twice"),
                ));
            }
            catalog.intern_category(name);
        }
        catalog.offer_index.reserve(&cols.ids, cols.ids.len());
        for (i, id) in cols.ids.iter().enumerate() {
            if !catalog.offer_index.insert(&cols.ids, i) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}.offers[{i}]"),
                    format!("duplicate id \"{id}\""),
                ));
            }
        }
        for (c, ln_price) in cols.category.iter().zip(&cols.ln_price) {
            let entry = &mut catalog.category_log_price[*c as usize];
            entry.0 += f64::from(*ln_price);
            entry.1 += 1;
        }
        catalog.cols = cols;
        catalog.refresh_stats();
        Ok(catalog)
    }

    /// ln(1 + the highest popularity in the catalog).
    pub fn ln_popularity_max(&self) -> f64 {
        self.ln_popularity_max
    }

    fn refresh_stats(&mut self) {
        self.ln_popularity_max = self
            .cols
            .ln_popularity
            .iter()
            .fold(0.0f64, |m, x| m.max(f64::from(*x)));
        let a = self.areas.len();
        let mut max = vec![0.0f64; a];
        if a > 0 {
            for row in self.cols.ln_area_popularity.chunks_exact(a) {
                for (m, x) in max.iter_mut().zip(row) {
                    *m = m.max(f64::from(*x));
                }
            }
        }
        self.ln_area_popularity_max = max;
    }

    fn put_store(&mut self, store: Store) {
        match self.store_index.get(&store.id) {
            Some(&i) => self.stores[i as usize] = store,
            None => {
                self.store_index
                    .insert(store.id.clone(), self.stores.len() as u32);
                self.stores.push(store);
            }
        }
    }

    fn intern_category(&mut self, name: String) -> u32 {
        if let Some(&i) = self.category_index.get(&name) {
            return i;
        }
        let i = self.categories.len() as u32;
        self.category_index.insert(name.clone(), i);
        self.categories.push(name);
        self.category_log_price.push((0.0, 0));
        i
    }

    fn reserve(&mut self, additional: usize) {
        let c = &mut self.cols;
        c.ids.reserve(additional);
        c.titles.reserve(additional);
        c.store.reserve(additional);
        c.category.reserve(additional);
        c.price.reserve(additional);
        c.ln_price.reserve(additional);
        c.discount.reserve(additional);
        c.stock.reserve(additional);
        c.ln_popularity.reserve(additional);
        c.popularity.reserve(additional);
        c.starts_at.reserve(additional);
        c.ends_at.reserve(additional);
        c.age_min.reserve(additional);
        c.age_max.reserve(additional);
        c.min_age.reserve(additional);
        c.income_mask.reserve(additional);
        c.repurchase_days.reserve(additional);
        c.boost.reserve(additional);
        c.has_embedding.reserve(additional);
        c.embeddings.reserve(additional * self.embedding_dim);
        c.age_lift.reserve(additional * AGE_BANDS);
        c.income_lift.reserve(additional * INCOME_BANDS);
        c.repurchase_rate.reserve(additional);
        c.area_popularity.reserve(additional * self.areas.len());
        c.ln_area_popularity.reserve(additional * self.areas.len());
    }

    /// Writes a validated row: appends a new offer or overwrites the existing one.
    fn put_offer(&mut self, row: OfferRow) {
        let category = self.intern_category(row.category);
        // Rounded to the column's f32 so the category sums are the same whichever way
        // the catalog was built (JSON or binary).
        let ln_price = libm::log(row.price) as f32;
        if let Some(idx) = self.offer_idx(&row.id) {
            self.forget_price(idx);
            let c = &mut self.cols;
            c.titles[idx] = row.title;
            c.store[idx] = row.store;
            c.category[idx] = category;
            c.price[idx] = row.price;
            c.ln_price[idx] = ln_price;
            c.discount[idx] = row.discount;
            c.stock[idx] = row.stock;
            c.ln_popularity[idx] = libm::log1p(f64::from(row.popularity)) as f32;
            c.popularity[idx] = row.popularity;
            c.starts_at[idx] = row.starts_at;
            c.ends_at[idx] = row.ends_at;
            c.age_min[idx] = row.age_min;
            c.age_max[idx] = row.age_max;
            c.min_age[idx] = row.min_age;
            c.income_mask[idx] = row.income_mask;
            c.repurchase_days[idx] = row.repurchase_days;
            c.boost[idx] = row.boost;
            c.age_lift[idx * AGE_BANDS..(idx + 1) * AGE_BANDS].copy_from_slice(&row.age_lift);
            c.income_lift[idx * INCOME_BANDS..(idx + 1) * INCOME_BANDS]
                .copy_from_slice(&row.income_lift);
            c.repurchase_rate[idx] = row.repurchase_rate;
            let a = self.areas.len();
            for (j, p) in row.area_popularity.iter().enumerate() {
                c.area_popularity[idx * a + j] = *p;
                c.ln_area_popularity[idx * a + j] = libm::log1p(f64::from(*p)) as f32;
            }
            let d = self.embedding_dim;
            c.has_embedding[idx] = row.embedding.is_some();
            if d > 0 {
                let dst = &mut c.embeddings[idx * d..(idx + 1) * d];
                write_normalised(dst, row.embedding.as_deref());
            }
        } else {
            let idx = self.cols.ids.len();
            let c = &mut self.cols;
            c.ids.push(row.id);
            self.offer_index.insert(&c.ids, idx);
            c.titles.push(row.title);
            c.store.push(row.store);
            c.category.push(category);
            c.price.push(row.price);
            c.ln_price.push(ln_price);
            c.discount.push(row.discount);
            c.stock.push(row.stock);
            c.ln_popularity
                .push(libm::log1p(f64::from(row.popularity)) as f32);
            c.popularity.push(row.popularity);
            c.starts_at.push(row.starts_at);
            c.ends_at.push(row.ends_at);
            c.age_min.push(row.age_min);
            c.age_max.push(row.age_max);
            c.min_age.push(row.min_age);
            c.income_mask.push(row.income_mask);
            c.repurchase_days.push(row.repurchase_days);
            c.boost.push(row.boost);
            c.has_embedding.push(row.embedding.is_some());
            c.age_lift.extend_from_slice(&row.age_lift);
            c.income_lift.extend_from_slice(&row.income_lift);
            c.repurchase_rate.push(row.repurchase_rate);
            for p in &row.area_popularity {
                c.area_popularity.push(*p);
                c.ln_area_popularity.push(libm::log1p(f64::from(*p)) as f32);
            }
            let d = self.embedding_dim;
            if d > 0 {
                let start = c.embeddings.len();
                c.embeddings.resize(start + d, 0.0);
                write_normalised(&mut c.embeddings[start..], row.embedding.as_deref());
            }
        }
        let entry = &mut self.category_log_price[category as usize];
        entry.0 += f64::from(ln_price);
        entry.1 += 1;
    }

    fn forget_price(&mut self, idx: usize) {
        let category = self.cols.category[idx] as usize;
        let entry = &mut self.category_log_price[category];
        entry.0 -= f64::from(self.cols.ln_price[idx]);
        entry.1 = entry.1.saturating_sub(1);
        if entry.1 == 0 {
            entry.0 = 0.0;
        }
    }

    /// Removes offer `idx` by moving the last offer into its place.
    fn swap_remove(&mut self, idx: usize) {
        self.forget_price(idx);
        self.offer_index.swap_remove(&self.cols.ids, idx);
        let c = &mut self.cols;
        c.ids.swap_remove(idx);
        c.titles.swap_remove(idx);
        c.store.swap_remove(idx);
        c.category.swap_remove(idx);
        c.price.swap_remove(idx);
        c.ln_price.swap_remove(idx);
        c.discount.swap_remove(idx);
        c.stock.swap_remove(idx);
        c.ln_popularity.swap_remove(idx);
        c.popularity.swap_remove(idx);
        c.starts_at.swap_remove(idx);
        c.ends_at.swap_remove(idx);
        c.age_min.swap_remove(idx);
        c.age_max.swap_remove(idx);
        c.min_age.swap_remove(idx);
        c.income_mask.swap_remove(idx);
        c.repurchase_days.swap_remove(idx);
        c.boost.swap_remove(idx);
        c.has_embedding.swap_remove(idx);
        c.repurchase_rate.swap_remove(idx);
        swap_remove_row(&mut c.age_lift, idx, AGE_BANDS);
        swap_remove_row(&mut c.income_lift, idx, INCOME_BANDS);
        swap_remove_row(&mut c.area_popularity, idx, self.areas.len());
        swap_remove_row(&mut c.ln_area_popularity, idx, self.areas.len());
        let d = self.embedding_dim;
        if d > 0 {
            let last = c.embeddings.len() - d;
            if idx * d != last {
                c.embeddings.copy_within(last.., idx * d);
            }
            c.embeddings.truncate(last);
        }
    }

    /// Validates a batch of offers against the current stores and each other.
    /// `allow_existing` permits ids already in the catalog (upsert).
    fn validate_offers(
        &self,
        offers: Vec<OfferInput>,
        path: &str,
        allow_existing: bool,
    ) -> Result<Vec<OfferRow>> {
        let mut seen: HashMap<&str, usize> =
            HashMap::with_capacity_and_hasher(offers.len(), Default::default());
        for (i, offer) in offers.iter().enumerate() {
            if let Some(first) = seen.insert(offer.id.as_str(), i) {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}[{i}].id"),
                    format!("duplicate id \"{}\" (also at {path}[{first}])", offer.id),
                ));
            }
            if !allow_existing && self.offer_idx(&offer.id).is_some() {
                return Err(Error::new(
                    ErrorCode::DuplicateId,
                    format!("{path}[{i}].id"),
                    format!("duplicate id \"{}\"", offer.id),
                ));
            }
        }
        drop(seen);
        let mut rows = Vec::with_capacity(offers.len());
        for (i, offer) in offers.into_iter().enumerate() {
            let row = self
                .validate_offer(offer)
                .map_err(|e| e.within(&format!("{path}[{i}]")))?;
            rows.push(row);
        }
        Ok(rows)
    }

    fn validate_offer(&self, o: OfferInput) -> Result<OfferRow> {
        check_id(&o.id, "id")?;
        check_text(&o.title, "title")?;
        check_text(&o.category, "category")?;
        for (field, list) in [("categoryPath", &o.category_path), ("tags", &o.tags)] {
            if let Some(list) = list {
                check_count(field, list.len(), limits::MAX_TAGS)?;
                for (i, t) in list.iter().enumerate() {
                    check_text(t, &format!("{field}[{i}]"))?;
                }
            }
        }
        let price = check_positive(o.price, "price", limits::MAX_PRICE)?;
        let discount = match o.original_price {
            None => 0.0,
            Some(orig) => {
                let orig = check_positive(orig, "originalPrice", limits::MAX_PRICE)?;
                if orig < price {
                    return Err(Error::invalid(
                        "originalPrice",
                        format!(
                            "expected a number ≥ price ({}), got {}",
                            describe_number(price),
                            describe_number(orig)
                        ),
                    ));
                }
                (1.0 - price / orig) as f32
            }
        };
        let store = *self.store_index.get(&o.store_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownId,
                "storeId",
                format!("unknown store id \"{}\"", o.store_id),
            )
        })?;
        let popularity = match o.popularity {
            None => 0.0,
            Some(p) => check_non_negative(p, "popularity", limits::MAX_POPULARITY)? as f32,
        };
        let starts_at = match o.starts_at {
            None => f64::NEG_INFINITY,
            Some(t) => {
                crate::params::check_time(t, "startsAt")?;
                t
            }
        };
        let ends_at = match o.ends_at {
            None => f64::INFINITY,
            Some(t) => {
                crate::params::check_time(t, "endsAt")?;
                if t <= starts_at {
                    return Err(Error::invalid(
                        "endsAt",
                        format!(
                            "expected a time after startsAt ({}), got {}",
                            describe_number(starts_at),
                            describe_number(t)
                        ),
                    ));
                }
                t
            }
        };
        let age_min = check_age(o.age_min, "ageMin")?.unwrap_or(0);
        let age_max = check_age(o.age_max, "ageMax")?.unwrap_or(NO_AGE_MAX);
        if age_min > age_max {
            return Err(Error::invalid(
                "ageMax",
                format!("expected an age ≥ ageMin ({age_min}), got {age_max}"),
            ));
        }
        let min_age = check_age(o.min_age, "minAge")?.unwrap_or(0);
        let mut income_mask = 0u8;
        if let Some(bands) = &o.income_bands {
            if bands.is_empty() {
                return Err(Error::invalid(
                    "incomeBands",
                    "expected at least one band (omit the field for no targeting)",
                ));
            }
            check_count("incomeBands", bands.len(), 5)?;
            for (i, b) in bands.iter().enumerate() {
                if !(1..=5).contains(b) {
                    return Err(Error::invalid(
                        format!("incomeBands[{i}]"),
                        format!("expected an income band in 1..=5, got {b}"),
                    ));
                }
                income_mask |= 1 << (b - 1);
            }
        }
        let repurchase_days = match o.repurchase_days {
            None => 0.0,
            Some(d) => check_positive(d, "repurchaseDays", limits::MAX_REPURCHASE_DAYS)? as f32,
        };
        let boost = match o.boost {
            None => 0.0,
            Some(b) if b.is_finite() && (0.0..=1.0).contains(&b) => b as f32,
            Some(b) => {
                return Err(Error::invalid(
                    "boost",
                    format!("expected a number in 0..=1, got {}", describe_number(b)),
                ))
            }
        };
        if let Some(e) = &o.embedding {
            if self.embedding_dim == 0 {
                return Err(Error::invalid(
                    "embedding",
                    "the catalog has no embeddingDim; set it to use embeddings",
                ));
            }
            if e.len() != self.embedding_dim {
                return Err(Error::invalid(
                    "embedding",
                    format!(
                        "expected {} numbers (embeddingDim), got {}",
                        self.embedding_dim,
                        e.len()
                    ),
                ));
            }
            if let Some(j) = e.iter().position(|x| !x.is_finite()) {
                return Err(Error::invalid(
                    format!("embedding[{j}]"),
                    format!(
                        "expected a finite number, got {}",
                        describe_number(f64::from(e[j]))
                    ),
                ));
            }
        }
        let age_lift = check_lift(o.age_lift.as_deref(), "ageLift")?;
        let income_lift = check_lift(o.income_lift.as_deref(), "incomeLift")?;
        let repurchase_rate = match o.repurchase_rate {
            None => 0.0,
            Some(r) if r.is_finite() && r > 0.0 && r <= 1.0 => r as f32,
            Some(r) => {
                return Err(Error::invalid(
                    "repurchaseRate",
                    format!("expected a number in (0, 1], got {}", describe_number(r)),
                ))
            }
        };
        let a = self.areas.len();
        let area_popularity = match &o.area_popularity {
            None => vec![0.0; a],
            Some(list) => {
                if list.len() != a {
                    return Err(Error::invalid(
                        "areaPopularity",
                        format!(
                            "expected {a} numbers (one per catalog area), got {}",
                            list.len()
                        ),
                    ));
                }
                let mut out = Vec::with_capacity(a);
                for (j, p) in list.iter().enumerate() {
                    out.push(check_non_negative(
                        *p,
                        &format!("areaPopularity[{j}]"),
                        limits::MAX_POPULARITY,
                    )? as f32);
                }
                out
            }
        };
        Ok(OfferRow {
            age_lift,
            income_lift,
            repurchase_rate,
            area_popularity,
            id: o.id,
            title: o.title,
            store,
            category: o.category,
            price,
            discount,
            stock: o.stock.unwrap_or(UNLIMITED_STOCK).min(UNLIMITED_STOCK - 1),
            popularity,
            starts_at,
            ends_at,
            age_min,
            age_max,
            min_age,
            income_mask,
            repurchase_days,
            boost,
            embedding: o.embedding,
        })
    }
}

/// Removes row `idx` of a row-major block of rows of `width` by moving the last row
/// into its place.
fn swap_remove_row(block: &mut Vec<f32>, idx: usize, width: usize) {
    if width == 0 {
        return;
    }
    let last = block.len() - width;
    if idx * width != last {
        block.copy_within(last.., idx * width);
    }
    block.truncate(last);
}

/// Validates a learned lift row of `N` positive numbers; zeros when absent.
fn check_lift<const N: usize>(lift: Option<&[f32]>, path: &str) -> Result<[f32; N]> {
    let mut out = [0.0; N];
    let Some(lift) = lift else {
        return Ok(out);
    };
    if lift.len() != N {
        return Err(Error::invalid(
            path,
            format!("expected {N} numbers (one per band), got {}", lift.len()),
        ));
    }
    for (j, x) in lift.iter().enumerate() {
        let x = f64::from(*x);
        check_positive(x, &format!("{path}[{j}]"), limits::MAX_LIFT)?;
        out[j] = x as f32;
    }
    Ok(out)
}

fn validate_areas(areas: &[AreaInput], datum: Datum) -> Result<Vec<Area>> {
    check_count("areas", areas.len(), limits::MAX_AREAS)?;
    let mut seen: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(areas.len(), Default::default());
    let mut out = Vec::with_capacity(areas.len());
    for (i, a) in areas.iter().enumerate() {
        let at = |field: &str| format!("areas[{i}].{field}");
        if let Some(first) = seen.insert(a.id.as_str(), i) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                at("id"),
                format!("duplicate id \"{}\" (also at areas[{first}])", a.id),
            ));
        }
        check_id(&a.id, "id").map_err(|e| e.within(&format!("areas[{i}]")))?;
        check_lat_lng(a.lat, a.lng).map_err(|(field, msg)| Error::invalid(at(field), msg))?;
        let radius_km = match a.radius_km {
            None => DEFAULT_AREA_RADIUS_KM,
            Some(r) => check_positive(r, "radiusKm", limits::MAX_RADIUS_KM)
                .map_err(|e| e.within(&format!("areas[{i}]")))?,
        };
        let position = to_wgs84(a.lat, a.lng, a.datum.unwrap_or(datum));
        out.push(Area {
            id: a.id.clone(),
            position,
            unit: UnitVector::new(position),
            radius_km,
        });
    }
    Ok(out)
}

/// Writes `src` scaled to unit length into `dst` (zeros when absent or all-zero).
fn write_normalised(dst: &mut [f32], src: Option<&[f32]>) {
    match src {
        None => dst.fill(0.0),
        Some(src) => {
            let norm = src
                .iter()
                .map(|x| f64::from(*x).powi(2))
                .sum::<f64>()
                .sqrt();
            if norm > 0.0 {
                for (d, s) in dst.iter_mut().zip(src) {
                    *d = (f64::from(*s) / norm) as f32;
                }
            } else {
                dst.fill(0.0);
            }
        }
    }
}

fn validate_stores(
    stores: &[StoreInput],
    datum: Datum,
    existing: &HashMap<String, u32>,
    path: &str,
) -> Result<Vec<Store>> {
    let _ = existing;
    let mut seen: HashMap<&str, usize> =
        HashMap::with_capacity_and_hasher(stores.len(), Default::default());
    let mut out = Vec::with_capacity(stores.len());
    for (i, s) in stores.iter().enumerate() {
        let at = |field: &str| format!("{path}[{i}].{field}");
        if let Some(first) = seen.insert(s.id.as_str(), i) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                at("id"),
                format!("duplicate id \"{}\" (also at {path}[{first}])", s.id),
            ));
        }
        check_id(&s.id, "id").map_err(|e| e.within(&format!("{path}[{i}]")))?;
        check_text(&s.name, "name").map_err(|e| e.within(&format!("{path}[{i}]")))?;
        check_lat_lng(s.lat, s.lng).map_err(|(field, msg)| Error::invalid(at(field), msg))?;
        let radius_km = match s.delivery_radius_km {
            None => None,
            Some(r) => Some(
                check_positive(r, "deliveryRadiusKm", limits::MAX_RADIUS_KM)
                    .map_err(|e| e.within(&format!("{path}[{i}]")))?,
            ),
        };
        let position = to_wgs84(s.lat, s.lng, s.datum.unwrap_or(datum));
        out.push(Store {
            id: s.id.clone(),
            name: s.name.clone(),
            position,
            unit: UnitVector::new(position),
            radius_km,
            kind: s.kind,
        });
    }
    Ok(out)
}

fn check_count(path: &str, n: usize, max: usize) -> Result<()> {
    if n > max {
        Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("too many entries ({n} > {max})"),
        ))
    } else {
        Ok(())
    }
}

fn check_id(id: &str, path: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid(path, "expected a non-empty id"));
    }
    if id.len() > limits::MAX_ID_LEN {
        return Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("id longer than {} bytes", limits::MAX_ID_LEN),
        ));
    }
    Ok(())
}

fn check_text(text: &str, path: &str) -> Result<()> {
    if text.trim().is_empty() {
        return Err(Error::invalid(path, "expected a non-empty string"));
    }
    if text.len() > limits::MAX_TEXT_LEN {
        return Err(Error::new(
            ErrorCode::TooLarge,
            path,
            format!("text longer than {} bytes", limits::MAX_TEXT_LEN),
        ));
    }
    Ok(())
}

pub(crate) fn check_positive(x: f64, path: &str, max: f64) -> Result<f64> {
    if x.is_finite() && x > 0.0 && x <= max {
        Ok(x)
    } else {
        Err(Error::invalid(
            path,
            format!("expected a positive number, got {}", describe_number(x)),
        ))
    }
}

fn check_non_negative(x: f64, path: &str, max: f64) -> Result<f64> {
    if x.is_finite() && (0.0..=max).contains(&x) {
        Ok(x)
    } else {
        Err(Error::invalid(
            path,
            format!(
                "expected a number in 0..={}, got {}",
                describe_number(max),
                describe_number(x)
            ),
        ))
    }
}

fn check_age(age: Option<u32>, path: &str) -> Result<Option<u8>> {
    match age {
        None => Ok(None),
        Some(a) if a <= limits::MAX_AGE => Ok(Some(a as u8)),
        Some(a) => Err(Error::invalid(
            path,
            format!("expected an age in 0..={}, got {a}", limits::MAX_AGE),
        )),
    }
}
