//! Ranking metrics of next-basket recommendation: recall@k and NDCG@k with binary
//! gains, against the set of distinct items of the held-out basket.

/// hits in the first `k` of `ranked` / |truth|. `truth` holds distinct items; 0 when
/// it is empty.
pub fn recall_at(ranked: &[u32], truth: &[u32], k: usize) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    let hits = ranked.iter().take(k).filter(|i| truth.contains(i)).count();
    hits as f64 / truth.len() as f64
}

/// NDCG@k with binary gains: Σ_{hits at rank r ≤ k} 1/log₂(r+1), divided by the
/// same sum for an ideal list (min(k, |truth|) hits first).
pub fn ndcg_at(ranked: &[u32], truth: &[u32], k: usize) -> f64 {
    if truth.is_empty() {
        return 0.0;
    }
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, i)| truth.contains(i))
        .map(|(r, _)| 1.0 / ((r + 2) as f64).log2())
        .sum();
    let ideal: f64 = (0..k.min(truth.len()))
        .map(|r| 1.0 / ((r + 2) as f64).log2())
        .sum();
    dcg / ideal
}

/// The four reported metrics, averaged over users.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// recall@10.
    pub recall10: f64,
    /// NDCG@10.
    pub ndcg10: f64,
    /// recall@20.
    pub recall20: f64,
    /// NDCG@20.
    pub ndcg20: f64,
    /// Users averaged over.
    pub users: usize,
}

impl Scores {
    /// Adds one user's ranking.
    pub fn add(&mut self, ranked: &[u32], truth: &[u32]) {
        self.recall10 += recall_at(ranked, truth, 10);
        self.ndcg10 += ndcg_at(ranked, truth, 10);
        self.recall20 += recall_at(ranked, truth, 20);
        self.ndcg20 += ndcg_at(ranked, truth, 20);
        self.users += 1;
    }

    /// Sums of two partial accumulations.
    pub fn merge(mut self, other: Scores) -> Scores {
        self.recall10 += other.recall10;
        self.ndcg10 += other.ndcg10;
        self.recall20 += other.recall20;
        self.ndcg20 += other.ndcg20;
        self.users += other.users;
        self
    }

    /// The means.
    pub fn mean(&self) -> Scores {
        let n = self.users.max(1) as f64;
        Scores {
            recall10: self.recall10 / n,
            ndcg10: self.ndcg10 / n,
            recall20: self.recall20 / n,
            ndcg20: self.ndcg20 / n,
            users: self.users,
        }
    }
}
