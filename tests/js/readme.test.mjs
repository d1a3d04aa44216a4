// Runs every README example marked `<!-- readme-test: node; expect: … -->` against the
// built package, as a user would after `npm install goods-ranker`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const marker = /<!-- readme-test: node; expect: (.*?) -->\s*```js\n([\s\S]*?)```/g;
const examples = [...readme.matchAll(marker)].map(([, expect, code]) => ({ expect, code }));

test('the README has runnable examples', () => {
  assert.ok(examples.length >= 1, 'no marked example found in README.md');
});

for (const [i, { expect, code }] of examples.entries()) {
  test(`README example ${i + 1} runs and prints "${expect}"`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'goods-ranker-readme-'));
    try {
      mkdirSync(join(dir, 'node_modules'));
      symlinkSync(join(root, 'pkg'), join(dir, 'node_modules', 'goods-ranker'), 'dir');
      writeFileSync(join(dir, 'example.mjs'), code);
      const out = execFileSync(process.execPath, ['example.mjs'], { cwd: dir, encoding: 'utf8' });
      assert.ok(out.includes(expect), `output lacks "${expect}":\n${out}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
