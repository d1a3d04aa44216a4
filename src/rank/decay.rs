//! Decay functions in the style of Elasticsearch's `function_score` gauss / exp /
//! linear decays: a score of 1 within `offset` of the origin, exactly `decay` at
//! `offset + scale`, falling towards 0 beyond.

use crate::contract::input::DecayFunction;
use crate::error::{describe_number, Error, Result};

/// A validated decay curve with its constants precomputed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decay {
    function: DecayFunction,
    offset: f64,
    scale: f64,
    decay: f64,
    /// gauss: 1/(2σ²) with σ² = -scale²/(2 ln decay); exp: -λ = -ln(decay)/scale;
    /// linear: 1/s with s = scale/(1-decay).
    k: f64,
}

impl Decay {
    /// Builds a decay curve. `offset` ≥ 0, `scale` > 0 and `decay` in (0, 1), all
    /// finite; errors name the parameter (`scaleKm`, …) through `names`.
    ///
    /// # Errors
    /// An [`Error`] with code `invalidInput` naming the first bad parameter.
    pub fn new(
        function: DecayFunction,
        offset: f64,
        scale: f64,
        decay: f64,
        names: [&str; 3],
    ) -> Result<Self> {
        if !offset.is_finite() || offset < 0.0 {
            return Err(Error::invalid(
                names[0],
                format!("expected a number ≥ 0, got {}", describe_number(offset)),
            ));
        }
        if !scale.is_finite() || scale <= 0.0 {
            return Err(Error::invalid(
                names[1],
                format!("expected a positive number, got {}", describe_number(scale)),
            ));
        }
        if !decay.is_finite() || decay <= 0.0 || decay >= 1.0 {
            return Err(Error::invalid(
                names[2],
                format!(
                    "expected a number between 0 and 1 (exclusive), got {}",
                    describe_number(decay)
                ),
            ));
        }
        Ok(Decay::unchecked(function, offset, scale, decay))
    }

    /// Builds a curve from parameters already known to be valid (constants).
    pub(crate) fn unchecked(function: DecayFunction, offset: f64, scale: f64, decay: f64) -> Self {
        let k = match function {
            DecayFunction::Gauss => {
                let sigma2 = -(scale * scale) / (2.0 * libm::log(decay));
                1.0 / (2.0 * sigma2)
            }
            DecayFunction::Exp => -libm::log(decay) / scale,
            DecayFunction::Linear => (1.0 - decay) / scale,
        };
        Decay {
            function,
            offset,
            scale,
            decay,
            k,
        }
    }

    /// The score at distance `x` from the origin (the sign of `x` is ignored).
    #[inline]
    pub fn eval(&self, x: f64) -> f64 {
        let d = (x.abs() - self.offset).max(0.0);
        match self.function {
            DecayFunction::Gauss => libm::exp(-d * d * self.k),
            DecayFunction::Exp => libm::exp(-d * self.k),
            DecayFunction::Linear => (1.0 - d * self.k).max(0.0),
        }
    }

    /// The shape of the curve.
    pub fn function(&self) -> DecayFunction {
        self.function
    }

    /// Distance within which the score is 1.
    pub fn offset(&self) -> f64 {
        self.offset
    }

    /// Distance beyond the offset at which the score equals [`Decay::decay`].
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Score at `offset + scale`.
    pub fn decay(&self) -> f64 {
        self.decay
    }
}

/// `base` raised to `exp`, for `base` ≥ 0 and `exp` ≥ 0 (the repeated-damping
/// factors): computed as `exp(exp · ln base)` with the two functions the engine
/// links anyway, so `pow` and its tables stay out of the module. Within a few ulps of
/// `pow`; exact at `exp` = 0 (1) and `base` = 0 (0) and 1 (1).
pub fn powf(base: f64, exp: f64) -> f64 {
    if exp == 0.0 {
        1.0
    } else if base == 0.0 {
        0.0
    } else {
        libm::exp(exp * libm::log(base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 3] = ["offset", "scale", "decay"];

    fn curve(function: DecayFunction) -> Decay {
        Decay::new(function, 0.2, 1.5, 0.5, NAMES).unwrap()
    }

    #[test]
    fn every_shape_is_one_inside_offset_and_decay_at_offset_plus_scale() {
        for f in [
            DecayFunction::Gauss,
            DecayFunction::Exp,
            DecayFunction::Linear,
        ] {
            let c = curve(f);
            assert_eq!(c.eval(0.0), 1.0, "{f:?}");
            assert_eq!(c.eval(0.2), 1.0, "{f:?}");
            assert_eq!(c.eval(-0.1), 1.0, "{f:?}");
            assert!((c.eval(1.7) - 0.5).abs() < 1e-12, "{f:?}: {}", c.eval(1.7));
            assert!(c.eval(3.0) < 0.5 && c.eval(3.0) >= 0.0, "{f:?}");
        }
    }

    #[test]
    fn gauss_matches_the_elasticsearch_formula() {
        // S(x) = exp(-max(0,|x|-offset)² / (2σ²)), σ² = -scale² / (2·ln(decay)).
        let (offset, scale, decay) = (0.3_f64, 2.0_f64, 0.25_f64);
        let c = Decay::new(DecayFunction::Gauss, offset, scale, decay, NAMES).unwrap();
        let sigma2 = -scale.powi(2) / (2.0 * decay.ln());
        for x in [0.5, 1.0, 2.3, 4.0, 9.0] {
            let want = (-(x - offset).powi(2) / (2.0 * sigma2)).exp();
            assert!((c.eval(x) - want).abs() < 1e-12, "x={x}");
        }
    }

    #[test]
    fn exp_matches_the_elasticsearch_formula() {
        // S(x) = exp(λ·max(0,|x|-offset)), λ = ln(decay)/scale.
        let (offset, scale, decay) = (0.1_f64, 1.0_f64, 0.3_f64);
        let c = Decay::new(DecayFunction::Exp, offset, scale, decay, NAMES).unwrap();
        let lambda = decay.ln() / scale;
        for x in [0.5, 1.1, 3.0, 10.0] {
            let want = (lambda * (x - offset)).exp();
            assert!((c.eval(x) - want).abs() < 1e-12, "x={x}");
        }
    }

    #[test]
    fn linear_matches_the_elasticsearch_formula_and_reaches_zero() {
        // S(x) = max(0, (s - max(0,|x|-offset)) / s), s = scale / (1 - decay).
        let (offset, scale, decay) = (0.0_f64, 2.0_f64, 0.5_f64);
        let c = Decay::new(DecayFunction::Linear, offset, scale, decay, NAMES).unwrap();
        let s = scale / (1.0 - decay);
        for x in [0.5, 1.0, 2.0, 3.9] {
            let want = ((s - x) / s).max(0.0);
            assert!((c.eval(x) - want).abs() < 1e-12, "x={x}");
        }
        assert_eq!(c.eval(4.0), 0.0);
        assert_eq!(c.eval(100.0), 0.0);
    }

    #[test]
    fn scores_never_increase_with_distance() {
        for f in [
            DecayFunction::Gauss,
            DecayFunction::Exp,
            DecayFunction::Linear,
        ] {
            let c = curve(f);
            let mut prev = 1.0;
            for i in 0..200 {
                let s = c.eval(i as f64 * 0.05);
                assert!(s <= prev && (0.0..=1.0).contains(&s), "{f:?} at {i}");
                prev = s;
            }
        }
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let e = Decay::new(DecayFunction::Gauss, -1.0, 1.0, 0.5, NAMES).unwrap_err();
        assert_eq!(e.to_string(), "offset: expected a number ≥ 0, got -1");
        let e = Decay::new(DecayFunction::Gauss, 0.0, 0.0, 0.5, NAMES).unwrap_err();
        assert_eq!(e.path, "scale");
        let e = Decay::new(DecayFunction::Exp, 0.0, 1.0, 1.0, NAMES).unwrap_err();
        assert_eq!(e.path, "decay");
        let e = Decay::new(DecayFunction::Exp, 0.0, f64::NAN, 0.5, NAMES).unwrap_err();
        assert!(e.message.contains("NaN"));
    }

    #[test]
    fn powf_matches_pow_for_damping_factors() {
        for base in [0.0, 1e-6, 0.3, 0.5, 0.85, 0.999, 1.0] {
            for exp in [0.0, 1e-9, 0.25, 1.0, 2.5, 7.0, 64.0, 1e4] {
                let want = libm::pow(base, exp);
                let got = powf(base, exp);
                assert!(
                    (got - want).abs() <= 1e-13 * want.max(f64::MIN_POSITIVE),
                    "{base}^{exp}: {got} vs {want}"
                );
            }
        }
    }
}
