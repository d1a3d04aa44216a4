// Test helpers for mini-programs that use goods-ranker (`goods-ranker/miniprogram/testing`):
// run a page or component that loads the engine in Node — under miniprogram-simulate
// (WeChat's unit-test tool), or any Node test runner — where `WXWebAssembly` does not
// exist and `require('goods-ranker')` would find the Node entry instead of the
// mini-program one.
//
// Node only (it reads files and uses node:zlib): it lives in pkg/testing/, outside the
// package's `miniprogram` folder, so WeChat's 构建 npm never copies it into
// miniprogram_npm/ and no code package carries it.
//
//   const { install } = require('goods-ranker/miniprogram/testing');
//   const wasm = install({ root: '/path/to/the/mini-program' });  // after 构建 npm
//   // ... load and render pages; wasm.instantiated lists the paths they loaded
//   wasm.restore();
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const Module = require('node:module');

/** The file behind an absolute code-package path, checked the way WeChat checks it. */
function codePackageFile(root, packagePath) {
  if (typeof packagePath !== 'string') {
    throw new TypeError(`WXWebAssembly.instantiate: the first argument must be a code-package path string, got ${Object.prototype.toString.call(packagePath)}`);
  }
  if (!packagePath.startsWith('/') || /^[a-z]+:/i.test(packagePath) || packagePath.includes('://')) {
    throw new Error(`WXWebAssembly.instantiate: not an absolute code-package path: ${packagePath}`);
  }
  if (!/\.wasm(\.br)?$/.test(packagePath)) throw new Error(`WXWebAssembly.instantiate: only .wasm or .wasm.br files: ${packagePath}`);
  const file = path.resolve(root, `.${packagePath}`);
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new Error(`WXWebAssembly.instantiate: no such file in the code package: ${packagePath} (looked for ${file}; was 构建 npm run?)`);
  }
  return file;
}

/**
 * A `WXWebAssembly` (or `TTWebAssembly`) stand-in over the mini-program root `root`:
 * `instantiate(path, imports)` takes an absolute code-package path of a `.wasm` or
 * `.wasm.br` file (brotli is decompressed, as the client does), and resolves to
 * `{ module, instance }`. `instantiated` lists the paths loaded so far.
 */
function createWXWebAssembly(root) {
  const base = path.resolve(typeof root === 'string' ? root : root && root.root);
  const instantiated = [];
  return {
    instantiated,
    instantiate(packagePath, imports) {
      return new Promise((resolve) => {
        const file = codePackageFile(base, packagePath);
        let bytes = fs.readFileSync(file);
        if (packagePath.endsWith('.br')) bytes = zlib.brotliDecompressSync(bytes);
        resolve(WebAssembly.instantiate(bytes, imports).then((result) => {
          instantiated.push(packagePath);
          return result;
        }));
      });
    },
    Memory: WebAssembly.Memory,
    Table: WebAssembly.Table,
    Global: WebAssembly.Global,
    RuntimeError: WebAssembly.RuntimeError,
  };
}

const isInside = (dir, file) => {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
};

/**
 * Where WeChat's `require(specifier)` finds an npm module from `fromFile`: the nearest
 * `miniprogram_npm/` from the file's folder up to the mini-program root,
 * `<specifier>.js` or `<specifier>/index.js` in it. Null for relative, absolute and
 * built-in requests, files outside the root or inside node_modules, and misses.
 */
function resolveMiniprogramNpm(root, specifier, fromFile) {
  const base = path.resolve(root);
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || Module.isBuiltin(specifier)) return null;
  if (!fromFile || !isInside(base, fromFile) || fromFile.split(path.sep).includes('node_modules')) return null;
  for (let dir = path.dirname(fromFile); dir === base || isInside(base, dir); dir = path.dirname(dir)) {
    const npm = path.join(dir, 'miniprogram_npm');
    for (const candidate of [path.join(npm, specifier), path.join(npm, `${specifier}.js`), path.join(npm, specifier, 'index.js')]) {
      if (candidate.endsWith('.js') && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
    }
    if (dir === base) break;
  }
  return null;
}

/**
 * Sets `WXWebAssembly` (or `options.name`, e.g. 'TTWebAssembly') on `options.global`
 * (default globalThis) and, unless `npm: false`, makes `require` from files under
 * `root` resolve npm packages the way WeChat does (from miniprogram_npm/, the output of
 * 构建 npm). Returns { WXWebAssembly, instantiated, restore() }.
 */
function install(options) {
  const opts = typeof options === 'string' ? { root: options } : options || {};
  if (typeof opts.root !== 'string' || opts.root === '') throw new TypeError('install({ root }) needs the mini-program root folder (where app.json is)');
  const root = path.resolve(opts.root);
  const target = opts.global || globalThis;
  const name = opts.name || 'WXWebAssembly';
  const wasm = createWXWebAssembly(root);
  const had = Object.prototype.hasOwnProperty.call(target, name);
  const previous = target[name];
  target[name] = wasm;

  let restoreResolve = () => {};
  if (opts.npm !== false) {
    const original = Module._resolveFilename;
    Module._resolveFilename = function resolveFilename(specifier, parent, isMain, resolveOptions) {
      const from = parent && parent.filename;
      const found = resolveMiniprogramNpm(root, specifier, from);
      if (found) return found;
      if (from && isInside(root, from) && !from.split(path.sep).includes('node_modules') && /^goods-ranker(\/|$)/.test(specifier)) {
        throw new Error(`Cannot find module '${specifier}' in ${path.join(root, 'miniprogram_npm')}: run 构建 npm (WeChat DevTools: 工具 → 构建 npm) after npm install`);
      }
      return original.call(this, specifier, parent, isMain, resolveOptions);
    };
    restoreResolve = () => {
      Module._resolveFilename = original;
    };
  }

  return {
    WXWebAssembly: wasm,
    instantiated: wasm.instantiated,
    restore() {
      restoreResolve();
      if (had) target[name] = previous;
      else delete target[name];
    },
  };
}

exports.install = install;
exports.createWXWebAssembly = createWXWebAssembly;
exports.resolveMiniprogramNpm = resolveMiniprogramNpm;
