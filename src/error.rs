//! The one error type of the crate.
//!
//! Every failure that outside input can cause is a variant here, carrying the path of
//! the offending field (`offers[12].price`) so the caller can find it. The wasm layer
//! turns it into a JS `Error` in exactly one place (`src/wasm/convert.rs`).

use std::fmt;

/// A machine-readable error category, stable across releases (exposed to JS as
/// `error.code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// Input has the wrong shape or a value outside its valid range.
    InvalidInput,
    /// An id refers to something that does not exist (unknown storeId, offerId).
    UnknownId,
    /// The same id appears twice where ids must be unique.
    DuplicateId,
    /// Saved state (a profile) is truncated, corrupted or of a version this build
    /// cannot read.
    CorruptState,
    /// An input exceeds a size limit (see `limits`).
    TooLarge,
}

impl ErrorCode {
    /// The camelCase name used in JS (`error.code`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidInput => "invalidInput",
            ErrorCode::UnknownId => "unknownId",
            ErrorCode::DuplicateId => "duplicateId",
            ErrorCode::CorruptState => "corruptState",
            ErrorCode::TooLarge => "tooLarge",
        }
    }
}

/// An error with the path of the field it concerns.
///
/// `Display` renders `path: message` (or just `message` when the path is empty), e.g.
/// `offers[12].price: expected a positive number, got -3`.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub struct Error {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// Path of the offending field from the root of the input, like
    /// `offers[3].embedding`; empty when the error concerns the input as a whole.
    pub path: String,
    /// A human-readable description, starting lowercase.
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl Error {
    /// Creates an error of the given code at `path`.
    pub fn new(code: ErrorCode, path: impl Into<String>, message: impl Into<String>) -> Self {
        Error {
            code,
            path: path.into(),
            message: message.into(),
        }
    }

    /// Shorthand for an [`ErrorCode::InvalidInput`] error.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, path, message)
    }

    /// Shorthand for an [`ErrorCode::CorruptState`] error.
    pub fn corrupt(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::CorruptState, path, message)
    }

    /// Prefixes the path with `prefix` (used when a nested value is validated on its
    /// own and then placed inside a larger input).
    pub fn within(mut self, prefix: &str) -> Self {
        self.path = join_path(prefix, &self.path);
        self
    }
}

/// Joins two path fragments: `join_path("offers[3]", "price") == "offers[3].price"`,
/// and an index fragment attaches without a dot.
pub fn join_path(prefix: &str, rest: &str) -> String {
    match (prefix.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => prefix.to_string(),
        (false, false) if rest.starts_with('[') => format!("{prefix}{rest}"),
        (false, false) => format!("{prefix}.{rest}"),
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Describes a number for an error message, so that `NaN` and `Infinity` read as such.
pub(crate) fn describe_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x.is_infinite() {
        if x > 0.0 { "Infinity" } else { "-Infinity" }.to_string()
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        // Integers print without the float formatter (`-3`, not `-3.0`).
        (x as i64).to_string()
    } else {
        // The shortest round-tripping form, by the formatter serde_json links anyway
        // (core's float `Display` would add ~16 KB to the wasm module).
        zmij::Buffer::new().format(x).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_path() {
        let e = Error::invalid("offers[12].price", "expected a positive number, got -3");
        assert_eq!(
            e.to_string(),
            "offers[12].price: expected a positive number, got -3"
        );
        assert_eq!(Error::invalid("", "empty").to_string(), "empty");
    }

    #[test]
    fn within_prefixes_paths() {
        let e = Error::invalid("price", "bad").within("offers[3]");
        assert_eq!(e.path, "offers[3].price");
        let e = Error::invalid("[2]", "bad").within("offers");
        assert_eq!(e.path, "offers[2]");
        let e = Error::invalid("", "bad").within("user");
        assert_eq!(e.path, "user");
    }

    #[test]
    fn numbers_are_described_readably() {
        assert_eq!(describe_number(f64::NAN), "NaN");
        assert_eq!(describe_number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(describe_number(-3.0), "-3");
        assert_eq!(describe_number(2.5), "2.5");
        assert_eq!(describe_number(-0.1), "-0.1");
        assert_eq!(describe_number(1e300), "1e+300");
        assert_eq!(describe_number(4294967296.0), "4294967296");
    }
}
