//! Group selection for a group leader: coverage beats the mean on a constructed case.

use goods_ranker::contract::input::{GroupObjective, GroupOptions};
use goods_ranker::serve::group::GroupSelection;
use goods_ranker::{
    ErrorCode, EventInput, EventType, Profile, PurchaseInput, ReasonKind, UserInput,
};

use super::*;

fn buyer(purchases: &[(&str, &str, f64)]) -> Profile {
    let history = purchases
        .iter()
        .map(|(id, cat, days_ago)| PurchaseInput {
            offer_id: (*id).into(),
            category: Some((*cat).into()),
            price: Some(20.0),
            quantity: None,
            at: NOW - days_ago * DAY,
        })
        .collect();
    Profile::from_user(&UserInput {
        history: Some(history),
        ..Default::default()
    })
    .unwrap()
}

/// Three egg offers, a baby-food offer and a filler; two egg lovers who buy `e1`
/// weekly, and a parent who bought baby food once.
fn case() -> (Engine, Vec<Profile>) {
    let e = engine(vec![
        offer("e1", "蛋品", 20.0, "near"),
        offer("e2", "蛋品", 20.0, "near"),
        offer("e3", "蛋品", 20.0, "near"),
        offer("b1", "辅食", 20.0, "near"),
        offer("x", "日用", 20.0, "near"),
    ]);
    let weekly = [7.0, 14.0, 21.0, 28.0].map(|d| ("e1", "蛋品", d));
    let a = buyer(&weekly);
    let b = buyer(&weekly);
    let c = buyer(&[("b1", "辅食", 3.0)]);
    (e, vec![a, b, c])
}

fn select(e: &Engine, members: &[Profile], objective: GroupObjective, k: u32) -> GroupSelection {
    let names = ["阿姨A", "阿姨B", "宝妈C"];
    let m: Vec<(&Profile, Option<&str>)> = members
        .iter()
        .zip(names)
        .map(|(p, n)| (p, Some(n)))
        .collect();
    e.rank_for_group(
        &m,
        &GroupOptions {
            now: Some(NOW),
            limit: Some(k),
            objective: Some(objective),
            ..Default::default()
        },
        NOW,
    )
    .unwrap()
}

#[test]
fn coverage_serves_strictly_more_members_than_top_k_by_mean() {
    let (e, members) = case();
    let mean = select(&e, &members, GroupObjective::Mean, 2);
    let coverage = select(&e, &members, GroupObjective::Coverage, 2);
    let picked = |s: &GroupSelection| {
        s.items
            .iter()
            .map(|i| i.offer_id.clone())
            .collect::<Vec<_>>()
    };
    // The mean picks two egg offers (two of three members love eggs) and leaves the
    // parent out; coverage takes the best egg offer, then the baby food.
    assert_eq!(picked(&mean), ["e1", "e2"]);
    assert_eq!(mean.members_served, 2);
    assert_eq!(picked(&coverage), ["e1", "b1"]);
    assert_eq!(coverage.members_served, 3);
    assert_eq!(coverage.members, 3);
    // Independently of `membersServed`: top-2 by mean computed from each member's own
    // feed is the same pair the `mean` objective chose.
    let feeds: Vec<_> = members
        .iter()
        .map(|p| e.rank(p, &opts(), NOW).unwrap())
        .collect();
    let mut by_mean: Vec<(f64, String)> = ["e1", "e2", "e3", "b1", "x"]
        .iter()
        .map(|id| {
            let total: f64 = feeds
                .iter()
                .map(|f| f.iter().find(|o| o.offer_id == *id).unwrap().score)
                .sum();
            (total / 3.0, id.to_string())
        })
        .collect();
    by_mean.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    assert_eq!(
        by_mean[..2].iter().map(|x| x.1.clone()).collect::<Vec<_>>(),
        picked(&mean)
    );
}

#[test]
fn each_pick_says_which_members_it_serves_and_why() {
    let (e, members) = case();
    let s = select(&e, &members, GroupObjective::Coverage, 2);
    let e1 = &s.items[0];
    assert_eq!(e1.rank, 1);
    assert_eq!(
        e1.served.iter().map(|m| m.member).collect::<Vec<_>>(),
        [0, 1]
    );
    assert_eq!(e1.served[0].name.as_deref(), Some("阿姨A"));
    assert!(e1.served[0]
        .reasons
        .iter()
        .any(|r| matches!(r.kind, ReasonKind::BoughtBefore { times: 4 })));
    let b1 = &s.items[1];
    assert_eq!(b1.served.len(), 1);
    assert_eq!(b1.served[0].member, 2);
    assert_eq!(b1.served[0].name.as_deref(), Some("宝妈C"));
    assert!(b1.served[0]
        .reasons
        .iter()
        .any(|r| r.kind == ReasonKind::BoughtBefore { times: 1 }));
    // Mean score is the average of the members' scores.
    let direct: f64 = members
        .iter()
        .map(|p| {
            e.rank(p, &opts(), NOW)
                .unwrap()
                .into_iter()
                .find(|o| o.offer_id == "b1")
                .unwrap()
                .score
        })
        .sum::<f64>()
        / 3.0;
    assert!((b1.mean_score - direct).abs() < 1e-12);
    // Deterministic.
    assert_eq!(s, select(&e, &members, GroupObjective::Coverage, 2));
    // With K ≥ candidates, everything is returned once.
    let all = select(&e, &members, GroupObjective::Coverage, 100);
    assert_eq!(all.items.len(), 5);
}

#[test]
fn bad_groups_and_options_name_their_path() {
    let (e, members) = case();
    let err = e
        .rank_for_group(&[], &GroupOptions::default(), NOW)
        .unwrap_err();
    assert_eq!(err.to_string(), "group: expected at least one member");
    let many: Vec<(&Profile, Option<&str>)> = (0..51).map(|_| (&members[0], None)).collect();
    let err = e
        .rank_for_group(&many, &GroupOptions::default(), NOW)
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::TooLarge);
    let one = [(&members[0], None)];
    let bad = |o: GroupOptions| e.rank_for_group(&one, &o, NOW).unwrap_err().path;
    assert_eq!(
        bad(GroupOptions {
            limit: Some(0),
            ..Default::default()
        }),
        "options.limit"
    );
    assert_eq!(
        bad(GroupOptions {
            serve_ratio: Some(0.0),
            ..Default::default()
        }),
        "options.serveRatio"
    );
    assert_eq!(
        bad(GroupOptions {
            weights: Some(goods_ranker::WeightsInput {
                boost: Some(f64::NAN),
                ..Default::default()
            }),
            ..Default::default()
        }),
        "options.weights.boost"
    );
}

/// Greedy max coverage alone can serve fewer members than the top-K by mean: here it
/// would take `o000` (four members) and then `o003`, serving 5 of 6, while `o003` +
/// `o001`, the top 2 by mean, serve all six. Coverage returns that pair instead.
#[test]
fn coverage_never_serves_fewer_members_than_the_mean() {
    let e = engine(
        ["蛋品", "蔬菜", "水果", "乳品"]
            .iter()
            .enumerate()
            .map(|(i, cat)| offer(&format!("o{i:03}"), cat, 10.0 + i as f64, "near"))
            .collect(),
    );
    let histories: [&[(EventType, &str)]; 6] = [
        &[(EventType::Purchase, "o003")],
        &[
            (EventType::Cart, "o000"),
            (EventType::Purchase, "o003"),
            (EventType::Click, "o001"),
        ],
        &[(EventType::Click, "o000"), (EventType::Cart, "o003")],
        &[(EventType::Purchase, "o001")],
        &[(EventType::Click, "o001"), (EventType::Cart, "o000")],
        &[(EventType::Cart, "o000"), (EventType::Cart, "o001")],
    ];
    let profiles: Vec<Profile> = histories
        .iter()
        .map(|events| {
            let mut p = Profile::new();
            for &(kind, id) in *events {
                let event = EventInput {
                    kind,
                    offer_id: id.into(),
                    at: NOW,
                    category: None,
                    price: None,
                    quantity: None,
                };
                e.record(&mut p, &event).unwrap();
            }
            p
        })
        .collect();
    let members: Vec<(&Profile, Option<&str>)> = profiles.iter().map(|p| (p, None)).collect();
    let select = |objective, limit| {
        e.rank_for_group(
            &members,
            &GroupOptions {
                now: Some(NOW),
                limit: Some(limit),
                serve_ratio: Some(0.525),
                objective: Some(objective),
                ..Default::default()
            },
            NOW,
        )
        .unwrap()
    };
    let picked = |s: &GroupSelection| {
        s.items
            .iter()
            .map(|i| i.offer_id.clone())
            .collect::<Vec<_>>()
    };
    let served = |s: &GroupSelection, r: usize| {
        s.items[r]
            .served
            .iter()
            .map(|m| m.member)
            .collect::<Vec<_>>()
    };
    // Alone, `o000` serves the most members (four; `o003` and `o001` three each), so
    // greedy takes it first; after it, either other offer adds one member: 5 of 6.
    let one = select(GroupObjective::Coverage, 1);
    assert_eq!(picked(&one), ["o000"]);
    assert_eq!(served(&one, 0), [1, 2, 4, 5]);
    let mean = select(GroupObjective::Mean, 2);
    assert_eq!(picked(&mean), ["o003", "o001"]);
    assert_eq!(
        (served(&mean, 0), served(&mean, 1)),
        (vec![0, 1, 2], vec![3, 4, 5])
    );
    assert_eq!(mean.members_served, 6);
    // Coverage returns the mean's pair, which serves everyone, in greedy order.
    let coverage = select(GroupObjective::Coverage, 2);
    assert_eq!(picked(&coverage), ["o003", "o001"]);
    assert_eq!(coverage.members_served, 6);
    assert_eq!(coverage.objective, GroupObjective::Coverage);
    assert_eq!(coverage, select(GroupObjective::Coverage, 2));
    // With room for all three, greedy's own choice serves everyone again.
    let three = select(GroupObjective::Coverage, 3);
    assert_eq!(picked(&three), ["o000", "o003", "o001"]);
    assert_eq!(three.members_served, 6);
}
