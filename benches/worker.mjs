// One side of the Node benchmark, run in its own process by benches/bench.mjs (one
// glue instance holds one wasm module, and separate processes keep JIT and GC state
// apart):
//
//   node benches/worker.mjs --impl scalar|simd|plain [--sizes 1000,10000,100000]
//   node benches/worker.mjs --impl scalar|simd --init        # compile + instantiate, fresh process
//   node benches/worker.mjs --impl scalar|simd --memory 100000
//
// Prints one JSON document on stdout; progress goes to stderr.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { measure, NOW, BENCH_USER, SEED } from './timing.mjs';
import * as plain from './plain-ranker.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? true) : fallback;
};
const impl = opt('impl', 'scalar');
const sizes = String(opt('sizes', '1000,10000,100000')).split(',').map(Number);
const DIMS = [0, 32];
// BENCH_PKG: a snapshot of pkg/ taken by scripts/bench.sh, so a rebuild of pkg/ during
// the run cannot pull files from under the workers.
const pkgDir = process.env.BENCH_PKG ?? fileURLToPath(new URL('../pkg', import.meta.url));
const pkg = (p) => join(pkgDir, p);
const pkgUrl = (p, query = '') => `${pathToFileURL(pkg(p)).href}${query}`;
export const WASM_FILES = { scalar: 'goods_ranker_bg.wasm', simd: 'goods_ranker_simd_bg.wasm' };

/** Loads the engine glue with the chosen build; returns the glue, its exports and timings. */
async function loadEngine(build) {
  const bytes = readFileSync(pkg(WASM_FILES[build]));
  const glue = await import(pkgUrl('goods_ranker.js'));
  const t0 = performance.now();
  const module = new WebAssembly.Module(bytes);
  const t1 = performance.now();
  const exports = glue.initSync({ module });
  const t2 = performance.now();
  return { glue, exports, compileMs: t1 - t0, instantiateMs: t2 - t1, initMs: t2 - t0 };
}

const out = (doc) => process.stdout.write(`${JSON.stringify(doc)}\n`);
const log = (msg) => process.stderr.write(`[${impl}] ${msg}\n`);

if (opt('init', false)) {
  const { compileMs, instantiateMs, initMs } = await loadEngine(impl);
  out({ impl, compileMs, instantiateMs, initMs });
  process.exit(0);
}

const { sampleCatalog, sampleUsers } = await import(pkgUrl('sample/node.js'));

if (opt('memory', false)) {
  // Growth of the engine's linear memory while it loads an n-offer catalog without
  // embeddings from the binary form (or from the object when there is no binary
  // form). Memory grows in 64 KB pages and includes the transient copy of the input,
  // so this is an upper bound on what the engine keeps.
  const n = Number(opt('memory', 100000));
  const catalog = sampleCatalog({ offers: n, embeddingDim: 0, seed: SEED });
  const { glue, exports } = await loadEngine(impl);
  const hasBinary = typeof glue.Engine.fromBinary === 'function' && typeof glue.catalogToBinary === 'function';
  // Encode with a second instance of the glue, so the measured instance's memory
  // holds nothing but what loading needs.
  let input = JSON.stringify(catalog);
  if (hasBinary) {
    const encoder = await import(pkgUrl('goods_ranker.js', '?encoder'));
    encoder.initSync({ module: readFileSync(pkg(WASM_FILES[impl])) });
    input = encoder.catalogToBinary(catalog);
  }
  const before = exports.memory.buffer.byteLength;
  const engine = hasBinary ? glue.Engine.fromBinary(input) : glue.Engine.fromCatalog(input);
  const after = exports.memory.buffer.byteLength;
  const strings = catalog.offers.reduce((a, o) => a + Buffer.byteLength(o.id) + Buffer.byteLength(o.title), 0);
  out({ impl, offers: engine.offerCount, from: hasBinary ? 'binary' : 'json', growthBytes: after - before, bytesPerOffer: (after - before) / n, stringBytesPerOffer: strings / n });
  process.exit(0);
}

const reps = (n) => (n >= 100000 ? 3 : 7);
const loadStats = (n, fn, free) => measure(fn, { warmMs: 0, budgetMs: 0, minReps: reps(n), maxReps: reps(n), after: free });
const rankTiming = { warmMs: 300, budgetMs: 1500, minReps: 30, maxReps: 2000 };

const cases = [];
let events = null;
let init = null;

if (impl === 'plain') {
  for (const n of sizes) {
    for (const d of DIMS) {
      log(`${n} offers, ${d}-d embeddings`);
      const catalog = sampleCatalog({ offers: n, embeddingDim: d, seed: SEED });
      const user = sampleUsers(catalog, NOW).find((u) => u.id === BENCH_USER).user;
      const json = JSON.stringify(catalog);
      const loadJson = loadStats(n, () => plain.buildCatalog(json));
      const loadObject = loadStats(n, () => plain.buildCatalog(catalog));
      const cat = plain.buildCatalog(catalog);
      const profile = plain.profileFromUser(user);
      const options = { now: NOW, limit: 20 };
      const rank = measure(() => plain.rank(cat, profile, options), rankTiming);
      const top = plain.rank(cat, profile, options).map((o) => o.offerId);
      cases.push({ offers: n, dim: d, rank, top, loadJson, loadObject, loadBinary: null });
    }
  }
  // Profile events: clicks, carts and purchases on 300 offers.
  const catalog = sampleCatalog({ offers: 1000, embeddingDim: 0, seed: SEED });
  const user = sampleUsers(catalog, NOW).find((u) => u.id === BENCH_USER).user;
  const evs = Array.from({ length: 1000 }, (_, i) => {
    const o = catalog.offers[(i * 7) % 300];
    return { type: ['click', 'cart', 'purchase'][i % 3], offerId: o.id, at: NOW + i * 60000, category: o.category, price: o.price };
  });
  let p = plain.profileFromUser(user);
  const stats = measure(() => { for (const e of evs) plain.recordEvent(p, e); }, {
    warmMs: 200, budgetMs: 800, minReps: 20, maxReps: 500,
    after: () => { p = plain.profileFromUser(user); },
  });
  events = { eventsPerBatch: evs.length, medianUs: (stats.medianMs * 1e3) / evs.length, p95Us: (stats.p95Ms * 1e3) / evs.length };
} else {
  const loaded = await loadEngine(impl);
  const { Engine, Profile, catalogToBinary } = loaded.glue;
  init = { compileMs: loaded.compileMs, instantiateMs: loaded.instantiateMs, initMs: loaded.initMs };
  const hasBinary = typeof Engine.fromBinary === 'function' && typeof catalogToBinary === 'function';
  for (const n of sizes) {
    for (const d of DIMS) {
      log(`${n} offers, ${d}-d embeddings`);
      const catalog = sampleCatalog({ offers: n, embeddingDim: d, seed: SEED });
      const user = sampleUsers(catalog, NOW).find((u) => u.id === BENCH_USER).user;
      const json = JSON.stringify(catalog);
      const free = (e) => e.free();
      const loadJson = loadStats(n, () => Engine.fromCatalog(json), free);
      const loadObject = loadStats(n, () => Engine.fromCatalog(catalog), free);
      let loadBinary = null;
      let binaryBytes = null;
      if (hasBinary) {
        const bytes = catalogToBinary(catalog);
        binaryBytes = bytes.length;
        loadBinary = loadStats(n, () => Engine.fromBinary(bytes), free);
      }
      const engine = Engine.fromCatalog(json);
      const profile = Profile.fromUser(user);
      const options = { now: NOW, limit: 20 };
      const rank = measure(() => engine.rank(profile, options), rankTiming);
      const top = engine.rank(profile, options).map((o) => o.offerId);
      cases.push({ offers: n, dim: d, rank, top, loadJson, loadObject, loadBinary, binaryBytes, jsonBytes: Buffer.byteLength(json) });
      profile.free();
      engine.free();
    }
  }
  const catalog = sampleCatalog({ offers: 1000, embeddingDim: 0, seed: SEED });
  const user = sampleUsers(catalog, NOW).find((u) => u.id === BENCH_USER).user;
  const evs = Array.from({ length: 1000 }, (_, i) => {
    const o = catalog.offers[(i * 7) % 300];
    return { type: ['click', 'cart', 'purchase'][i % 3], offerId: o.id, at: NOW + i * 60000, category: o.category, price: o.price };
  });
  const saved = Profile.fromUser(user).toBytes();
  let p = Profile.load(saved);
  const stats = measure(() => { for (const e of evs) p.record(e); }, {
    warmMs: 200, budgetMs: 800, minReps: 20, maxReps: 500,
    after: () => { p.free(); p = Profile.load(saved); },
  });
  events = { eventsPerBatch: evs.length, medianUs: (stats.medianMs * 1e3) / evs.length, p95Us: (stats.p95Ms * 1e3) / evs.length };
}

out({ impl, node: process.version, init, cases, events });
