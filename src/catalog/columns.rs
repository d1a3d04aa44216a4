//! The per-offer columns (row `i` of every column is offer `i`) and the writes that
//! keep them parallel: reserve, append or overwrite a row, swap-remove a row.

use super::validate::OfferRow;
use super::{Catalog, AGE_BANDS, INCOME_BANDS};

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
    /// Soft targeting, [`super::NO_AGE_MAX`] when absent.
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

impl Catalog {
    pub(super) fn reserve(&mut self, additional: usize) {
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
    pub(super) fn put_offer(&mut self, row: OfferRow) {
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
    pub(super) fn swap_remove(&mut self, idx: usize) {
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
