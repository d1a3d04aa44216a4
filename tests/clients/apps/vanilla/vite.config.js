// For the dev server only: goods-ranker fetches its .wasm files next to its own JS
// (`new URL('./….wasm', import.meta.url)`), and Vite's dependency pre-bundling would
// move that JS into node_modules/.vite/deps/, away from them. `vite build` needs no
// configuration at all (the production builds in bundlers.test.mjs run without this file).
export default {
  optimizeDeps: { exclude: ['goods-ranker'] },
};
