//! The catalog: stores and offers, held column-wise for the scoring loop.
//!
//! Each offer is one index into a set of parallel columns (numeric columns are plain
//! `Vec`s, the embedding matrix is one contiguous row-major block). There are no per-offer heap objects in
//! the scoring path: strings (id, title) live in their own columns and are touched
//! only for the returned top-K. Updates validate the whole batch first and then apply
//! it, so a failed update leaves the catalog exactly as it was.
//!
//! | file | what |
//! |---|---|
//! | this file | [`Catalog`]: building, reading, updating |
//! | `columns.rs` | the per-offer columns and writing rows into them |
//! | `validate.rs` | checking input offers, stores and areas into rows |
//! | `index.rs` | the offer id index |
//! | [`binary`] (`binary.rs`) | the binary catalog form |

pub mod binary;
pub(crate) mod columns;
mod index;
mod validate;

use rustc_hash::FxBuildHasher;

pub(crate) use columns::Columns;
use index::OfferIndex;
use validate::{check_count, validate_areas, validate_stores};

use crate::contract::input::{CatalogInput, Datum, OfferInput, StoreInput, StoreKind};
use crate::error::{Error, ErrorCode, Result};
use crate::util::geo::{LatLng, UnitVector};

/// Id lookups hash with FxHash (rustc-hash): keys come from the app's own catalog, so
/// SipHash's flooding resistance buys nothing on a phone, and it is larger and slower.
/// The maps are hashbrown's, the same code as std's, so that the offer index's
/// `HashTable` and these maps are one copy in the module.
pub(super) type HashMap<K, V> = hashbrown::HashMap<K, V, FxBuildHasher>;

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
        let input: CatalogInput = crate::contract::input::from_json(json, "")?;
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
}
