// WeChat's own tools, from npm, for tests that build a mini-program (not a test file
// itself). Installed once into tests/miniprogram/tools/node_modules from its
// package-lock.json (`bash scripts/setup.sh --test` does it; `ensureTools()` does it
// when that install is missing or older than the lockfile):
// - `packNpm(projectPath)`: 构建 npm, as WeChat DevTools does it (miniprogram-ci's
//   packNpm; offline: nothing is uploaded, a throwaway RSA key stands in for the
//   upload key the Project constructor insists on);
// - `codePackageSize(projectPath)`: what the mini-program would upload — every file
//   under the mini-program root whose type WeChat accepts in a code package (the list
//   miniprogram-ci ships), node_modules excluded — against the 2 MB main-package cap;
//   `uploadedSize(projectPath)` (async) also drops the code files nothing uses, as an
//   upload with 「过滤无依赖文件」 does;
// - `compileWxml(projectPath)`: every WXML file through WeChat's WXML compiler (`wcc`,
//   the official binary miniprogram-simulate renders with); throws on a compile error.
// `projectPath` is a project folder (project.config.json, whose `miniprogramRoot` is
// followed) or a mini-program root itself (app.json).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TOOLS_DIR = fileURLToPath(new URL('./tools/', import.meta.url));
/** WeChat's cap on a main package (and on each subpackage). */
export const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024;

const toolsRequire = createRequire(join(TOOLS_DIR, 'package.json'));

/** Blocks the thread for `ms` (the install lock is polled from synchronous code). */
function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function toolsCurrent() {
  const marker = join(TOOLS_DIR, 'node_modules', '.package-lock.json');
  return existsSync(marker) && statSync(marker).mtimeMs >= statSync(join(TOOLS_DIR, 'package-lock.json')).mtimeMs;
}

/**
 * Installs the pinned tools (npm ci) unless node_modules is newer than the lockfile.
 * Test files run in parallel processes: a lock directory keeps it to one install.
 */
export function ensureTools() {
  if (toolsCurrent()) return;
  const lock = join(TOOLS_DIR, '.install-lock');
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // Another process installs; a lock older than 15 minutes is left over from a crash.
      if (Date.now() - statSync(lock).mtimeMs > 15 * 60 * 1000) rmdirSync(lock);
      else sleep(500);
    }
  }
  try {
    if (!toolsCurrent()) {
      execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd: TOOLS_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    }
  } finally {
    rmdirSync(lock);
  }
}

/** The mini-program root: the project's `miniprogramRoot`, or the folder itself. */
export function miniprogramRoot(projectPath) {
  const config = join(projectPath, 'project.config.json');
  if (existsSync(config)) {
    const { miniprogramRoot: sub } = JSON.parse(readFileSync(config, 'utf8'));
    if (sub) return resolve(projectPath, sub);
  }
  return resolve(projectPath);
}

function* walk(dir, skip) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip(entry.name)) yield* walk(path, skip);
    } else if (entry.isFile()) {
      yield path;
    }
  }
}

/**
 * 构建 npm with miniprogram-ci: every package.json under the mini-program root gets a
 * miniprogram_npm/ next to it, built from the dependencies in its node_modules.
 * Resolves to { warnings (miniprogram-ci's list), report (its counters), ms }.
 */
export async function packNpm(projectPath) {
  ensureTools();
  const ci = toolsRequire('miniprogram-ci');
  const keyDir = mkdtempSync(join(tmpdir(), 'goods-ranker-ci-key-'));
  try {
    // miniprogram-ci wants the upload key file to exist even for packNpm; any RSA key
    // does, since nothing leaves the machine.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const privateKeyPath = join(keyDir, 'private.touristappid.key');
    writeFileSync(privateKeyPath, privateKey);
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: resolve(projectPath), privateKeyPath, ignores: ['node_modules/**/*'] });
    let report = null;
    const started = performance.now();
    const warnings = await ci.packNpm(project, { reporter: (info) => { report = info; } });
    return { warnings: warnings ?? [], report, ms: performance.now() - started };
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
}

/**
 * What the mini-program uploads: the files under its root whose extension WeChat
 * accepts in a code package (miniprogram-ci's built-in list; `.d.ts`, `.map`, `.md`
 * are left out by the tools), without node_modules/ and dot-folders.
 * Returns { bytes, files, limit, list: [{ path, bytes }], skipped: [paths not accepted] }.
 */
export function codePackageSize(projectPath) {
  ensureTools();
  const { MiniProgramWhiteList } = toolsRequire('miniprogram-ci/dist/utils/white_ext_list.js');
  const accepted = new Set(MiniProgramWhiteList);
  const root = miniprogramRoot(projectPath);
  const list = [];
  const skipped = [];
  for (const path of walk(root, (name) => name === 'node_modules' || name.startsWith('.'))) {
    const rel = relative(root, path).split(sep).join('/');
    if (['project.config.json', 'project.private.config.json'].includes(rel)) continue; // tool settings, not code
    if (!accepted.has(extname(path).toLowerCase())) {
      skipped.push(rel);
      continue;
    }
    list.push({ path: rel, bytes: statSync(path).size });
  }
  const bytes = list.reduce((sum, f) => sum + f.bytes, 0);
  return { bytes, files: list.length, limit: MAIN_PACKAGE_LIMIT, list, skipped };
}

/**
 * What an upload sends when 「上传时过滤无依赖文件」 (setting.ignoreUploadUnusedFiles,
 * on unless set to false) is on: `codePackageSize`'s files minus the code files
 * (.js/.json/.wxml/.wxss/.wxs) nothing reaches from app.json, as miniprogram-ci's own
 * dependency analysis finds them (offline). Other files (.wasm.br, images) are never
 * dropped. Resolves to codePackageSize's shape plus `unused` (the dropped paths).
 */
export async function uploadedSize(projectPath) {
  const size = codePackageSize(projectPath);
  const root = miniprogramRoot(projectPath);
  const ci = toolsRequire('miniprogram-ci');
  const { filterUnusedFile } = toolsRequire('miniprogram-ci/dist/ci/utils/filterUnusedFile.js');
  const keyDir = mkdtempSync(join(tmpdir(), 'goods-ranker-ci-key-'));
  try {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const privateKeyPath = join(keyDir, 'private.touristappid.key');
    writeFileSync(privateKeyPath, privateKey);
    const project = new ci.Project({ appid: 'touristappid', type: 'miniProgram', projectPath: resolve(projectPath), privateKeyPath, ignores: ['node_modules/**/*'] });
    const codes = Object.fromEntries(size.list.map((f) => [f.path, readFileSync(join(root, f.path))]));
    const kept = await filterUnusedFile(false, project, { ...codes });
    const list = size.list.filter((f) => f.path in kept);
    return { bytes: list.reduce((sum, f) => sum + f.bytes, 0), files: list.length, limit: MAIN_PACKAGE_LIMIT, list, skipped: size.skipped, unused: size.list.filter((f) => !(f.path in kept)).map((f) => f.path) };
  } finally {
    rmSync(keyDir, { recursive: true, force: true });
  }
}

/**
 * Compiles every .wxml under the mini-program root (miniprogram_npm/ included,
 * node_modules/ not) with WeChat's `wcc`, all at once as the tools do. Throws with the
 * compiler's message on an error. Returns { files: [relative paths], bytes (of the JS
 * the compiler produced) }.
 */
export function compileWxml(projectPath) {
  ensureTools();
  const root = miniprogramRoot(projectPath);
  const files = [...walk(root, (name) => name === 'node_modules' || name.startsWith('.'))]
    .filter((f) => f.endsWith('.wxml'))
    .map((f) => relative(root, f).split(sep).join('/'));
  if (files.length === 0) throw new Error(`compileWxml: no .wxml files under ${root}`);
  const wxs = [...walk(root, (name) => name === 'node_modules' || name.startsWith('.'))]
    .filter((f) => f.endsWith('.wxs'))
    .map((f) => relative(root, f).split(sep).join('/'));
  // miniprogram-compiler's wrapper: it makes the bundled binary executable and passes
  // the page list (with each page's usingComponents) the way the tools do.
  const compiler = toolsRequire('miniprogram-compiler');
  const js = compiler.wxmlToJs(root, { wxmlList: files, wxsList: wxs, maxBuffer: 256 << 20 });
  for (const file of files) {
    if (!js.includes(`${file}:`) && !js.includes(`./${file}`)) throw new Error(`compileWxml: wcc produced nothing for ${file}`);
  }
  return { files, bytes: Buffer.byteLength(js) };
}
