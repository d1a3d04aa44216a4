//! The split: a basket is one customer's purchases in one basket (one day when the
//! log has no basket ids); users with at least `min_baskets` baskets are evaluated;
//! the held-out basket is each such user's last (test) or second-to-last
//! (validation) basket, and the training data — the only input to enrichment and to
//! every method — is everything else except the held-out basket and what follows it.

use crate::enrich::Basket;

/// One evaluated user.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// User index.
    pub user: u32,
    /// When the held-out basket was bought (epoch ms).
    pub at: f64,
    /// Its distinct items, sorted.
    pub items: Vec<u32>,
    /// The user's training baskets: `train[history.0..history.1]`, oldest first.
    pub history: (usize, usize),
}

/// Training baskets and evaluated users.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Split {
    /// Training baskets, sorted by user then time.
    pub train: Vec<Basket>,
    /// Evaluated users.
    pub targets: Vec<Target>,
}

/// Which basket is held out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holdout {
    /// The last basket.
    Test,
    /// The second-to-last basket (the last one is dropped too).
    Validation,
}

/// Splits baskets sorted by user then time (as [`crate::enrich::baskets`] returns).
/// Users with fewer than `min_baskets` baskets are training data only.
pub fn split(baskets: &[Basket], min_baskets: usize, holdout: Holdout) -> Split {
    let mut out = Split::default();
    let mut start = 0;
    while start < baskets.len() {
        let user = baskets[start].user;
        let mut end = start;
        while end < baskets.len() && baskets[end].user == user {
            end += 1;
        }
        let user_baskets = &baskets[start..end];
        if user_baskets.len() >= min_baskets.max(2) {
            let held = match holdout {
                Holdout::Test => user_baskets.len() - 1,
                Holdout::Validation => user_baskets.len() - 2,
            };
            let from = out.train.len();
            out.train.extend_from_slice(&user_baskets[..held]);
            let mut items: Vec<u32> = user_baskets[held].items.iter().map(|i| i.item).collect();
            items.sort_unstable();
            items.dedup();
            out.targets.push(Target {
                user,
                at: user_baskets[held].at,
                items,
                history: (from, out.train.len()),
            });
        } else {
            out.train.extend_from_slice(user_baskets);
        }
        start = end;
    }
    out
}
