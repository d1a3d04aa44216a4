// Memory across many create/free cycles: every cycle builds an engine from the sample
// catalog (object, JSON text or binary), profiles, a group, ranks, records, saves,
// loads, hits two error paths, then frees everything. After a warm-up the wasm linear
// memory must not grow (WebAssembly memory never shrinks, so any leak that outlives the
// allocator's free space shows up as new 64 KiB pages), nor the table of JS references.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Engine, Group, Profile, catalogToBinary, initSync, wasmBuild } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';
import { NOW } from './helpers.mjs';

const PAGE = 64 * 1024;
const WARM_UP = 200;
const CYCLES = 2_000;

// `initSync` returns the exports of the instance; once the package's Node entry has
// loaded the module it returns that same instance's exports and loads nothing.
const wasmFile = new URL(
  `../../pkg/${wasmBuild === 'simd' ? 'goods_ranker_simd_bg.wasm' : 'goods_ranker_bg.wasm'}`,
  import.meta.url,
);
const exports = initSync({ module: readFileSync(wasmFile) });
const { memory } = exports;
const refs = exports.__wbindgen_externrefs;

const catalog = sampleCatalog();
const json = JSON.stringify(catalog);
const binary = catalogToBinary(catalog);
const users = sampleUsers(catalog, NOW);
const experiment = {
  name: 'memory',
  variants: [
    { name: 'control', split: 0.5 },
    { name: 'diverse', split: 0.5, diversity: { maxPerCategory: 1 } },
  ],
};

// Ways to release an object: `free()`, `[Symbol.dispose]()` and a `using` declaration,
// each where the runtime has it (`using` is compiled at run time, so this file still
// parses where the syntax is missing).
const releases = [['free', (o) => o.free()]];
if (typeof Symbol.dispose === 'symbol' && typeof Engine.prototype[Symbol.dispose] === 'function') {
  releases.push(['Symbol.dispose', (o) => o[Symbol.dispose]()]);
  try {
    const dispose = new Function('o', '{ using held = o; }');
    releases.push(['using', dispose]);
  } catch {
    // no `using` declarations in this runtime
  }
}

/** One full cycle; returns the objects it created, for the caller to release. */
function cycle(i) {
  const engine =
    i % 3 === 0 ? Engine.fromCatalog(catalog) : i % 3 === 1 ? Engine.fromCatalog(json) : Engine.fromBinary(binary);
  const profile = Profile.fromUser(users[i % users.length].user);
  const feed = engine.rank(profile, {
    now: NOW,
    limit: 20,
    diversity: { maxPerCategory: 2, mmrLambda: 0.8 },
    explore: { seed: i, slots: 1 },
  });
  assert.equal(feed.length, 20);
  engine.record(profile, { type: 'impression', offerId: feed[0].offerId, at: NOW });
  engine.record(profile, { type: 'click', offerId: feed[1].offerId, at: NOW + 1_000 });
  engine.record(profile, { type: 'purchase', offerId: feed[1].offerId, at: NOW + 2_000, quantity: 2 });
  profile.record({ type: 'cart', offerId: 'not-in-this-catalog', at: NOW + 3_000, category: '烘焙', price: 9.9 });
  const gate = engine.shouldNotify(profile, { now: NOW + 4_000, threshold: 0 });
  if (gate.notify) engine.record(profile, { type: 'push', offerId: gate.offer.offerId, at: NOW + 4_000 });
  engine.filtered(profile, { now: NOW, hide: [feed[2].offerId] });
  engine.rankWithVariant(profile, { now: NOW, experiment, userId: `user-${i}` });
  engine.setStock(feed[3].offerId, 0);
  const saved = profile.toBytes();
  const loaded = Profile.load(i % 2 === 0 ? saved : profile.toBase64());
  const other = Profile.fromUser(users[(i + 1) % users.length].user);
  const group = new Group();
  group.add(loaded, '阿姨');
  group.add(other);
  assert.equal(engine.rankForGroup(group, { now: NOW, limit: 5 }).items.length, 5);
  // Error paths allocate too (the error's message and path cross the boundary).
  assert.throws(() => engine.rank(profile, { now: NOW, limit: 0 }), { name: 'GoodsRankerError' });
  assert.throws(() => Profile.load(saved.subarray(0, saved.length - 1)), { name: 'GoodsRankerError' });
  return [engine, profile, loaded, other, group];
}

function run(from, count) {
  for (let i = from; i < from + count; i++) {
    const [, release] = releases[i % releases.length];
    for (const o of cycle(i)) release(o);
  }
}

test(`${CYCLES} create/free cycles after a warm-up of ${WARM_UP} do not grow the wasm memory`, () => {
  assert.ok(memory instanceof WebAssembly.Memory);
  assert.equal(initSync({ module: readFileSync(wasmFile) }), exports, 'initSync returns the loaded instance');
  run(0, WARM_UP);
  const warm = memory.buffer.byteLength;
  const warmRefs = refs.length;
  run(WARM_UP, CYCLES);
  const after = memory.buffer.byteLength;
  console.log(
    `wasm memory (${wasmBuild}): ${warm} bytes after ${WARM_UP} cycles, ${after} after ${CYCLES} more ` +
      `(released by ${releases.map((r) => r[0]).join(', ')}); externref table ${warmRefs} → ${refs.length}`,
  );
  assert.ok(after <= warm + PAGE, `memory grew from ${warm} to ${after} bytes (${(after - warm) / PAGE} pages)`);
  assert.ok(refs.length <= warmRefs + 128, `externref table grew from ${warmRefs} to ${refs.length}`);
});

test('the measurement sees a leak: 50 engines left unfreed grow the memory', () => {
  const before = memory.buffer.byteLength;
  const kept = Array.from({ length: 50 }, () => Engine.fromCatalog(catalog));
  const grown = memory.buffer.byteLength;
  for (const e of kept) e.free();
  assert.ok(grown >= before + 50 * binary.length, `${before} → ${grown} bytes for 50 engines`);
});
