//! The baselines, computed on the same split as the engine.
//!
//! - **G-TopFreq**: the items in the most training baskets, for everyone.
//! - **P-TopFreq**: the user's own items by how many of their baskets hold them.
//! - **GP-TopFreq**: P-TopFreq, then G-TopFreq to fill the list.
//! - **TIFU-KNN** (Hu et al., SIGIR 2020): time-decayed, grouped user vectors blended
//!   with the mean vector of the k nearest users.
//!
//! Ties in P-TopFreq break by item index (first appearance in the log: an arbitrary
//! but fixed order) or, in the `global` variant, by global popularity.

use std::collections::HashMap;

use crate::enrich::Basket;

/// Global item counts (baskets holding each item) and the G-TopFreq list.
pub struct Global {
    /// Baskets holding each item.
    pub counts: Vec<u32>,
    /// Items by count desc, then index.
    pub ranked: Vec<u32>,
}

impl Global {
    /// From training baskets.
    pub fn new(train: &[Basket], n_items: usize) -> Self {
        let mut counts = vec![0u32; n_items];
        for b in train {
            for it in &b.items {
                counts[it.item as usize] += 1;
            }
        }
        let mut ranked: Vec<u32> = (0..n_items as u32)
            .filter(|i| counts[*i as usize] > 0)
            .collect();
        ranked.sort_by(|a, b| counts[*b as usize].cmp(&counts[*a as usize]).then(a.cmp(b)));
        Global { counts, ranked }
    }
}

/// P-TopFreq: the user's items by basket count desc; ties by global popularity when
/// `global` is given, else by item index.
pub fn p_topfreq(history: &[Basket], global: Option<&Global>) -> Vec<u32> {
    let mut freq: HashMap<u32, u32> = HashMap::new();
    for b in history {
        for it in &b.items {
            *freq.entry(it.item).or_insert(0) += 1;
        }
    }
    let mut items: Vec<(u32, u32)> = freq.into_iter().collect();
    items.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| match global {
                Some(g) => g.counts[b.0 as usize].cmp(&g.counts[a.0 as usize]),
                None => std::cmp::Ordering::Equal,
            })
            .then(a.0.cmp(&b.0))
    });
    items.into_iter().map(|(i, _)| i).collect()
}

/// GP-TopFreq: P-TopFreq, filled up to `k` with G-TopFreq.
pub fn gp_topfreq(history: &[Basket], global: &Global, tie_by_global: bool, k: usize) -> Vec<u32> {
    let mut out = p_topfreq(history, tie_by_global.then_some(global));
    out.truncate(k);
    for i in &global.ranked {
        if out.len() >= k {
            break;
        }
        if !out.contains(i) {
            out.push(*i);
        }
    }
    out
}

/// TIFU-KNN hyper-parameters.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TifuParams {
    /// Group size m.
    pub group_size: usize,
    /// Within-group decay r_b.
    pub r_b: f64,
    /// Across-group decay r_g.
    pub r_g: f64,
    /// Neighbours k.
    pub k: usize,
    /// Weight of the user's own vector α.
    pub alpha: f64,
}

impl Default for TifuParams {
    /// The values of the TIFU-KNN authors' Ta Feng run (k 300, r_b 0.9, r_g 0.7,
    /// α 0.7, m 7).
    fn default() -> Self {
        TifuParams {
            group_size: 7,
            r_b: 0.9,
            r_g: 0.7,
            k: 300,
            alpha: 0.7,
        }
    }
}

/// A sparse vector sorted by item.
pub type Sparse = Vec<(u32, f64)>;

/// The TIFU user vector of baskets oldest first.
pub fn tifu_vector(history: &[Basket], p: &TifuParams) -> Sparse {
    let n = history.len();
    if n == 0 {
        return Vec::new();
    }
    let m = p.group_size.max(1);
    let groups = n.div_ceil(m);
    // The first group takes the remainder, so the latest groups are full.
    let first = n - m * (groups - 1);
    let mut acc: HashMap<u32, f64> = HashMap::new();
    let mut start = 0;
    for g in 0..groups {
        let len = if g == 0 { first } else { m };
        let group_w = p.r_g.powi((groups - 1 - g) as i32) / groups as f64;
        for (j, b) in history[start..start + len].iter().enumerate() {
            let w = group_w * p.r_b.powi((len - 1 - j) as i32) / len as f64;
            for it in &b.items {
                *acc.entry(it.item).or_insert(0.0) += w;
            }
        }
        start += len;
    }
    let mut v: Sparse = acc.into_iter().collect();
    v.sort_unstable_by_key(|x| x.0);
    v
}

/// TIFU-KNN over a pool of user vectors (every training user). Neighbours are the
/// `k` nearest by Euclidean distance, found exactly: users sharing an item through
/// an inverted index, the rest (distance² = |u|² + |v|²) from the pool sorted by norm.
pub struct Tifu {
    params: TifuParams,
    pool: Vec<Sparse>,
    norms: Vec<f64>,
    by_norm: Vec<u32>,
    postings: Vec<Vec<(u32, f64)>>,
}

impl Tifu {
    /// Builds the pool from each user's training baskets (`users` lists slices).
    pub fn new(vectors: Vec<Sparse>, n_items: usize, params: TifuParams) -> Self {
        let norms: Vec<f64> = vectors
            .iter()
            .map(|v| v.iter().map(|x| x.1 * x.1).sum())
            .collect();
        let mut by_norm: Vec<u32> = (0..vectors.len() as u32).collect();
        by_norm.sort_by(|a, b| {
            norms[*a as usize]
                .total_cmp(&norms[*b as usize])
                .then(a.cmp(b))
        });
        let mut postings = vec![Vec::new(); n_items];
        for (u, v) in vectors.iter().enumerate() {
            for (i, x) in v {
                postings[*i as usize].push((u as u32, *x));
            }
        }
        Tifu {
            params,
            pool: vectors,
            norms,
            by_norm,
            postings,
        }
    }

    /// The top `limit` items for a user vector; `me` is the user's own pool entry,
    /// left out of the neighbours. `scratch` must be zeros of the pool's length.
    pub fn recommend(
        &self,
        v: &Sparse,
        me: Option<u32>,
        limit: usize,
        scratch: &mut Vec<f64>,
    ) -> Vec<u32> {
        scratch.resize(self.pool.len(), 0.0);
        let mut touched: Vec<u32> = Vec::new();
        for (i, x) in v {
            for (u, y) in &self.postings[*i as usize] {
                if scratch[*u as usize] == 0.0 {
                    touched.push(*u);
                }
                scratch[*u as usize] += x * y;
            }
        }
        let nv: f64 = v.iter().map(|x| x.1 * x.1).sum();
        let mut cands: Vec<(f64, u32)> = touched
            .iter()
            .filter(|u| Some(**u) != me)
            .map(|u| {
                (
                    nv + self.norms[*u as usize] - 2.0 * scratch[*u as usize],
                    *u,
                )
            })
            .collect();
        let k = self.params.k;
        let mut extra = 0;
        for u in &self.by_norm {
            if extra >= k {
                break;
            }
            if Some(*u) != me && scratch[*u as usize] == 0.0 {
                cands.push((nv + self.norms[*u as usize], *u));
                extra += 1;
            }
        }
        for u in &touched {
            scratch[*u as usize] = 0.0;
        }
        cands.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cands.truncate(k);
        let mut score: HashMap<u32, f64> = HashMap::new();
        for (i, x) in v {
            *score.entry(*i).or_insert(0.0) += self.params.alpha * x;
        }
        let w = (1.0 - self.params.alpha) / cands.len().max(1) as f64;
        for (_, u) in &cands {
            for (i, x) in &self.pool[*u as usize] {
                *score.entry(*i).or_insert(0.0) += w * x;
            }
        }
        let mut ranked: Vec<(u32, f64)> = score.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(limit);
        ranked.into_iter().map(|x| x.0).collect()
    }
}
