// Packs pkg/ with `npm pack` into target/pack/ — the tarball a user installs from the
// registry — once per content of pkg/ (a hash of its files names the cache entry).
// Usage: node scripts/pack-pkg.mjs   (prints the tarball's path)
//        import { packedTarball } from '../scripts/pack-pkg.mjs'
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkgDir = join(root, 'pkg');
const packDir = join(root, 'target', 'pack');

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Hash of every file under pkg/ (names and contents). */
function pkgHash() {
  const hash = createHash('sha256');
  for (const path of files(pkgDir)) {
    hash.update(relative(pkgDir, path)).update('\0').update(readFileSync(path)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/** Absolute path of the packed tarball of the current pkg/ (packed on first use). */
export function packedTarball() {
  if (!existsSync(join(pkgDir, 'package.json'))) throw new Error('pack-pkg: pkg/ is missing (run scripts/build-pkg.sh)');
  const { name, version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const target = join(packDir, `${name}-${version}-${pkgHash()}.tgz`);
  if (existsSync(target) && statSync(target).size > 0) return target;
  const staging = join(packDir, `staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', staging, pkgDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const [{ filename }] = JSON.parse(out);
  renameSync(join(staging, filename), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(packedTarball());
}
