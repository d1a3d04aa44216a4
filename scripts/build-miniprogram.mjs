// Builds the mini-program entry of the package, pkg/miniprogram/ (`goods-ranker/miniprogram`,
// and the `miniprogram` folder WeChat's 构建 npm copies into miniprogram_npm/goods-ranker/),
// and the Node-only test helpers, pkg/testing/ (`goods-ranker/miniprogram/testing`).
//
// pkg/miniprogram/ holds only what a mini-program loads — everything in it ends up in
// the code package: index.js (the adapter), goods_ranker_bg.js (the glue), text-codec.js,
// the modules as .wasm.br (scalar and SIMD), sample.js (the sample catalog as CommonJS
// data, for the example) and their .d.ts. The uncompressed modules stay in
// target/miniprogram/wasm/.
//
// The module shipped to mini-programs is built for the oldest runtimes we can reach:
// iOS WeChat rejects modules that use reference types or multi-value, so this build
//   1. compiles the crate and `std` (rebuilt from source, panics as bare traps) with
//      those post-MVP features switched off (its own CARGO_TARGET_DIR, so the web
//      build is untouched);
//   2. tells wasm-bindgen the module has no reference types (in case a dependency's
//      object still advertises them in `target_features`), so the glue keeps JS
//      values in a JS array instead of an exported `externref` table;
//   3. drops the exported wasm `Global`s (iOS WeChat cannot export them; the glue
//      never reads them);
//   4. lowers anything post-MVP that is still there (bulk memory, sign extension,
//      non-trapping float-to-int; none with the rebuilt `std`) with wasm-opt 132,
//      then optimises for size (opt-level s, wasm-opt -Os) with only MVP + mutable
//      globals enabled, which also validates that nothing post-MVP is left;
//   5. converts the bundler-target glue (`*_bg.js`, ESM) to CommonJS with the UTF-8
//      codec bound in its scope, and brotli-compresses the module (`.wasm.br`).
// A SIMD variant (`goods_ranker_simd_bg.wasm`, same glue) is built the same way with
// `+simd128` when GOODS_RANKER_MP_SIMD=1 or when the web build ships a SIMD module.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = join(root, 'pkg');
const finalDir = join(pkgDir, 'miniprogram');
// Staged outside pkg/ and copied in at the end, so a concurrent rebuild of pkg/ cannot
// leave a half-written entry.
const outDir = join(root, 'target', 'miniprogram', 'pkg');
/** The uncompressed modules (not shipped; what the .wasm.br files decompress to). */
const wasmDir = join(root, 'target', 'miniprogram', 'wasm');
const testingDir = join(pkgDir, 'testing');
const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.HOME}/.cargo/bin:${process.env.PATH}` };
const run = (cmd, args, extra = {}) => execFileSync(cmd, args, { cwd: root, env: { ...env, ...extra }, stdio: ['ignore', 'inherit', 'inherit'] });
const log = (msg) => console.log(`[build-miniprogram] ${msg}`);

/** Post-MVP features the lowering removes; the shipped module must validate without them. */
const LOWERED = ['reference-types', 'multivalue', 'bulk-memory', 'bulk-memory-opt', 'sign-ext', 'nontrapping-fptoint', 'call-indirect-overlong'];
/** The only wasm import module the glue provides. */
const GLUE_MODULE = './goods_ranker_bg.js';

// ---- a minimal wasm binary reader/writer: enough to edit two sections ----
function readLeb(bytes, pos) {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[pos++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [result, pos];
}
function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}
const name = (s) => Buffer.concat([leb(Buffer.byteLength(s)), Buffer.from(s)]);
function sections(bytes) {
  const list = [];
  let pos = 8;
  while (pos < bytes.length) {
    const id = bytes[pos];
    const [size, body] = readLeb(bytes, pos + 1);
    list.push({ id, body: bytes.subarray(body, body + size) });
    pos = body + size;
  }
  return list;
}
function assemble(list, header) {
  return Buffer.concat([header, ...list.flatMap((s) => [Buffer.from([s.id]), leb(s.body.length), s.body])]);
}

/** Removes `features` from the `target_features` custom section (what wasm-bindgen reads). */
function dropTargetFeatures(bytes, features) {
  const list = sections(bytes).map((s) => {
    if (s.id !== 0) return s;
    let [len, pos] = readLeb(s.body, 0);
    if (s.body.subarray(pos, pos + len).toString() !== 'target_features') return s;
    pos += len;
    let count;
    [count, pos] = readLeb(s.body, pos);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const prefix = s.body[pos];
      [len, pos] = readLeb(s.body, pos + 1);
      const feature = s.body.subarray(pos, pos + len).toString();
      pos += len;
      if (!features.includes(feature)) kept.push(Buffer.concat([Buffer.from([prefix]), name(feature)]));
    }
    return { id: 0, body: Buffer.concat([name('target_features'), leb(kept.length), ...kept]) };
  });
  return assemble(list, bytes.subarray(0, 8));
}

/** The module without its `target_features` custom section. */
function withoutTargetFeatures(bytes) {
  const list = sections(bytes).filter((s) => {
    if (s.id !== 0) return true;
    const [len, pos] = readLeb(s.body, 0);
    return s.body.subarray(pos, pos + len).toString() !== 'target_features';
  });
  return assemble(list, bytes.subarray(0, 8));
}

/** Removes every exported Global; returns the new bytes and the removed names. */
function dropGlobalExports(bytes) {
  const removed = [];
  const list = sections(bytes).map((s) => {
    if (s.id !== 7) return s;
    let [count, pos] = readLeb(s.body, 0);
    const kept = [];
    for (let i = 0; i < count; i++) {
      const start = pos;
      let len;
      [len, pos] = readLeb(s.body, pos);
      const exportName = s.body.subarray(pos, pos + len).toString();
      pos += len;
      const kind = s.body[pos];
      [, pos] = readLeb(s.body, pos + 1);
      if (kind === 3) removed.push(exportName);
      else kept.push(s.body.subarray(start, pos));
    }
    return { id: 7, body: Buffer.concat([leb(kept.length), ...kept]) };
  });
  return [assemble(list, bytes.subarray(0, 8)), removed];
}

/** The bundler glue (ESM) as a CommonJS module that takes its UTF-8 codec from ./text-codec.js. */
function glueToCommonJs(source) {
  if (/^\s*import\b/m.test(source)) throw new Error('build-miniprogram: the glue imports other modules; extend the conversion');
  const names = [];
  let body = source.replace(/^export (function|class|const|let) ([A-Za-z_$][\w$]*)/gm, (_, kind, id) => {
    names.push(id);
    return `${kind} ${id}`;
  });
  if (/^\s*export\b/m.test(body)) throw new Error('build-miniprogram: unconverted export in the glue');
  for (const forbidden of ['fetch(', 'import.meta', 'new URL', 'WebAssembly.']) {
    if (body.includes(forbidden)) throw new Error(`build-miniprogram: the glue uses ${forbidden}`);
  }
  body = body.replace(/^\/\* @ts-self-types=.*\*\/\n/m, '');
  return [
    '// Generated from wasm-bindgen\'s bundler-target glue by scripts/build-miniprogram.mjs: CommonJS,',
    '// with TextEncoder/TextDecoder bound to the bundled UTF-8 codec (mini-programs may lack them).',
    '\'use strict\';',
    'const { TextEncoder, TextDecoder } = require(\'./text-codec.js\');',
    body,
    names.map((id) => `exports.${id} = ${id};`).join('\n'),
    '',
  ].join('\n');
}

function buildVariant(variant) {
  const simd = variant === 'simd';
  const targetDir = join(root, 'target', simd ? 'miniprogram-simd' : 'miniprogram');
  const features = ['-reference-types', '-multivalue', '-bulk-memory', '-sign-ext', '-nontrapping-fptoint', ...(simd ? ['+simd128'] : [])];
  log(`cargo build (${variant}, ${features.join(',')})`);
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib', '-Zbuild-std=std,panic_abort'], {
    CARGO_TARGET_DIR: targetDir,
    // `std` is rebuilt from source (rust-src) with the same features switched off, and
    // panics become a bare trap (`immediate-abort`): the precompiled `std` carries the
    // panic message formatting and location strings, which nothing can read on a
    // phone (a panic is a bug; the engine reports bad input as errors). These two
    // flags are unstable, so this build, and only this one, sets RUSTC_BOOTSTRAP on
    // the project's pinned stable compiler.
    RUSTFLAGS: `-C target-feature=${features.join(',')} -Zunstable-options -Cpanic=immediate-abort`,
    RUSTC_BOOTSTRAP: '1',
    // Built for size: a mini-program's code package is capped (2 MB main package) and
    // downloaded on a phone network; see docs/BENCHMARKS.md for what it costs in speed.
    CARGO_PROFILE_RELEASE_OPT_LEVEL: 's',
  });
  const tmp = join(targetDir, 'bindgen');
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const raw = readFileSync(join(targetDir, 'wasm32-unknown-unknown', 'release', 'goods_ranker.wasm'));
  writeFileSync(join(tmp, 'goods_ranker.wasm'), dropTargetFeatures(raw, LOWERED));
  run('wasm-bindgen', ['--target', 'bundler', '--no-typescript', '--out-dir', tmp, '--out-name', 'goods_ranker', join(tmp, 'goods_ranker.wasm')]);
  const glue = readFileSync(join(tmp, 'goods_ranker_bg.js'), 'utf8');
  const [noGlobals, removed] = dropGlobalExports(readFileSync(join(tmp, 'goods_ranker_bg.wasm')));
  for (const g of removed) {
    if (glue.includes(g)) throw new Error(`build-miniprogram: the glue reads the exported global ${g}; it cannot be dropped`);
  }
  log(`dropped exported globals: ${removed.join(', ') || 'none'}`);
  writeFileSync(join(tmp, 'no-globals.wasm'), noGlobals);
  const all = ['--enable-bulk-memory', '--enable-bulk-memory-opt', '--enable-reference-types', '--enable-sign-ext', '--enable-multivalue', '--enable-nontrapping-float-to-int', '--enable-mutable-globals', ...(simd ? ['--enable-simd'] : [])];
  run('wasm-opt', [join(tmp, 'no-globals.wasm'), ...all, '--signext-lowering', '--llvm-memory-copy-fill-lowering', '--llvm-nontrapping-fptoint-lowering', '-o', join(tmp, 'lowered.wasm')]);
  // Reading with MVP + mutable globals (+ SIMD) only: wasm-opt fails here if anything
  // post-MVP survived the lowering, and -Os cannot introduce such instructions.
  const mvp = ['--mvp-features', '--enable-mutable-globals', ...(simd ? ['--enable-simd'] : [])];
  const wasmName = simd ? 'goods_ranker_simd_bg.wasm' : 'goods_ranker_bg.wasm';
  // wasm-opt enables whatever a `target_features` section lists (wasm-bindgen writes
  // reference-types and multivalue there again), so drop the section first.
  writeFileSync(join(tmp, 'lowered.wasm'), withoutTargetFeatures(readFileSync(join(tmp, 'lowered.wasm'))));
  run('wasm-opt', [join(tmp, 'lowered.wasm'), ...mvp, '-Os', '-o', join(wasmDir, wasmName)]);
  const wasm = readFileSync(join(wasmDir, wasmName));
  const module = new WebAssembly.Module(wasm);
  const imports = [...new Set(WebAssembly.Module.imports(module).map((i) => i.module))];
  if (imports.length !== 1 || imports[0] !== GLUE_MODULE) throw new Error(`build-miniprogram: unexpected import modules ${imports}`);
  const br = brotliCompressSync(wasm, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: wasm.length } });
  writeFileSync(join(outDir, `${wasmName}.br`), br);
  log(`${wasmName}: ${wasm.length} bytes, ${br.length} bytes brotli`);
  return glueToCommonJs(glue);
}

if (!existsSync(join(pkgDir, 'package.json'))) throw new Error('build-miniprogram: run scripts/build-pkg.sh first (pkg/ is missing)');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
rmSync(wasmDir, { recursive: true, force: true });
mkdirSync(wasmDir, { recursive: true });

const glue = buildVariant('scalar');
if (process.env.GOODS_RANKER_MP_SIMD === '1' || existsSync(join(pkgDir, 'goods_ranker_simd_bg.wasm'))) {
  if (buildVariant('simd') !== glue) throw new Error('build-miniprogram: the SIMD module needs different glue than the scalar one');
}
writeFileSync(join(outDir, 'goods_ranker_bg.js'), glue);
copyFileSync(join(root, 'js', 'miniprogram.js'), join(outDir, 'index.js'));
copyFileSync(join(root, 'js', 'miniprogram.d.ts'), join(outDir, 'index.d.ts'));
copyFileSync(join(root, 'js', 'miniprogram-text-codec.js'), join(outDir, 'text-codec.js'));
copyFileSync(join(root, 'js', 'miniprogram-sample.d.ts'), join(outDir, 'sample.d.ts'));
// The package is "type": "module"; these files are CommonJS (what mini-programs load).
const commonjs = (main) => `${JSON.stringify({ type: 'commonjs', main, types: main.replace(/\.js$/, '.d.ts') }, null, 2)}\n`;
writeFileSync(join(outDir, 'package.json'), commonjs('index.js'));

// The sample catalog and users as CommonJS data (`require('goods-ranker/sample')` after
// 构建 npm), for the example mini-program and for trying the engine before a server
// sends a catalog. Times are stored relative to the catalog's reference time and rebased
// on the caller's clock, so the sale windows and purchase histories stay current.
const { sampleCatalog, sampleUsers } = await import(join(pkgDir, 'sample', 'node.js'));
const SAMPLE_EPOCH_MS = 1_764_000_000_000; // src/sample.rs: the catalog's reference time
const SAMPLE_OFFERS = 200;
const catalog = sampleCatalog({ offers: SAMPLE_OFFERS });
const users = sampleUsers(catalog, SAMPLE_EPOCH_MS).map(({ id, name, user }) => ({ id, name, user }));
writeFileSync(join(outDir, 'sample.js'), `// Generated by scripts/build-miniprogram.mjs from goods-ranker/sample (${SAMPLE_OFFERS} offers); do not edit.
'use strict';
// Times are stored relative to SAMPLE_EPOCH (ms) and rebased on \`now\`, as a server
// would send a catalog with current sale windows.
const SAMPLE_EPOCH = ${SAMPLE_EPOCH_MS};
const catalog = ${JSON.stringify(catalog)};
const users = ${JSON.stringify(users)};
function shift(value, now) { return typeof value === 'number' ? value - SAMPLE_EPOCH + now : value; }
/** The sample catalog with its sale windows placed around \`now\` (epoch ms). */
function catalogAt(now) {
  return Object.assign({}, catalog, {
    offers: catalog.offers.map(function (o) {
      const copy = Object.assign({}, o);
      if ('startsAt' in o) copy.startsAt = shift(o.startsAt, now);
      if ('endsAt' in o) copy.endsAt = shift(o.endsAt, now);
      return copy;
    }),
  });
}
/** A sample user ('office-worker', 'grandma', 'parent', 'student', 'newcomer') with history times around \`now\`. */
function sampleUser(id, now) {
  const found = users.filter(function (u) { return u.id === id; })[0];
  if (!found) throw new Error('goods-ranker/sample: unknown sample user ' + id);
  const user = Object.assign({}, found.user);
  if (user.history) user.history = user.history.map(function (h) { return Object.assign({}, h, { at: shift(h.at, now) }); });
  return { id: found.id, name: found.name, user: user };
}
exports.SAMPLE_USER_IDS = users.map(function (u) { return u.id; });
exports.catalogAt = catalogAt;
exports.sampleUser = sampleUser;
`);

// Nothing that is not loaded in a mini-program: WeChat's 构建 npm copies this whole
// folder into the code package.
const unexpected = readdirSync(outDir).filter((f) => !/^(index|goods_ranker_bg|text-codec|sample)\.js$|^(index|sample)\.d\.ts$|^goods_ranker(_simd)?_bg\.wasm\.br$|^package\.json$/.test(f));
if (unexpected.length) throw new Error(`build-miniprogram: unexpected files in the miniprogram entry: ${unexpected.join(', ')}`);

rmSync(finalDir, { recursive: true, force: true });
cpSync(outDir, finalDir, { recursive: true });

// Node-only test helpers (a WXWebAssembly stand-in that reads the code package, and
// WeChat's npm resolution): outside pkg/miniprogram/, so 构建 npm never copies them.
rmSync(testingDir, { recursive: true, force: true });
mkdirSync(testingDir, { recursive: true });
copyFileSync(join(root, 'js', 'miniprogram-testing.js'), join(testingDir, 'miniprogram.js'));
copyFileSync(join(root, 'js', 'miniprogram-testing.d.ts'), join(testingDir, 'miniprogram.d.ts'));
writeFileSync(join(testingDir, 'package.json'), commonjs('miniprogram.js'));

// The package.json of the npm package: the export for Node/bundlers, and the
// `miniprogram` field WeChat's "构建 npm" copies into miniprogram_npm/goods-ranker/.
const manifestPath = join(pkgDir, 'package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
manifest.miniprogram = 'miniprogram';
const exportsMap = {};
for (const [key, value] of Object.entries(manifest.exports)) {
  if (!key.startsWith('./miniprogram')) exportsMap[key] = value;
}
exportsMap['./miniprogram'] = { types: './miniprogram/index.d.ts', default: './miniprogram/index.js' };
exportsMap['./miniprogram/testing'] = { types: './testing/miniprogram.d.ts', default: './testing/miniprogram.js' };
exportsMap['./miniprogram/*'] = './miniprogram/*';
manifest.exports = exportsMap;
manifest.files = [...new Set([...(manifest.files ?? []), 'miniprogram/', 'testing/'])];
writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
log(`pkg/miniprogram/ and pkg/testing/ ready`);
