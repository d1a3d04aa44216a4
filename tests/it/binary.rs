//! The binary catalog: exact round trips and rejection of damaged files.

use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{ErrorCode, Profile, RankOptions};

use super::*;

fn sample(offers: usize, dim: usize) -> Engine {
    let input = sample_catalog(&SampleOptions {
        offers,
        embedding_dim: dim,
        seed: 7,
    });
    Engine::new(input, &EngineOptions::default()).unwrap()
}

#[test]
fn decoding_gives_the_same_rankings_bit_for_bit() {
    for (offers, dim) in [(400, 16), (2000, 0), (1500, 32)] {
        let json_engine = sample(offers, dim);
        let bytes = json_engine.to_binary();
        let binary_engine = Engine::from_binary(&bytes, &EngineOptions::default()).unwrap();
        assert_eq!(binary_engine.catalog().len(), offers);
        assert_eq!(binary_engine.catalog().embedding_dim(), dim);
        // Encoding is deterministic and stable through a round trip.
        assert_eq!(binary_engine.to_binary(), bytes);
        let input = sample_catalog(&SampleOptions {
            offers,
            embedding_dim: dim,
            seed: 7,
        });
        for u in sample_users(&input, NOW) {
            let profile = Profile::from_user(&u.user).unwrap();
            let options = RankOptions {
                location: u.user.location,
                limit: Some(50),
                ..opts()
            };
            assert_eq!(
                json_engine.rank(&profile, &options, NOW).unwrap(),
                binary_engine.rank(&profile, &options, NOW).unwrap(),
                "{} with {offers} offers",
                u.id
            );
            assert_eq!(
                json_engine.filtered(&profile, &options, NOW).unwrap(),
                binary_engine.filtered(&profile, &options, NOW).unwrap()
            );
        }
    }
}

#[test]
fn a_decoded_catalog_can_be_updated() {
    let mut e =
        Engine::from_binary(&sample(300, 8).to_binary(), &EngineOptions::default()).unwrap();
    e.upsert_offers(vec![offer("new", "蛋品", 9.9, "s002")])
        .unwrap();
    assert_eq!(e.catalog().len(), 301);
    assert_eq!(e.remove_offers(&["o00001".into()]).unwrap(), 1);
    assert!(e.catalog().offer_idx("o00001").is_none());
}

#[test]
fn every_single_bit_flip_and_truncation_is_rejected() {
    let bytes = engine(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "水果", 9.9, "far"),
    ])
    .to_binary();
    for i in 0..bytes.len() {
        for bit in 0..8 {
            let mut bad = bytes.clone();
            bad[i] ^= 1 << bit;
            let err = Engine::from_binary(&bad, &EngineOptions::default())
                .expect_err("a damaged catalog was accepted");
            assert_eq!(
                err.code,
                ErrorCode::CorruptState,
                "byte {i} bit {bit}: {err}"
            );
            assert_eq!(err.path, "catalog");
        }
    }
    for len in 0..bytes.len() {
        let err = Engine::from_binary(&bytes[..len], &EngineOptions::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::CorruptState, "length {len}");
    }
}

#[test]
fn other_versions_and_garbage_get_clear_errors() {
    let mut bytes = sample(50, 0).to_binary();
    bytes[4] = 1;
    let n = bytes.len() - 4;
    let crc = crc32(&bytes[..n]);
    bytes[n..].copy_from_slice(&crc.to_le_bytes());
    assert_eq!(
        Engine::from_binary(&bytes, &EngineOptions::default())
            .unwrap_err()
            .to_string(),
        "catalog: unsupported binary catalog version 1 (this build reads 2; re-encode \
         version-1 files from their JSON with this build)"
    );
    let err = Engine::from_binary(
        b"{\"version\":1,\"stores\":[],\"offers\":[]}",
        &EngineOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "catalog: not a binary catalog (bad magic)");
}

/// A well-formed file (valid checksum) whose contents are impossible is rejected too:
/// the checksum is not the only line of defence.
#[test]
fn impossible_values_behind_a_valid_checksum_are_rejected() {
    let good = engine(vec![offer("a", "蛋品", 20.0, "near")]).to_binary();
    // Overwrite the price (the first f64 after the store/category columns) with -1 by
    // searching for the encoded 20.0 and re-sealing the checksum.
    let needle = 20.0f64.to_le_bytes();
    let at = good
        .windows(8)
        .position(|w| w == needle)
        .expect("price bytes");
    let mut bad = good.clone();
    bad[at..at + 8].copy_from_slice(&(-1.0f64).to_le_bytes());
    let n = bad.len() - 4;
    let crc = crc32(&bad[..n]);
    bad[n..].copy_from_slice(&crc.to_le_bytes());
    let err = Engine::from_binary(&bad, &EngineOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "catalog: a price is not a positive number");
}

/// Offers refer to categories by position in the file's category table, so a table
/// that names a category twice (found by fuzzing; the decoder used to index past the
/// end of its category list and panic) is rejected.
#[test]
fn a_category_table_naming_a_category_twice_is_rejected() {
    let good = engine(vec![
        offer("a", "蛋品", 20.0, "near"),
        offer("b", "奶品", 9.0, "near"),
    ])
    .to_binary();
    // The category table holds length-prefixed names; rename the second to the first.
    let entry = |name: &str| [&(name.len() as u32).to_le_bytes()[..], name.as_bytes()].concat();
    let (first, second) = (entry("蛋品"), entry("奶品"));
    let at = good
        .windows(second.len())
        .position(|w| w == second)
        .expect("category table entry");
    let mut bad = good.clone();
    bad[at..at + second.len()].copy_from_slice(&first);
    let n = bad.len() - 4;
    let crc = crc32(&bad[..n]);
    bad[n..].copy_from_slice(&crc.to_le_bytes());
    let err = Engine::from_binary(&bad, &EngineOptions::default()).unwrap_err();
    assert_eq!(err.code, ErrorCode::CorruptState);
    assert_eq!(
        err.to_string(),
        "catalog.categories[1]: category \"蛋品\" is listed twice"
    );
}
