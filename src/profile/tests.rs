//! The saved profile's payload codec against postcard itself: the bytes written are
//! postcard's, and any payload (well-formed or damaged, version 1 or 2) is accepted
//! or rejected as postcard with the original serde layout judged it, giving the same
//! profile.

use litemap::LiteMap;
use proptest::prelude::*;

use super::codec::payload_error;
use super::*;
use crate::util::wire::{Reader, Writer};

/// The serde form of the profile's maps the saved form was defined with: a sequence
/// of (key, value) pairs in strictly increasing key order (test-only reference).
pub(super) mod sorted_map {
    use litemap::LiteMap;
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<V: Serialize, S: Serializer>(
        map: &LiteMap<String, V>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        map.serialize(serializer)
    }

    pub fn deserialize<'de, V: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<LiteMap<String, V>, D::Error> {
        let entries = Vec::<(String, V)>::deserialize(deserializer)?;
        if !sorted(&entries) {
            return Err(D::Error::custom("map keys out of order"));
        }
        Ok(LiteMap::from_sorted_store_unchecked(entries))
    }

    pub fn sorted<V>(entries: &[(String, V)]) -> bool {
        entries.windows(2).all(|w| w[0].0 < w[1].0)
    }
}

/// Version 1's layout as tuples (postcard encodes a struct exactly as the tuple of
/// its fields): `ItemState` up to `interval_days`, `CategoryState` up to
/// `price_count`, `Profile` up to `events`.
type V1Item = (Decayed, Decayed, u32, f64, f64);
type V1Category = (Decayed, u32, f64, f64, f64, u32);
type V1Profile = (
    Option<u32>,
    Option<u8>,
    Option<LatLng>,
    Vec<(String, V1Item)>,
    Vec<(String, V1Category)>,
    Vec<(String, f64)>,
    u64,
);

/// Version 1 migrated as the version-1 loader did: new state at its defaults. `None`
/// for a map out of order.
fn migrate(v1: V1Profile) -> Option<Profile> {
    let (age, income_band, location, items, categories, dismissed, events) = v1;
    if !(sorted_map::sorted(&items)
        && sorted_map::sorted(&categories)
        && sorted_map::sorted(&dismissed))
    {
        return None;
    }
    Some(Profile {
        age,
        income_band,
        location,
        items: LiteMap::from_sorted_store_unchecked(
            items
                .into_iter()
                .map(|(k, s)| {
                    let state = ItemState {
                        affinity: s.0,
                        impressions: s.1,
                        purchases: s.2,
                        last_purchase_at: s.3,
                        interval_days: s.4,
                        ..Default::default()
                    };
                    (k, state)
                })
                .collect(),
        ),
        categories: LiteMap::from_sorted_store_unchecked(
            categories
                .into_iter()
                .map(|(k, s)| {
                    let state = CategoryState {
                        affinity: s.0,
                        purchases: s.1,
                        last_purchase_at: s.2,
                        interval_days: s.3,
                        ln_price_mean: s.4,
                        price_count: s.5,
                        ..Default::default()
                    };
                    (k, state)
                })
                .collect(),
        ),
        dismissed: LiteMap::from_sorted_store_unchecked(dismissed),
        events,
        utc_offset_min: DEFAULT_UTC_OFFSET_MIN,
        pushes: Vec::new(),
    })
}

/// What postcard makes of a payload: the profile and the bytes it used, or `None`.
fn postcard_decode(payload: &[u8], version: u8) -> Option<(Profile, usize)> {
    let (profile, rest) = if version == 1 {
        let (v1, rest) = postcard::take_from_bytes::<V1Profile>(payload).ok()?;
        (migrate(v1)?, rest)
    } else {
        postcard::take_from_bytes::<Profile>(payload).ok()?
    };
    Some((profile, payload.len() - rest.len()))
}

/// What the codec makes of a payload, as [`postcard_decode`].
fn codec_decode(payload: &[u8], version: u8) -> Option<(Profile, usize)> {
    let mut r = Reader::new(payload, 0, "the payload", payload_error);
    let profile = Profile::read(&mut r, version);
    if let Some(e) = &r.error {
        assert_eq!(e.code, crate::ErrorCode::CorruptState);
        assert_eq!(e.path, "profile");
        assert!(
            e.message.starts_with("cannot decode saved profile: "),
            "{e}"
        );
    }
    r.ok().then_some((profile, r.at))
}

/// The codec's payload.
fn payload(p: &Profile) -> Vec<u8> {
    let mut w = Writer(Vec::new());
    p.write(&mut w);
    w.0
}

/// A profile compared bit for bit (NaN included), through postcard's encoding.
fn bits(p: &Profile) -> Vec<u8> {
    postcard::to_allocvec(p).unwrap()
}

/// `GRPF`, version, payload, CRC-32.
fn frame(version: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = b"GRPF".to_vec();
    out.push(version);
    out.extend_from_slice(payload);
    let crc = crate::util::crc32::checksum(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// What loading a saved profile gave before the codec: postcard, then the checks.
fn reference_from_bytes(version: u8, payload: &[u8]) -> std::result::Result<Profile, String> {
    let (profile, _) = postcard_decode(payload, version).ok_or("cannot decode")?;
    profile.check()?;
    Ok(profile)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 512,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Mostly plausible numbers (so that many profiles pass the checks), sometimes any
/// bit pattern (NaN, infinities, subnormals).
fn number() -> impl Strategy<Value = f64> {
    prop_oneof![4 => 0.0..2e12f64, 1 => any::<f64>()]
}

/// Small counts, sometimes any `u32` (every varint length).
fn count() -> impl Strategy<Value = u32> {
    prop_oneof![3 => 0u32..200, 1 => any::<u32>()]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![3 => "[a-d]{0,3}", 1 => "[a-z蛋品\u{1F95A}]{0,8}", 1 => any::<String>()]
}

fn decayed() -> impl Strategy<Value = Decayed> {
    (number(), number()).prop_map(|(value, at)| Decayed { value, at })
}

fn map_of<V: std::fmt::Debug>(
    value: impl Strategy<Value = V>,
) -> impl Strategy<Value = LiteMap<String, V>> {
    prop::collection::btree_map(text(), value, 0..4)
        .prop_map(|m| LiteMap::from_sorted_store_unchecked(m.into_iter().collect()))
}

fn item() -> impl Strategy<Value = ItemState> {
    (
        (decayed(), decayed(), count(), number(), number()),
        (count(), number(), any::<i32>(), count()),
    )
        .prop_map(|((a, i, p, lp, iv), (ig, li, d, di))| ItemState {
            affinity: a,
            impressions: i,
            purchases: p,
            last_purchase_at: lp,
            interval_days: iv,
            ignored: ig,
            last_impression_at: li,
            day: d,
            day_impressions: di,
        })
}

fn category() -> impl Strategy<Value = CategoryState> {
    (
        (decayed(), count(), number(), number(), number(), count()),
        (decayed(), decayed(), any::<i32>(), count()),
    )
        .prop_map(|((a, p, lp, iv, ln, pc), (ds, im, d, di))| CategoryState {
            affinity: a,
            purchases: p,
            last_purchase_at: lp,
            interval_days: iv,
            ln_price_mean: ln,
            price_count: pc,
            dismissals: ds,
            impressions: im,
            day: d,
            day_impressions: di,
        })
}

fn location() -> impl Strategy<Value = LatLng> {
    prop_oneof![
        3 => (-90.0..90.0f64, -180.0..180.0f64),
        1 => (any::<f64>(), any::<f64>()),
    ]
    .prop_map(|(lat, lng)| LatLng::new(lat, lng))
}

fn profile() -> impl Strategy<Value = Profile> {
    (
        (
            prop::option::of(prop_oneof![0u32..160, any::<u32>()]),
            prop::option::of(prop_oneof![1u8..=5, any::<u8>()]),
            prop::option::of(location()),
        ),
        (map_of(item()), map_of(category()), map_of(number())),
        (
            prop_oneof![0u64..1000, any::<u64>()],
            prop_oneof![-720i16..=840, any::<i16>()],
            prop::collection::vec((number(), text()), 0..4),
        ),
    )
        .prop_map(
            |(
                (age, income_band, location),
                (items, categories, dismissed),
                (events, tz, pushes),
            )| {
                let mut pushes: Vec<Push> = pushes
                    .into_iter()
                    .map(|(at, offer_id)| Push { at, offer_id })
                    .collect();
                pushes.sort_by(|a, b| a.at.total_cmp(&b.at));
                Profile {
                    age,
                    income_band,
                    location,
                    items,
                    categories,
                    dismissed,
                    events,
                    utc_offset_min: tz,
                    pushes,
                }
            },
        )
}

/// A version-1 profile in its tuple form (maps sorted).
fn v1_profile() -> impl Strategy<Value = V1Profile> {
    (
        profile(),
        map_of((decayed(), decayed(), count(), number(), number())),
        map_of((decayed(), count(), number(), number(), number(), count())),
    )
        .prop_map(|(p, items, categories)| {
            (
                p.age,
                p.income_band,
                p.location,
                items.into_tuple_vec(),
                categories.into_tuple_vec(),
                p.dismissed.into_tuple_vec(),
                p.events,
            )
        })
}

/// One edit of a payload: overwrite, insert or delete a byte, or cut the payload.
#[derive(Clone, Debug)]
enum Edit {
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Delete(prop::sample::Index),
    Cut(prop::sample::Index),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    // Bytes that make varints long, overlong or overflowing, bad option tags and
    // broken UTF-8, as well as any byte.
    let byte = prop_oneof![
        any::<u8>(),
        prop::sample::select(vec![
            0, 1, 2, 3, 4, 0x0F, 0x10, 0x7F, 0x80, 0x81, 0xC0, 0xFF
        ]),
    ];
    let index = any::<prop::sample::Index>();
    let edit = prop_oneof![
        4 => (index.clone(), byte.clone()).prop_map(|(i, b)| Edit::Set(i, b)),
        2 => (index.clone(), byte).prop_map(|(i, b)| Edit::Insert(i, b)),
        2 => index.clone().prop_map(Edit::Delete),
        1 => index.prop_map(Edit::Cut),
    ];
    prop::collection::vec(edit, 1..4)
}

fn apply(payload: &mut Vec<u8>, edits: &[Edit]) {
    for edit in edits {
        if payload.is_empty() {
            return;
        }
        match edit {
            Edit::Set(i, b) => {
                let i = i.index(payload.len());
                payload[i] = *b;
            }
            Edit::Insert(i, b) => payload.insert(i.index(payload.len() + 1), *b),
            Edit::Delete(i) => {
                payload.remove(i.index(payload.len()));
            }
            Edit::Cut(i) => payload.truncate(i.index(payload.len())),
        }
    }
}

/// The codec and postcard agree on `payload`: both reject it, or both accept it with
/// the same profile, bit for bit, having read the same number of bytes. Loading the
/// framed payload agrees with the loader before the codec.
fn assert_agree(payload: &[u8], version: u8) -> std::result::Result<(), TestCaseError> {
    let ours = codec_decode(payload, version).map(|(p, n)| (bits(&p), n));
    let theirs = postcard_decode(payload, version).map(|(p, n)| (bits(&p), n));
    prop_assert_eq!(ours, theirs, "version {} payload {:?}", version, payload);
    let loaded = Profile::from_bytes(&frame(version, payload));
    match (loaded, reference_from_bytes(version, payload)) {
        (Ok(ours), Ok(theirs)) => prop_assert_eq!(bits(&ours), bits(&theirs)),
        (Err(ours), Err(theirs)) => {
            prop_assert_eq!(ours.code, crate::ErrorCode::CorruptState);
            prop_assert_eq!(&ours.path, "profile");
            if theirs == "cannot decode" {
                prop_assert!(
                    ours.message.starts_with("cannot decode saved profile: "),
                    "{}",
                    ours
                );
            } else {
                // A check failed after decoding: the same message as before.
                prop_assert_eq!(ours.message, theirs);
            }
        }
        (ours, theirs) => prop_assert!(false, "loaded {:?}, before {:?}", ours, theirs),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// The codec writes exactly postcard's encoding of the profile, and `to_bytes`
    /// frames it.
    #[test]
    fn the_payload_is_postcards_encoding(p in profile()) {
        let expected = postcard::to_allocvec(&p).unwrap();
        prop_assert_eq!(&payload(&p), &expected);
        prop_assert_eq!(p.to_bytes(), frame(PROFILE_VERSION, &expected));
    }

    /// Postcard's encoding of a profile decodes to the same profile, using every
    /// byte; loading it gives the profile whenever the profile passes the checks,
    /// also with bytes after the payload.
    #[test]
    fn postcards_encoding_decodes_to_the_same_profile(p in profile(), extra in prop::collection::vec(any::<u8>(), 0..3)) {
        let bytes = postcard::to_allocvec(&p).unwrap();
        let (decoded, used) = codec_decode(&bytes, 2).expect("decodes");
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(bits(&decoded), bytes.clone());
        let mut padded = bytes.clone();
        padded.extend_from_slice(&extra);
        assert_agree(&padded, 2)?;
        if p.check().is_ok() {
            prop_assert_eq!(Profile::from_bytes(&frame(2, &padded)).unwrap(), p);
        }
    }

    /// A version-1 payload (postcard's encoding of the version-1 layout) decodes as
    /// the version-1 loader decoded and migrated it.
    #[test]
    fn version_1_payloads_decode_and_migrate_as_before(v1 in v1_profile()) {
        let bytes = postcard::to_allocvec(&v1).unwrap();
        let expected = migrate(v1).expect("sorted maps");
        let (decoded, used) = codec_decode(&bytes, 1).expect("decodes");
        prop_assert_eq!(used, bytes.len());
        prop_assert_eq!(bits(&decoded), bits(&expected));
        assert_agree(&bytes, 1)?;
    }

    /// Damaged payloads (bytes changed, inserted, deleted, cut; varints made overlong
    /// or too big, option tags out of range, UTF-8 broken, keys out of order) are
    /// accepted or rejected exactly as postcard accepted or rejected them.
    #[test]
    fn damaged_payloads_are_judged_as_postcard_judges_them(
        p in profile(),
        v1 in v1_profile(),
        version in 1u8..=2,
        edits in edits(),
    ) {
        let mut bytes = if version == 1 {
            postcard::to_allocvec(&v1).unwrap()
        } else {
            postcard::to_allocvec(&p).unwrap()
        };
        apply(&mut bytes, &edits);
        assert_agree(&bytes, version)?;
    }

    /// Arbitrary short byte strings, as payloads of either version.
    #[test]
    fn arbitrary_payloads_are_judged_as_postcard_judges_them(
        bytes in prop::collection::vec(prop_oneof![0u8..4, any::<u8>()], 0..40),
        version in 1u8..=2,
    ) {
        assert_agree(&bytes, version)?;
    }
}

/// The smallest version-2 payload around the given encodings of `age` (after its
/// tag), `events` and the time zone.
fn minimal(age: &[u8], events: &[u8], tz: &[u8]) -> Vec<u8> {
    let mut out = vec![1];
    out.extend_from_slice(age);
    out.extend_from_slice(&[0, 0, 0, 0, 0]);
    out.extend_from_slice(events);
    out.extend_from_slice(tz);
    out.push(0);
    out
}

/// A version-2 payload with two dismissals, the count encoded as `count`.
fn dismissals(count: &[u8], first: &[u8], second: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0, 0, 0];
    out.extend_from_slice(count);
    for key in [first, second] {
        out.push(key.len() as u8);
        out.extend_from_slice(key);
        out.extend_from_slice(&1.7e12f64.to_le_bytes());
    }
    out.extend_from_slice(&[0, 0, 0]);
    out
}

#[test]
fn varint_limits_are_postcards() {
    let zero_tz = [0x00];
    let cases: Vec<Vec<u8>> = vec![
        // u32 (age): 5 bytes, the last at most 0x0F; zero padding is accepted.
        minimal(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F], &[0], &zero_tz),
        minimal(&[0xFF, 0xFF, 0xFF, 0xFF, 0x10], &[0], &zero_tz),
        minimal(&[0x80, 0x80, 0x80, 0x80, 0x00], &[0], &zero_tz),
        minimal(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00], &[0], &zero_tz),
        minimal(&[0x85, 0x00], &[0], &zero_tz),
        // u64 (events): 10 bytes, the last at most 0x01.
        minimal(
            &[5],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01],
            &zero_tz,
        ),
        minimal(
            &[5],
            &[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02],
            &zero_tz,
        ),
        minimal(
            &[5],
            &[
                0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00,
            ],
            &zero_tz,
        ),
        // i16 (time zone): 3 bytes, the last at most 0x03.
        minimal(&[5], &[0], &[0xFF, 0xFF, 0x03]),
        minimal(&[5], &[0], &[0xFF, 0xFF, 0x04]),
        minimal(&[5], &[0], &[0xC0, 0x87, 0x00]),
        // Option tags other than 0 and 1.
        vec![2, 0, 0, 0, 0, 0, 0, 0, 0],
        // A key that is not UTF-8.
        vec![0, 0, 0, 1, 1, 0xFF, 0, 0, 0, 0, 0],
        // Dismissals with the same key twice, and a map count in 6 bytes (postcard
        // reads lengths as `usize`: accepted on 64-bit hosts, not on wasm32).
        dismissals(&[2], b"a", b"a"),
        dismissals(&[0x82, 0x80, 0x80, 0x80, 0x80, 0x00], b"a", b"b"),
        // A length beyond the input.
        vec![
            0, 0, 0, 0, 0, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
        ],
    ];
    for payload in &cases {
        assert_agree(payload, 2).unwrap();
        assert_agree(payload, 1).unwrap();
    }
    // Spot checks that the table is not vacuous.
    assert_eq!(codec_decode(&cases[0], 2).unwrap().0.age, Some(u32::MAX));
    assert!(codec_decode(&cases[1], 2).is_none());
    assert_eq!(codec_decode(&cases[2], 2).unwrap().0.age, Some(0));
    assert!(codec_decode(&cases[3], 2).is_none());
    assert_eq!(
        codec_decode(&cases[8], 2).unwrap().0.utc_offset_min,
        i16::MIN
    );
}
