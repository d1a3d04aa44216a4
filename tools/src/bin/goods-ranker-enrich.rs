//! Enrichment CLI: learns a catalog from a purchase log (generic CSV form,
//! docs/ENRICHMENT.md) and writes it as JSON and as a binary catalog. See [`USAGE`].
//! Malformed lines are counted per reason and reported on stderr.

use std::fs::File;
use std::process::ExitCode;

use goods_ranker::{Engine, EngineOptions};
use goods_ranker_tools::cli::{self, Arg, Parsed, Parser};
use goods_ranker_tools::enrich::{self, EnrichOptions, Log, StoreSpec};

const USAGE: &str = "\
goods-ranker-enrich: learns a catalog from a purchase log (docs/ENRICHMENT.md).

Usage:
  goods-ranker-enrich --purchases log.csv [--users users.csv] --store LAT,LNG \\
      --json catalog.json [--binary catalog.grcb] [--prices prices.json] [--dim 32]

Options:
  --purchases FILE        purchase log, CSV user,time,item,quantity,price,category (required)
  --users FILE            user attributes, CSV user,ageBand,area,lat,lng
  --store LAT,LNG         location of the one store the offers belong to (default 0,0)
  --json FILE             write the catalog as JSON
  --binary FILE           write the catalog in binary form
  --prices FILE           write the price statistics per item as JSON
  --dim N                 embedding dimension, 0 for none (default 32)
  --half-life-days DAYS   half-life of the popularity decay (default 30)
  -h, --help              print this help
";

struct Args {
    purchases: String,
    users: Option<String>,
    store: (f64, f64),
    json: Option<String>,
    binary: Option<String>,
    prices: Option<String>,
    options: EnrichOptions,
}

fn main() -> ExitCode {
    cli::exit("goods-ranker-enrich", parse().and_then(run))
}

fn parse() -> Result<Parsed<Args>, String> {
    let (mut purchases, mut users, mut json, mut binary, mut prices) =
        (None, None, None, None, None);
    let mut store = (0.0, 0.0);
    let mut options = EnrichOptions::default();
    let mut parser = Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Arg::Short('h') | Arg::Long("help") => return cli::help(USAGE),
            Arg::Long("purchases") => purchases = Some(cli::text(&mut parser, "--purchases")?),
            Arg::Long("users") => users = Some(cli::text(&mut parser, "--users")?),
            Arg::Long("json") => json = Some(cli::text(&mut parser, "--json")?),
            Arg::Long("binary") => binary = Some(cli::text(&mut parser, "--binary")?),
            Arg::Long("prices") => prices = Some(cli::text(&mut parser, "--prices")?),
            Arg::Long("dim") => options.embedding_dim = cli::number(&mut parser, "--dim")?,
            Arg::Long("half-life-days") => {
                options.half_life_days = cli::number(&mut parser, "--half-life-days")?
            }
            Arg::Long("store") => store = cli::lat_lng(&mut parser, "--store")?,
            other => return Err(cli::unexpected(other)),
        }
    }
    Ok(Parsed::Run(Args {
        purchases: purchases.ok_or("--purchases is required")?,
        users,
        store,
        json,
        binary,
        prices,
        options,
    }))
}

fn run(parsed: Parsed<Args>) -> Result<(), String> {
    let Parsed::Run(Args {
        purchases,
        users,
        store,
        json,
        binary,
        prices,
        options,
    }) = parsed
    else {
        return Ok(());
    };
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
