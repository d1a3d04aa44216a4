//! Byte-level writing and reading shared by the binary formats: the binary catalog
//! (fixed-width little-endian values) and the saved profile (postcard-compatible:
//! LEB128 varints, zigzag signed integers, length-prefixed strings).

use crate::error::Error;

/// Appends values to a byte vector.
pub(crate) struct Writer(pub Vec<u8>);

impl Writer {
    pub fn u8(&mut self, x: u8) {
        self.0.push(x);
    }
    pub fn u16(&mut self, x: u16) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn f32(&mut self, x: f32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }
    pub fn f64(&mut self, x: f64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }

    /// An unsigned LEB128 varint, shortest form (postcard's unsigned integers and
    /// lengths).
    pub fn varint(&mut self, mut x: u64) {
        while x >= 0x80 {
            self.0.push(x as u8 | 0x80);
            x >>= 7;
        }
        self.0.push(x as u8);
    }

    /// A zigzag varint (postcard's signed integers): 0, -1, 1, -2, … as 0, 1, 2, 3, ….
    pub fn zigzag(&mut self, x: i64) {
        self.varint(((x << 1) ^ (x >> 63)) as u64);
    }

    /// A varint byte length and UTF-8 bytes (postcard's strings).
    pub fn var_str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }

    /// Postcard's option tag (1 for `Some`, 0 for `None`); gives back the value, so
    /// `if let Some(x) = w.tag(option) { … }` writes the value after its tag.
    pub fn tag<T>(&mut self, option: Option<T>) -> Option<T> {
        self.u8(u8::from(option.is_some()));
        option
    }
}

/// Reads bytes front to back. The first error sticks: later reads return empty values
/// (zeros, empty strings), and a decoder checks [`Reader::error`] once, at the end,
/// instead of after every read (each early return would drop every value read so far,
/// and the module would carry that clean-up code once per read). Loops over counts
/// read from the input stop at the first error.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    /// Offset of the next byte to read.
    pub at: usize,
    /// The first error met.
    pub error: Option<Error>,
    /// What is being read, for the truncation message ("binary catalog").
    what: &'static str,
    /// Makes the error for a message (code, path and any prefix are the format's).
    corrupt: fn(String) -> Error,
}

impl<'a> Reader<'a> {
    /// A reader of `bytes` from offset `at`.
    pub fn new(
        bytes: &'a [u8],
        at: usize,
        what: &'static str,
        corrupt: fn(String) -> Error,
    ) -> Self {
        Reader {
            bytes,
            at,
            error: None,
            what,
            corrupt,
        }
    }

    /// True until an error is recorded.
    pub fn ok(&self) -> bool {
        self.error.is_none()
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    /// Records an error with `message` unless an earlier one is already recorded.
    pub fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some((self.corrupt)(message));
        }
    }

    /// The next `len` bytes, or nothing after an error.
    pub fn take(&mut self, len: usize) -> &'a [u8] {
        if self.error.is_some() {
            return &[];
        }
        if len > self.remaining() {
            let at = self.at;
            self.fail(format!("{} is truncated at byte {at}", self.what));
            return &[];
        }
        let out = &self.bytes[self.at..self.at + len];
        self.at += len;
        out
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        if let Ok(bytes) = <[u8; N]>::try_from(self.take(N)) {
            out = bytes;
        }
        out
    }

    pub fn u8(&mut self) -> u8 {
        self.array::<1>()[0]
    }
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }
    pub fn f64(&mut self) -> f64 {
        f64::from_le_bytes(self.array())
    }

    /// `raw` as a string, or an empty one (and an error) when it is not UTF-8.
    pub fn utf8(&mut self, raw: &[u8]) -> String {
        match std::str::from_utf8(raw) {
            Ok(s) => s.to_string(),
            Err(_) => {
                self.fail("a string is not valid UTF-8".into());
                String::new()
            }
        }
    }

    /// An unsigned LEB128 varint of a `bits`-bit integer, accepted exactly as postcard
    /// accepts it: at most ⌈bits / 7⌉ bytes, the last of which carries no bit beyond
    /// `bits`. Longer-than-needed forms within that length (zero continuation bytes)
    /// are accepted, as postcard accepts them.
    pub fn varint(&mut self, bits: u32) -> u64 {
        let max = bits.div_ceil(7);
        let mut out = 0u64;
        for i in 0..max {
            let byte = self.u8();
            out |= u64::from(byte & 0x7F) << (7 * i);
            if byte & 0x80 == 0 {
                if i == max - 1 && u32::from(byte) >= 1 << (bits % 7) {
                    break;
                }
                return out;
            }
        }
        self.fail(format!(
            "a varint at byte {} overflows {bits} bits",
            self.at
        ));
        0
    }

    /// A zigzag varint of a `bits`-bit signed integer (see [`Writer::zigzag`]).
    pub fn zigzag(&mut self, bits: u32) -> i64 {
        let v = self.varint(bits);
        (v >> 1) as i64 ^ -((v & 1) as i64)
    }

    pub fn var_u32(&mut self) -> u32 {
        self.varint(32) as u32
    }
    pub fn var_i32(&mut self) -> i32 {
        self.zigzag(32) as i32
    }

    /// A postcard length: a varint as wide as `usize` (so, as with postcard, 32 bits
    /// on wasm32 and 64 bits on 64-bit hosts).
    pub fn var_len(&mut self) -> usize {
        self.varint(usize::BITS) as usize
    }

    /// A varint byte length and UTF-8 bytes (postcard's strings).
    pub fn var_str(&mut self) -> String {
        let len = self.var_len();
        let raw = self.take(len);
        self.utf8(raw)
    }

    /// Postcard's option tag: true for 1, false for 0 (or after an error); any other
    /// byte is an error.
    pub fn tag(&mut self) -> bool {
        match self.u8() {
            0 => false,
            1 => true,
            x => {
                self.fail(format!("invalid option tag {x} at byte {}", self.at - 1));
                false
            }
        }
    }
}
