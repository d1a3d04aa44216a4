//! The command lines: `--help` describes every flag each command accepts (read from the
//! command's source), and wrong arguments fail with the command's name and status 1.

use std::process::{Command, Output};

const COMMANDS: [(&str, &str); 3] = [
    (
        "goods-ranker-catalog",
        env!("CARGO_BIN_EXE_goods-ranker-catalog"),
    ),
    (
        "goods-ranker-enrich",
        env!("CARGO_BIN_EXE_goods-ranker-enrich"),
    ),
    (
        "goods-ranker-evaluate",
        env!("CARGO_BIN_EXE_goods-ranker-evaluate"),
    ),
];

fn run(exe: &str, args: &[&str]) -> Output {
    Command::new(exe).args(args).output().expect("command runs")
}

/// The long flags a command's parser matches on: every `Arg::Long("…")` in its source.
fn flags_in_source(name: &str) -> Vec<String> {
    let path = format!("{}/src/bin/{name}.rs", env!("CARGO_MANIFEST_DIR"));
    let source = std::fs::read_to_string(&path).expect("source of the command");
    source
        .split("Arg::Long(\"")
        .skip(1)
        .map(|rest| format!("--{}", &rest[..rest.find('"').expect("closing quote")]))
        .collect()
}

#[test]
fn help_describes_every_flag() {
    for (name, exe) in COMMANDS {
        let flags = flags_in_source(name);
        assert!(
            flags.len() >= 5,
            "{name}: flags found in its source: {flags:?}"
        );
        for args in [&["--help"][..], &["-h"]] {
            let out = run(exe, args);
            assert!(out.status.success(), "{name} {args:?}: {out:?}");
            let help = String::from_utf8(out.stdout).expect("UTF-8");
            assert!(help.starts_with(name), "{name}: {help}");
            for flag in &flags {
                // Each flag has its own line: the flag, then what it does.
                assert!(
                    help.lines().any(|line| {
                        let line = line.trim_start().trim_start_matches("-h, ");
                        line.starts_with(&format!("{flag} "))
                    }),
                    "{name} --help does not describe {flag}:\n{help}"
                );
            }
        }
    }
}

#[test]
fn wrong_arguments_fail_with_the_command_name() {
    let cases: [(&str, &[&str], &str); 7] = [
        ("goods-ranker-catalog", &[], "usage"),
        (
            "goods-ranker-catalog",
            &["encode", "only-one.json"],
            "usage: encode",
        ),
        (
            "goods-ranker-catalog",
            &["sample", "--offers", "many"],
            "--offers: not a number: many",
        ),
        (
            "goods-ranker-catalog",
            &["sample", "--colour", "red"],
            "--colour",
        ),
        (
            "goods-ranker-enrich",
            &["--users", "u.csv"],
            "--purchases is required",
        ),
        (
            "goods-ranker-enrich",
            &["--purchases", "p.csv", "--store", "25"],
            "--store: expected lat,lng, got 25",
        ),
        (
            "goods-ranker-evaluate",
            &["--purchases"],
            "--purchases needs a value",
        ),
    ];
    for (name, args, message) in cases {
        let exe = COMMANDS.iter().find(|c| c.0 == name).expect("known").1;
        let out = run(exe, args);
        assert_eq!(out.status.code(), Some(1), "{name} {args:?}");
        let stderr = String::from_utf8(out.stderr).expect("UTF-8");
        assert!(
            stderr.starts_with(&format!("{name}: ")) && stderr.contains(message),
            "{name} {args:?}: {stderr}"
        );
    }
}

#[test]
fn sample_then_encode_then_check_round_trips() {
    let dir = std::env::temp_dir().join(format!("goods-ranker-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let json = dir.join("sample.json");
    let direct = dir.join("direct.grcb");
    let encoded = dir.join("encoded.grcb");
    let (json, direct, encoded) = (
        json.to_str().expect("UTF-8 path"),
        direct.to_str().expect("UTF-8 path"),
        encoded.to_str().expect("UTF-8 path"),
    );
    let catalog = COMMANDS[0].1;
    let sample = run(
        catalog,
        &[
            "sample", "--offers", "30", "--dim", "4", "--seed", "3", "--json", json, "--binary",
            direct,
        ],
    );
    assert!(sample.status.success(), "{sample:?}");
    let encode = run(catalog, &["encode", json, encoded]);
    assert!(encode.status.success(), "{encode:?}");
    assert!(String::from_utf8_lossy(&encode.stdout).contains(": 30 offers, "));
    assert_eq!(
        std::fs::read(direct).expect("written"),
        std::fs::read(encoded).expect("written"),
        "the sample's binary form and the encoded JSON differ"
    );
    let check = run(catalog, &["check", encoded]);
    assert!(check.status.success(), "{check:?}");
    assert!(
        String::from_utf8_lossy(&check.stdout).contains(": ok, 30 offers, ")
            && String::from_utf8_lossy(&check.stdout).contains("embeddings 4-d"),
        "{check:?}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
