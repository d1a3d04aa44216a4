//! Evaluation metrics on hand-computed cases, the split protocol and the baselines.

use goods_ranker_tools::enrich::{Basket, BasketItem};
use goods_ranker_tools::eval::baselines::{gp_topfreq, p_topfreq, tifu_vector, Global, TifuParams};
use goods_ranker_tools::eval::metrics::{ndcg_at, recall_at, Scores};
use goods_ranker_tools::eval::protocol::{split, Holdout};

#[test]
fn recall_counts_hits_over_the_basket() {
    // Basket {1, 2, 3, 4}; hits 1 and 3 in the top 2 → 2/4; 3 in the top 3 → 3/4.
    let truth = [1, 2, 3, 4];
    assert_eq!(recall_at(&[1, 3, 9], &truth, 2), 0.5);
    assert_eq!(recall_at(&[1, 3, 2], &truth, 3), 0.75);
    assert_eq!(recall_at(&[9, 8], &truth, 10), 0.0);
    assert_eq!(recall_at(&[1], &[], 10), 0.0);
}

#[test]
fn ndcg_uses_binary_gains() {
    // Hit at rank 2 only, basket of 1: DCG = 1/log2(3), IDCG = 1.
    let n = ndcg_at(&[9, 1, 8], &[1], 10);
    assert!((n - 1.0 / 3f64.log2()).abs() < 1e-12);
    // Hits at ranks 1 and 3, basket of 3: (1 + 1/2) / (1 + 1/log2(3) + 1/2).
    let n = ndcg_at(&[1, 9, 2], &[1, 2, 3], 10);
    let expect = 1.5 / (1.0 + 1.0 / 3f64.log2() + 0.5);
    assert!((n - expect).abs() < 1e-12);
    // Perfect ranking scores 1; k cuts the ideal too.
    assert!((ndcg_at(&[1, 2], &[1, 2, 3], 2) - 1.0).abs() < 1e-12);
    let mut s = Scores::default();
    s.add(&[1], &[1]);
    s.add(&[9], &[1]);
    assert_eq!(s.mean().recall10, 0.5);
}

fn basket(user: u32, day: f64, items: &[u32]) -> Basket {
    Basket {
        user,
        at: day * 86_400_000.0,
        items: items
            .iter()
            .map(|&item| BasketItem {
                item,
                quantity: 1.0,
                price: f32::NAN,
            })
            .collect(),
    }
}

#[test]
fn split_holds_out_the_last_or_second_to_last_basket() {
    let baskets = vec![
        basket(0, 1.0, &[1, 2]),
        basket(0, 2.0, &[2]),
        basket(0, 3.0, &[3, 3]),
        basket(1, 1.0, &[1]),
        basket(1, 2.0, &[4]),
    ];
    let test = split(&baskets, 3, Holdout::Test);
    assert_eq!(test.targets.len(), 1); // user 1 has 2 baskets: training only
    assert_eq!(test.targets[0].items, vec![3]); // an item counts once
    assert_eq!(test.train.len(), 4);
    assert_eq!(test.targets[0].history, (0, 2));
    let val = split(&baskets, 3, Holdout::Validation);
    assert_eq!(val.targets[0].items, vec![2]);
    assert_eq!(val.targets[0].history, (0, 1));
    // The held-out basket and what follows it are not training data.
    assert_eq!(val.train.len(), 3);
}

#[test]
fn topfreq_baselines_and_tie_breaks() {
    let train = vec![
        basket(0, 1.0, &[5, 6]),
        basket(0, 2.0, &[6, 7]),
        basket(1, 1.0, &[7]),
        basket(1, 2.0, &[7, 8]),
    ];
    let global = Global::new(&train, 10);
    assert_eq!(&global.ranked[..2], &[7, 6]);
    let history = &train[..2];
    // User 0: 6 twice, 5 and 7 once; ties by item → 5 first, by global → 7 first.
    assert_eq!(p_topfreq(history, None), vec![6, 5, 7]);
    assert_eq!(p_topfreq(history, Some(&global)), vec![6, 7, 5]);
    assert_eq!(gp_topfreq(history, &global, true, 4), vec![6, 7, 5, 8]);
}

#[test]
fn tifu_vector_decays_within_and_across_groups() {
    // 3 baskets, group size 2: groups [b0] and [b1, b2].
    let p = TifuParams {
        group_size: 2,
        r_b: 0.5,
        r_g: 0.5,
        ..Default::default()
    };
    let h = vec![
        basket(0, 1.0, &[1]),
        basket(0, 2.0, &[2]),
        basket(0, 3.0, &[3]),
    ];
    let v = tifu_vector(&h, &p);
    // Group 0: 0.5 (older group) × 1/1 × item 1 / 2 groups → 0.25.
    // Group 1: 1 × (0.5·b1 + b2)/2 / 2 → item 2 0.125, item 3 0.25.
    assert_eq!(v, vec![(1, 0.25), (2, 0.125), (3, 0.25)]);
}
