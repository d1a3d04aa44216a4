// The shipped mini-program modules (the .wasm.br files in pkg/miniprogram/): no exported
// Global (iOS WeChat cannot export them), nothing beyond WebAssembly MVP + mutable
// globals (+ SIMD in the SIMD file), one import module, the brotli file equal to the
// build's .wasm; the folder holds only what a mini-program loads; the package entry
// points (`goods-ranker/miniprogram`, its sample data, `goods-ranker/miniprogram/testing`).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIR = join(ROOT, 'pkg', 'miniprogram');
/** The uncompressed modules scripts/build-miniprogram.mjs made (not shipped). */
const BUILT = join(ROOT, 'target', 'miniprogram', 'wasm');
const WASM_OPT = join(ROOT, 'node_modules', '.bin', 'wasm-opt');
/** A copy of the module without its `target_features` section (wasm-opt would enable what it lists). */
function withoutTargetFeatures(bytes) {
  const leb = (p) => { let r = 0; let s = 0; let x; do { x = bytes[p++]; r += (x & 0x7f) * 2 ** s; s += 7; } while (x & 0x80); return [r, p]; };
  const parts = [bytes.subarray(0, 8)];
  let p = 8;
  while (p < bytes.length) {
    const [size, body] = leb(p + 1);
    const [nameLen, name] = bytes[p] === 0 ? leb(body) : [0, body];
    if (!(bytes[p] === 0 && bytes.subarray(name, name + nameLen).toString() === 'target_features')) parts.push(bytes.subarray(p, body + size));
    p = body + size;
  }
  const dir = mkdtempSync(join(tmpdir(), 'gr-mp-'));
  const file = join(dir, 'm.wasm');
  writeFileSync(file, Buffer.concat(parts));
  return { file, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The size budget of a shipped module, brotli-compressed (1 KB = 1024 bytes). */
const BUDGET_KB = 90;

const files = ['goods_ranker_bg.wasm', 'goods_ranker_simd_bg.wasm'].filter((f) => f === 'goods_ranker_bg.wasm' || existsSync(join(DIR, `${f}.br`)));

describe('mini-program wasm modules', () => {
  for (const file of files) {
    const bytes = brotliDecompressSync(readFileSync(join(DIR, `${file}.br`)));
    const module = new WebAssembly.Module(bytes);

    test(`${file}: exports no Global, imports only the glue`, () => {
      const globals = WebAssembly.Module.exports(module).filter((e) => e.kind === 'global').map((e) => e.name);
      assert.deepEqual(globals, [], 'exported globals (unsupported on iOS WeChat)');
      assert.deepEqual([...new Set(WebAssembly.Module.imports(module).map((i) => i.module))], ['./goods_ranker_bg.js']);
      assert.ok(!WebAssembly.Module.exports(module).some((e) => e.kind === 'table'), 'no exported externref table (reference types)');
    });

    // What a mini-program's code package carries and a phone downloads: see
    // docs/BENCHMARKS.md, "Module size", for what is in it and what it costs.
    test(`${file}: the .wasm.br is at most ${BUDGET_KB} KB`, () => {
      const size = readFileSync(join(DIR, `${file}.br`)).length;
      assert.ok(size <= BUDGET_KB * 1024, `${file}.br is ${(size / 1024).toFixed(1)} KB (${size} bytes), over the ${BUDGET_KB} KB budget`);
    });

    test(`${file}: the .wasm.br is the module the build made`, { skip: existsSync(join(BUILT, file)) ? false : `${join(BUILT, file)} is not there (pkg/ built elsewhere)` }, () => {
      assert.ok(bytes.equals(readFileSync(join(BUILT, file))));
    });

    test(`${file}: validates with WebAssembly MVP + mutable globals${file.includes('simd') ? ' + SIMD' : ''} only`, () => {
      const features = ['--mvp-features', '--enable-mutable-globals', ...(file.includes('simd') ? ['--enable-simd'] : [])];
      // wasm-opt exits non-zero when the module uses a feature that is not enabled.
      const shipped = withoutTargetFeatures(bytes);
      const web = withoutTargetFeatures(readFileSync(join(ROOT, 'pkg', 'goods_ranker_bg.wasm')));
      try {
        execFileSync(WASM_OPT, [shipped.file, ...features, '-o', '/dev/null'], { stdio: 'pipe' });
        assert.throws(() => execFileSync(WASM_OPT, [web.file, ...features, '-o', '/dev/null'], { stdio: 'pipe' }),
          'control: the web build (reference types, bulk memory, …) does not validate as MVP');
      } finally {
        shipped.done();
        web.done();
      }
    });
  }

  test('the npm package exposes the mini-program entry', async () => {
    const pj = JSON.parse(readFileSync(join(ROOT, 'pkg', 'package.json'), 'utf8'));
    assert.equal(pj.miniprogram, 'miniprogram', 'WeChat "构建 npm" copies this directory');
    assert.deepEqual(pj.exports['./miniprogram'], { types: './miniprogram/index.d.ts', default: './miniprogram/index.js' });
    assert.ok(pj.files.includes('miniprogram/'));
    // Outside a mini-program (here: Node) the entry loads and says what is missing.
    const entry = await import(join(DIR, 'index.js'));
    assert.equal(typeof entry.init, 'function');
    assert.equal(typeof entry.Engine, 'function');
    await assert.rejects(entry.init({ path: '/goods_ranker_bg.wasm.br' }), /no WXWebAssembly\/TTWebAssembly/);
  });

  test('the miniprogram folder holds only what a mini-program loads (构建 npm copies all of it)', () => {
    const shipped = readdirSync(DIR).sort();
    assert.deepEqual(shipped.filter((f) => f.endsWith('.wasm')), [], 'no uncompressed .wasm');
    for (const f of ['index.js', 'goods_ranker_bg.js', 'text-codec.js', 'sample.js', 'goods_ranker_bg.wasm.br', 'package.json']) assert.ok(shipped.includes(f), f);
    assert.deepEqual(shipped.filter((f) => !/\.(js|d\.ts|wasm\.br|json)$/.test(f)), []);
    for (const f of shipped.filter((f) => f.endsWith('.js'))) {
      assert.doesNotMatch(readFileSync(join(DIR, f), 'utf8'), /require\(['"](node:|fs|path|zlib)/, `${f} requires a Node module`);
    }
  });

  test('sample.js: the sample catalog and users as CommonJS data, times rebased on now', async () => {
    const require = createRequire(import.meta.url);
    const sample = require(join(DIR, 'sample.js'));
    const { sampleCatalog, sampleUsers } = await import(join(ROOT, 'pkg', 'sample', 'node.js'));
    const EPOCH = 1_764_000_000_000;
    const catalog = sampleCatalog({ offers: 200 });
    assert.deepEqual(sample.catalogAt(EPOCH), catalog, 'at the reference time it is goods-ranker/sample\'s catalog');
    const later = EPOCH + 86_400_000;
    const timed = catalog.offers.findIndex((o) => 'endsAt' in o);
    assert.ok(timed >= 0);
    assert.equal(sample.catalogAt(later).offers[timed].endsAt, catalog.offers[timed].endsAt + 86_400_000);
    assert.deepEqual(sample.SAMPLE_USER_IDS, sampleUsers(catalog, EPOCH).map((u) => u.id));
    const grandma = sampleUsers(catalog, later).find((u) => u.id === 'grandma');
    assert.deepEqual(sample.sampleUser('grandma', later), { id: 'grandma', name: grandma.name, user: grandma.user });
    assert.throws(() => sample.sampleUser('nobody', later), /unknown sample user nobody/);
  });

  test('goods-ranker/miniprogram/testing is outside the miniprogram folder and exported', () => {
    const pj = JSON.parse(readFileSync(join(ROOT, 'pkg', 'package.json'), 'utf8'));
    assert.deepEqual(pj.exports['./miniprogram/testing'], { types: './testing/miniprogram.d.ts', default: './testing/miniprogram.js' });
    assert.ok(pj.files.includes('testing/'));
    const require = createRequire(join(ROOT, 'pkg', 'package.json'));
    const testing = require(join(ROOT, 'pkg', 'testing', 'miniprogram.js'));
    assert.deepEqual(Object.keys(testing).sort(), ['createWXWebAssembly', 'install', 'resolveMiniprogramNpm']);
  });
});
