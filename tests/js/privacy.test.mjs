// No network access: the engine's wasm modules import nothing that can reach the
// network, the package's JS never calls a network API except the one documented
// `fetch` in the wasm-bindgen web glue's init() that loads the package's own .wasm,
// and at run time ranking, recording and saving call no network API at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'pkg');
const NETWORK = /\b(fetch|XMLHttpRequest|WebSocket|sendBeacon|EventSource|importScripts|RTCPeerConnection|WebTransport|request|connectSocket|uploadFile|downloadFile)\b/g;

function files(dir, ext, recursive) {
  let out = [];
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (recursive) out = out.concat(files(path, ext, true));
    } else if (name.endsWith(ext)) out.push(path);
  }
  return out;
}

const wasmFiles = [
  ...files(pkg, '.wasm', false),
  ...files(join(pkg, 'sample'), '.wasm', false),
  // The mini-program entry ships its modules brotli-compressed only.
  ...files(join(pkg, 'miniprogram'), '.wasm.br', true),
];
const wasmBytes = (f) => (f.endsWith('.br') ? brotliDecompressSync(readFileSync(f)) : readFileSync(f));
const jsFiles = [
  ...files(pkg, '.js', false),
  ...files(join(pkg, 'sample'), '.js', false),
  ...files(join(pkg, 'miniprogram'), '.js', true),
  ...files(join(pkg, 'testing'), '.js', true),
];

test('the package has the modules this test inspects', () => {
  const names = wasmFiles.map((f) => f.slice(pkg.length + 1));
  for (const f of ['goods_ranker_bg.wasm', 'goods_ranker_simd_bg.wasm', 'sample/goods_ranker_sample_bg.wasm', 'miniprogram/goods_ranker_bg.wasm.br', 'miniprogram/goods_ranker_simd_bg.wasm.br']) {
    assert.ok(names.includes(f), `${f} missing from ${names}`);
  }
  assert.ok(jsFiles.length >= 6, `only ${jsFiles.length} JS files`);
});

test('wasm modules import only wasm-bindgen glue shims, none of them a network API', () => {
  for (const file of wasmFiles) {
    const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasmBytes(file)));
    assert.ok(imports.length > 0, file);
    for (const { module, name, kind } of imports) {
      // Everything comes from the package's own JS glue: no host module, no WASI.
      assert.match(module, /^\.\/goods_ranker(_sample)?_bg\.js$/, `${file}: import from ${module}`);
      assert.equal(kind, 'function', `${file}: ${name} is a ${kind}`);
      assert.doesNotMatch(name, NETWORK, `${file} imports ${name}`);
      assert.doesNotMatch(name, /fetch|xhr|http|socket|beacon|url|navigator|worker|storage/i, `${file} imports ${name}`);
    }
  }
});

/** The body of `function name(...) { ... }` in `src`, by brace matching. */
function functionBody(src, name) {
  const start = src.search(new RegExp(`function ${name}\\s*\\(`));
  assert.ok(start >= 0, `function ${name} not found`);
  const open = src.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '{') depth++;
    if (src[i] === '}' && --depth === 0) return { start: open, end: i + 1, text: src.slice(open, i + 1) };
  }
  assert.fail(`unbalanced ${name}`);
}

test('the JS package references no network API except the glue init fetch of its own .wasm', () => {
  const allowed = [];
  for (const file of jsFiles) {
    const src = readFileSync(file, 'utf8');
    const rel = file.slice(pkg.length + 1);
    const glue = /^(goods_ranker\.js|sample\/goods_ranker_sample\.js)$/.test(rel);
    for (const m of src.matchAll(NETWORK)) {
      const line = src.slice(src.lastIndexOf('\n', m.index) + 1, src.indexOf('\n', m.index));
      if (glue && m[1] === 'fetch') {
        // (1) The one call: inside the init path, fetching `module_or_path`, which
        //     defaults to the package's own .wasm next to the glue.
        const init = functionBody(src, '__wbg_init_once');
        if (line.trim() === 'module_or_path = fetch(module_or_path);' && m.index > init.start && m.index < init.end) {
          const wasmName = rel.startsWith('sample/') ? 'goods_ranker_sample_bg.wasm' : 'goods_ranker_bg.wasm';
          assert.ok(init.text.includes(`module_or_path = new URL('${wasmName}', import.meta.url);`), `${rel}: init default is not the package's own .wasm`);
          allowed.push(rel);
          continue;
        }
        // (2) The word inside the error message of a failed load.
        if (line.includes('throw new Error(`failed to fetch Wasm:')) continue;
      }
      // Comments mentioning the word are fine; code is not.
      if (/^\s*(\/\/|\*|\/\*)/.test(line)) continue;
      assert.fail(`${rel}: network reference \`${m[1]}\` in: ${line.trim()}`);
    }
  }
  // Exactly one fetch call per web glue (engine and sample), none elsewhere.
  assert.deepEqual(allowed.sort(), ['goods_ranker.js', 'sample/goods_ranker_sample.js']);
  // The web entry passes init() only the package's own files (or the caller's input as is).
  const web = readFileSync(join(pkg, 'web.js'), 'utf8');
  // Each URL is a literal `new URL('./….wasm', import.meta.url)` (what bundlers follow),
  // and the only URLs it builds are those two.
  const code = (src) => src.split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');
  const urls = [...code(web).matchAll(/new URL\(([^)]*)\)/g)].map((m) => m[1]);
  assert.deepEqual(urls.sort(), ["'./goods_ranker_bg.wasm', import.meta.url", "'./goods_ranker_simd_bg.wasm', import.meta.url"]);
  assert.match(web, /initGlue\(\{ module_or_path: url \}\)/);
  const sampleWeb = readFileSync(join(pkg, 'sample', 'web.js'), 'utf8');
  assert.deepEqual([...code(sampleWeb).matchAll(/new URL\(([^)]*)\)/g)].map((m) => m[1]), ["'./goods_ranker_sample_bg.wasm', import.meta.url"]);
  // The Node and mini-program entries load the wasm from disk / the package, never fetch.
  for (const rel of ['node.js', 'sample/node.js']) {
    assert.doesNotMatch(readFileSync(join(pkg, rel), 'utf8'), /\bfetch\b/, rel);
  }
});

const TRIPWIRES = ['fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts'];

function withTripwires(run) {
  const calls = [];
  const saved = {};
  for (const name of TRIPWIRES) {
    saved[name] = Object.getOwnPropertyDescriptor(globalThis, name);
    Object.defineProperty(globalThis, name, {
      configurable: true,
      writable: true,
      value: function tripwire(...args) {
        calls.push({ name, args: args.map(String) });
        if (name === 'fetch') return saved.fetch.value(...args);
        throw new Error(`network API ${name} called`);
      },
    });
  }
  return Promise.resolve()
    .then(run)
    .finally(() => {
      for (const name of TRIPWIRES) {
        if (saved[name]) Object.defineProperty(globalThis, name, saved[name]);
        else delete globalThis[name];
      }
    })
    .then(() => calls);
}

async function exercise({ Engine, Profile }, catalog) {
  const engine = Engine.fromCatalog(catalog);
  const profile = Profile.fromUser({ age: 68, incomeBand: 2, location: { lat: 39.9862, lng: 116.4706 } });
  const now = Date.UTC(2025, 10, 25, 2);
  const feed = engine.rank(profile, { now, limit: 10, explore: { seed: 1 } });
  assert.ok(feed.length > 0);
  engine.record(profile, { type: 'purchase', offerId: feed[0].offerId, at: now });
  engine.shouldNotify(profile, { now });
  const restored = Profile.load(profile.toBase64());
  assert.equal(restored.eventCount, 1);
  Engine.fromBinary(engine.toBinary()).rank(restored, { now });
}

// First: the Node entry initialises the same glue synchronously, after which init()
// would not fetch at all.
test("at run time the web entry fetches only its own .wasm, once, and nothing after", async () => {
  const calls = await withTripwires(async () => {
    // Serve file: URLs the way a web server would serve the package's files.
    const realFetch = globalThis.fetch;
    const served = [];
    globalThis.fetch = (url) => {
      served.push(String(url));
      return Promise.resolve(new Response(readFileSync(fileURLToPath(url)), { headers: { 'content-type': 'application/wasm' } }));
    };
    try {
      const web = await import(pathToFileURL(join(pkg, 'web.js')).href);
      await web.default();
      const { sampleCatalog } = await import(pathToFileURL(join(pkg, 'sample', 'node.js')).href);
      const before = served.length;
      await exercise(web, sampleCatalog({ offers: 200 }));
      assert.equal(served.length, before, 'fetch after init');
      assert.equal(served.length, 1, served.join(', '));
      const dir = pathToFileURL(pkg).href;
      assert.ok([`${dir}/goods_ranker_simd_bg.wasm`, `${dir}/goods_ranker_bg.wasm`].includes(served[0]), served[0]);
    } finally {
      globalThis.fetch = realFetch;
    }
  });
  assert.deepEqual(calls, []);
});

test('at run time the Node entry calls no network API', async () => {
  const calls = await withTripwires(async () => {
    const node = await import(pathToFileURL(join(pkg, 'node.js')).href);
    const { sampleCatalog } = await import(pathToFileURL(join(pkg, 'sample', 'node.js')).href);
    await exercise(node, sampleCatalog({ offers: 200 }));
  });
  assert.deepEqual(calls, []);
});
