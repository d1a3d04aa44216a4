//! The one sort of `(key, index)` pairs the engine compiles.
//!
//! Each call of `sort_unstable_by` with its own closure and element type compiles a
//! full pattern-defeating quicksort (several KB of wasm); the places that order
//! things by a number (events by time, profile entries by strength, reasons by
//! weight, personal entries by offer) sort `(key, index)` pairs here instead and then
//! follow the indexes.

/// Sorts pairs by key (IEEE total order), equal keys by index: deterministic, and
/// for distinct indexes the same as a stable sort by key.
#[inline(never)]
pub fn sort_pairs(pairs: &mut [(f64, u32)]) {
    pairs.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
}

/// The indexes of `keys` in ascending key order (ties in index order).
pub fn ascending(keys: impl Iterator<Item = f64>) -> Vec<u32> {
    let mut pairs: Vec<(f64, u32)> = keys.zip(0u32..).collect();
    sort_pairs(&mut pairs);
    pairs.into_iter().map(|(_, i)| i).collect()
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
}
