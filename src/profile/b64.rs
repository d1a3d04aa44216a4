//! Standard base64 (RFC 4648 alphabet, `=` padding) for the saved profile's text
//! form. Decoding accepts only what encoding produces: a length that is a multiple
//! of 4, alphabet characters, one or two `=` only at the very end, and zero bits in
//! the unused low bits of the last character. Whitespace is the caller's business.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Encodes `bytes` with padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut group = [0u8; 3];
        group[..chunk.len()].copy_from_slice(chunk);
        let v = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        for i in 0..4 {
            out.push(if i <= chunk.len() {
                char::from(ALPHABET[(v >> (18 - 6 * i)) as usize & 63])
            } else {
                '='
            });
        }
    }
    out
}

/// The value of an alphabet character.
fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

/// Decodes padded base64.
///
/// # Errors
/// A message naming the first problem: the length, an invalid character (with its
/// byte offset) or non-zero unused bits.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let text = text.as_bytes();
    if text.len() % 4 != 0 {
        return Err(format!("length {} is not a multiple of 4", text.len()));
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for (i, group) in text.chunks_exact(4).enumerate() {
        // Padding is one or two `=` closing the last group; any other `=` is an
        // invalid character.
        let last = (i + 1) * 4 == text.len();
        let pad = match group {
            [.., b'=', b'='] if last => 2,
            [.., b'='] if last => 1,
            _ => 0,
        };
        let mut v = 0u32;
        for (j, &c) in group[..4 - pad].iter().enumerate() {
            let Some(d) = sextet(c) else {
                return Err(format!("invalid character at offset {}", i * 4 + j));
            };
            v = v << 6 | d;
        }
        let v = v << (6 * pad);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        if bytes[3 - pad..].iter().any(|&b| b != 0) {
            return Err("the last character has non-zero unused bits".into());
        }
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use ::base64::Engine as _;
    use proptest::prelude::*;

    const STANDARD: ::base64::engine::GeneralPurpose = ::base64::engine::general_purpose::STANDARD;

    fn config() -> ProptestConfig {
        ProptestConfig {
            cases: 2048,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    /// Strings that are mostly base64-like, so that the interesting cases (padding
    /// in odd places, unused bits, lengths) come up often, not only garbage.
    fn base64_like() -> impl Strategy<Value = String> {
        prop_oneof![
            "[A-Za-z0-9+/=]{0,16}",
            "([A-Za-z0-9+/]{4}){0,3}[A-Za-z0-9+/]{2,3}={0,3}",
            "[A-Da-d0-3+/=\\- \n\u{e9}]{0,12}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(config())]

        /// Encoding gives the `base64` crate's standard (padded) encoding.
        #[test]
        fn encode_matches_the_base64_crate(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(super::encode(&bytes), STANDARD.encode(&bytes));
        }

        /// Decoding accepts exactly what the crate's standard engine accepts, with the
        /// same bytes: encoded data, and arbitrary strings.
        #[test]
        fn decode_agrees_with_the_base64_crate(
            bytes in prop::collection::vec(any::<u8>(), 0..32),
            text in base64_like(),
        ) {
            let encoded = STANDARD.encode(&bytes);
            prop_assert_eq!(super::decode(&encoded).ok(), Some(bytes));
            prop_assert_eq!(super::decode(&text).ok(), STANDARD.decode(&text).ok(), "{:?}", text);
        }

        /// Every single-character change of an encoding is decoded as the crate decodes
        /// it (the near misses: a `=` too early, unused bits set, a foreign character).
        #[test]
        fn near_misses_agree_with_the_base64_crate(
            bytes in prop::collection::vec(any::<u8>(), 1..16),
            at in any::<prop::sample::Index>(),
            c in prop::sample::select(b"AQgw+/=-_ \n".to_vec()),
        ) {
            let mut text = STANDARD.encode(&bytes).into_bytes();
            let i = at.index(text.len());
            text[i] = c;
            let text = String::from_utf8(text).unwrap();
            prop_assert_eq!(super::decode(&text).ok(), STANDARD.decode(&text).ok(), "{:?}", text);
        }
    }

    #[test]
    fn padding_and_unused_bits_are_strict() {
        assert_eq!(super::decode("").unwrap(), b"");
        assert_eq!(super::decode("Zm8=").unwrap(), b"fo");
        assert_eq!(super::decode("Zg==").unwrap(), b"f");
        for bad in [
            "Zm8", "Zg", "Zg=", "Zh==", "Zm9=", "Zg==Zg==", "====", "Z===", "Zm 8=", "Zm8=\n",
        ] {
            assert!(super::decode(bad).is_err(), "{bad:?}");
            assert!(STANDARD.decode(bad).is_err(), "{bad:?}");
        }
    }
}
