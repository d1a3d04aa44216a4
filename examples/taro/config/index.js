import { defineConfig } from '@tarojs/cli'
import devConfig from './dev'
import prodConfig from './prod'

// The engine's WebAssembly module has to be a file inside the mini-program's code
// package: WXWebAssembly.instantiate() takes only code-package paths (no URLs, no
// bytes). webpack does not see it (the package loads it by path, not by import), so it
// is copied here, from the installed package to dist/goods-ranker/, where
// src/pages/feed/index.jsx loads it as '/goods-ranker/goods_ranker_bg.wasm.br'.
// Only the scalar module is copied, as .wasm.br (WXWebAssembly decompresses it, base
// library ≥ 2.14.0); the SIMD one would add 88 KB for speed a 200-offer feed does not need.
const OUTPUT_ROOT = 'dist'
const WASM_FILE = 'goods_ranker_bg.wasm.br'

export default defineConfig(async (merge) => {
  const baseConfig = {
    projectName: 'goods-ranker-taro-example',
    date: '2026-12-4',
    designWidth: 750,
    deviceRatio: {
      640: 2.34 / 2,
      750: 1,
      375: 2,
      828: 1.81 / 2
    },
    sourceRoot: 'src',
    outputRoot: OUTPUT_ROOT,
    plugins: [],
    defineConstants: {},
    copy: {
      patterns: [
        { from: `node_modules/goods-ranker/miniprogram/${WASM_FILE}`, to: `${OUTPUT_ROOT}/goods-ranker/${WASM_FILE}` }
      ],
      options: {}
    },
    framework: 'react',
    compiler: 'webpack5',
    cache: {
      enable: false
    },
    mini: {
      postcss: {
        pxtransform: {
          enable: true,
          config: {}
        },
        cssModules: {
          enable: false
        }
      }
    }
  }
  if (process.env.NODE_ENV === 'development') {
    return merge({}, baseConfig, devConfig)
  }
  return merge({}, baseConfig, prodConfig)
})
