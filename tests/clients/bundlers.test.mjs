// goods-ranker as a user gets it: the packed tarball installed into a fresh app, built
// by real bundlers (Vite and Rsbuild production builds, and the Vite dev server),
// served on 127.0.0.1 and opened in headless Chromium. Each page must show the real
// feed (the same one the Node entry ranks), load the SIMD build — or the scalar one
// when the browser validates no SIMD module — and leave the console clean.
//
// The bundlers are installed once into tests/clients/node_modules (pinned by
// package-lock.json); each app folder under target/clients/ installs only the tarball.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { packedTarball } from '../../scripts/pack-pkg.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const app = join(here, 'apps', 'vanilla');
const tools = join(here, 'node_modules');
// The bundlers' commands come from the shared install, the way npm scripts find them.
const env = { ...process.env, PATH: `${join(tools, '.bin')}:${process.env.PATH}`, NO_COLOR: '1' };
delete env.GOODS_RANKER_WASM;
delete env.NODE_OPTIONS;

const NOW = Date.UTC(2025, 10, 25, 2, 0, 0); // the instant apps/vanilla/main.js ranks at
const EGGS_DUE = '上次购买 6 天前，该补货了';
const WASM_FILES = ['goods_ranker_bg.wasm', 'goods_ranker_simd_bg.wasm', 'sample/goods_ranker_sample_bg.wasm'];

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  } catch (e) {
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** Installs the pinned bundlers unless node_modules is newer than the lockfile. */
function installTools() {
  const marker = join(tools, '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(here, 'package-lock.json')).mtimeMs) return;
  run('npm', ['ci', '--no-audit', '--no-fund'], here);
}

/** A fresh copy of the app in target/clients/<name>/ with only the tarball installed. */
function prepareApp(name, tarball, { without = [] } = {}) {
  const dir = join(root, 'target', 'clients', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(app, dir, { recursive: true });
  for (const file of without) rmSync(join(dir, file));
  const manifest = { name: `goods-ranker-client-${name}`, private: true, type: 'module', dependencies: { 'goods-ranker': `file:${tarball}` } };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  run('npm', ['install', '--no-audit', '--no-fund', '--offline'], dir);
  return dir;
}

/** The grandmother's feed from the installed package's Node entry: what every page must show. */
function nodeFeed(dir) {
  const script = `
    import { Engine, Profile } from 'goods-ranker';
    import { sampleCatalog, sampleUsers } from 'goods-ranker/sample';
    const catalog = sampleCatalog();
    const grandma = sampleUsers(catalog, ${NOW}).find((u) => u.id === 'grandma');
    const feed = Engine.fromCatalog(catalog).rank(Profile.fromUser(grandma.user), { now: ${NOW}, limit: 20 });
    console.log(JSON.stringify(feed.map((o) => ({
      id: o.offerId, rank: o.rank, score: o.score, title: o.title,
      reasons: o.reasons.map((r) => ({ code: r.code, text: r.text })),
    }))));`;
  return JSON.parse(run(process.execPath, ['--input-type=module', '-e', script], dir));
}

/** sha256 of each shipped .wasm in the installed package -> its file name. */
function wasmNames(dir) {
  const names = new Map();
  for (const file of WASM_FILES) {
    names.set(createHash('sha256').update(readFileSync(join(dir, 'node_modules', 'goods-ranker', file))).digest('hex'), file);
  }
  return names;
}

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

/** Serves a build's output folder on 127.0.0.1 (a free port), .wasm as application/wasm. */
function serveStatic(folder) {
  const server = createServer(async (req, res) => {
    try {
      let path = normalize(join(folder, decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname)));
      if (!path.startsWith(folder + sep) && path !== folder) return res.writeHead(403).end('forbidden');
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Starts `vite` (dev server) in `dir` and resolves once it listens. */
async function startViteDev(dir) {
  const port = await freePort();
  const child = spawn('vite', ['--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = `http://127.0.0.1:${port}/`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`vite did not listen on ${url} within 60 s:\n${output}`));
    }, 60_000);
    const onData = (chunk) => {
      output += chunk;
      if (output.includes(url)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vite exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/**
 * Runs before the page's scripts: WebAssembly.validate returns false for any module
 * using SIMD (a v128 value type, or an 0xfd-prefixed opcode in the code section), as
 * on a runtime without SIMD. The package's 31-byte probe (js/simd.js) then fails.
 */
function withoutSimd() {
  const validate = WebAssembly.validate;
  const usesSimd = (b) => {
    let i = 8;
    const leb = () => {
      let v = 0;
      for (let shift = 0; ; shift += 7) {
        const byte = b[i++];
        v |= (byte & 0x7f) << shift;
        if (byte < 0x80) return v;
      }
    };
    while (i < b.length) {
      const id = b[i++];
      const size = leb();
      const body = b.subarray(i, i + size);
      if ((id === 1 && body.includes(0x7b)) || (id === 10 && body.includes(0xfd))) return true;
      i += size;
    }
    return false;
  };
  WebAssembly.validate = function (bytes) {
    const b = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
    return usesSimd(b) ? false : validate.call(this, bytes);
  };
}

let browser;

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
}

/**
 * Opens `url` in a fresh context (non-local requests blocked) and returns the
 * rendered feed, the build the page reports, which shipped .wasm files it fetched,
 * and every console error or warning, page error, failed request and HTTP error.
 */
async function openPage(url, names, { simd = true } = {}) {
  const context = await browser.newContext({ locale: 'zh-CN' });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  if (!simd) await context.addInitScript(withoutSimd);
  const page = await context.newPage();
  const errors = [];
  const wasm = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    else if (/\.wasm($|\?)/.test(r.url()) || (r.headers()['content-type'] ?? '').startsWith('application/wasm')) {
      wasm.push(r.body().then((body) => names.get(createHash('sha256').update(body).digest('hex')) ?? `unknown: ${r.url()}`));
    }
  });
  // Rendered, or failed: an uncaught error (the app's top-level await rejects) ends the wait.
  const failed = new Promise((resolve) => page.once('pageerror', resolve));
  try {
    await page.goto(url);
    const rendered = page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }).catch(() => null);
    if ((await Promise.race([rendered, failed.then(() => null)])) === null) {
      throw new Error(`the page never rendered its feed:\n${errors.join('\n') || '(no console errors)'}`);
    }
    const feed = await page.$$eval('#feed > li.offer', (items) => items.map((li) => ({
      id: li.dataset.offerId,
      rank: Number(li.dataset.rank),
      score: Number(li.dataset.score),
      title: li.querySelector('.title').textContent,
      reasons: [...li.querySelectorAll('.chip')].map((c) => ({ code: c.dataset.code, text: c.textContent })),
    })));
    const build = await page.evaluate(() => document.body.dataset.wasmBuild);
    return { feed, build, wasm: (await Promise.all(wasm)).sort(), errors };
  } finally {
    await context.close();
  }
}

/** The checks every client must pass, SIMD and not. */
function clientTests(label, setup) {
  describe(label, () => {
    let target;
    before(async () => {
      target = await setup();
    });
    after(async () => {
      await target?.close();
    });

    test('shows the real feed from the SIMD build with a clean console', async () => {
      const { feed, build, wasm, errors } = await openPage(target.url, target.names);
      assert.deepEqual(errors, [], 'console errors or warnings, page errors, failed requests');
      assert.equal(build, 'simd');
      assert.deepEqual(wasm, ['goods_ranker_simd_bg.wasm', 'sample/goods_ranker_sample_bg.wasm']);
      const eggs = feed.find((o) => o.id === 'o00001');
      assert.ok(eggs, `eggs o00001 in the feed: ${JSON.stringify(feed.map((o) => o.id))}`);
      assert.match(eggs.title, /^土鸡蛋 30枚装/);
      assert.deepEqual(eggs.reasons.find((r) => r.code === 'repurchaseDue')?.text, EGGS_DUE);
      assert.deepEqual(feed, target.expected, 'the page ranks as the Node entry does');
    });

    test('falls back to the scalar build without SIMD, same feed, clean console', async () => {
      const { feed, build, wasm, errors } = await openPage(target.url, target.names, { simd: false });
      assert.deepEqual(errors, [], 'console errors or warnings, page errors, failed requests');
      assert.equal(build, 'scalar');
      assert.deepEqual(wasm, ['goods_ranker_bg.wasm', 'sample/goods_ranker_sample_bg.wasm']);
      assert.deepEqual(feed, target.expected, 'the scalar page ranks as the Node entry (and the SIMD page) does');
    });
  });
}

let tarball;
before(async () => {
  installTools();
  tarball = packedTarball();
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
after(async () => {
  await browser?.close();
});

/**
 * A production build (`<tool> build` into dist/), served statically. The copy has no
 * vite.config.js: a production build needs no configuration for goods-ranker.
 */
function productionBuild(name, tool) {
  return async () => {
    const dir = prepareApp(name, tarball, { without: ['vite.config.js'] });
    run(tool, ['build'], dir);
    const server = await serveStatic(join(dir, 'dist'));
    return {
      url: `http://127.0.0.1:${server.address().port}/`,
      names: wasmNames(dir),
      expected: nodeFeed(dir),
      close: () => new Promise((resolve) => server.close(resolve)),
    };
  };
}

clientTests('Vite production build (vite build)', productionBuild('vite', 'vite'));
clientTests('Rsbuild production build (rsbuild build)', productionBuild('rsbuild', 'rsbuild'));
// The dev server with the app's vite.config.js (optimizeDeps.exclude, see there).
clientTests('Vite dev server (vite)', async () => {
  const dir = prepareApp('vite-dev', tarball);
  const server = await startViteDev(dir);
  return { url: server.url, names: wasmNames(dir), expected: nodeFeed(dir), close: server.stop };
});
