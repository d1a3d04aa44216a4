// Type-checks tests/js/types-check.ts (the whole public API with exact types, and
// @ts-expect-error lines proving wrong usage is rejected) with the installed tsc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSC = join(ROOT, 'node_modules', '.bin', 'tsc');
const CONFIG = join(ROOT, 'tests', 'js', 'tsconfig.json');

function tsc(...args) {
  const r = spawnSync(TSC, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('tsc -p tests/js/tsconfig.json passes (as configured: strict, target ES2022, no extra lib)', () => {
  const r = tsc('-p', CONFIG);
  assert.equal(r.status, 0, `tsc failed:\n${r.out}`);
});

test('types-check.ts itself is correct once Symbol.dispose is available (lib esnext.disposable)', () => {
  const r = tsc('-p', CONFIG, '--lib', 'es2022,dom,esnext.disposable');
  assert.equal(r.status, 0, `tsc failed:\n${r.out}`);
  assert.ok(!r.out.includes('types-check.ts'), r.out);
});

test('the check can fail: wrong usage without @ts-expect-error is a type error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'goods-ranker-types-'));
  try {
    const src = readFileSync(join(ROOT, 'tests', 'js', 'types-check.ts'), 'utf8')
      .replace("'../../pkg/goods_ranker.js'", JSON.stringify(join(ROOT, 'pkg', 'goods_ranker.js')))
      .replace('// @ts-expect-error limit is a number\n', '');
    writeFileSync(join(dir, 'types-check.ts'), src);
    const config = JSON.parse(readFileSync(CONFIG, 'utf8'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config));
    const r = tsc('-p', join(dir, 'tsconfig.json'), '--lib', 'es2022,dom,esnext.disposable');
    assert.notEqual(r.status, 0, 'tsc should reject { limit: "3" }');
    assert.match(r.out, /types-check\.ts\(\d+,\d+\): error TS2322/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
