//! Re-ranking after scoring: operator pins, diversity (category and store caps,
//! maximal marginal relevance) and seeded exploration.
//!
//! It works on a candidate pool (the best `3·limit + 30` offers by score, from the
//! bounded top-K) and never looks at the rest of the catalog, except for exploration,
//! which gets the best offer of every category from the same scan. Everything is
//! deterministic: ties keep the pool's order (score descending, then offer id), and
//! exploration draws from a SplitMix64 generator seeded by the caller.

use super::params::{Diversity, Explore};
use crate::catalog::Catalog;
use crate::contract::input::SimilarityKind;
use crate::util::rng::SplitMix64;

/// How the pool size follows from the limit when re-ranking is on.
pub fn pool_size(limit: usize) -> usize {
    3 * limit + 30
}

/// Why an offer holds its position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// By score (after caps and MMR).
    Ranked,
    /// Pinned by the operator.
    Pinned,
    /// An exploration slot.
    Explored,
}

/// One chosen offer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pick {
    /// Its score.
    pub score: f64,
    /// Its offer index.
    pub idx: usize,
    /// Why it is there.
    pub tag: Tag,
}

/// What re-ranking needs.
pub struct Input<'a> {
    /// The catalog (categories, stores, embeddings).
    pub catalog: &'a Catalog,
    /// Candidates by score descending, ties by id ascending.
    pub pool: &'a [(f64, usize)],
    /// Pinned offers that pass the filters, in pin order.
    pub pinned: &'a [(f64, usize)],
    /// Per category index: its best eligible offer, or score −∞ (exploration only).
    pub best_per_category: &'a [(f64, usize)],
    /// Per category index: the Beta prior (α, β) of exploration's Thompson sampling.
    pub prior: &'a [(f64, f64)],
    /// How many offers to return.
    pub limit: usize,
    /// Caps and MMR.
    pub diversity: Diversity,
    /// Exploration, if on.
    pub explore: Option<Explore>,
}

/// Per-category and per-store counts of the feed so far.
struct Counts {
    category: Vec<u32>,
    store: Vec<u32>,
}

impl Counts {
    fn fits(&self, catalog: &Catalog, idx: usize, d: &Diversity) -> bool {
        let c = catalog.cols.category[idx] as usize;
        let s = catalog.cols.store[idx] as usize;
        d.max_per_category.is_none_or(|m| self.category[c] < m)
            && d.max_per_store.is_none_or(|m| self.store[s] < m)
    }

    fn add(&mut self, catalog: &Catalog, idx: usize, delta: i32) {
        let c = catalog.cols.category[idx] as usize;
        let s = catalog.cols.store[idx] as usize;
        self.category[c] = self.category[c].saturating_add_signed(delta);
        self.store[s] = self.store[s].saturating_add_signed(delta);
    }
}

/// The similarity of two offers for MMR, in 0..=1.
fn similarity(catalog: &Catalog, kind: SimilarityKind, a: usize, b: usize) -> f64 {
    let use_embedding = match kind {
        SimilarityKind::Category => false,
        SimilarityKind::Embedding | SimilarityKind::Auto => catalog.embedding_dim() > 0,
    };
    if use_embedding {
        if let (Some(x), Some(y)) = (catalog.offer_embedding(a), catalog.offer_embedding(b)) {
            let dot: f32 = x.iter().zip(y).map(|(p, q)| p * q).sum();
            return f64::from(dot).clamp(0.0, 1.0);
        }
    }
    if catalog.cols.category[a] == catalog.cols.category[b] {
        1.0
    } else {
        0.0
    }
}

/// Chooses the feed: pins first, then the pool under caps and MMR, then exploration
/// slots spread evenly over the unpinned part.
pub fn rerank(input: &Input<'_>) -> Vec<Pick> {
    let catalog = input.catalog;
    let d = input.diversity;
    let limit = input.limit;
    let mut counts = Counts {
        category: vec![0; catalog.categories().len()],
        store: vec![0; catalog.stores().len()],
    };
    let mut out: Vec<Pick> = Vec::with_capacity(limit);
    for &(score, idx) in input.pinned.iter().take(limit) {
        out.push(Pick {
            score,
            idx,
            tag: Tag::Pinned,
        });
        counts.add(catalog, idx, 1);
    }
    let is_pinned = |idx: usize| input.pinned.iter().any(|p| p.1 == idx);
    let pool = input.pool;
    let mut taken: Vec<bool> = pool.iter().map(|&(_, idx)| is_pinned(idx)).collect();
    let mmr = d.mmr_lambda;
    let mut max_sim = vec![0.0f64; if mmr.is_some() { pool.len() } else { 0 }];
    if mmr.is_some() {
        for pick in &out {
            for (j, &(_, idx)) in pool.iter().enumerate() {
                max_sim[j] = max_sim[j].max(similarity(catalog, d.similarity, idx, pick.idx));
            }
        }
    }
    while out.len() < limit {
        let mut best: Option<(f64, usize)> = None;
        for (j, &(score, idx)) in pool.iter().enumerate() {
            if taken[j] || !counts.fits(catalog, idx, &d) {
                continue;
            }
            let value = match mmr {
                Some(l) => l * score - (1.0 - l) * max_sim[j],
                None => score,
            };
            if best.is_none_or(|(v, _)| value > v) {
                best = Some((value, j));
                if mmr.is_none() {
                    // The pool is sorted: the first that fits is the best.
                    break;
                }
            }
        }
        let Some((_, j)) = best else { break };
        taken[j] = true;
        let (score, idx) = pool[j];
        out.push(Pick {
            score,
            idx,
            tag: Tag::Ranked,
        });
        counts.add(catalog, idx, 1);
        if mmr.is_some() {
            for (k, &(_, other)) in pool.iter().enumerate() {
                if !taken[k] {
                    max_sim[k] = max_sim[k].max(similarity(catalog, d.similarity, other, idx));
                }
            }
        }
    }
    if let Some(explore) = input.explore {
        add_exploration(input, explore, &mut out, &mut counts);
    }
    out
}

/// Gives up to `explore.slots` positions to categories absent from the feed, each
/// chosen by Thompson sampling (a Beta draw per category, highest wins) and filled
/// with that category's best offer.
fn add_exploration(input: &Input<'_>, explore: Explore, out: &mut Vec<Pick>, counts: &mut Counts) {
    let catalog = input.catalog;
    let n_pinned = out.iter().filter(|p| p.tag == Tag::Pinned).count();
    let room = input.limit.saturating_sub(n_pinned);
    let slots = (explore.slots as usize).min(room);
    if slots == 0 {
        return;
    }
    let mut rng = SplitMix64::new(explore.seed);
    let mut chosen = Vec::with_capacity(slots);
    for _ in 0..slots {
        // Make room first, so the store cap is checked against the feed it joins.
        let full = out.len() >= input.limit;
        let dropped = if full {
            out.iter()
                .rposition(|p| p.tag == Tag::Ranked)
                .map(|at| out.remove(at))
        } else {
            None
        };
        if let Some(p) = dropped {
            counts.add(catalog, p.idx, -1);
        }
        let mut best: Option<(f64, usize)> = None;
        for (c, &(score, idx)) in input.best_per_category.iter().enumerate() {
            if score == f64::NEG_INFINITY {
                continue;
            }
            let (alpha, beta) = input.prior.get(c).copied().unwrap_or((1.0, 1.0));
            let theta = rng.beta(alpha, beta);
            if counts.category[c] > 0
                || out.iter().any(|p| p.idx == idx)
                || !counts.fits(catalog, idx, &input.diversity)
            {
                continue;
            }
            if best.is_none_or(|(t, _)| theta > t) {
                best = Some((theta, c));
            }
        }
        match best {
            Some((_, c)) => {
                let (score, idx) = input.best_per_category[c];
                counts.add(catalog, idx, 1);
                chosen.push(Pick {
                    score,
                    idx,
                    tag: Tag::Explored,
                });
                // Reserve the category now; the pick is placed below.
                out.push(Pick {
                    score,
                    idx,
                    tag: Tag::Explored,
                });
            }
            None => {
                if let Some(p) = dropped {
                    counts.add(catalog, p.idx, 1);
                    out.push(p);
                }
                break;
            }
        }
    }
    // Place the explored offers evenly over the unpinned part: slot j of s at
    // position pinned + (j + 1)·(unpinned)/(s + 1).
    out.retain(|p| p.tag != Tag::Explored);
    let s = chosen.len();
    let unpinned = out.len() + s - n_pinned;
    for (j, pick) in chosen.into_iter().enumerate() {
        let at = (n_pinned + (j + 1) * unpinned / (s + 1)).min(out.len());
        out.insert(at, pick);
    }
    // Keep the ranked offers in score order around the inserted ones (they already
    // are: removal and insertion keep relative order).
}
