// Picks the few inputs of a fuzzing run worth committing: the ones that add the most
// coverage features beyond the committed corpus, greedily (largest gain first, then
// smallest file), at most N per target.
//
//   node scripts/fuzz-select.mjs <target> [N=30]
//
// Runs the target's libFuzzer binary (built by scripts/fuzz.sh) in merge mode over
// fuzz/corpus/<target>/ (the base) and fuzz/corpus-work/<target>/ (the run's finds),
// reads the per-input feature sets from the merge control file, and copies the picks
// to fuzz/corpus/<target>/ under their SHA-1 (libFuzzer's naming).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [target, limitArg = '30'] = process.argv.slice(2);
if (!target) {
  console.error('usage: node scripts/fuzz-select.mjs <target> [N=30]');
  process.exit(2);
}
const limit = Number(limitArg);
const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'fuzz/target/x86_64-unknown-linux-gnu/release', target);
const committed = join(root, 'fuzz/corpus', target);
const work = join(root, 'fuzz/corpus-work', target);

const tmp = mkdtempSync(join(tmpdir(), `fuzz-select-${target}-`));
try {
  // The merge's first corpus is its base: a copy of the committed files, so that
  // merging does not write into the repository.
  const base = join(tmp, 'base');
  cpSync(committed, base, { recursive: true });
  const control = join(tmp, 'control');
  execFileSync(bin, ['-merge=1', `-merge_control_file=${control}`, base, work], {
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const lines = readFileSync(control, 'utf8').split('\n');
  const count = Number(lines[0]);
  const baseCount = Number(lines[1]);
  const files = lines.slice(2, 2 + count);
  const features = new Map();
  for (const line of lines.slice(2 + count)) {
    const [tag, index, ...rest] = line.split(' ');
    if (tag === 'FT') features.set(Number(index), rest.map(Number));
  }
  const covered = new Set();
  for (let i = 0; i < baseCount; i++) for (const f of features.get(i) ?? []) covered.add(f);
  const candidates = [];
  for (let i = baseCount; i < count; i++) {
    if (features.has(i)) candidates.push({ file: files[i], ft: features.get(i), size: statSync(files[i]).size });
  }
  const picks = [];
  while (picks.length < limit) {
    let best = null;
    let bestGain = 0;
    for (const c of candidates) {
      const gain = c.ft.reduce((n, f) => n + (covered.has(f) ? 0 : 1), 0);
      if (gain > bestGain || (gain === bestGain && gain > 0 && c.size < best.size)) {
        best = c;
        bestGain = gain;
      }
    }
    if (!best) break;
    for (const f of best.ft) covered.add(f);
    picks.push({ ...best, gain: bestGain });
    candidates.splice(candidates.indexOf(best), 1);
  }
  const before = readdirSync(committed).length;
  for (const p of picks) {
    const name = createHash('sha1').update(readFileSync(p.file)).digest('hex');
    copyFileSync(p.file, join(committed, name));
  }
  const gains = picks.map((p) => p.gain);
  console.log(
    `${target}: ${candidates.length + picks.length} candidates, picked ${picks.length} ` +
      `(feature gains ${gains.join(' ')}); corpus ${before} -> ${readdirSync(committed).length} files`,
  );
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
