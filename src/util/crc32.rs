//! CRC-32 (IEEE 802.3, the checksum of zlib, gzip and PNG) of the saved profile and
//! the binary catalog.
//!
//! Slice-by-8: eight bytes per step through eight 256-entry tables, computed on first
//! use (8 KB of memory, a few microseconds) instead of being stored in the module —
//! a byte-at-a-time table CRC was about 40 % of loading a binary catalog, and a
//! precomputed slice-by-8 table would add 8 KB of incompressible data to the wasm.
//! Tested against the `crc` crate.

use std::sync::OnceLock;

/// The reflected IEEE polynomial.
const POLY: u32 = 0xEDB8_8320;

type Tables = [[u32; 256]; 8];

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Box<Tables>> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for i in 0..256 {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 == 1 { POLY ^ (c >> 1) } else { c >> 1 };
            }
            t[0][i] = c;
        }
        for i in 0..256 {
            for k in 1..8 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][usize::from(prev as u8)];
            }
        }
        t
    })
}

/// The CRC-32 of `bytes`.
pub fn checksum(bytes: &[u8]) -> u32 {
    let t = tables();
    let at = |table: usize, byte: u32| t[table][usize::from(byte as u8)];
    let mut crc = !0u32;
    let mut blocks = bytes.chunks_exact(8);
    for b in &mut blocks {
        let lo = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) ^ crc;
        let hi = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
        crc = at(7, lo)
            ^ at(6, lo >> 8)
            ^ at(5, lo >> 16)
            ^ at(4, lo >> 24)
            ^ at(3, hi)
            ^ at(2, hi >> 8)
            ^ at(1, hi >> 16)
            ^ at(0, hi >> 24);
    }
    for &b in blocks.remainder() {
        crc = at(0, crc ^ u32::from(b)) ^ (crc >> 8);
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const REFERENCE: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);

    #[test]
    fn check_value_and_edges() {
        assert_eq!(checksum(b"123456789"), 0xCBF4_3926);
        assert_eq!(checksum(b""), 0);
        // Every length around the 8-byte blocks, and every byte value.
        let bytes: Vec<u8> = (0..=255u8).chain((0..=255u8).rev()).collect();
        for len in 0..bytes.len() {
            assert_eq!(
                checksum(&bytes[..len]),
                REFERENCE.checksum(&bytes[..len]),
                "{len}"
            );
        }
    }

    proptest! {
        #[test]
        fn matches_the_crc_crate(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            prop_assert_eq!(checksum(&bytes), REFERENCE.checksum(&bytes));
        }
    }
}
