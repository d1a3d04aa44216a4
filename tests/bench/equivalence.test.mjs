// The plain-JS reference ranker (benches/plain-ranker.mjs), the scalar wasm build and
// the SIMD wasm build return the same top-20 as the native engine, in the same order,
// with the same scores (to float rounding) and reasons, on the sample catalogs for
// every sample user and several option sets. The native rankings are produced in this
// run by the native benchmark harness (`cargo test --bench native -- --dump-rankings`).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as plain from '../../benches/plain-ranker.mjs';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scalarPath = join(root, 'pkg/goods_ranker_bg.wasm');
const simdPath = join(root, 'pkg/goods_ranker_simd_bg.wasm');
// Scores agree to float rounding: the embedding cosine is an f32 dot product whose
// summation order differs between builds (ndarray's unrolled loop, SIMD lanes, the
// plain-JS f64 loop), which moves a score by ~1e-8 at most.
const SCORE_TOLERANCE = 1e-6;

let dump;
let scalar;
let simd = null;
before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goods-ranker-native-'));
  const file = join(dir, 'rankings.json');
  const env = { ...process.env, PATH: `${join(homedir(), '.cargo/bin')}:${process.env.PATH}` };
  execFileSync('cargo', ['test', '--quiet', '--bench', 'native', '--', '--dump-rankings', file], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  dump = JSON.parse(readFileSync(file, 'utf8'));
  rmSync(dir, { recursive: true, force: true });
  // Each build gets its own instance of the glue (its own module record), loaded
  // explicitly: the package's Node entry would pick SIMD by itself.
  scalar = await import('../../pkg/goods_ranker.js?scalar');
  scalar.initSync({ module: readFileSync(scalarPath) });
  if (existsSync(simdPath)) {
    simd = await import('../../pkg/goods_ranker.js?simd');
    simd.initSync({ module: readFileSync(simdPath) });
  }
});

const strip = ({ text, weight, ...kind }) => kind;

/** Groups the native cases by catalog, building each catalog once per implementation. */
function* catalogs() {
  const groups = new Map();
  for (const c of dump.cases) {
    const key = JSON.stringify(c.catalog);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(c);
  }
  for (const [key, cases] of groups) {
    const spec = JSON.parse(key);
    const catalog = sampleCatalog(spec);
    const users = new Map(sampleUsers(catalog, dump.now).map((u) => [u.id, u.user]));
    yield { spec, catalog, users, cases };
  }
}

function compare(name, got, want, where) {
  assert.deepEqual(got.map((o) => o.offerId), want.map((o) => o.offerId), `${name} top-20 ids differ from native at ${where}`);
  got.forEach((o, i) => {
    assert.ok(Math.abs(o.score - want[i].score) <= SCORE_TOLERANCE, `${name} score of ${o.offerId} at ${where}: ${o.score} vs native ${want[i].score}`);
    assert.deepEqual(o.reasons.map(strip), want[i].reasons, `${name} reasons of ${o.offerId} at ${where}`);
  });
}

const where = (spec, c) => `${spec.offers} offers/${spec.embeddingDim}-d/seed ${spec.seed}, ${c.user}, ${JSON.stringify(c.options)}`;

test('the native dump covers every sample user, catalogs with and without embeddings, and several option sets', () => {
  assert.ok(dump.cases.length >= 3 * 5 * 4, `${dump.cases.length} cases`);
  assert.ok(dump.cases.every((c) => c.top.length === 20));
  assert.deepEqual(new Set(dump.cases.map((c) => c.user)), new Set(['office-worker', 'grandma', 'parent', 'student', 'newcomer']));
  assert.ok(dump.cases.some((c) => c.catalog.embeddingDim === 0) && dump.cases.some((c) => c.catalog.embeddingDim > 0));
});

test('the plain-JS reference ranks exactly like native', () => {
  let n = 0;
  for (const { spec, catalog, users, cases } of catalogs()) {
    const cat = plain.buildCatalog(catalog);
    for (const c of cases) {
      const got = plain.rank(cat, plain.profileFromUser(users.get(c.user)), c.options);
      compare('plain JS', got, c.top, where(spec, c));
      n++;
    }
  }
  assert.equal(n, dump.cases.length);
});

// Clicks, carts and purchases only: the engine's fatigue from ignored impressions and
// its dismissal damping (feed-intelligence layer) are not part of the plain-JS port.
test('the plain-JS reference ranks the same from JSON text and after profile events', () => {
  const catalog = sampleCatalog({ offers: 600, embeddingDim: 8, seed: 3 });
  const users = sampleUsers(catalog, dump.now);
  const engine = scalar.Engine.fromCatalog(JSON.stringify(catalog));
  const cat = plain.buildCatalog(JSON.stringify(catalog));
  for (const u of users) {
    const p = scalar.Profile.fromUser(u.user);
    const q = plain.profileFromUser(u.user);
    for (let i = 0; i < 40; i++) {
      const o = catalog.offers[(i * 37) % catalog.offers.length];
      const e = { type: ['click', 'cart', 'purchase'][i % 3], offerId: o.id, at: dump.now - (40 - i) * 3_600_000, category: o.category, price: o.price, quantity: 1 + (i % 3) };
      p.record(e);
      plain.recordEvent(q, e);
    }
    const options = { now: dump.now, limit: 20 };
    compare('plain JS after events', plain.rank(cat, q, options), engine.rank(p, options).map((o) => ({ ...o, reasons: o.reasons.map(strip) })), u.id);
    p.free();
  }
  engine.free();
});

test('the scalar wasm build ranks exactly like native', () => {
  for (const { spec, catalog, users, cases } of catalogs()) {
    const engine = scalar.Engine.fromCatalog(catalog);
    for (const c of cases) {
      const profile = scalar.Profile.fromUser(users.get(c.user));
      compare('scalar wasm', engine.rank(profile, c.options), c.top, where(spec, c));
      profile.free();
    }
    engine.free();
  }
});

test('the SIMD wasm build ranks exactly like native', (t) => {
  if (!simd) return t.skip(`no SIMD build at ${simdPath}`);
  for (const { spec, catalog, users, cases } of catalogs()) {
    const engine = simd.Engine.fromCatalog(catalog);
    for (const c of cases) {
      const profile = simd.Profile.fromUser(users.get(c.user));
      compare('SIMD wasm', engine.rank(profile, c.options), c.top, where(spec, c));
      profile.free();
    }
    engine.free();
  }
});
