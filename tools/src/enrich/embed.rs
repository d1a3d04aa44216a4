//! Co-purchase embeddings: positive pointwise mutual information of items bought in
//! the same basket, factorised by a randomized truncated SVD (Halko, Martinsson &
//! Tropp 2011) with ndarray. Items bought together get similar vectors, so the
//! engine's embedding feature can suggest what goes with a user's usual basket.
//!
//! ```sql
//! -- the co-occurrence counts, a self-join of the fact table on the basket:
//! SELECT a.item AS i, b.item AS j, COUNT(*) AS c_ij
//! FROM facts a JOIN facts b ON a.basket = b.basket AND a.item <> b.item GROUP BY i, j;
//! ```

use ndarray::{Array2, Axis};

use goods_ranker::util::rng::SplitMix64;

use super::Basket;

/// A sparse symmetric matrix in compressed rows.
struct Csr {
    n: usize,
    starts: Vec<usize>,
    cols: Vec<u32>,
    vals: Vec<f32>,
}

impl Csr {
    /// `self · x` for a dense `n × k` matrix.
    fn mul(&self, x: &Array2<f64>) -> Array2<f64> {
        let k = x.ncols();
        let mut out = Array2::<f64>::zeros((self.n, k));
        for r in 0..self.n {
            let mut row = out.row_mut(r);
            for e in self.starts[r]..self.starts[r + 1] {
                let v = f64::from(self.vals[e]);
                row.scaled_add(v, &x.row(self.cols[e] as usize));
            }
        }
        out
    }
}

/// Embeddings of `n_items` items (row-major `n_items × dim`, and which rows are set),
/// for items in at least `min_baskets` baskets. `None` when fewer than `dim + 1`
/// items qualify.
pub fn embeddings(
    baskets: &[Basket],
    n_items: usize,
    dim: usize,
    min_baskets: u32,
    seed: u64,
) -> Option<(Vec<f32>, Vec<bool>)> {
    if dim == 0 {
        return None;
    }
    // Items that qualify, renumbered densely.
    let mut count = vec![0u32; n_items];
    for b in baskets {
        for it in &b.items {
            count[it.item as usize] += 1;
        }
    }
    let mut dense = vec![u32::MAX; n_items];
    let mut m = 0usize;
    for (i, c) in count.iter().enumerate() {
        if *c >= min_baskets {
            dense[i] = m as u32;
            m += 1;
        }
    }
    if m <= dim {
        return None;
    }
    // Co-occurrence counts, as sorted packed pairs.
    let mut pairs: Vec<u64> = Vec::new();
    let mut marginal = vec![0f64; m];
    let mut in_basket: Vec<u32> = Vec::new();
    for b in baskets {
        in_basket.clear();
        in_basket.extend(
            b.items
                .iter()
                .map(|it| dense[it.item as usize])
                .filter(|d| *d != u32::MAX),
        );
        for &a in &in_basket {
            for &c in &in_basket {
                if a != c {
                    pairs.push((u64::from(a) << 32) | u64::from(c));
                    marginal[a as usize] += 1.0;
                }
            }
        }
    }
    pairs.sort_unstable();
    let total: f64 = marginal.iter().sum();
    if total <= 0.0 {
        return None;
    }
    // Context distribution smoothing (Levy, Goldberg & Dagan 2015): c_j^0.75.
    let smoothed: Vec<f64> = marginal.iter().map(|c| c.powf(0.75)).collect();
    let smoothed_total: f64 = smoothed.iter().sum();
    let mut starts = vec![0usize; m + 1];
    let mut cols = Vec::new();
    let mut vals = Vec::new();
    for group in pairs.chunk_by(|a, b| a == b) {
        let (i, j) = ((group[0] >> 32) as usize, (group[0] & 0xffff_ffff) as usize);
        let c = group.len() as f64;
        let pmi = ((c / total) / ((marginal[i] / total) * (smoothed[j] / smoothed_total))).ln();
        if pmi > 0.0 {
            cols.push(j as u32);
            vals.push(pmi as f32);
            starts[i + 1] += 1;
        }
    }
    for r in 0..m {
        starts[r + 1] += starts[r];
    }
    let matrix = Csr {
        n: m,
        starts,
        cols,
        vals,
    };
    let u = randomized_svd(&matrix, dim, seed);
    let mut out = vec![0f32; n_items * dim];
    let mut has = vec![false; n_items];
    for i in 0..n_items {
        let d = dense[i];
        if d == u32::MAX {
            continue;
        }
        let row = u.row(d as usize);
        if row.iter().all(|x| *x == 0.0) {
            continue;
        }
        has[i] = true;
        for (o, x) in out[i * dim..(i + 1) * dim].iter_mut().zip(row) {
            *o = *x as f32;
        }
    }
    Some((out, has))
}

/// The top-`k` left singular vectors of a symmetric matrix scaled by √σ.
fn randomized_svd(a: &Csr, k: usize, seed: u64) -> Array2<f64> {
    let l = (k + 10).min(a.n);
    let mut rng = SplitMix64::new(seed);
    let omega = Array2::from_shape_fn((a.n, l), |_| gaussian(&mut rng));
    let mut q = orthonormalise(a.mul(&omega));
    for _ in 0..3 {
        q = orthonormalise(a.mul(&q));
    }
    // B = Qᵀ A = (A Q)ᵀ for symmetric A; its left singular vectors come from B Bᵀ.
    let aq = a.mul(&q); // n × l
    let bbt = aq.t().dot(&aq); // l × l
    let (eigenvalues, eigenvectors) = jacobi_eigen(bbt);
    let mut order: Vec<usize> = (0..l).collect();
    order.sort_unstable_by(|x, y| eigenvalues[*y].total_cmp(&eigenvalues[*x]));
    let mut u = Array2::<f64>::zeros((a.n, k));
    for (c, &e) in order.iter().take(k).enumerate() {
        let sigma = eigenvalues[e].max(0.0).sqrt();
        let v = eigenvectors.column(e);
        let col = q.dot(&v) * sigma.sqrt();
        u.column_mut(c).assign(&col);
    }
    u
}

/// Modified Gram–Schmidt on the columns.
fn orthonormalise(mut y: Array2<f64>) -> Array2<f64> {
    let k = y.ncols();
    for j in 0..k {
        for i in 0..j {
            let (left, mut right) = y.view_mut().split_at(Axis(1), j);
            let qi = left.column(i);
            let mut yj = right.column_mut(0);
            let r = qi.dot(&yj);
            yj.scaled_add(-r, &qi);
        }
        let mut col = y.column_mut(j);
        let norm = col.dot(&col).sqrt();
        if norm > 1e-12 {
            col /= norm;
        } else {
            col.fill(0.0);
        }
    }
    y
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations:
/// (eigenvalues, eigenvectors as columns).
fn jacobi_eigen(mut a: Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut v = Array2::<f64>::eye(n);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |j| *j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[[i, j]] * a[[i, j]])
            .sum();
        if off < 1e-22 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if a[[p, q]].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * a[[p, q]]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for r in 0..n {
                    let (arp, arq) = (a[[r, p]], a[[r, q]]);
                    a[[r, p]] = c * arp - s * arq;
                    a[[r, q]] = s * arp + c * arq;
                }
                for r in 0..n {
                    let (apr, aqr) = (a[[p, r]], a[[q, r]]);
                    a[[p, r]] = c * apr - s * aqr;
                    a[[q, r]] = s * apr + c * aqr;
                }
                for r in 0..n {
                    let (vrp, vrq) = (v[[r, p]], v[[r, q]]);
                    v[[r, p]] = c * vrp - s * vrq;
                    v[[r, q]] = s * vrp + c * vrq;
                }
            }
        }
    }
    ((0..n).map(|i| a[[i, i]]).collect(), v)
}

/// A standard normal draw (Box–Muller, with the platform's `ln`, `sqrt` and `cos`).
fn gaussian(rng: &mut SplitMix64) -> f64 {
    let (u1, u2) = (rng.uniform(), rng.uniform());
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_diagonalises() {
        let a = ndarray::arr2(&[[2.0, 1.0], [1.0, 2.0]]);
        let (mut e, _) = jacobi_eigen(a);
        e.sort_by(f64::total_cmp);
        assert!((e[0] - 1.0).abs() < 1e-9 && (e[1] - 3.0).abs() < 1e-9);
    }
}
