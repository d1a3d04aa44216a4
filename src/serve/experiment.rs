//! A/B experiments: deterministic assignment of a user id to a variant.
//!
//! The bucket is a stable 64-bit hash (FNV-1a, then the SplitMix64 finaliser for
//! avalanche) of the experiment name, a zero byte and the user id, mapped to [0, 1).
//! Variants own consecutive slices of [0, 1) in proportion to their `split`, in the
//! order given. Integer arithmetic only, so every platform and the wasm build assign
//! the same user to the same variant; renaming the experiment reshuffles its users,
//! changing a split moves only the users at the slice boundaries.

use serde::Serialize;

use crate::contract::input::ExperimentInput;
use crate::error::{describe_number, Error, ErrorCode, Result};
use crate::util::rng::mix64;

/// Most variants in one experiment.
pub const MAX_VARIANTS: usize = 16;
/// Longest experiment name, variant name or user id, in bytes.
pub const MAX_NAME_BYTES: usize = 256;

/// The variant a user is in.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    /// The experiment's name.
    pub experiment: String,
    /// The variant's name.
    pub variant: String,
    /// The user's position in [0, 1) (variants own consecutive slices of it).
    pub bucket: f64,
}

/// FNV-1a 64 of `parts` joined by zero bytes, finished with SplitMix64's mixer.
pub fn stable_hash(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A zero byte between parts: XOR with 0 is a no-op, then the FNV prime.
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        for &b in part.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    mix64(h)
}

/// Checks an experiment's shape (paths start at `path`): a non-empty name, 1..=16
/// variants with unique non-empty names and finite splits ≥ 0 adding up to > 0.
///
/// # Errors
/// `invalidInput` naming the field.
pub fn check(experiment: &ExperimentInput, path: &str) -> Result<()> {
    check_name(&experiment.name, &format!("{path}.name"))?;
    let n = experiment.variants.len();
    if n == 0 || n > MAX_VARIANTS {
        return Err(Error::invalid(
            format!("{path}.variants"),
            format!("expected 1..={MAX_VARIANTS} variants, got {n}"),
        ));
    }
    let mut total = 0.0;
    for (i, v) in experiment.variants.iter().enumerate() {
        let at = format!("{path}.variants[{i}]");
        check_name(&v.name, &format!("{at}.name"))?;
        if experiment.variants[..i].iter().any(|w| w.name == v.name) {
            return Err(Error::new(
                ErrorCode::DuplicateId,
                format!("{at}.name"),
                format!("duplicate variant name \"{}\"", v.name),
            ));
        }
        if !v.split.is_finite() || !(0.0..=1e6).contains(&v.split) {
            return Err(Error::invalid(
                format!("{at}.split"),
                format!(
                    "expected a share in 0..=1000000, got {}",
                    describe_number(v.split)
                ),
            ));
        }
        total += v.split;
    }
    if total <= 0.0 {
        return Err(Error::invalid(
            format!("{path}.variants"),
            "expected the splits to add up to more than 0",
        ));
    }
    Ok(())
}

fn check_name(name: &str, path: &str) -> Result<()> {
    if name.is_empty() || name.len() > MAX_NAME_BYTES {
        return Err(Error::invalid(
            path,
            format!("expected a non-empty string of at most {MAX_NAME_BYTES} bytes"),
        ));
    }
    Ok(())
}

/// Assigns `user_id` to a variant of a checked experiment; returns the assignment
/// and the variant's index.
///
/// # Errors
/// `invalidInput` at `user_path` for an empty or too long user id, or any error of
/// [`check`] (paths at `experiment_path`).
///
/// # Example
/// ```
/// use goods_ranker::serve::experiment::assign;
/// use goods_ranker::contract::input::{ExperimentInput, VariantInput};
/// let exp = ExperimentInput {
///     name: "feed-v2".into(),
///     variants: vec![
///         VariantInput { name: "control".into(), split: 0.5, ..Default::default() },
///         VariantInput { name: "diverse".into(), split: 0.5, ..Default::default() },
///     ],
/// };
/// let (a, _) = assign("user-42", &exp, "userId", "experiment").unwrap();
/// assert_eq!(a, assign("user-42", &exp, "userId", "experiment").unwrap().0);
/// ```
pub fn assign(
    user_id: &str,
    experiment: &ExperimentInput,
    user_path: &str,
    experiment_path: &str,
) -> Result<(Assignment, usize)> {
    check(experiment, experiment_path)?;
    check_name(user_id, user_path)?;
    let h = stable_hash(&[&experiment.name, user_id]);
    // 53 high bits → [0, 1) exactly representable.
    let bucket = (h >> 11) as f64 / (1u64 << 53) as f64;
    let total: f64 = experiment.variants.iter().map(|v| v.split).sum();
    let mut edge = 0.0;
    let mut chosen = None;
    for (i, v) in experiment.variants.iter().enumerate() {
        edge += v.split / total;
        if v.split > 0.0 && bucket < edge {
            chosen = Some(i);
            break;
        }
    }
    // Rounding can leave the top of [0, 1) past the last edge: give it to the last
    // variant with a share.
    let idx = chosen
        .or_else(|| experiment.variants.iter().rposition(|v| v.split > 0.0))
        .unwrap_or(0);
    Ok((
        Assignment {
            experiment: experiment.name.clone(),
            variant: experiment.variants[idx].name.clone(),
            bucket,
        },
        idx,
    ))
}
