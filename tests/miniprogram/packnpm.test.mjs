// The npm route of the example mini-program, with WeChat's own tools: a fresh copy of
// miniprogram/ under target/miniprogram/packnpm/, the packed tarball installed with npm
// (as `npm i goods-ranker`), then 构建 npm by miniprogram-ci (packNpm, offline). Checked:
// - miniprogram_npm/goods-ranker/ is exactly the package's `miniprogram` folder: the
//   .wasm.br modules (scalar and SIMD), no uncompressed .wasm, nothing from outside it
//   (the package's root .wasm files, the Node-only test helpers);
// - every npm require and every code-package .wasm path in the pages resolves in the
//   built project, so it runs with no path edited by hand;
// - every WXML compiles with WeChat's compiler (wcc);
// - the code package (what would be uploaded, node_modules excluded) against WeChat's
//   2 MB main-package cap, held to 400 KB; with 「过滤无依赖文件」 (on by default) an app
//   that does not require the sample data does not upload it, and the modules stay.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { prepareExample, ROOT } from './example-app.mjs';
import { codePackageSize, compileWxml, MAIN_PACKAGE_LIMIT, uploadedSize } from './wechat-tools.mjs';

/** The example's code package, sample catalog and both modules included. */
const BUDGET = 400 * 1024;
const SHIPPED = join(ROOT, 'pkg', 'miniprogram');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

let app;
before(async () => {
  app = await prepareExample('packnpm');
  console.log(`packnpm: tarball installed in ${(app.ms.install / 1000).toFixed(1)} s; 构建 npm ${(app.pack.ms / 1000).toFixed(2)} s (${(app.ms.packNpm / 1000).toFixed(1)} s with loading miniprogram-ci and making the throwaway key)`);
});

describe('构建 npm of the example (miniprogram-ci)', () => {
  test('packNpm built the package as a mini-program package, without warnings', () => {
    assert.deepEqual(app.pack.warnings, []);
    assert.equal(app.pack.report.miniprogram_pack_num, 1, 'goods-ranker was copied from its `miniprogram` folder');
    assert.equal(app.pack.report.other_pack_num, 0, 'nothing was bundled from a `main` entry');
  });

  test('miniprogram_npm/goods-ranker/ is the package\'s miniprogram folder: .wasm.br modules, no raw .wasm', () => {
    const out = join(app.dir, 'miniprogram_npm', 'goods-ranker');
    const built = [...files(out)].map((f) => relative(out, f)).sort();
    const installed = join(app.dir, 'node_modules', 'goods-ranker', 'miniprogram');
    assert.deepEqual(built, [...files(installed)].map((f) => relative(installed, f)).sort());
    for (const f of built) assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(SHIPPED, f))), `${f} is the file in pkg/miniprogram/`);
    for (const f of ['goods_ranker_bg.wasm.br', 'goods_ranker_simd_bg.wasm.br', 'index.js', 'goods_ranker_bg.js', 'text-codec.js', 'sample.js']) {
      assert.ok(built.includes(f), `${f} is in miniprogram_npm/goods-ranker/`);
    }
    const raw = [...files(join(app.dir, 'miniprogram_npm'))].filter((f) => f.endsWith('.wasm'));
    assert.deepEqual(raw, [], 'no uncompressed .wasm in miniprogram_npm/');
    // The package's root has the web modules (.wasm) and the Node-only test helpers:
    // both are in node_modules, neither may reach the code package.
    assert.ok(existsSync(join(app.dir, 'node_modules', 'goods-ranker', 'goods_ranker_bg.wasm')));
    assert.ok(existsSync(join(app.dir, 'node_modules', 'goods-ranker', 'testing', 'miniprogram.js')));
    assert.ok(!built.some((f) => f.startsWith('testing') || f === 'goods_ranker.js' || f === 'web.js'));
  });

  test('the pages\' npm requires and .wasm paths resolve in the built project (no hand-edited paths)', () => {
    const pages = [...files(join(app.dir, 'pages'))].filter((f) => f.endsWith('.js'));
    const requires = new Set();
    const wasmPaths = new Set();
    for (const file of pages) {
      const js = readFileSync(file, 'utf8');
      for (const m of js.matchAll(/require\(\s*['"]([^'"]+)['"]\s*\)/g)) if (!m[1].startsWith('.')) requires.add(m[1]);
      for (const m of js.matchAll(/['"`](\/[^'"`\s]+\.wasm(?:\.br)?)['"`]/g)) wasmPaths.add(m[1]);
    }
    assert.deepEqual([...requires].sort(), ['goods-ranker', 'goods-ranker/sample']);
    for (const spec of requires) {
      const npm = join(app.dir, 'miniprogram_npm', spec);
      assert.ok(existsSync(`${npm}.js`) || existsSync(join(npm, 'index.js')), `require('${spec}') resolves in miniprogram_npm/`);
    }
    assert.ok(wasmPaths.size >= 1);
    for (const path of wasmPaths) {
      assert.match(path, /^\/miniprogram_npm\/goods-ranker\/[^/]+\.wasm\.br$/);
      assert.ok(existsSync(join(app.dir, path)) && statSync(join(app.dir, path)).isFile(), `${path} is in the code package`);
    }
  });

  test('every WXML compiles with WeChat\'s compiler (wcc)', () => {
    const { files: compiled } = compileWxml(app.dir);
    assert.ok(compiled.includes('pages/feed/feed.wxml'), compiled.join(', '));
  });

  test(`code package within ${BUDGET / 1024} KB (WeChat main package cap: ${MAIN_PACKAGE_LIMIT / 1024 / 1024} MB)`, (t) => {
    const size = codePackageSize(app.dir);
    const npm = size.list.filter((f) => f.path.startsWith('miniprogram_npm/'));
    const npmBytes = npm.reduce((s, f) => s + f.bytes, 0);
    const line = `code package ${size.bytes} bytes (${kb(size.bytes)}, ${(100 * size.bytes / MAIN_PACKAGE_LIMIT).toFixed(1)} % of 2 MB) in ${size.files} files; miniprogram_npm/goods-ranker ${kb(npmBytes)} in ${npm.length} files; the example's own files ${kb(size.bytes - npmBytes)}`;
    t.diagnostic(line);
    console.log(`packnpm: ${line}`);
    assert.ok(!size.list.some((f) => f.path.startsWith('node_modules/')));
    assert.ok(size.bytes <= BUDGET, `${size.bytes} bytes, over ${BUDGET}`);
  });

  test('过滤无依赖文件: the sample data is uploaded only by an app that requires it; the modules always are', async (t) => {
    const withSample = await uploadedSize(app.dir);
    assert.ok(withSample.list.some((f) => f.path === 'miniprogram_npm/goods-ranker/sample.js'), 'the example requires it');
    // The same app without the sample: its catalog comes from elsewhere (as from a server).
    const dir = join(ROOT, 'target', 'miniprogram', 'packnpm-nosample');
    rmSync(dir, { recursive: true, force: true });
    cpSync(app.dir, dir, { recursive: true, filter: (src) => !src.includes(`${app.dir}/node_modules`) });
    const page = join(dir, 'pages', 'feed', 'feed.js');
    const js = readFileSync(page, 'utf8');
    assert.match(js, /require\('goods-ranker\/sample'\)/);
    writeFileSync(page, js.replace("require('goods-ranker/sample')", "{ catalogAt: () => ({ version: 1, stores: [], offers: [] }), sampleUser: () => ({ user: {} }) }"));
    const without = await uploadedSize(dir);
    assert.ok(without.unused.includes('miniprogram_npm/goods-ranker/sample.js'), without.unused.join(', '));
    for (const f of ['index.js', 'goods_ranker_bg.js', 'text-codec.js', 'goods_ranker_bg.wasm.br', 'goods_ranker_simd_bg.wasm.br']) {
      assert.ok(without.list.some((x) => x.path === `miniprogram_npm/goods-ranker/${f}`), `${f} is uploaded`);
    }
    const line = `uploaded with 过滤无依赖文件: the example ${withSample.bytes} bytes (${kb(withSample.bytes)}); an app without the sample data ${without.bytes} bytes (${kb(without.bytes)})`;
    t.diagnostic(line);
    console.log(`packnpm: ${line}`);
  });
});
