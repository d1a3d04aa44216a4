//! Enrichment CLI: learns a catalog from a purchase log (generic CSV form,
//! docs/ENRICHMENT.md) and writes it as JSON and as a binary catalog.
//!
//! ```sh
//! goods-ranker-enrich --purchases log.csv [--users users.csv] --store LAT,LNG \
//!     --json catalog.json [--binary catalog.grcb] [--prices prices.json] [--dim 32]
//! ```
//! Malformed lines are counted per reason and reported on stderr.

use std::fs::File;
use std::process::ExitCode;

use goods_ranker::enrich::{self, EnrichOptions, Log, StoreSpec};
use goods_ranker::{Engine, EngineOptions};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("goods-ranker-enrich: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let (mut purchases, mut users, mut json, mut binary, mut prices) =
        (None, None, None, None, None);
    let mut store = (0.0, 0.0);
    let mut options = EnrichOptions::default();
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--purchases" => purchases = Some(value),
            "--users" => users = Some(value),
            "--json" => json = Some(value),
            "--binary" => binary = Some(value),
            "--prices" => prices = Some(value),
            "--dim" => {
                options.embedding_dim = value.parse().map_err(|_| format!("--dim: {value}"))?
            }
            "--half-life-days" => {
                options.half_life_days = value
                    .parse()
                    .map_err(|_| format!("--half-life-days: {value}"))?
            }
            "--store" => {
                store = value
                    .split_once(',')
                    .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)))
                    .ok_or_else(|| format!("--store: expected lat,lng, got {value}"))?
            }
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    let purchases = purchases.ok_or("--purchases is required")?;
    let file = File::open(&purchases).map_err(|e| format!("{purchases}: {e}"))?;
    let mut log = Log::read_purchases(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    eprintln!("purchase log: {}", log.report.summary());
    for (line, reason) in &log.report.examples {
        eprintln!("  line {line}: {reason}");
    }
    if let Some(path) = users {
        let file = File::open(&path).map_err(|e| format!("{path}: {e}"))?;
        log.read_users(std::io::BufReader::new(file))
            .map_err(|e| e.to_string())?;
        eprintln!("user attributes: {}", log.users_report.summary());
    }
    let baskets = enrich::baskets(&log);
    let enriched = enrich::enrich(&log, &baskets, &options);
    let spec = StoreSpec {
        id: "store".into(),
        name: "store".into(),
        lat: store.0,
        lng: store.1,
    };
    let catalog = enrich::to_catalog(&log, &enriched, &spec);
    eprintln!(
        "{} baskets → {} offers, {} areas, embedding dim {}",
        baskets.len(),
        catalog.offers.len(),
        catalog.areas.as_ref().map_or(0, Vec::len),
        enriched.embedding_dim
    );
    let text = serde_json::to_string(&catalog).map_err(|e| e.to_string())?;
    if let Some(path) = json {
        std::fs::write(&path, &text).map_err(|e| format!("{path}: {e}"))?;
    }
    if let Some(path) = binary {
        let engine =
            Engine::from_json(&text, &EngineOptions::default()).map_err(|e| e.to_string())?;
        std::fs::write(&path, engine.to_binary()).map_err(|e| format!("{path}: {e}"))?;
    }
    if let Some(path) = prices {
        let report = enrich::price_report(&log, &enriched);
        let text = serde_json::to_string(&report).map_err(|e| e.to_string())?;
        std::fs::write(&path, text).map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(())
}
