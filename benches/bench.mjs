// The side-by-side benchmark: runs the Node workers (wasm scalar, wasm SIMD, plain
// JS) one after the other in fresh processes, merges the native harness's results,
// checks that every implementation returns the native top-20, prints ONE table with
// the ratios and the SPEC targets, and writes everything as JSON.
//
//   node benches/bench.mjs --native results/native.json --out results/bench-<ts>.json
//
// Run it through `bash scripts/bench.sh`, which builds what is needed first.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const root = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const sizes = opt('sizes', '1000,10000,100000');
const outFile = opt('out', `${root}results/bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const pkgDir = process.env.BENCH_PKG ?? `${root}pkg`;
const WASM = { scalar: `${pkgDir}/goods_ranker_bg.wasm`, simd: `${pkgDir}/goods_ranker_simd_bg.wasm` };
const INIT_RUNS = 7;

function run(argv) {
  const r = spawnSync(process.execPath, [worker, ...argv], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`[bench] worker ${argv.join(' ')} failed (exit ${r.status})\n`);
    return null;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.ceil(s.length / 2) - 1] : null;
};

// ---- collect ------------------------------------------------------------------
const nativeFile = opt('native');
const native = nativeFile && existsSync(nativeFile) ? JSON.parse(readFileSync(nativeFile, 'utf8')) : null;
if (!native) process.stderr.write('[bench] no native results: native columns print n/a\n');

const builds = Object.keys(WASM).filter((b) => existsSync(WASM[b]));
const impls = {};
for (const b of builds) impls[b] = run(['--impl', b, '--sizes', sizes]);
impls.plain = run(['--impl', 'plain', '--sizes', sizes]);

const init = {};
const memory = {};
const wasmSize = {};
for (const b of builds) {
  const runs = Array.from({ length: INIT_RUNS }, () => run(['--impl', b, '--init'])).filter(Boolean);
  init[b] = { medianMs: median(runs.map((r) => r.initMs)), p95Ms: Math.max(...runs.map((r) => r.initMs)), compileMs: median(runs.map((r) => r.compileMs)), instantiateMs: median(runs.map((r) => r.instantiateMs)), runs: runs.length };
  memory[b] = run(['--impl', b, '--memory', '100000']);
  const bytes = readFileSync(WASM[b]);
  wasmSize[b] = {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

// ---- agreement: every implementation's top-20 against native's ------------------
const caseKey = (c) => `${c.offers}/${c.dim}`;
const byKey = (doc) => new Map((doc?.cases ?? []).map((c) => [caseKey(c), c]));
const tables = { native: byKey(native), scalar: byKey(impls.scalar), simd: byKey(impls.simd), plain: byKey(impls.plain) };
const keys = [...tables.plain.keys()];
const agreement = {};
for (const k of keys) {
  const ref = tables.native.get(k)?.top ?? tables.scalar.get(k)?.top;
  agreement[k] = {};
  for (const name of ['scalar', 'simd', 'plain']) {
    const top = tables[name].get(k)?.top;
    agreement[k][name] = top && ref ? JSON.stringify(top) === JSON.stringify(ref) : null;
  }
  agreement[k].reference = tables.native.get(k) ? 'native' : 'scalar';
}

// ---- table ----------------------------------------------------------------------
const f = (x, digits = 3) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toFixed(digits));
const t = (s, digits = 3) => (s ? `${f(s.medianMs, digits)} / ${f(s.p95Ms, digits)}` : 'n/a');
const ratio = (a, b) => (a && b ? a / b : null);
const kb = (n) => (n ? `${(n / 1024).toFixed(1)} KB` : 'n/a');
const label = (k) => {
  const [n, d] = k.split('/').map(Number);
  return `${n >= 1000 ? `${n / 1000}k` : n} offers${d ? `, ${d}-d emb` : ''}`;
};
const verdict = (ok) => (ok === null ? '?' : ok ? 'met' : 'MISSED');
const rows = [];
const targets = [];
const target = (what, value, limit, ok) => targets.push({ what, value, limit, ok });

for (const k of keys) {
  const [n, d] = k.split('/').map(Number);
  const nat = tables.native.get(k);
  const sc = tables.scalar.get(k);
  const si = tables.simd.get(k);
  const pl = tables.plain.get(k);
  const best = si ?? sc;
  const floorMs = nat?.floor?.medianMs ?? null;
  const w = best?.rank.medianMs;
  const agree = ['scalar', 'simd', 'plain'].map((x) => (agreement[k][x] === null ? '-' : agreement[k][x] ? '✓' : '✗')).join('');
  const notes = [];
  if (n === 10000) {
    const ok = w <= 0.25;
    target(`rank ${label(k)}, Node wasm`, `${f(w)} ms`, '≤ 0.25 ms', ok);
    notes.push(`≤0.25 ms ${verdict(ok)}`);
  }
  if (n === 100000) {
    const jsOk = ratio(pl?.rank.medianMs, w) >= 2;
    target(`plain JS ÷ wasm, ${label(k)}`, `${f(ratio(pl?.rank.medianMs, w), 2)}×`, '≥ 2×', jsOk);
    notes.push(`JS≥2× ${verdict(jsOk)}`);
    if (d === 32) {
      const okMs = w <= 2.5;
      const okNat = ratio(w, nat?.rank.medianMs) <= 1.5;
      const okFloor = ratio(w, floorMs) <= 3;
      target(`rank ${label(k)}, Node wasm`, `${f(w)} ms`, '≤ 2.5 ms', okMs);
      target(`wasm ÷ native, ${label(k)}`, `${f(ratio(w, nat?.rank.medianMs), 2)}×`, '≤ 1.5×', nat ? okNat : null);
      target(`wasm ÷ floor, ${label(k)}`, `${f(ratio(w, floorMs), 2)}×`, '≤ 3×', nat ? okFloor : null);
      notes.push(`≤2.5 ms ${verdict(okMs)}`, `÷native≤1.5 ${verdict(nat ? okNat : null)}`, `÷floor≤3 ${verdict(nat ? okFloor : null)}`);
    }
  }
  const pair = (fn) => `${f(fn(sc), 2)} / ${f(fn(si), 2)}`;
  rows.push([
    `rank top-20 ${label(k)}`, t(nat?.rank), t(sc?.rank), t(si?.rank), t(pl?.rank), f(floorMs, 4),
    pair((x) => ratio(x?.rank.medianMs, nat?.rank.medianMs)),
    pair((x) => ratio(x?.rank.medianMs, pl?.rank.medianMs)),
    pair((x) => ratio(x?.rank.medianMs, floorMs)),
    agree, notes.join(', '),
  ]);
}
const big = keys.filter((k) => k.startsWith('100000/')).length ? '100000' : keys.at(-1)?.split('/')[0];
for (const d of [0, 32]) {
  const k = `${big}/${d}`;
  if (!tables.plain.has(k)) continue;
  const get = (name, field) => tables[name].get(k)?.[field];
  rows.push([`load from JSON text, ${label(k)}`, t(get('native', 'loadJson'), 1), t(get('scalar', 'loadJson'), 1), t(get('simd', 'loadJson'), 1), t(get('plain', 'loadJson'), 1), '', '', '', '', '', '']);
  rows.push([`load from JS object, ${label(k)}`, '', t(get('scalar', 'loadObject'), 1), t(get('simd', 'loadObject'), 1), t(get('plain', 'loadObject'), 1), '', '', '', '', '', '']);
  const bin = get('simd', 'loadBinary') ?? get('scalar', 'loadBinary');
  const binOk = bin ? bin.medianMs <= 30 : null;
  if (Number(big) === 100000) target(`load binary catalog, ${label(k)}`, bin ? `${f(bin.medianMs, 1)} ms` : 'n/a', '≤ 30 ms', binOk);
  rows.push([`load from binary, ${label(k)}`, '', t(get('scalar', 'loadBinary'), 1), t(get('simd', 'loadBinary'), 1), '', '', '', '', '', '', Number(big) === 100000 ? `≤30 ms ${verdict(binOk)}` : '']);
}
const initOk = builds.length ? builds.every((b) => init[b].medianMs <= 30) : null;
for (const b of builds) target(`init (compile + instantiate), ${b}`, `${f(init[b].medianMs, 1)} ms`, '≤ 30 ms', init[b].medianMs <= 30);
rows.push([`init: compile + instantiate (${INIT_RUNS} fresh processes)`, '', t(init.scalar, 1), t(init.simd, 1), '', '', '', '', '', '', `≤30 ms ${verdict(initOk)}`]);
const sizeCell = (b) => (wasmSize[b] ? `${kb(wasmSize[b].raw)} / ${kb(wasmSize[b].gzip)} / ${kb(wasmSize[b].brotli)}` : 'n/a');
const rawOk = builds.length ? builds.every((b) => wasmSize[b].raw <= 250 * 1024) : null;
const brOk = builds.length ? builds.every((b) => wasmSize[b].brotli <= 90 * 1024) : null;
for (const b of builds) {
  target(`.wasm raw, ${b}`, kb(wasmSize[b].raw), '≤ 250 KB', wasmSize[b].raw <= 250 * 1024);
  target(`.wasm brotli, ${b}`, kb(wasmSize[b].brotli), '≤ 90 KB', wasmSize[b].brotli <= 90 * 1024);
}
rows.push(['.wasm size raw / gzip / brotli', '', sizeCell('scalar'), sizeCell('simd'), '', '', '', '', '', '', `raw≤250 KB ${verdict(rawOk)}, br≤90 KB ${verdict(brOk)}`]);
const nat100 = tables.native.get(`${big}/0`);
const memCell = (b) => (memory[b] ? `≤ ${f(memory[b].bytesPerOffer, 0)} (strings ${f(memory[b].stringBytesPerOffer, 0)})` : 'n/a');
const memOk = nat100 ? nat100.bytesPerOfferWithoutStrings <= 96 : null;
target('bytes per offer without embedding, minus string bytes (native heap count)', nat100 ? `${f(nat100.bytesPerOfferWithoutStrings, 0)} B` : 'n/a', '≤ 96 B', memOk);
rows.push([`bytes/offer, ${label(`${big}/0`)} (total; excl. strings)`, nat100 ? `${f(nat100.bytesPerOffer, 0)}; ${f(nat100.bytesPerOfferWithoutStrings, 0)}` : 'n/a', memCell('scalar'), memCell('simd'), '', '', '', '', '', '', `≤96 B+strings ${verdict(memOk)}`]);
const ev = (doc) => (doc?.events ? `${f(doc.events.medianUs, 2)} / ${f(doc.events.p95Us, 2)}` : 'n/a');
const evWasm = (impls.simd ?? impls.scalar)?.events?.medianUs;
target('µs per profile event, Node wasm', `${f(evWasm, 2)} µs`, '≤ 5 µs', evWasm === undefined ? null : evWasm <= 5);
rows.push(['µs per profile event (median / p95)', ev(native), ev(impls.scalar), ev(impls.simd), ev(impls.plain), '', '', '', '', '', `≤5 µs ${verdict(evWasm === undefined ? null : evWasm <= 5)}`]);

const header = ['what (ms: median / p95)', 'native', 'wasm scalar', 'wasm SIMD', 'plain JS', 'floor ms', 'wasm÷native s/v', 'wasm÷JS s/v', 'wasm÷floor s/v', 'top-20 = native (s,v,js)', 'SPEC target'];
const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => String(r[j]).length)));
const line = (r) => `| ${r.map((c, j) => String(c).padEnd(widths[j])).join(' | ')} |`;
const table = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: +(totalmem() / 2 ** 30).toFixed(1),
  node: process.version, rustc: opt('rustc') ?? null, date: new Date().toISOString(),
};
console.log(`\ngoods-ranker benchmark — ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}${machine.rustc ? `, ${machine.rustc}` : ''}`);
console.log(`user "${native?.user ?? 'office-worker'}", top-20 with reasons; s/v = wasm scalar / wasm SIMD; floor = one native pass over the bytes the scorer reads\n`);
console.log(table);
const missed = targets.filter((x) => x.ok === false);
console.log(`\ntargets: ${targets.filter((x) => x.ok).length} met, ${missed.length} missed, ${targets.filter((x) => x.ok === null).length} not measured`);
for (const m of missed) console.log(`  MISSED ${m.what}: ${m.value} (target ${m.limit})`);
const disagree = Object.entries(agreement).flatMap(([k, a]) => ['scalar', 'simd', 'plain'].filter((x) => a[x] === false).map((x) => `${x} @ ${k}`));
console.log(disagree.length ? `\nTOP-20 DISAGREEMENT: ${disagree.join(', ')}` : `\ntop-20 agreement: every implementation returned the ${native ? 'native' : 'scalar wasm'} top-20 for every case`);

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify({ machine, table, targets, agreement, native, impls, init, memory, wasmSize }, null, 1)}\n`);
console.log(`\nwrote ${outFile}`);
if (disagree.length) process.exitCode = 1;
