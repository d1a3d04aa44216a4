// The whole Rsbuild configuration: the entry is main.js (Rsbuild's default is
// src/index.js). goods-ranker itself needs nothing here.
export default {
  source: { entry: { index: './main.js' } },
};
