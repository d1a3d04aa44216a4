// Completes the wasm-pack output in pkg/: adds the Node.js entries (which load the
// .wasm from disk synchronously), the export map (`goods-ranker` and
// `goods-ranker/sample`), and exact TypeScript signatures.
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = `${root}pkg/`;

for (const file of ['node.js', 'node.d.ts', 'web.js', 'web.d.ts', 'simd.js']) {
  copyFileSync(`${root}js/${file}`, `${pkgDir}${file}`);
}
copyFileSync(`${root}js/sample-node.js`, `${pkgDir}sample/node.js`);
copyFileSync(`${root}js/sample-node.d.ts`, `${pkgDir}sample/node.d.ts`);
copyFileSync(`${root}js/sample-web.js`, `${pkgDir}sample/web.js`);
copyFileSync(`${root}js/sample-web.d.ts`, `${pkgDir}sample/web.d.ts`);
rmSync(`${pkgDir}sample/.gitignore`, { force: true });

// wasm-bindgen cannot mark a custom-typed `Option<JsValue>` parameter optional, and
// types the raw exports of `InitOutput` as `any`: make both exact.
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
function finishTypes(path, optionalParams) {
  let dts = readFileSync(path, 'utf8');
  for (const [method, param, type] of optionalParams) {
    const re = new RegExp(`(\\b${method}\\([^)]*?)\\b${param}\\??: ${escape(type)}\\)`);
    if (!re.test(dts)) throw new Error(`finish-pkg: cannot find ${method}(${param}: ${type}) in ${path}`);
    dts = dts.replace(re, `$1${param}?: ${type})`);
  }
  dts = dts.replace(/(export interface InitOutput \{[\s\S]*?\n\})/, (block) => block.replaceAll(': any', ': unknown'));
  // The classes implement `[Symbol.dispose]` (for `using`); name the lib that declares
  // it, so projects targeting ES2022 type-check too.
  const lib = '/// <reference lib="esnext.disposable" />\n';
  writeFileSync(path, dts.startsWith(lib) ? dts : lib + dts);
}
finishTypes(`${pkgDir}goods_ranker.d.ts`, [
  ['fromCatalog', 'options', 'EngineOptions'],
  ['fromBinary', 'options', 'EngineOptions'],
  ['rank', 'options', 'RankOptions'],
  ['filtered', 'options', 'RankOptions'],
  ['rankWithVariant', 'options', 'RankOptions'],
  ['shouldNotify', 'options', 'NotifyOptions'],
  ['rankForGroup', 'options', 'GroupOptions'],
  ['add', 'name', 'string'],
  ['fromUser', 'user', 'UserInput'],
]);
finishTypes(`${pkgDir}sample/goods_ranker_sample.d.ts`, [
  ['sampleCatalog', 'options', 'SampleOptions'],
  ['sampleUsers', 'now', 'number | null'],
]);

const manifest = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
manifest.type = 'module';
manifest.files = [
  ...new Set([
    ...(manifest.files ?? []),
    'node.js',
    'node.d.ts',
    'web.js',
    'web.d.ts',
    'simd.js',
    'goods_ranker_simd_bg.wasm',
    'sample/goods_ranker_sample.js',
    'sample/goods_ranker_sample.d.ts',
    'sample/goods_ranker_sample_bg.wasm',
    'sample/goods_ranker_sample_bg.wasm.d.ts',
    'sample/node.js',
    'sample/node.d.ts',
    'sample/web.js',
    'sample/web.d.ts',
  ]),
];
manifest.exports = {
  '.': {
    node: { types: './node.d.ts', default: './node.js' },
    types: './web.d.ts',
    default: './web.js',
  },
  './web': {
    types: './web.d.ts',
    default: './web.js',
  },
  './sample': {
    node: { types: './sample/node.d.ts', default: './sample/node.js' },
    types: './sample/web.d.ts',
    default: './sample/web.js',
  },
  './goods_ranker_bg.wasm': './goods_ranker_bg.wasm',
  './goods_ranker_simd_bg.wasm': './goods_ranker_simd_bg.wasm',
  './package.json': './package.json',
};
manifest.engines = { node: '>=20' };
writeFileSync(`${pkgDir}package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`[build] pkg/ ready: ${manifest.name}@${manifest.version}`);
