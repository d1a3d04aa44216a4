//! Group selection for a group leader (团长选品): the K offers that serve the most
//! members well, not just the best mean.
//!
//! Each member's profile scores the offers as their own feed would (filters, fatigue,
//! damping). Candidates are the union of every member's best `max(2K, 20)`. Member
//! `m` is *served* by offer `o` when `o` passes `m`'s filters and scores at least
//! `serveRatio` × the best score any candidate reaches for `m`. Selection is greedy
//! on, lexicographically: members newly served, then the gain in Σₘ maxₒ scoreₘ(o)
//! over the chosen offers (facility location), then the mean score, then the offer id.
//! `objective: 'mean'` gives the plain top-K by mean score, the baseline.
//!
//! What is guaranteed is about members served. Members newly served comes first, so
//! the greedy pick is greedy max coverage: it serves at least 1 − 1/e of the most
//! members any K candidates serve. It can still serve fewer than the top-K by mean, so
//! that set is evaluated too and returned instead when it serves more (in greedy
//! order; ties keep the greedy pick): `coverage` never serves fewer members than
//! `mean`. The Σ best-score term only breaks ties and carries no such bound: with
//! limit 1 and serveRatio 1, an offer that is the best for two of three members (0.064
//! each) is taken over one scoring 0.052, 0.124 and 0.064 that serves only the second,
//! though its Σ best is 0.129 against 0.240.

use serde::Serialize;

use crate::catalog::Catalog;
use crate::contract::input::{GroupObjective, GroupOptions, RankOptions};
use crate::error::{describe_number, Error, ErrorCode, Result};
use crate::profile::Profile;
use crate::rank::params::{EngineConfig, RankParams};
use crate::rank::{Reason, Scorer};

/// Most members in one group.
pub const MAX_MEMBERS: usize = 50;
/// Most offers chosen.
pub const MAX_GROUP_LIMIT: u32 = 100;
/// Default number of offers chosen.
pub const DEFAULT_GROUP_LIMIT: u32 = 10;
/// Default share of a member's best score that counts as serving them.
pub const DEFAULT_SERVE_RATIO: f64 = 0.9;

/// A member an offer serves, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServedMember {
    /// Index of the member in the group (order of adding).
    pub member: u32,
    /// The member's name, when given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The offer's score for this member.
    pub score: f64,
    /// Why it suits this member (their own reasons).
    pub reasons: Vec<Reason>,
}

/// One chosen offer.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPick {
    /// The offer id.
    pub offer_id: String,
    /// 1-based position.
    pub rank: u32,
    /// The offer title.
    pub title: String,
    /// Leaf category.
    pub category: String,
    /// Price in CNY.
    pub price: f64,
    /// The store id.
    pub store_id: String,
    /// The store name.
    pub store_name: String,
    /// Mean score over all members (0 for members it is filtered for).
    pub mean_score: f64,
    /// The members it serves well, with their reasons.
    pub served: Vec<ServedMember>,
}

/// The leader's selection.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupSelection {
    /// The offers, in order of choice.
    pub items: Vec<GroupPick>,
    /// Number of members.
    pub members: u32,
    /// Members served by at least one chosen offer.
    pub members_served: u32,
    /// What was optimised.
    pub objective: GroupObjective,
}

/// A member: their profile and an optional display name.
pub type Member<'a> = (&'a Profile, Option<&'a str>);

/// Chooses offers for a group.
///
/// # Errors
/// `invalidInput` at `group` for no members, `tooLarge` for more than
/// [`MAX_MEMBERS`], or a bad option with its path.
pub fn rank_for_group(
    catalog: &Catalog,
    config: &EngineConfig,
    members: &[Member<'_>],
    options: &GroupOptions,
    default_now_ms: f64,
) -> Result<GroupSelection> {
    if members.is_empty() {
        return Err(Error::invalid("group", "expected at least one member"));
    }
    if members.len() > MAX_MEMBERS {
        return Err(Error::new(
            ErrorCode::TooLarge,
            "group",
            format!("too many members ({} > {MAX_MEMBERS})", members.len()),
        ));
    }
    let k = match options.limit {
        None => DEFAULT_GROUP_LIMIT,
        Some(l) if (1..=MAX_GROUP_LIMIT).contains(&l) => l,
        Some(l) => {
            return Err(Error::invalid(
                "options.limit",
                format!("expected an integer in 1..={MAX_GROUP_LIMIT}, got {l}"),
            ))
        }
    } as usize;
    let ratio = match options.serve_ratio {
        None => DEFAULT_SERVE_RATIO,
        Some(r) if r.is_finite() && r > 0.0 && r <= 1.0 => r,
        Some(r) => {
            return Err(Error::invalid(
                "options.serveRatio",
                format!("expected a number in (0, 1], got {}", describe_number(r)),
            ))
        }
    };
    let objective = options.objective.unwrap_or_default();
    let params = RankParams::resolve(
        config,
        &RankOptions {
            location: options.location,
            now: options.now,
            locale: options.locale,
            weights: options.weights,
            allow_unknown_age: options.allow_unknown_age,
            ..RankOptions::default()
        },
        default_now_ms,
    )?;
    let scorers: Vec<Scorer<'_>> = members
        .iter()
        .map(|(p, _)| Scorer::new(catalog, p, &params))
        .collect();
    // Candidates: the union of every member's own top list, in offer order.
    let per_member = (2 * k).max(20);
    let mut is_candidate = vec![false; catalog.len()];
    for s in &scorers {
        for (_, i) in s.top(per_member) {
            is_candidate[i] = true;
        }
    }
    let candidates: Vec<usize> = (0..catalog.len()).filter(|&i| is_candidate[i]).collect();
    let m = members.len();
    // scores[j * m + member]: the member's score for candidate j (None = filtered).
    let scores: Vec<Option<f64>> = candidates
        .iter()
        .flat_map(|&i| scorers.iter().map(move |s| s.score(i)))
        .collect();
    let mut best = vec![0.0f64; m];
    for (j, _) in candidates.iter().enumerate() {
        for (b, s) in best.iter_mut().zip(&scores[j * m..(j + 1) * m]) {
            *b = b.max(s.unwrap_or(0.0));
        }
    }
    let serves = |j: usize, member: usize| -> bool {
        scores[j * m + member].is_some_and(|s| s > 0.0 && s >= ratio * best[member])
    };
    let mean = |j: usize| -> f64 {
        scores[j * m..(j + 1) * m]
            .iter()
            .map(|s| s.unwrap_or(0.0))
            .sum::<f64>()
            / m as f64
    };
    let means: Vec<f64> = (0..candidates.len()).map(mean).collect();
    // Ties go to the smaller offer id.
    let by_id = |a: usize, b: usize| {
        catalog
            .offer_id(candidates[a])
            .cmp(catalog.offer_id(candidates[b]))
    };
    // The top-K by mean: the `mean` objective, and the floor for `coverage`.
    let mut by_mean: Vec<crate::util::order::Pair> = means.iter().copied().zip(0..).collect();
    crate::util::order::sort_pairs_by(&mut by_mean, &|a, b| {
        b.0.total_cmp(&a.0).then_with(|| by_id(a.1, b.1))
    });
    let top_by_mean: Vec<usize> = by_mean.iter().take(k).map(|&(_, j)| j).collect();
    let members_served = |chosen: &[usize]| {
        (0..m)
            .filter(|&member| chosen.iter().any(|&j| serves(j, member)))
            .count()
    };
    // Greedy over the candidates in `pool`, up to K of them: lexicographically the
    // most members newly served, the largest facility-location gain, the highest mean,
    // the smaller offer id.
    let greedy = |pool: &[bool]| -> Vec<usize> {
        let mut chosen: Vec<usize> = Vec::with_capacity(k);
        let mut taken: Vec<bool> = pool.iter().map(|p| !p).collect();
        let mut covered = vec![false; m];
        let mut current = vec![0.0f64; m];
        while chosen.len() < k {
            let mut pick: Option<(usize, (u32, f64))> = None;
            for j in 0..candidates.len() {
                if taken[j] {
                    continue;
                }
                let mut newly = 0u32;
                let mut gain = 0.0;
                for member in 0..m {
                    let s = scores[j * m + member].unwrap_or(0.0);
                    gain += (s - current[member]).max(0.0);
                    if !covered[member] && serves(j, member) {
                        newly += 1;
                    }
                }
                let better = pick.is_none_or(|(pj, (p_newly, p_gain))| {
                    newly
                        .cmp(&p_newly)
                        .then(gain.total_cmp(&p_gain))
                        .then(means[j].total_cmp(&means[pj]))
                        .then_with(|| by_id(pj, j))
                        .is_gt()
                });
                if better {
                    pick = Some((j, (newly, gain)));
                }
            }
            let Some((j, _)) = pick else { break };
            taken[j] = true;
            chosen.push(j);
            for member in 0..m {
                current[member] = current[member].max(scores[j * m + member].unwrap_or(0.0));
                if serves(j, member) {
                    covered[member] = true;
                }
            }
        }
        chosen
    };
    let chosen = match objective {
        GroupObjective::Mean => top_by_mean,
        GroupObjective::Coverage => {
            let greedy_pick = greedy(&vec![true; candidates.len()]);
            // Greedy max coverage can serve fewer members than the top-K by mean; then
            // that set wins (listed in greedy order). Ties keep the greedy pick.
            if members_served(&top_by_mean) > members_served(&greedy_pick) {
                let mut pool = vec![false; candidates.len()];
                for &j in &top_by_mean {
                    pool[j] = true;
                }
                greedy(&pool)
            } else {
                greedy_pick
            }
        }
    };
    let items = chosen
        .iter()
        .enumerate()
        .map(|(r, &j)| {
            let idx = candidates[j];
            let store = catalog.offer_store(idx);
            let served = (0..m)
                .filter(|&member| serves(j, member))
                .map(|member| {
                    let score = scores[j * m + member].unwrap_or(0.0);
                    ServedMember {
                        member: member as u32,
                        name: members[member].1.map(str::to_string),
                        score,
                        reasons: scorers[member].explain(idx, score, 1).reasons,
                    }
                })
                .collect();
            GroupPick {
                offer_id: catalog.offer_id(idx).to_string(),
                rank: r as u32 + 1,
                title: catalog.offer_title(idx).to_string(),
                category: catalog.offer_category(idx).to_string(),
                price: catalog.offer_price(idx),
                store_id: store.id.clone(),
                store_name: store.name.clone(),
                mean_score: means[j],
                served,
            }
        })
        .collect();
    Ok(GroupSelection {
        items,
        members: m as u32,
        members_served: members_served(&chosen) as u32,
        objective,
    })
}
