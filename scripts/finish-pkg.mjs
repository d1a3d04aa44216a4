// Completes the wasm-pack output in pkg/: adds the Node.js entry (which loads the
// .wasm from disk synchronously) and an export map that picks it under Node.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = `${root}pkg/`;

copyFileSync(`${root}js/node.js`, `${pkgDir}node.js`);
copyFileSync(`${root}js/node.d.ts`, `${pkgDir}node.d.ts`);

// wasm-bindgen cannot mark a custom-typed `Option<JsValue>` parameter optional, and
// types the raw exports of `InitOutput` as `any`: make both exact.
const optionalParams = [
  ['fromCatalog', 'options', 'EngineOptions'],
  ['rank', 'options', 'RankOptions'],
  ['filtered', 'options', 'RankOptions'],
  ['fromUser', 'user', 'UserInput'],
  ['sampleCatalog', 'options', 'SampleOptions'],
  ['sampleUsers', 'now', 'number | null'],
];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const dtsPath = `${pkgDir}goods_ranker.d.ts`;
let dts = readFileSync(dtsPath, 'utf8');
for (const [method, param, type] of optionalParams) {
  const re = new RegExp(`(\\b${method}\\([^)]*?)\\b${param}: ${escape(type)}\\)`);
  if (!re.test(dts)) throw new Error(`finish-pkg: cannot find ${method}(${param}: ${type}) in the .d.ts`);
  dts = dts.replace(re, `$1${param}?: ${type})`);
}
dts = dts.replace(/(export interface InitOutput \{[\s\S]*?\n\})/, (block) => block.replaceAll(': any', ': unknown'));
// The classes implement `[Symbol.dispose]` (for `using`); make the declaration file
// name the lib that declares it, so projects targeting ES2022 type-check too.
dts = `/// <reference lib="esnext.disposable" />\n${dts}`;
writeFileSync(dtsPath, dts);

const manifest = JSON.parse(readFileSync(`${pkgDir}package.json`, 'utf8'));
manifest.type = 'module';
manifest.files = [...new Set([...(manifest.files ?? []), 'node.js', 'node.d.ts'])];
manifest.exports = {
  '.': {
    types: './goods_ranker.d.ts',
    node: './node.js',
    default: './goods_ranker.js',
  },
  './web': {
    types: './goods_ranker.d.ts',
    default: './goods_ranker.js',
  },
  './goods_ranker_bg.wasm': './goods_ranker_bg.wasm',
  './package.json': './package.json',
};
manifest.engines = { node: '>=20' };
writeFileSync(`${pkgDir}package.json`, `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`[build] pkg/ ready: ${manifest.name}@${manifest.version}`);
