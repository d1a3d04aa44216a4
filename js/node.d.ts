export * from './goods_ranker.js';
export { default } from './goods_ranker.js';
