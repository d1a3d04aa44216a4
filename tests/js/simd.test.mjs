// The SIMD and scalar builds give identical rankings, and the entries pick the SIMD
// build where the runtime supports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const node = fileURLToPath(new URL('../../pkg/node.js', import.meta.url));
const sample = fileURLToPath(new URL('../../pkg/sample/node.js', import.meta.url));
const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);

/** Ranks the sample catalogs for every sample user in a child process using `build`. */
function rankWith(build) {
  const script = `
    import { Engine, Profile, wasmBuild } from ${JSON.stringify(node)};
    import { sampleCatalog, sampleUsers } from ${JSON.stringify(sample)};
    const out = { build: wasmBuild, feeds: [] };
    for (const [offers, embeddingDim] of [[400, 16], [3000, 32], [2000, 0]]) {
      const catalog = sampleCatalog({ offers, embeddingDim });
      const engine = Engine.fromCatalog(catalog);
      for (const u of sampleUsers(catalog, ${NOW})) {
        const feed = engine.rank(Profile.fromUser(u.user), { now: ${NOW}, limit: 20 });
        out.feeds.push({ offers, user: u.id, feed });
      }
    }
    console.log(JSON.stringify(out));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, GOODS_RANKER_WASM: build },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('the SIMD and scalar builds rank identically', () => {
  const scalar = rankWith('scalar');
  const simd = rankWith('simd');
  assert.equal(scalar.build, 'scalar');
  assert.equal(simd.build, 'simd');
  assert.equal(scalar.feeds.length, 15);
  assert.ok(scalar.feeds.every((f) => f.feed.length === 20));
  assert.deepEqual(simd.feeds, scalar.feeds);
});

test('the Node entry picks SIMD when the runtime supports it', async () => {
  const { simdSupported, wasmBuild } = await import('../../pkg/node.js');
  // Node 20 supports WebAssembly SIMD.
  assert.equal(simdSupported(), true);
  assert.equal(wasmBuild, process.env.GOODS_RANKER_WASM ?? 'simd');
});

test('an unknown GOODS_RANKER_WASM value is refused', () => {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import ${JSON.stringify(node)};`], {
    env: { ...process.env, GOODS_RANKER_WASM: 'fast' },
    encoding: 'utf8',
  });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /GOODS_RANKER_WASM must be "simd" or "scalar"/);
});
