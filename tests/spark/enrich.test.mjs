// Equality of the Spark job (spark/goods_ranker_enrich.py, local[2]) and the native
// goods-ranker-enrich on the same input: a slice of Ta Feng (every 25th user, plain
// CSV, user-day baskets) and a generated log with explicit baskets, aliased columns,
// mixed time forms and malformed lines of every kind (read from CSV, then again from
// the Parquet the first run saved). Then both catalogs go through goods-ranker-catalog
// encode, and the engine (pkg/node.js) ranks 300 users of the slice on each.
//
// Tolerances (docs/ENRICHMENT.md, "Running on a cluster"):
// - exact: offer ids and order, categories, which optional fields are present, area
//   ids, embedding length; every count (lines, lines used, malformed lines per
//   reason, the first ten malformed line numbers, baskets, buyers, repeat buyers,
//   price count); price min and max;
// - the fields the native tool rounds to 4 decimals (popularity, area popularity,
//   lifts, repurchase days and rate): |Δ| ≤ 1e-4 (one rounding step; summation order
//   differs);
// - embeddings (the same randomized SVD, same seed): |Δ| ≤ 1e-5 per component;
// - medians (offer price, price report, repurchase days before rounding): relative
//   1e-9 for exact quantiles and, for approximate ones, while the item has fewer than
//   accuracy / 2 values (Spark then keeps them all); above that, between min and max
//   (rank error ≤ n / accuracy); price mean: relative 1e-9; area centres: 1e-9°.
// - the engine's top-10 for 300 users: mean overlap ≥ 0.99.
// Needs: .venv-spark (bash scripts/spark-setup.sh), cargo, pkg/ built.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const python = join(root, '.venv-spark/bin/python');
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const STORE = '25.0330,121.5430';
const ACCURACY = 10000;
const USERS_RANKED = 300;

const work = mkdtempSync(join(tmpdir(), 'goods-ranker-spark-'));
const run = (cmd, args, opts = {}) =>
  execFileSync(cmd, args, { cwd: root, env, maxBuffer: 1 << 28, encoding: 'utf8', ...opts });
// stderr of a command that succeeds (execFileSync returns stdout only).
const runStderr = (cmd, args) => {
  const out = join(work, `stderr-${Math.random().toString(36).slice(2)}.txt`);
  run('bash', ['-c', `"$0" "$@" 2>${JSON.stringify(out)}`, cmd, ...args]);
  return readFileSync(out, 'utf8');
};
const bin = (name) => join(root, 'target/release', name);
const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

// ---------------------------------------------------------------- generated log

/** xorshift32: the generated log is the same on every run. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A purchase log with explicit baskets and malformed lines of every reason, and a
 *  user-attributes file with every form of age, income and location and bad lines. */
const FF = '\u0000FF\u0000';

function generatedLog(dir) {
  const r = rng(20001101);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const groups = ['蛋品', '乳品', 'snacks', 'drinks, cold'];
  const items = Array.from({ length: 48 }, (_, i) => ({
    id: `sku-${String(i).padStart(3, '0')}`,
    group: i % 4,
    price: Math.round((2 + r() * 60) * 100) / 100,
  }));
  const day0 = Date.UTC(2024, 0, 1);
  const fmt = (ms, k) => {
    const d = new Date(ms);
    const p = (n) => String(n).padStart(2, '0');
    const date = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
    const hms = `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    return [`${date} ${hms}`, `${date}T${hms}Z`, String(ms), `${date} ${hms.slice(0, 5)}`, date][k % 5];
  };
  const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  // Column order and names differ from the Ta Feng form (aliases, upper case).
  const lines = ['Order_ID,Customer,Product,Timestamp,Qty,Unit_Price,Category'];
  const users = [];
  const bad = [
    (u, b, t) => `${b},,sku-001,${t},1,2.5,x`, // missing user
    (u, b, t) => `${b},${u},,${t},1,2.5,x`, // missing item
    (u, b) => `${b},${u},sku-002,2024-02-30,1,2.5,x`, // bad time
    (u, b) => `${b},${u},sku-002,2024-13-01 10:00,1,2.5,x`,
    (u, b) => `${b},${u},sku-002,yesterday,1,2.5,x`,
    (u, b) => `${b},${u},sku-002,2024-01-05 25:00:00,1,2.5,x`,
    (u, b, t) => `${b},${u},sku-003,${t},0,2.5,x`, // bad quantity
    (u, b, t) => `${b},${u},sku-003,${t},1d,2.5,x`,
    (u, b, t) => `${b},${u},sku-003,${t},-2,2.5,x`,
    (u, b, t) => `${b},${u},sku-004,${t},1,abc,x`, // bad price
    (u, b, t) => `${b},${u},sku-004,${t},1,inf,x`,
    (u, b, t) => `${b},${u},sku-004,${t},1,0,x`,
    (u, b, t) => `,${u},sku-005,${t},1,2.5,x`, // missing basket
    (u, b) => `${b},${u}`, // a short line: no item
    (u, b, t) => `${b},${u},sku-${FF}06,${t},1,2.5,x`, // invalid UTF-8: unreadable
  ];
  let n = 0;
  for (let u = 0; u < 160; u++) {
    const user = `c${1000 + u}`;
    users.push(user);
    const pref = u % 4;
    const baskets = 3 + Math.floor(r() * 9);
    let t = day0 + Math.floor(r() * 20) * 86400000;
    for (let b = 0; b < baskets; b++) {
      t += Math.floor((1 + r() * 12) * 86400000);
      const basket = `b${b}`; // the same basket ids for every user: the key is (user, basket)
      const k = 2 + Math.floor(r() * 5);
      for (let i = 0; i < k; i++) {
        const group = r() < 0.75 ? pref : Math.floor(r() * 4);
        const it = pick(items.filter((x) => x.group === group));
        const qty = r() < 0.1 ? '' : String(1 + Math.floor(r() * 3));
        const price = r() < 0.08 ? '' : (it.price * (r() < 0.2 ? 0.9 : 1)).toFixed(2);
        const time = fmt(t + i * 60000, n++);
        const pad = r() < 0.05 ? '  ' : '';
        lines.push([basket, `${pad}${user}${pad}`, it.id, time, qty, price, csvField(groups[it.group])].join(','));
        if (r() < 0.03) lines.push(pick(bad)(user, basket, time));
        if (r() < 0.01) lines.push('');
      }
    }
  }
  for (let i = 0; i < bad.length; i++) lines.push(bad[i](users[i], 'b1', fmt(day0 + 86400000 * 40, i)));
  // UTF-8, except one byte 0xff in each unreadable line.
  const parts = `${lines.join('\n')}\n`.split(FF).map((x) => Buffer.from(x, 'utf8'));
  writeFileSync(join(dir, 'purchases.csv'), Buffer.concat(parts.flatMap((b, i) => (i ? [Buffer.from([0xff]), b] : [b]))));
  const ulines = ['user,age,ageBand,income,incomeBand,area,lat,lng'];
  const bands = ['<25', '25-29', '30-34', '35 - 39', '40-44', '45-49', '50-54', '55-59', '60-64', '>65', '65+', '>=65', '3'];
  const areas = [['A1', 31.23, 121.47], ['A2', 31.25, 121.5], ['A3', 31.2, 121.44], ['NoLoc', null, null]];
  users.forEach((user, i) => {
    const [area, lat, lng] = areas[i % 4];
    const ll = lat === null ? ['', ''] : [(lat + r() * 0.01).toFixed(6), (lng + r() * 0.01).toFixed(6)];
    const age = i % 3 === 0 ? String(18 + Math.floor(r() * 60)) : '';
    const band = i % 3 === 1 ? pick(bands) : '';
    const income = i % 2 === 0 ? String(Math.floor(r() * 30000)) : '';
    const ib = i % 2 === 1 && i % 5 ? String(1 + (i % 5)) : '';
    ulines.push([user, age, band, income, ib, i % 11 === 5 ? '' : area, ...ll].join(','));
  });
  ulines.push(
    'stranger,30,,,,A1,31.2,121.4', // unknown user
    `${users[0]},abc,,,,A1,31.2,121.4`, // bad age
    `${users[1]},151,,,,A1,31.2,121.4`,
    `${users[2]},,12,,,A1,31.2,121.4`, // bad age band
    `${users[3]},,40-30,,,A1,31.2,121.4`,
    `${users[4]},,,,6,A1,31.2,121.4`, // bad income band
    `${users[5]},,,-5,,A1,31.2,121.4`, // bad income
    `${users[6]},,,,,A1,95,121.4`, // bad lat/lng
    `${users[7]},,,,,A1,31.2,`,
    `${users[8]},,,,,A1,31.2,121.4,extra`,
    `${users[9]},70,,40000,,A2,31.26,121.51`, // a later line wins
  );
  writeFileSync(join(dir, 'users.csv'), `${ulines.join('\n')}\n`);
}

// ---------------------------------------------------------------- both tools

const cases = {}; // name -> { native: {catalog, prices, log}, spark: {catalog, prices, report}, quantiles, dir }
let sparkSeconds = 0;

/** The native tool's stderr: the per-reason counts and the first malformed lines. */
function parseNativeLog(text) {
  const report = {};
  for (const line of text.split('\n')) {
    const m = /^(purchase log|user attributes): (\d+) lines, (\d+) used, (\d+) malformed(.*)$/.exec(line);
    if (m) {
      const malformed = {};
      for (const part of m[5].split('; ').slice(1)) {
        const i = part.lastIndexOf(': ');
        malformed[part.slice(0, i)] = Number(part.slice(i + 2));
      }
      report[m[1] === 'purchase log' ? 'purchases' : 'users'] = {
        lines: Number(m[2]), ok: Number(m[3]), malformed, examples: [],
      };
    }
    const e = /^ {2}line (\d+): (.*)$/.exec(line);
    if (e) report.purchases.examples.push([Number(e[1]), e[2]]);
    const s = /^(\d+) baskets → (\d+) offers, (\d+) areas, embedding dim (\d+)$/.exec(line);
    if (s) Object.assign(report, { baskets: +s[1], offers: +s[2], areas: +s[3], embeddingDim: +s[4] });
  }
  return report;
}

before(() => {
  assert.ok(existsSync(python), `${python} is missing: run bash scripts/spark-setup.sh`);
  run('bash', ['scripts/fetch-tafeng.sh'], { stdio: 'ignore' });
  run('nice', ['-n', '10', 'cargo', 'build', '--quiet', '--release', '--workspace',
    '--bin', 'goods-ranker-enrich', '--bin', 'goods-ranker-catalog'], { stdio: 'inherit' });
  const slice = join(work, 'slice');
  run('python3', ['spark/gen_scaled.py', '--purchases', 'data/tafeng/purchases.csv',
    '--users', 'data/tafeng/users.csv', '--out', slice, '--every', '25'], { stdio: 'ignore' });
  const gen = join(work, 'gen');
  run('mkdir', ['-p', gen]);
  generatedLog(gen);
  const inputs = {
    slice: { dir: slice, dim: 32, spark: ['--quantiles', 'approx'] },
    generated: { dir: gen, dim: 8, spark: ['--quantiles', 'exact', '--save-parquet', join(work, 'gen-parquet')] },
    'generated-parquet': { dir: gen, dim: 8, spark: ['--quantiles', 'approx', '--format', 'parquet'],
      purchases: join(work, 'gen-parquet/purchases'), users: join(work, 'gen-parquet/users') },
  };
  const runs = [];
  for (const [name, c] of Object.entries(inputs)) {
    const out = join(work, name);
    const nativeLog = name === 'generated-parquet' ? cases.generated.native.log : runStderr(bin('goods-ranker-enrich'), [
      '--purchases', join(c.dir, 'purchases.csv'), '--users', join(c.dir, 'users.csv'), '--store', STORE,
      '--dim', String(c.dim), '--json', `${out}-native.json`, '--prices', `${out}-native-prices.json`,
      '--binary', `${out}-native.grcb`]);
    const nat = name === 'generated-parquet' ? cases.generated.native : {
      catalog: readJson(`${out}-native.json`), prices: readJson(`${out}-native-prices.json`),
      log: parseNativeLog(nativeLog), grcb: `${out}-native.grcb`,
    };
    cases[name] = { native: nat, out, quantiles: c.spark[1] };
    runs.push(['--purchases', c.purchases ?? join(c.dir, 'purchases.csv'), '--users', c.users ?? join(c.dir, 'users.csv'),
      '--store', STORE, '--dim', String(c.dim), '--accuracy', String(ACCURACY), ...c.spark,
      '--json', `${out}-spark.json`, '--prices', `${out}-spark-prices.json`, '--report', `${out}-spark-report.json`]);
  }
  writeFileSync(join(work, 'runs.json'), JSON.stringify(runs));
  const t0 = performance.now();
  run('nice', ['-n', '10', python, 'spark/goods_ranker_enrich.py', '--master', 'local[2]',
    '--runs', join(work, 'runs.json')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sparkSeconds = (performance.now() - t0) / 1000;
  for (const c of Object.values(cases)) {
    c.spark = {
      catalog: readJson(`${c.out}-spark.json`), prices: readJson(`${c.out}-spark-prices.json`),
      report: readJson(`${c.out}-spark-report.json`),
    };
  }
  console.log(`# spark job, 3 runs in one local[2] application: ${sparkSeconds.toFixed(1)} s`);
});

after(() => rmSync(work, { recursive: true, force: true }));

// ---------------------------------------------------------------- comparisons

const close = (a, b, tol, what) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: native ${a}, spark ${b} (|Δ| > ${tol})`);
const relClose = (a, b, rel, what) => close(a, b, rel * Math.max(1, Math.abs(a)), what);

for (const name of ['generated', 'generated-parquet', 'slice']) {
  test(`${name}: malformed lines are counted per reason as the native tool does`, () => {
    const { native, spark } = cases[name];
    for (const file of ['purchases', 'users']) {
      const n = native.log[file];
      const s = spark.report[file];
      assert.equal(s.lines, n.lines, `${file}: lines`);
      assert.equal(s.ok, n.ok, `${file}: lines used`);
      assert.deepEqual(s.malformed, n.malformed, `${file}: malformed per reason`);
      assert.equal(s.ok + Object.values(s.malformed).reduce((x, y) => x + y, 0), s.lines, `${file}: every line accounted for`);
    }
    assert.deepEqual(spark.report.purchases.examples, native.log.purchases.examples, 'first malformed line numbers');
    for (const k of ['baskets', 'offers', 'areas', 'embeddingDim']) assert.equal(spark.report[k], native.log[k], k);
    if (name.startsWith('generated')) {
      // The generated log has every reason the readers know.
      assert.equal(Object.keys(native.log.purchases.malformed).length, 7, 'purchase reasons exercised');
      assert.equal(Object.keys(native.log.users.malformed).length, 6, 'user reasons exercised');
    }
  });

  test(`${name}: every learned field agrees with the native tool's`, () => {
    const { native, spark, quantiles } = cases[name];
    const N = native.catalog;
    const S = spark.catalog;
    assert.equal(S.version, N.version);
    assert.equal(S.embeddingDim, N.embeddingDim, 'embeddingDim');
    assert.deepEqual(S.stores, N.stores, 'stores');
    assert.deepEqual((S.areas ?? []).map((a) => a.id), (N.areas ?? []).map((a) => a.id), 'area ids and order');
    (N.areas ?? []).forEach((a, i) => {
      close(S.areas[i].lat, a.lat, 1e-9, `area ${a.id} lat`);
      close(S.areas[i].lng, a.lng, 1e-9, `area ${a.id} lng`);
    });
    assert.deepEqual(S.offers.map((o) => o.id), N.offers.map((o) => o.id), 'offer ids and order');
    const worst = {};
    const note = (f, d) => { worst[f] = Math.max(worst[f] ?? 0, d); };
    N.offers.forEach((n, i) => {
      const s = S.offers[i];
      const what = (f) => `${name}, offer ${n.id}, ${f}`;
      assert.deepEqual(Object.keys(s).sort(), Object.keys(n).sort(), what('fields present'));
      for (const f of ['title', 'category', 'storeId']) assert.equal(s[f], n[f], what(f));
      const count = native.prices[n.id].price.count;
      if (quantiles === 'exact' || count < ACCURACY / 2) relClose(n.price, s.price, 1e-9, what('price (median)'));
      else assert.ok(s.price >= native.prices[n.id].price.min && s.price <= native.prices[n.id].price.max, what('price'));
      note('price', Math.abs(n.price - s.price));
      for (const f of ['popularity', 'repurchaseDays', 'repurchaseRate']) {
        if (n[f] === undefined) continue;
        close(n[f], s[f], 1e-4, what(f));
        note(f, Math.abs(n[f] - s[f]));
      }
      for (const f of ['ageLift', 'incomeLift', 'areaPopularity', 'embedding']) {
        if (n[f] === undefined) continue;
        assert.equal(s[f].length, n[f].length, what(`${f} length`));
        const tol = f === 'embedding' ? 1e-5 : 1e-4;
        n[f].forEach((x, k) => {
          close(x, s[f][k], tol, what(`${f}[${k}]`));
          note(f, Math.abs(x - s[f][k]));
        });
      }
    });
    for (const [id, n] of Object.entries(native.prices)) {
      const s = spark.prices[id];
      assert.ok(s, `${name}: price report of ${id}`);
      for (const f of ['baskets', 'buyers', 'repeatBuyers']) assert.equal(s[f], n[f], `${name}, ${id}, ${f}`);
      assert.equal(s.price.count, n.price.count, `${name}, ${id}, price count`);
      assert.equal(s.price.min, n.price.min, `${name}, ${id}, price min`);
      assert.equal(s.price.max, n.price.max, `${name}, ${id}, price max`);
      relClose(n.price.mean, s.price.mean, 1e-9, `${name}, ${id}, price mean`);
      note('price mean', Math.abs(n.price.mean - s.price.mean));
    }
    assert.equal(Object.keys(spark.prices).length, Object.keys(native.prices).length, 'items in the price report');
    console.log(`# ${name}: ${N.offers.length} offers; largest |Δ| per field: ${JSON.stringify(worst)}`);
  });
}

test('the engine ranks the same top-10 from both catalogs (300 users of the Ta Feng slice)', async () => {
  const { Engine, Profile } = await import('../../pkg/node.js');
  const c = cases.slice;
  const sparkBin = `${c.out}-spark.grcb`;
  run(bin('goods-ranker-catalog'), ['encode', `${c.out}-spark.json`, sparkBin]);
  assert.match(run(bin('goods-ranker-catalog'), ['check', sparkBin]), /ok, \d+ offers/);
  const engines = [c.native.grcb, sparkBin].map((p) => Engine.fromBinary(new Uint8Array(readFileSync(p))));
  // Users of the slice in order of first appearance, with their whole history.
  const dir = join(work, 'slice');
  const [head, ...rows] = readFileSync(join(dir, 'purchases.csv'), 'utf8').trim().split('\n');
  assert.equal(head, 'user,time,item,quantity,price,category');
  const history = new Map();
  let now = 0;
  for (const row of rows) {
    const [user, time, item, qty, price, category] = row.split(',');
    const at = Date.parse(`${time}T00:00:00Z`);
    now = Math.max(now, at);
    if (!history.has(user)) history.set(user, []);
    history.get(user).push({ offerId: item, category, price: Number(price), quantity: Number(qty), at });
  }
  const attrs = new Map();
  for (const row of readFileSync(join(dir, 'users.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [user, band, , lat, lng] = row.split(',');
    const lo = /^(\d+)-/.exec(band);
    const age = band === '<25' ? 22 : band === '>65' ? 68 : lo ? Number(lo[1]) + 2 : undefined;
    attrs.set(user, { age, location: lat ? { lat: Number(lat), lng: Number(lng) } : undefined });
  }
  const users = [...history.keys()].slice(0, USERS_RANKED);
  assert.equal(users.length, USERS_RANKED);
  let overlap = 0;
  let identical = 0;
  for (const user of users) {
    const input = { ...attrs.get(user), history: history.get(user) };
    const tops = engines.map((e) =>
      e.rank(Profile.fromUser(input), { now: now + 86400000, limit: 10 }).map((r) => r.offerId));
    assert.equal(tops[0].length, 10);
    overlap += tops[0].filter((id) => tops[1].includes(id)).length / 10;
    if (tops[0].join() === tops[1].join()) identical += 1;
  }
  const mean = overlap / users.length;
  console.log(`# top-10 agreement over ${users.length} users: mean overlap ${mean.toFixed(4)}, identical lists ${identical}/${users.length}`);
  assert.ok(mean >= 0.99, `mean top-10 overlap ${mean}`);
});
