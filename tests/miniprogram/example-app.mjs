// The example mini-program (miniprogram/) set up the way a developer sets it up (not a
// test file itself): a fresh copy under target/miniprogram/<name>/, the packed
// goods-ranker tarball installed with npm (what `npm i goods-ranker` gives), then
// 构建 npm with WeChat's miniprogram-ci. Each test file uses its own copy.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packedTarball } from '../../scripts/pack-pkg.mjs';
import { packNpm } from './wechat-tools.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLE = join(ROOT, 'miniprogram');
/** What 构建 npm and npm make in the example; never copied. */
const GENERATED = new Set(['node_modules', 'miniprogram_npm', 'package-lock.json']);

/**
 * Copies the example to target/miniprogram/<name>/, installs the tarball and runs
 * 构建 npm. Returns { dir, tarball, pack (packNpm's result), ms: { install, packNpm } }.
 */
export async function prepareExample(name) {
  const dir = join(ROOT, 'target', 'miniprogram', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => src === EXAMPLE || !GENERATED.has(src.slice(EXAMPLE.length + 1).split('/')[0]) });
  const tarball = packedTarball();
  // The example depends on the repository's pkg/; a copy depends on the packed tarball,
  // as an app depends on the published package.
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (!manifest.dependencies?.['goods-ranker']) throw new Error('miniprogram/package.json does not depend on goods-ranker');
  manifest.dependencies['goods-ranker'] = `file:${tarball}`;
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  let started = performance.now();
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`npm install in ${dir} failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const install = performance.now() - started;
  started = performance.now();
  const pack = await packNpm(dir);
  return { dir, tarball, pack, ms: { install, packNpm: performance.now() - started } };
}
