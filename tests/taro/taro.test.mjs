// The Taro 4 (React) example, examples/taro/, built the way its users build it: the
// packed goods-ranker tarball is installed with npm into a fresh copy of the app under
// target/taro/app/ (its Taro install hard-linked from examples/taro/node_modules, which
// `bash scripts/setup.sh --test` installs from the example's package-lock.json), then
// `taro build --type weapp` makes the production code package in dist/. Checked:
// - dist/ has app.json, the feed page, and the engine's .wasm.br at every code-package
//   path the built JavaScript passes to WXWebAssembly (byte-identical to the package's),
//   and no uncompressed .wasm;
// - with WeChat's tools (tests/miniprogram/wechat-tools.mjs): the WXML compiles, 构建 npm
//   finds nothing to build (every dependency is in Taro's bundles), and the code
//   package WeChat would upload stays within budget;
// - the built page, run in an emulated WeChat logic layer (weapp-emulator.mjs), loads
//   the engine through WXWebAssembly, ranks the sample catalog for the grandmother
//   (her eggs first, 「上次购买 6 天前，该补货了」), learns from a tap (a purchase),
//   saves the profile with Taro.setStorageSync and restores it after a restart.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedTarball } from '../../scripts/pack-pkg.mjs';
import { codePackageSize, compileWxml, packNpm } from '../miniprogram/wechat-tools.mjs';
import { byClass, createWeapp, tapEvent, textOf, until } from './weapp-emulator.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'taro');
const WORK = join(ROOT, 'target', 'taro');
const APP = join(WORK, 'app');
const DIST = join(APP, 'dist');
const PAGE = 'pages/feed/index';
const PROFILE_KEY = 'goods-ranker:profile';
/**
 * WeChat caps a main package at 2 MB; this example, the Taro 4 + React runtime and the
 * bundled 200-offer sample catalog included, is held to a quarter of that.
 */
const CODE_PACKAGE_BUDGET = 512 * 1024;
/** The example's own files (everything else is generated or installed). */
const APP_FILES = ['package.json', 'package-lock.json', '.npmrc', 'babel.config.js', 'project.config.json', 'config', 'src'];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
function timed(fn) {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
}
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}
function run(cmd, args, what, env = {}) {
  const result = spawnSync(cmd, args, { cwd: APP, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  const log = join(WORK, `${what}.log`);
  writeFileSync(log, `${result.stdout ?? ''}\n${result.stderr ?? ''}`);
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${what} failed (${result.error ?? `exit ${result.status}`}, log ${relative(ROOT, log)}):\n${tail}`);
  }
}

/** The `.wasm`/`.wasm.br` code-package paths string literals in the built JavaScript name. */
function wasmPathsInBuild() {
  const found = new Set();
  for (const file of files(DIST)) {
    if (!file.endsWith('.js')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/["'`](\/[^"'`\s]*\.wasm(?:\.br)?)["'`]/g)) found.add(m[1]);
  }
  return [...found].sort();
}

const timings = {};

before(() => {
  if (!existsSync(join(EXAMPLE, 'node_modules', '.package-lock.json'))) {
    throw new Error('examples/taro/node_modules is missing: run `bash scripts/setup.sh --test` (npm ci in examples/taro)');
  }
  const tarball = packedTarball();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(APP, { recursive: true });
  for (const name of APP_FILES) cpSync(join(EXAMPLE, name), join(APP, name), { recursive: true });
  // The installed Taro tool chain (1,100+ packages) is hard-linked, not installed again;
  // npm rewrites its record of the tree, so that one file is a copy.
  [, timings.link] = timed(() => {
    try {
      execFileSync('cp', ['-al', join(EXAMPLE, 'node_modules'), join(APP, 'node_modules')], { stdio: 'ignore' });
    } catch {
      // A cp without -l (BSD) or another file system: a plain copy (slower, same result).
      rmSync(join(APP, 'node_modules'), { recursive: true, force: true });
      cpSync(join(EXAMPLE, 'node_modules'), join(APP, 'node_modules'), { recursive: true, verbatimSymlinks: true });
    }
  });
  rmSync(join(APP, 'node_modules', '.package-lock.json'));
  copyFileSync(join(EXAMPLE, 'node_modules', '.package-lock.json'), join(APP, 'node_modules', '.package-lock.json'));
  [, timings.install] = timed(() => run('npm', ['install', '--include=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], 'npm-install'));
  [, timings.build] = timed(() => run(join(APP, 'node_modules', '.bin', 'taro'), ['build', '--type', 'weapp'], 'taro-build', { NODE_ENV: 'production' }));
});

after(() => {
  if (Object.keys(timings).length) {
    console.log(`taro example: node_modules hard-linked in ${seconds(timings.link)}, tarball installed in ${seconds(timings.install)}, taro build --type weapp in ${seconds(timings.build)}`);
  }
});

describe('Taro 4 example (React, weapp)', () => {
  test('the tarball was installed as a dependency of the copy', () => {
    const manifest = JSON.parse(readFileSync(join(APP, 'package.json'), 'utf8'));
    assert.match(manifest.dependencies['goods-ranker'] ?? '', /\.tgz$/);
    assert.ok(existsSync(join(APP, 'node_modules', 'goods-ranker', 'miniprogram', 'index.js')));
  });

  test('dist/ holds app.json and the feed page', () => {
    const app = JSON.parse(readFileSync(join(DIST, 'app.json'), 'utf8'));
    assert.deepEqual(app.pages, [PAGE]);
    assert.ok(app.requiredPrivateInfos.includes('getLocation'));
    assert.ok(app.permission['scope.userLocation'].desc);
    for (const ext of ['js', 'json', 'wxml', 'wxss']) assert.ok(existsSync(join(DIST, `${PAGE}.${ext}`)), `${PAGE}.${ext}`);
  });

  test('the engine module is in the code package at the path the page loads, and no raw .wasm is', () => {
    const paths = wasmPathsInBuild();
    assert.ok(paths.length > 0, 'the built JavaScript names the engine module by its code-package path');
    const shipped = readFileSync(join(APP, 'node_modules', 'goods-ranker', 'miniprogram', 'goods_ranker_bg.wasm.br'));
    for (const path of paths) {
      assert.match(path, /\.wasm\.br$/, `${path}: the brotli module is what the page loads`);
      const file = join(DIST, path);
      assert.ok(existsSync(file), `${path} is referenced by the build but missing from dist/`);
      assert.ok(readFileSync(file).equals(shipped), `${path} is the package's goods_ranker_bg.wasm.br`);
    }
    const raw = [...files(DIST)].filter((f) => f.endsWith('.wasm')).map((f) => relative(DIST, f));
    assert.deepEqual(raw, [], 'no uncompressed .wasm in the code package');
  });

  test('the package was bundled: no npm require is left for the mini-program to resolve', () => {
    for (const file of files(DIST)) {
      if (!file.endsWith('.js')) continue;
      assert.doesNotMatch(readFileSync(file, 'utf8'), /require\(["'](goods-ranker|react|@tarojs)/, relative(DIST, file));
    }
  });

  test('WXML compiles with WeChat\'s compiler', () => {
    const { files: compiled } = compileWxml(APP);
    assert.ok(compiled.includes(`${PAGE}.wxml`), compiled.join(', '));
  });

  test('构建 npm has nothing to build: Taro bundled every dependency', async () => {
    // What WeChat DevTools answers when 构建 npm is run on the project: no npm packages
    // under the mini-program root (dist/), so no miniprogram_npm/ is needed.
    await assert.rejects(packNpm(APP), /__NO_NODE_MODULES__/);
    assert.ok(!existsSync(join(DIST, 'miniprogram_npm')));
  });

  test(`code package within ${CODE_PACKAGE_BUDGET / 1024} KB`, () => {
    const { bytes, files: count, list } = codePackageSize(APP);
    const wasm = list.filter((f) => /\.wasm(\.br)?$/.test(f.path));
    const summary = `code package ${bytes} bytes (${(bytes / 1024).toFixed(1)} KB) in ${count} files, of which ${wasm.map((f) => `${f.path} ${f.bytes}`).join(', ')}`;
    console.log(`taro example: ${summary}`);
    assert.deepEqual(wasm.map((f) => `/${f.path}`), wasmPathsInBuild(), 'the engine module is counted in the package');
    assert.ok(bytes <= CODE_PACKAGE_BUDGET, `${summary}: over ${CODE_PACKAGE_BUDGET}`);
  });

  test('the built page ranks, learns from a tap, persists and restores (emulated WeChat)', async () => {
    const storage = new Map(); // the phone's storage, kept across a restart
    const rt = createWeapp(DIST, { storage });
    const page = rt.openPage(PAGE);
    const offers = () => byClass(page.data.root, 'offer');
    const footer = () => textOf(byClass(page.data.root, 'feed__footer')[0]);
    const errors = () => byClass(page.data.root, 'feed__error').map(textOf);
    await until(() => offers().length > 0 || errors().length > 0, 'the feed to render');
    assert.deepEqual(errors(), []);
    assert.deepEqual(rt.instantiated, wasmPathsInBuild(), 'the engine came through WXWebAssembly from the code package');

    const feed = offers().map((o) => ({
      node: o,
      title: textOf(byClass(o, 'offer__title')[0]),
      price: textOf(byClass(o, 'offer__price')[0]),
      reasons: byClass(o, 'offer__reason').map(textOf),
    }));
    assert.equal(feed.length, 10);
    assert.match(feed[0].title, /鸡蛋/, 'grandma is due for eggs');
    assert.ok(feed[0].reasons.includes('上次购买 6 天前，该补货了'), feed[0].reasons.join(' · '));
    for (const o of feed) {
      assert.match(o.price, /^¥\d+\.\d\d$/);
      assert.ok(o.reasons.length > 0, `${o.title} has reasons`);
    }
    assert.ok(feed.some((o) => o.reasons.some((r) => /^距你 [\d.]+ (米|公里)$/.test(r))), 'distances from the GCJ-02 location');
    const events = () => Number(/已记录 (\d+) 次/.exec(footer())?.[1]);
    const before = events();
    assert.ok(Number.isInteger(before), footer());

    // A tap is a purchase: recorded, saved right away, and the feed is ranked again.
    page.eh(tapEvent(feed[0].node));
    await until(() => events() === before + 1, 'the re-ranked feed');
    assert.equal(typeof storage.get(PROFILE_KEY), 'string', 'saved with Taro.setStorageSync');
    const bought = offers().find((o) => textOf(byClass(o, 'offer__title')[0]) === feed[0].title);
    if (bought) assert.ok(!byClass(bought, 'offer__reason').map(textOf).includes('上次购买 6 天前，该补货了'), 'just bought: not due any more');
    assert.notEqual(textOf(byClass(offers()[0], 'offer__title')[0]), feed[0].title, 'just bought: no longer first');
    const afterTap = offers().map((o) => textOf(byClass(o, 'offer__title')[0]));
    rt.closePage(page);

    // Restart: a new logic layer (new wasm instance) with the same storage.
    const rt2 = createWeapp(DIST, { storage });
    const page2 = rt2.openPage(PAGE);
    const offers2 = () => byClass(page2.data.root, 'offer');
    await until(() => offers2().length > 0, 'the feed after a restart');
    assert.equal(Number(/已记录 (\d+) 次/.exec(textOf(byClass(page2.data.root, 'feed__footer')[0]))?.[1]), before + 1, 'the purchase survived the restart');
    assert.deepEqual(offers2().map((o) => textOf(byClass(o, 'offer__title')[0])), afterTap);
  });
});
