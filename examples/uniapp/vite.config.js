import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import uni from '@dcloudio/vite-plugin-uni'

const here = dirname(fileURLToPath(import.meta.url))

// The engine's WebAssembly module has to be a file inside the mini-program's code
// package: WXWebAssembly.instantiate() takes only code-package paths (no URLs, no
// bytes). Vite does not see it (the package loads it by path, not by import), so this
// plugin copies it from the installed package to src/static/goods-ranker/ before every
// build; uni-app copies src/static/ into the build unchanged, where
// src/pages/feed/index.vue loads it as '/static/goods-ranker/goods_ranker_bg.wasm.br'.
// Only the scalar module is copied, as .wasm.br (WXWebAssembly decompresses it, base
// library ≥ 2.14.0); the SIMD one would add 88 KB for speed a 200-offer feed does not need.
// The copy is not committed (.gitignore): it follows the installed goods-ranker version.
const WASM_FILE = 'goods_ranker_bg.wasm.br'

function goodsRankerWasm () {
  return {
    name: 'goods-ranker-wasm',
    config () {
      let entry
      try {
        entry = createRequire(import.meta.url).resolve('goods-ranker/miniprogram')
      } catch (e) {
        throw new Error('goods-ranker is not installed: run `npm install goods-ranker` (or the packed tarball) first')
      }
      const from = join(dirname(entry), WASM_FILE)
      const to = join(here, 'src', 'static', 'goods-ranker', WASM_FILE)
      if (existsSync(to) && readFileSync(to).equals(readFileSync(from))) return
      mkdirSync(dirname(to), { recursive: true })
      copyFileSync(from, to)
    }
  }
}

export default defineConfig({
  plugins: [goodsRankerWasm(), uni()]
})
