// The npm package as a user gets it: bare-specifier import in Node, the web target
// initialised by hand, the package.json contract, and clean TypeScript types.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NOW } from './helpers.mjs';

const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const temps = [];
const tempDir = (prefix) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  temps.push(d);
  return d;
};
after(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** Runs `node file` in `cwd` and returns its parsed JSON stdout. */
function runNode(cwd, file) {
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, `node ${file} exited ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// The consumer script: ranks the sample feed and reports what it saw.
const CONSUMER = (specifier, sampleSpecifier = `${specifier}/sample`) => `
import { Engine, Profile } from ${JSON.stringify(specifier)};
import { sampleCatalog, sampleUsers } from ${JSON.stringify(sampleSpecifier)};
const now = ${NOW};
const catalog = sampleCatalog({ offers: 120 });
const engine = Engine.fromCatalog(catalog);
const grandma = sampleUsers(catalog, now).find((u) => u.id === 'grandma');
const profile = Profile.fromUser(grandma.user);
const feed = engine.rank(profile, { now, limit: 5 });
let error = null;
try { Engine.fromCatalog({ version: 1, stores: [], offers: [{ id: 'x' }] }); } catch (e) { error = { name: e.name, code: e.code, path: e.path, isError: e instanceof Error }; }
console.log(JSON.stringify({
  offerCount: engine.offerCount,
  ids: feed.map((o) => o.offerId),
  ranks: feed.map((o) => o.rank),
  scores: feed.map((o) => o.score),
  firstReasons: feed[0].reasons.map((r) => r.code),
  saved: Profile.load(profile.toBase64()).eventCount === profile.eventCount,
  error,
}));
`;

/** The same computation in this process, to compare with the child's output. */
async function expected() {
  const { Engine, Profile } = await import('../../pkg/node.js');
  const { sampleCatalog, sampleUsers } = await import('../../pkg/sample/node.js');
  const catalog = sampleCatalog({ offers: 120 });
  const engine = Engine.fromCatalog(catalog);
  const grandma = sampleUsers(catalog, NOW).find((u) => u.id === 'grandma');
  const feed = engine.rank(Profile.fromUser(grandma.user), { now: NOW, limit: 5 });
  return { offerCount: 120, ids: feed.map((o) => o.offerId) };
}

function assertConsumerOutput(out, want) {
  assert.equal(out.offerCount, 120);
  assert.deepEqual(out.ids, want.ids);
  assert.deepEqual(out.ranks, [1, 2, 3, 4, 5]);
  assert.ok(out.scores.every((s) => s >= 0 && s <= 1));
  assert.ok(out.firstReasons.length > 0);
  assert.equal(out.saved, true);
  assert.equal(out.error?.name, 'GoodsRankerError');
  assert.equal(out.error?.isError, true);
  assert.equal(out.error?.code, 'invalidInput');
  assert.ok(out.error?.path.startsWith('offers[0]'), out.error?.path);
}

describe('installed package', () => {
  test("import from 'goods-ranker' via node_modules (symlink to pkg/)", async () => {
    const dir = tempDir('goods-ranker-link-');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(PKG, join(dir, 'node_modules', 'goods-ranker'), 'dir');
    writeFileSync(join(dir, 'main.mjs'), CONSUMER('goods-ranker'));
    assertConsumerOutput(runNode(dir, 'main.mjs'), await expected());
    // A CommonJS-typed project can still load it with an .mjs file (and the subpath exports resolve).
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    writeFileSync(join(dir, 'sub.mjs'), `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const pj = require('goods-ranker/package.json');
      const web = await import('goods-ranker/web');
      console.log(JSON.stringify({ name: pj.name, webInit: typeof web.initSync, webDefault: typeof web.default, wasm: import.meta.resolve('goods-ranker/goods_ranker_bg.wasm') }));
    `);
    const sub = runNode(dir, 'sub.mjs');
    assert.equal(sub.name, 'goods-ranker');
    assert.equal(sub.webInit, 'function');
    assert.equal(sub.webDefault, 'function');
    assert.match(sub.wasm, /goods_ranker_bg\.wasm$/);
  });

  test('npm pack + npm install of the tarball works offline', async () => {
    const dir = tempDir('goods-ranker-pack-');
    const packed = JSON.parse(execFileSync('npm', ['pack', PKG, '--pack-destination', dir, '--json'], { encoding: 'utf8', cwd: dir, timeout: 30_000 }));
    const files = packed[0].files.map((f) => f.path);
    for (const f of ['package.json', 'goods_ranker.js', 'goods_ranker_bg.wasm', 'goods_ranker.d.ts', 'node.js', 'node.d.ts', 'sample/node.js', 'sample/goods_ranker_sample_bg.wasm']) {
      assert.ok(files.includes(f), `tarball contains ${f}: ${files}`);
    }
    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, packed[0].filename)], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    writeFileSync(join(app, 'main.mjs'), CONSUMER('goods-ranker'));
    assertConsumerOutput(runNode(app, 'main.mjs'), await expected());

    // TypeScript in the consumer project resolves the types through the exports map.
    // (lib includes esnext.disposable: the d.ts uses Symbol.dispose; types.test.mjs shows
    // that it fails to compile without it.)
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM', 'ESNext.Disposable'], types: [], skipLibCheck: false }, files: ['index.ts'] }));
    writeFileSync(join(app, 'index.ts'), `
      import { Engine, Profile, type RankedOffer } from 'goods-ranker';
      import { sampleCatalog } from 'goods-ranker/sample';
      const engine: Engine = Engine.fromCatalog(sampleCatalog());
      const feed: RankedOffer[] = engine.rank(new Profile(), { limit: 3 });
      const n: number = feed[0].score;
      // @ts-expect-error limit is a number
      engine.rank(new Profile(), { limit: '3' });
      export { n };
    `);
    const tsc = spawnSync(TSC, ['-p', join(app, 'tsconfig.json')], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(tsc.status, 0, `tsc: ${tsc.stdout}${tsc.stderr}`);
  });

  test('web target under Node: initSync({ module }) then rank', async () => {
    const dir = tempDir('goods-ranker-web-');
    const js = pathToFileURL(join(PKG, 'goods_ranker.js')).href;
    const wasm = join(PKG, 'goods_ranker_bg.wasm');
    const sampleJs = pathToFileURL(join(PKG, 'sample', 'node.js')).href;
    writeFileSync(join(dir, 'web.mjs'), `
      import { readFileSync } from 'node:fs';
      import { initSync, Engine } from ${JSON.stringify(js)};
      let before = null;
      try { Engine.fromCatalog({ version: 1, stores: [], offers: [] }); before = 'worked'; } catch (e) { before = e.constructor.name; }
      const out = initSync({ module: readFileSync(${JSON.stringify(wasm)}) });
      console.log(JSON.stringify({ before, hasMemory: out.memory instanceof WebAssembly.Memory }));
    `);
    writeFileSync(join(dir, 'main.mjs'), CONSUMER(js, sampleJs).replace(
      /^\nimport \{/,
      `\nimport { readFileSync } from 'node:fs';\nimport { initSync } from ${JSON.stringify(js)};\nimport {`,
    ).replace('const now =', `initSync({ module: readFileSync(${JSON.stringify(wasm)}) });\nconst now =`));
    assertConsumerOutput(runNode(dir, 'main.mjs'), await expected());
    const w = runNode(dir, 'web.mjs');
    assert.equal(w.hasMemory, true);
    assert.notEqual(w.before, 'worked', 'the web entry needs initialisation before use');

    // The async default init with bytes works too.
    writeFileSync(join(dir, 'async.mjs'), `
      import { readFileSync } from 'node:fs';
      import init, { Engine } from ${JSON.stringify(js)};
      import { sampleCatalog } from ${JSON.stringify(sampleJs)};
      await init({ module_or_path: readFileSync(${JSON.stringify(wasm)}) });
      console.log(JSON.stringify({ n: Engine.fromCatalog(sampleCatalog({ offers: 10 })).offerCount }));
    `);
    assert.deepEqual(runNode(dir, 'async.mjs'), { n: 10 });
  });
});

describe('package metadata', () => {
  const pj = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));

  test('package.json is an ESM package with a node export condition', () => {
    assert.equal(pj.name, 'goods-ranker');
    assert.equal(pj.type, 'module');
    assert.equal(typeof pj.exports, 'object');
    const dot = pj.exports['.'];
    assert.equal(typeof dot, 'object');
    // Node gets its own entry (and types); everything else the web entry.
    assert.deepEqual(Object.keys(dot), ['node', 'types', 'default'], 'condition order');
    assert.deepEqual(Object.keys(dot.node), ['types', 'default'], '"types" first inside "node"');
    const targets = [dot.node.types, dot.node.default, dot.types, dot.default, pj.types, pj.main];
    for (const target of targets.filter(Boolean)) {
      assert.ok(existsSync(join(PKG, target)), `${target} exists in pkg/`);
    }
    // The files list ships everything the exports point at, and both builds.
    const shipped = [...targets, './goods_ranker_bg.wasm', './goods_ranker_simd_bg.wasm', './simd.js'];
    for (const f of shipped.filter(Boolean).map((p) => p.replace(/^\.\//, ''))) {
      assert.ok(pj.files.includes(f), `"files" includes ${f}`);
    }
    // node.js imports the wasm synchronously from next to itself.
    assert.match(readFileSync(join(PKG, 'node.js'), 'utf8'), /initSync/);
  });

  test('goods_ranker.d.ts has no `any` outside comments', () => {
    for (const file of ['goods_ranker.d.ts', 'node.d.ts', 'web.d.ts', 'sample/goods_ranker_sample.d.ts', 'sample/node.d.ts']) {
      const src = readFileSync(join(PKG, file), 'utf8');
      const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const hits = code.split('\n').filter((l) => /\bany\b/.test(l));
      assert.deepEqual(hits, [], `${file} uses any`);
    }
    // And the declarations of the public API are present.
    const dts = readFileSync(join(PKG, 'goods_ranker.d.ts'), 'utf8');
    for (const name of ['class Engine', 'class Profile', 'interface RankedOffer', 'type Reason', 'interface GoodsRankerError']) {
      assert.ok(dts.includes(name), `d.ts declares ${name}`);
    }
    // The sample generator lives in its own module, not in the shipped engine.
    assert.ok(!dts.includes('function sampleCatalog'), 'the engine module exports no sample data');
    const sampleDts = readFileSync(join(PKG, 'sample', 'goods_ranker_sample.d.ts'), 'utf8');
    for (const name of ['function sampleCatalog', 'function sampleUsers', 'interface SampleUser']) {
      assert.ok(sampleDts.includes(name), `sample d.ts declares ${name}`);
    }
  });
});
