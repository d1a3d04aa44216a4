//! Native side of the benchmark command (`scripts/bench.sh`): the same `Engine::rank`
//! code path the wasm builds run, compiled for the host, timed with
//! `std::time::Instant` (warm-up, then many repetitions; median and p95), plus the
//! memory-bandwidth floor, JSON load time, heap bytes per offer and µs per profile
//! event. Prints one JSON document on stdout; progress goes to stderr.
//!
//! ```sh
//! cargo bench --bench native                       # all sizes
//! cargo bench --bench native -- --sizes 1000,10000 # some sizes
//! cargo bench --bench native -- --dump-rankings out.json
//! ```
//!
//! `--dump-rankings <file>` writes the native top-20 for the sample catalogs, sample
//! users and a few option sets instead of timing anything; the JS equivalence tests
//! (`tests/bench/`) compare the plain-JS reference and both wasm builds against it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::{Duration, Instant};

use goods_ranker::sample::{sample_catalog, sample_users, SampleOptions};
use goods_ranker::{Engine, EngineOptions, EventInput, EventType, Profile, RankOptions};
use serde_json::{json, Value};

/// Counts live heap bytes, to measure what an engine holds per offer.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is forwarded to the system allocator unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// 2025-11-25 10:00 Beijing time, the fixed "now" of the sample feed.
const NOW_MS: f64 = 1_764_036_000_000.0;
/// The user every timed ranking is for: location, age, income, a purchase history
/// (so item/category affinities, repurchase cycles and the user vector are all live).
const BENCH_USER: &str = "office-worker";
const SEED: u64 = 7;

/// Bytes the scoring loop reads per offer, column by column (src/rank/): store and
/// category u32, ln_price, discount, ln_popularity, repurchase_days, boost f32, stock
/// u32, starts_at and ends_at f64, age_min, age_max, min_age, income_mask u8; plus
/// the f32 embedding row. Keep in step with the columns the hot loop touches.
fn scorer_bytes_per_offer(dim: usize) -> usize {
    4 + 4 + 4 * 5 + 4 + 8 + 8 + 4 + 4 * dim
}

struct Stats {
    median_ms: f64,
    p95_ms: f64,
    mean_ms: f64,
    reps: usize,
}

impl Stats {
    fn json(&self) -> Value {
        json!({ "medianMs": self.median_ms, "p95Ms": self.p95_ms, "meanMs": self.mean_ms, "reps": self.reps })
    }
}

/// Times `f`: warm-up for `warm`, then repetitions until `budget` is spent (at least
/// `min_reps`, at most `max_reps`).
fn time<T>(
    warm: Duration,
    budget: Duration,
    min_reps: usize,
    max_reps: usize,
    mut f: impl FnMut() -> T,
) -> Stats {
    let start = Instant::now();
    let mut warm_calls = 0;
    while warm_calls < 3 || start.elapsed() < warm {
        black_box(f());
        warm_calls += 1;
    }
    let mut samples = Vec::new();
    let start = Instant::now();
    while samples.len() < min_reps || (samples.len() < max_reps && start.elapsed() < budget) {
        let t = Instant::now();
        black_box(f());
        samples.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let mean_ms = samples.iter().sum::<f64>() / samples.len() as f64;
    samples.sort_by(f64::total_cmp);
    let at =
        |q: f64| samples[((q * samples.len() as f64).ceil() as usize).clamp(1, samples.len()) - 1];
    Stats {
        median_ms: at(0.5),
        p95_ms: at(0.95),
        mean_ms,
        reps: samples.len(),
    }
}

/// One pass over `words`: the memory-bandwidth floor for that many bytes.
fn read_pass(words: &[u64]) -> u64 {
    let mut acc = [0u64; 8];
    let chunks = words.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for k in 0..8 {
            acc[k] = acc[k].wrapping_add(c[k]);
        }
    }
    acc.iter().chain(rest).fold(0, |a, b| a.wrapping_add(*b))
}

fn bench_options() -> RankOptions {
    RankOptions {
        now: Some(NOW_MS),
        limit: Some(20),
        ..Default::default()
    }
}

fn bench_case(offers: usize, dim: usize) -> Value {
    eprintln!("[native] {offers} offers, {dim}-d embeddings");
    let input = sample_catalog(&SampleOptions {
        offers,
        embedding_dim: dim,
        seed: SEED,
    });
    let users = sample_users(&input, NOW_MS);
    let user = users.iter().find(|u| u.id == BENCH_USER).map(|u| &u.user);
    let profile = user
        .map(Profile::from_user)
        .transpose()
        .ok()
        .flatten()
        .unwrap_or_default();
    let string_bytes: usize = input
        .offers
        .iter()
        .map(|o| o.id.len() + o.title.len())
        .sum();
    let json_text = serde_json::to_string(&input).unwrap_or_default();

    // Heap bytes the engine holds (the input is consumed and freed while building).
    let engine = match Engine::new(input, &EngineOptions::default()) {
        Ok(e) => e,
        Err(e) => return json!({ "offers": offers, "dim": dim, "error": e.to_string() }),
    };
    let input_freed = LIVE.load(Ordering::Relaxed);
    drop(engine);
    let after_drop = LIVE.load(Ordering::Relaxed);
    let engine_bytes = (input_freed - after_drop).max(0) as f64;
    let engine = match Engine::from_json(&json_text, &EngineOptions::default()) {
        Ok(e) => e,
        Err(e) => return json!({ "offers": offers, "dim": dim, "error": e.to_string() }),
    };

    let options = bench_options();
    let rank = time(
        Duration::from_millis(300),
        Duration::from_millis(1500),
        30,
        2000,
        || engine.rank(&profile, &options, NOW_MS),
    );
    let top: Vec<String> = engine
        .rank(&profile, &options, NOW_MS)
        .map(|feed| feed.into_iter().map(|o| o.offer_id).collect())
        .unwrap_or_default();

    let floor_bytes = offers * scorer_bytes_per_offer(dim);
    let words = vec![1u64; floor_bytes.div_ceil(8)];
    let floor = time(
        Duration::from_millis(100),
        Duration::from_millis(500),
        30,
        2000,
        || read_pass(black_box(&words)),
    );
    drop(words);

    let reps = if offers >= 100_000 { 3 } else { 7 };
    let load_json = time(Duration::ZERO, Duration::ZERO, reps, reps, || {
        Engine::from_json(black_box(&json_text), &EngineOptions::default()).is_ok()
    });

    json!({
        "offers": offers,
        "dim": dim,
        "rank": rank.json(),
        "top": top,
        "floor": floor.json(),
        "floorBytes": floor_bytes,
        "loadJson": load_json.json(),
        "bytesPerOffer": engine_bytes / offers as f64,
        "bytesPerOfferWithoutStrings": (engine_bytes - string_bytes as f64) / offers as f64,
    })
}

/// µs per `Profile::record` on a profile with a history, over a stream of clicks,
/// carts and purchases on 300 offers.
fn bench_events() -> Value {
    let input = sample_catalog(&SampleOptions {
        offers: 1000,
        embedding_dim: 0,
        seed: SEED,
    });
    let users = sample_users(&input, NOW_MS);
    let base = users
        .iter()
        .find(|u| u.id == BENCH_USER)
        .and_then(|u| Profile::from_user(&u.user).ok())
        .unwrap_or_default();
    let events: Vec<EventInput> = (0..1000)
        .map(|i| {
            let o = &input.offers[(i * 7) % 300];
            EventInput {
                kind: [EventType::Click, EventType::Cart, EventType::Purchase][i % 3],
                offer_id: o.id.clone(),
                at: NOW_MS + i as f64 * 60_000.0,
                category: Some(o.category.clone()),
                price: Some(o.price),
                quantity: None,
            }
        })
        .collect();
    let stats = time(
        Duration::from_millis(200),
        Duration::from_millis(800),
        20,
        500,
        || {
            let mut p = base.clone();
            for e in &events {
                let _ = p.record(e);
            }
            p.event_count()
        },
    );
    let per = events.len() as f64;
    json!({ "eventsPerBatch": events.len(), "medianUs": stats.median_ms * 1e3 / per, "p95Us": stats.p95_ms * 1e3 / per })
}

/// The option sets the equivalence tests compare, as JSON (the JS side passes the
/// same objects to the engine and to the plain-JS reference).
fn dump_variants() -> Vec<Value> {
    vec![
        json!({ "now": NOW_MS, "limit": 20 }),
        json!({ "now": NOW_MS, "limit": 20, "proximity": { "function": "exp" } }),
        json!({ "now": NOW_MS, "limit": 20,
                "proximity": { "function": "linear", "offsetKm": 0.5, "scaleKm": 3.0, "decay": 0.4 },
                "weights": { "embedding": 3.0, "repurchase": 0.5, "popularity": 0.0 } }),
        json!({ "now": NOW_MS + 3.0 * 86_400_000.0, "limit": 20, "allowUnknownAge": true,
                "location": { "lat": 39.9869, "lng": 116.4701, "datum": "gcj02" },
                "exclude": ["o00001", "o00002"] }),
    ]
}

fn dump_rankings(path: &str) -> Result<(), String> {
    let catalogs = [(400usize, 16usize, 7u64), (2000, 0, 7), (10_000, 32, 11)];
    let mut cases = Vec::new();
    for (offers, dim, seed) in catalogs {
        let input = sample_catalog(&SampleOptions {
            offers,
            embedding_dim: dim,
            seed,
        });
        let users = sample_users(&input, NOW_MS);
        let engine = Engine::new(input, &EngineOptions::default()).map_err(|e| e.to_string())?;
        for user in &users {
            let profile = Profile::from_user(&user.user).map_err(|e| e.to_string())?;
            for options in dump_variants() {
                let parsed: RankOptions =
                    goods_ranker::contract::input::from_json(&options.to_string(), "options")
                        .map_err(|e| e.to_string())?;
                let feed = engine
                    .rank(&profile, &parsed, NOW_MS)
                    .map_err(|e| e.to_string())?;
                let top: Vec<Value> = feed
                    .iter()
                    .map(|o| {
                        json!({ "offerId": o.offer_id, "score": o.score,
                                "reasons": o.reasons.iter().map(|r| serde_json::to_value(&r.kind).unwrap_or(Value::Null)).collect::<Vec<_>>() })
                    })
                    .collect();
                cases.push(json!({
                    "catalog": { "offers": offers, "embeddingDim": dim, "seed": seed },
                    "user": user.id,
                    "options": options,
                    "top": top,
                }));
            }
        }
    }
    let doc = json!({ "now": NOW_MS, "cases": cases });
    std::fs::write(path, doc.to_string()).map_err(|e| format!("{path}: {e}"))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    if let Some(path) = value("--dump-rankings") {
        if let Err(e) = dump_rankings(&path) {
            eprintln!("dump-rankings: {e}");
            std::process::exit(1);
        }
        return;
    }
    let sizes: Vec<usize> = value("--sizes")
        .unwrap_or_else(|| "1000,10000,100000".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let dims = [0usize, 32];
    let mut cases = Vec::new();
    for &n in &sizes {
        for &d in &dims {
            cases.push(bench_case(n, d));
        }
    }
    let doc = json!({
        "harness": "native",
        "user": BENCH_USER,
        "now": NOW_MS,
        "cases": cases,
        "events": bench_events(),
    });
    println!("{doc}");
}
