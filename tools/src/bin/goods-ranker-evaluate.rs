//! Offline evaluation: replays a purchase log (generic CSV form, docs/ENRICHMENT.md)
//! under the next-basket protocol and prints a Markdown report: recall@10, NDCG@10,
//! recall@20, NDCG@20 for the engine (weights tuned on the validation split), its
//! ablations and the baselines G-TopFreq, P-TopFreq, GP-TopFreq and TIFU-KNN.
//!
//! See [`USAGE`].

use std::fs::File;
use std::process::ExitCode;
use std::time::Instant;

use goods_ranker::rank::features::Feature;
use goods_ranker::Weights;
use goods_ranker_tools::cli::{self, Arg, Parsed, Parser};
use goods_ranker_tools::enrich::{self, EnrichOptions, Log, StoreSpec};
use goods_ranker_tools::eval::baselines::{self, Global, Tifu, TifuParams};
use goods_ranker_tools::eval::{self, protocol, EngineRun, Holdout, Scores, Uses};

const USAGE: &str = "\
goods-ranker-evaluate: replays a purchase log under the next-basket protocol and prints
a Markdown report (docs/EVALUATION.md).

Usage:
  goods-ranker-evaluate --purchases data/tafeng/purchases.csv --users data/tafeng/users.csv \\
      --store 25.0330,121.5430 [--every 1] [--threads 2] [--rounds 2] [--tune-stride 2]

Options:
  --purchases FILE     purchase log, CSV user,time,item,quantity,price,category (required)
  --users FILE         user attributes, CSV user,ageBand,area,lat,lng
  --store LAT,LNG      location of the store (default 25.0330,121.5430)
  --every N            evaluate every Nth user only (default 1: all)
  --threads N          worker threads (default: the available parallelism)
  --rounds N           rounds of weight tuning on the validation split, 0 for none (default 2)
  --tune-stride N      tune on every Nth validation user (default 2)
  --min-baskets N      users with fewer baskets are not evaluated (default 3, at least 2)
  -h, --help           print this help
";

struct Args {
    purchases: String,
    users: Option<String>,
    store: (f64, f64),
    every: usize,
    threads: usize,
    rounds: usize,
    tune_stride: usize,
    min_baskets: usize,
}

fn parse() -> Result<Parsed<Args>, String> {
    let mut a = Args {
        purchases: String::new(),
        users: None,
        store: (25.0330, 121.5430),
        every: 1,
        threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
        rounds: 2,
        tune_stride: 2,
        min_baskets: 3,
    };
    let mut parser = Parser::from_env();
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Arg::Short('h') | Arg::Long("help") => return cli::help(USAGE),
            Arg::Long("purchases") => a.purchases = cli::text(&mut parser, "--purchases")?,
            Arg::Long("users") => a.users = Some(cli::text(&mut parser, "--users")?),
            Arg::Long("store") => a.store = cli::lat_lng(&mut parser, "--store")?,
            Arg::Long("every") => a.every = cli::number::<usize>(&mut parser, "--every")?.max(1),
            Arg::Long("threads") => {
                a.threads = cli::number::<usize>(&mut parser, "--threads")?.max(1)
            }
            Arg::Long("rounds") => a.rounds = cli::number(&mut parser, "--rounds")?,
            Arg::Long("tune-stride") => {
                a.tune_stride = cli::number::<usize>(&mut parser, "--tune-stride")?.max(1)
            }
            Arg::Long("min-baskets") => {
                a.min_baskets = cli::number::<usize>(&mut parser, "--min-baskets")?.max(2)
            }
            other => return Err(cli::unexpected(other)),
        }
    }
    if a.purchases.is_empty() {
        return Err("--purchases is required".into());
    }
    Ok(Parsed::Run(a))
}

fn row(name: &str, s: &Scores) -> String {
    format!(
        "| {name} | {:.4} | {:.4} | {:.4} | {:.4} |",
        s.recall10, s.ndcg10, s.recall20, s.ndcg20
    )
}

fn main() -> ExitCode {
    cli::exit("goods-ranker-evaluate", parse().and_then(run))
}

fn run(parsed: Parsed<Args>) -> Result<(), String> {
    let Parsed::Run(args) = parsed else {
        return Ok(());
    };
    let started = Instant::now();
    let file = File::open(&args.purchases).map_err(|e| format!("{}: {e}", args.purchases))?;
    let mut log = Log::read_purchases(std::io::BufReader::new(file)).map_err(|e| e.to_string())?;
    if let Some(path) = &args.users {
        let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
        log.read_users(std::io::BufReader::new(file))
            .map_err(|e| e.to_string())?;
    }
    let mut baskets = enrich::baskets(&log);
    if args.every > 1 {
        baskets.retain(|b| (b.user as usize) % args.every == 0);
    }
    let store = StoreSpec {
        id: "store".into(),
        name: "store".into(),
        lat: args.store.0,
        lng: args.store.1,
    };
    let options = EnrichOptions::default();
    let threads = args.threads;
    let mut out = Vec::new();
    out.push(format!(
        "Purchase log: {}. User attributes: {}.",
        log.report.summary(),
        if args.users.is_some() {
            log.users_report.summary()
        } else {
            "none".into()
        }
    ));
    if !log.report.examples.is_empty() {
        let ex: Vec<String> = log
            .report
            .examples
            .iter()
            .take(3)
            .map(|(l, r)| format!("line {l}: {r}"))
            .collect();
        out.push(format!("First malformed lines: {}.", ex.join("; ")));
    }

    // Validation: tune the engine's weights on each user's second-to-last basket.
    let val = protocol::split(&baskets, args.min_baskets, Holdout::Validation);
    let val_run = EngineRun::new(&log, &val, &options, &store).map_err(|e| e.to_string())?;
    let t = Instant::now();
    let (tuned, notes) = eval::tune(
        &val_run,
        Weights::default(),
        args.tune_stride,
        threads,
        args.rounds,
    );
    let tune_secs = t.elapsed().as_secs_f64();
    drop(val_run);

    // Test: each user's last basket.
    let test = protocol::split(&baskets, args.min_baskets, Holdout::Test);
    out.push(format!(
        "Baskets: {} ({} users with ≥ {} baskets evaluated; {} training baskets; {} items).",
        baskets.len(),
        test.targets.len(),
        args.min_baskets,
        test.train.len(),
        log.items.len()
    ));
    let run = EngineRun::new(&log, &test, &options, &store).map_err(|e| e.to_string())?;
    let n_items = log.items.len();
    let targets: Vec<&protocol::Target> = test.targets.iter().collect();
    let global = Global::new(&test.train, n_items);
    let history = |t: &protocol::Target| &test.train[t.history.0..t.history.1];
    let mut rows = Vec::new();
    rows.push(row(
        "G-TopFreq",
        &eval::par_scores(&targets, threads, |_| {
            global.ranked.iter().take(20).copied().collect()
        }),
    ));
    rows.push(row(
        "P-TopFreq (ties by item)",
        &eval::par_scores(&targets, threads, |t| {
            baselines::p_topfreq(history(t), None)
        }),
    ));
    rows.push(row(
        "P-TopFreq (ties by global popularity)",
        &eval::par_scores(&targets, threads, |t| {
            baselines::p_topfreq(history(t), Some(&global))
        }),
    ));
    rows.push(row(
        "GP-TopFreq (ties by item)",
        &eval::par_scores(&targets, threads, |t| {
            baselines::gp_topfreq(history(t), &global, false, 20)
        }),
    ));
    rows.push(row(
        "GP-TopFreq (ties by global popularity)",
        &eval::par_scores(&targets, threads, |t| {
            baselines::gp_topfreq(history(t), &global, true, 20)
        }),
    ));
    let t = Instant::now();
    let params = TifuParams::default();
    // The neighbour pool: every user's training vector.
    let mut pool = Vec::new();
    let mut pool_of_user = std::collections::HashMap::new();
    for group in test.train.chunk_by(|a, b| a.user == b.user) {
        pool_of_user.insert(group[0].user, pool.len() as u32);
        pool.push(baselines::tifu_vector(group, &params));
    }
    let tifu = Tifu::new(pool, n_items, params);
    let tifu_scores = eval::par_scores_with(&targets, threads, Vec::new, |scratch, t| {
        let v = baselines::tifu_vector(history(t), &params);
        tifu.recommend(&v, pool_of_user.get(&t.user).copied(), 20, scratch)
    });
    let tifu_secs = t.elapsed().as_secs_f64();
    rows.push(row(
        &format!(
            "TIFU-KNN (k {}, m {}, r_b {}, r_g {}, α {})",
            params.k, params.group_size, params.r_b, params.r_g, params.alpha
        ),
        &tifu_scores,
    ));
    let t = Instant::now();
    let engine_default = run.score(Uses::default(), &Weights::default(), 1, threads);
    rows.push(row("goods-ranker, default weights", &engine_default));
    let engine = run.score(Uses::default(), &tuned, 1, threads);
    rows.push(row("**goods-ranker, tuned weights**", &engine));
    let engine_secs = t.elapsed().as_secs_f64();
    let mut ablation = Vec::new();
    ablation.push(row("goods-ranker, tuned weights (all signals)", &engine));
    let off = |f: fn(&mut Uses)| {
        let mut u = Uses::default();
        f(&mut u);
        u
    };
    ablation.push(row(
        "without location (no area popularity, no proximity)",
        &run.score(off(|u| u.location = false), &tuned, 1, threads),
    ));
    ablation.push(row(
        "without age (no age lift)",
        &run.score(off(|u| u.age = false), &tuned, 1, threads),
    ));
    ablation.push(row(
        "without history (cold profile: location and age only)",
        &run.score(off(|u| u.history = false), &tuned, 1, threads),
    ));
    let mut no_embed = tuned;
    no_embed.0[Feature::Embedding as usize] = 0.0;
    ablation.push(row(
        "without embeddings (embedding weight 0)",
        &run.score(Uses::default(), &no_embed, 1, threads),
    ));

    let header = "| method | recall@10 | NDCG@10 | recall@20 | NDCG@20 |\n|---|---|---|---|---|";
    println!("## Results\n");
    for line in &out {
        println!("{line}\n");
    }
    println!("{header}\n{}\n", rows.join("\n"));
    println!(
        "### Ablation (test split, tuned weights)\n\n{header}\n{}\n",
        ablation.join("\n")
    );
    println!(
        "### Tuned weights (validation split)\n\n`{}`\n",
        eval::describe_weights(&tuned)
    );
    println!(
        "Tuning steps (validation, every {}th user):\n",
        args.tune_stride
    );
    for n in &notes {
        println!("- {n}");
    }
    println!(
        "\nRuntime: {:.0} s in all ({} threads): tuning {:.0} s, TIFU-KNN {:.1} s, engine (2 runs) {:.1} s.",
        started.elapsed().as_secs_f64(),
        threads,
        tune_secs,
        tifu_secs,
        engine_secs
    );
    Ok(())
}
