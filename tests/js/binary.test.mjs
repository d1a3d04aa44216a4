// The binary catalog from JS: exact round trips, and damaged files rejected with a
// GoodsRankerError while the engine stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine, Profile, catalogToBinary } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';

const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);
const catalog = sampleCatalog({ offers: 1500, embeddingDim: 32 });
const users = sampleUsers(catalog, NOW);

function expectCorrupt(fn, pattern) {
  assert.throws(fn, (e) => {
    assert.equal(e.name, 'GoodsRankerError');
    assert.equal(e.code, 'corruptState');
    assert.equal(e.path, 'catalog');
    assert.match(e.message, pattern);
    return true;
  });
}

test('fromBinary(toBinary()) ranks exactly like the JSON catalog', () => {
  const fromJson = Engine.fromCatalog(catalog);
  const bytes = fromJson.toBinary();
  assert.ok(bytes instanceof Uint8Array);
  const fromBinary = Engine.fromBinary(bytes);
  assert.equal(fromBinary.offerCount, 1500);
  assert.equal(fromBinary.embeddingDim, 32);
  for (const u of users) {
    const profile = Profile.fromUser(u.user);
    const options = { now: NOW, limit: 30 };
    assert.deepEqual(fromBinary.rank(profile, options), fromJson.rank(profile, options), u.id);
  }
  // catalogToBinary gives the same bytes, from an object or from JSON text. The
  // binary form is smaller than the JSON, and an offer costs its 4·d embedding bytes
  // plus a bounded fixed part (columns, learned-field rows, id and title).
  assert.deepEqual(catalogToBinary(catalog), bytes);
  const json = JSON.stringify(catalog);
  assert.deepEqual(catalogToBinary(json), bytes);
  assert.ok(bytes.length < json.length, `${bytes.length} vs ${json.length}`);
  const perOffer = (bytes.length - 1500 * 32 * 4) / 1500;
  assert.ok(perOffer < 250, `${perOffer.toFixed(0)} bytes per offer besides the embedding`);
  // An ArrayBuffer works too.
  assert.equal(Engine.fromBinary(bytes.slice().buffer).offerCount, 1500);
});

test('damaged binary catalogs are rejected and the engine stays usable', () => {
  const engine = Engine.fromCatalog(catalog);
  const bytes = engine.toBinary();
  const profile = Profile.fromUser(users[1].user);
  const before = engine.rank(profile, { now: NOW });
  for (const at of [0, 5, 100, Math.floor(bytes.length / 2), bytes.length - 1]) {
    const bad = bytes.slice();
    bad[at] ^= 0x10;
    expectCorrupt(() => Engine.fromBinary(bad), /magic|version|checksum/);
  }
  expectCorrupt(() => Engine.fromBinary(bytes.subarray(0, bytes.length - 100)), /checksum|truncated/);
  expectCorrupt(() => Engine.fromBinary(new Uint8Array(3)), /truncated/);
  expectCorrupt(() => Engine.fromBinary('GRCB'), /expected a Uint8Array/);
  expectCorrupt(() => Engine.fromBinary(null), /expected a Uint8Array/);
  assert.throws(() => catalogToBinary({ version: 1, stores: [], offers: [{ id: 'x' }] }), { name: 'GoodsRankerError' });
  assert.deepEqual(engine.rank(profile, { now: NOW }), before);
});
