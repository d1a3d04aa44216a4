// The mini-program entry (pkg/miniprogram, `goods-ranker/miniprogram`; what 构建 npm
// copies to miniprogram_npm/goods-ranker/) in the emulated runtime, with the folder as
// the code package: loads from code-package paths only, never touches the globals
// mini-programs lack, picks the SIMD module by client version, and ranks exactly like
// the Node entry.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import { createRuntime } from './runtime.mjs';
import { Engine, Profile } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';

const ENTRY = fileURLToPath(new URL('../../pkg/miniprogram/', import.meta.url));
/** Code-package paths, with the entry folder as the code package. */
const WASM = '/goods_ranker_bg.wasm.br';
const SIMD = '/goods_ranker_simd_bg.wasm.br';
const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);

/** Loads the adapter in a runtime and returns it with the runtime. */
function adapter(options) {
  const rt = createRuntime(ENTRY, options);
  return { rt, ranker: rt.require('/index.js') };
}

/** Ranks grandma's feed in the runtime; JSON in and out, as data crosses realms. */
function rankIn(rt, ranker, catalogJson, userJson) {
  const engine = ranker.Engine.fromCatalog(catalogJson);
  const profile = ranker.Profile.fromUser(rt.global.JSON.parse(userJson));
  const feed = engine.rank(profile, rt.global.JSON.parse(JSON.stringify({ now: NOW, limit: 8, location: { lat: 39.9871, lng: 116.4712, datum: 'gcj02' } })));
  engine.record(profile, rt.global.JSON.parse(JSON.stringify({ type: 'purchase', offerId: feed[0].offerId, at: NOW })));
  const saved = profile.toBase64();
  return JSON.parse(JSON.stringify({ feed, saved, restored: ranker.Profile.load(saved).eventCount }));
}

describe('mini-program adapter', () => {
  const catalog = sampleCatalog({ offers: 300 });
  const grandma = sampleUsers(catalog, NOW).find((u) => u.id === 'grandma').user;
  const catalogJson = JSON.stringify(catalog);
  const userJson = JSON.stringify(grandma);

  test('loads the .wasm.br through WXWebAssembly and ranks exactly like the Node entry', async () => {
    const { rt, ranker } = adapter({ version: '8.0.10' });
    const exports = await ranker.init({ path: WASM });
    assert.equal(typeof exports.memory, 'object');
    assert.deepEqual(rt.instantiated, [WASM]);
    assert.deepEqual({ ...ranker.loadedModule() }, { simd: false });
    const got = rankIn(rt, ranker, catalogJson, userJson);

    const engine = Engine.fromCatalog(catalog);
    const profile = Profile.fromUser(grandma);
    const want = engine.rank(profile, { now: NOW, limit: 8, location: { lat: 39.9871, lng: 116.4712, datum: 'gcj02' } });
    engine.record(profile, { type: 'purchase', offerId: want[0].offerId, at: NOW });
    assert.deepEqual(got.feed, JSON.parse(JSON.stringify(want)));
    assert.ok(got.feed[0].reasons.some((r) => /[\u4e00-\u9fff]/.test(r.text)), 'Chinese reason texts survive the UTF-8 codec');
    assert.equal(got.saved, profile.toBase64(), 'the saved profile is byte-identical');
    assert.equal(got.restored, profile.eventCount);
    assert.deepEqual(rt.touched, [], 'no forbidden global was touched');
  });

  test('errors cross as GoodsRankerError with path, and the engine stays usable', async () => {
    const { rt, ranker } = adapter();
    await ranker.init(WASM); // a string is the path
    let caught;
    try {
      ranker.Engine.fromCatalog('{"version":1,"stores":[],"offers":[{"id":"x","title":"蛋","category":"蛋品","price":-3,"storeId":"s"}]}');
    } catch (e) {
      caught = e;
    }
    assert.equal(caught?.name, 'GoodsRankerError');
    assert.equal(caught.path, 'offers[0].price');
    assert.match(caught.message, /^offers\[0\]\.price: /);
    assert.equal(ranker.Engine.fromCatalog(catalogJson).offerCount, 300);
    assert.deepEqual(rt.touched, []);
  });

  test('init is idempotent and also takes the uncompressed .wasm', async () => {
    const { rt, ranker } = adapter();
    const a = ranker.init({ path: WASM });
    const b = ranker.init({ path: 'ignored once loading started' });
    assert.equal(a, b);
    await a;
    assert.equal(rt.instantiated.length, 1);
    // The uncompressed .wasm (not shipped) loads from a code package that has it.
    const dir = mkdtempSync(join(tmpdir(), 'gr-mp-raw-'));
    try {
      cpSync(ENTRY, dir, { recursive: true });
      writeFileSync(join(dir, 'goods_ranker_bg.wasm'), brotliDecompressSync(readFileSync(join(ENTRY, 'goods_ranker_bg.wasm.br'))));
      const raw = createRuntime(dir);
      const r = raw.require('/index.js');
      await r.init({ path: '/goods_ranker_bg.wasm' });
      assert.deepEqual(raw.instantiated, ['/goods_ranker_bg.wasm']);
      assert.equal(r.Engine.fromCatalog(catalogJson).offerCount, 300);
      assert.deepEqual(raw.touched, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('paths that are not inside the code package are refused, and init can be retried', async () => {
    const { rt, ranker } = adapter();
    for (const bad of ['https://cdn.example.com/goods_ranker_bg.wasm', 'goods_ranker_bg.wasm.br', '/../goods_ranker_bg.wasm', '/missing.wasm', '/goods_ranker_bg.wasm']) {
      await assert.rejects(ranker.init({ path: bad }), /instantiate:/, bad);
    }
    await assert.rejects(ranker.init({}), /needs the code-package path/);
    await ranker.init({ path: WASM });
    assert.deepEqual(rt.instantiated, [WASM]);
    assert.deepEqual(rt.touched, []);
  });

  test('SIMD is chosen by WeChat version (no WXWebAssembly.validate) and falls back to scalar', async () => {
    const cases = [
      [{ version: '8.0.24' }, [WASM], false],
      [{ version: '8.0.25' }, [SIMD], true],
      [{ version: '8.1.0', platform: 'ios' }, [SIMD], true],
      [{ version: '' }, [WASM], false],
      [{ version: '8.0.30', failPaths: [SIMD] }, [WASM], false],
      [{ host: 'douyin', version: '30.0.0' }, [WASM], false],
    ];
    for (const [options, paths, simd] of cases) {
      const { rt, ranker } = adapter(options);
      assert.equal(typeof rt.global.WXWebAssembly?.validate, 'undefined');
      await ranker.init({ path: WASM, simdPath: SIMD });
      assert.deepEqual(rt.instantiated, paths, JSON.stringify(options));
      assert.deepEqual({ ...ranker.loadedModule() }, { simd }, JSON.stringify(options));
      assert.equal(ranker.Engine.fromCatalog(catalogJson).offerCount, 300);
      assert.deepEqual(rt.touched, []);
    }
  });

  test('Douyin (TTWebAssembly) and iOS WeChat load the module', async () => {
    for (const options of [{ host: 'douyin' }, { platform: 'ios', version: '8.0.10' }]) {
      const { rt, ranker } = adapter(options);
      await ranker.init({ path: WASM });
      assert.equal(rankIn(rt, ranker, catalogJson, userJson).feed.length, 8);
      assert.deepEqual(rt.touched, []);
    }
  });

  test('without WXWebAssembly/TTWebAssembly init says what is missing; { wasm } injects one', async () => {
    const rt = createRuntime(ENTRY);
    const api = rt.global.WXWebAssembly;
    delete rt.global.WXWebAssembly;
    const ranker = rt.require('/index.js');
    await assert.rejects(ranker.init({ path: WASM }), /no WXWebAssembly\/TTWebAssembly/);
    await ranker.init({ path: WASM, wasm: api });
    assert.equal(ranker.Engine.fromCatalog(catalogJson).offerCount, 300);
    assert.deepEqual(rt.touched, []);
  });

  test('the harness catches a touch of TextDecoder, fetch, URL or WebAssembly', () => {
    for (const name of ['TextDecoder', 'TextEncoder', 'fetch', 'URL', 'WebAssembly']) {
      const rt = createRuntime(ENTRY);
      assert.throws(() => rt.run(`typeof ${name}`), /not defined \(emulated mini-program runtime\)/);
      assert.deepEqual([...new Set(rt.touched)], [name]);
    }
  });
});

describe('UTF-8 codec (text-codec.js)', () => {
  const rt = createRuntime(ENTRY);
  const codec = rt.require('/text-codec.js');
  const enc = new codec.TextEncoder();
  const dec = new codec.TextDecoder('utf-8', { ignoreBOM: true });
  const native = { enc: new TextEncoder(), dec: new TextDecoder('utf-8', { ignoreBOM: true }) };

  test('encodes like the native encoder, lone surrogates included', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    const pool = ['a', 'é', '蛋', '€', '😀', '\ud800', '\udc00', '\u0000', '￿', '𠮷'];
    for (let i = 0; i < 300; i++) {
      const s = Array.from({ length: Math.floor(rand() * 40) }, () => pool[Math.floor(rand() * pool.length)]).join('');
      assert.deepEqual(Buffer.from(enc.encode(s)), Buffer.from(native.enc.encode(s)), JSON.stringify(s));
      const view = new Uint8Array(Math.floor(rand() * 20));
      const want = native.enc.encodeInto(s, new Uint8Array(view.length));
      assert.deepEqual({ ...enc.encodeInto(s, view) }, { read: want.read, written: want.written }, JSON.stringify(s));
    }
  });

  test('decodes like the native decoder, invalid bytes included', () => {
    let seed = 11;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 500; i++) {
      const bytes = new Uint8Array(Array.from({ length: Math.floor(rand() * 30) }, () => (rand() < 0.5 ? Math.floor(rand() * 256) : [0xe8, 0x9b, 0x8b, 0xf0, 0x9f, 0x98, 0x80, 0x41][Math.floor(rand() * 8)])));
      assert.equal(dec.decode(bytes), native.dec.decode(bytes), Buffer.from(bytes).toString('hex'));
    }
    const big = '土鸡蛋 30枚装 '.repeat(5000);
    assert.equal(dec.decode(native.enc.encode(big)), big);
    // Runs of ASCII long enough to be converted in bulk, longer than one 8192-unit
    // chunk, between Chinese text (the shape of the engine's JSON output).
    const json = `{"offerId":"o00003","title":"青岛啤酒 经典 500ml×12听","pad":"${'x'.repeat(9000)}","text":"距你 100 米"}`.repeat(3);
    assert.equal(dec.decode(native.enc.encode(json)), json);
    assert.equal(dec.decode(native.enc.encode('a'.repeat(16) + '蛋' + 'b'.repeat(15) + 'é')), 'a'.repeat(16) + '蛋' + 'b'.repeat(15) + 'é');
    assert.equal(dec.decode(), '');
    assert.equal(new codec.TextDecoder().decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])), 'A', 'BOM stripped unless ignoreBOM');
    assert.throws(() => new codec.TextDecoder('gbk'), /only utf-8/);
  });
});
