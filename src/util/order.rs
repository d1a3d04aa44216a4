//! The one sort the engine compiles.
//!
//! Each call of `sort_unstable_by` (or `sort_by`, `select_nth_unstable_by`) with its
//! own closure or element type compiles a full sorting algorithm: several KB of wasm
//! each. Every ordering the engine needs is therefore a sort of `(key, index)` pairs
//! through [`sort_pairs_by`], whose comparator is passed as a trait object so that the
//! algorithm is compiled once: events by time, profile entries by strength, reasons
//! by weight, the ranking's top-k (score, then offer id) and group selection.

use std::cmp::Ordering;

/// A sort key and the index of what it belongs to.
pub type Pair = (f64, usize);

/// Sorts `pairs` by `cmp`, not stably. A comparator that breaks every tie (as all the
/// engine's do, by index or by id) makes the result deterministic.
#[inline(never)]
pub fn sort_pairs_by(pairs: &mut [Pair], cmp: &dyn Fn(&Pair, &Pair) -> Ordering) {
    pairs.sort_unstable_by(|a, b| cmp(a, b));
}

/// Sorts pairs by key (IEEE total order), equal keys by index: deterministic, and
/// for distinct indexes the same as a stable sort by key.
pub fn sort_pairs(pairs: &mut [Pair]) {
    sort_pairs_by(pairs, &|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
}

/// The indexes of `keys` in ascending key order (ties in index order).
pub fn ascending(keys: impl Iterator<Item = f64>) -> Vec<u32> {
    let mut pairs: Vec<Pair> = keys.zip(0usize..).collect();
    sort_pairs(&mut pairs);
    pairs.into_iter().map(|(_, i)| i as u32).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_key_then_index() {
        assert_eq!(
            ascending([3.0, 1.0, 2.0, 1.0].into_iter()),
            vec![1, 3, 2, 0]
        );
        assert_eq!(ascending([f64::NAN, -0.0, 0.0].into_iter()), vec![1, 2, 0]);
        assert!(ascending(std::iter::empty()).is_empty());
    }

    #[test]
    fn sorts_by_any_comparator() {
        let mut pairs = vec![(1.0, 4), (2.0, 1), (2.0, 0), (0.5, 3)];
        sort_pairs_by(&mut pairs, &|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        assert_eq!(pairs, vec![(2.0, 0), (2.0, 1), (1.0, 4), (0.5, 3)]);
    }
}
