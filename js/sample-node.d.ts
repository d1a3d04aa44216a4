export * from './goods_ranker_sample.js';
export { default } from './goods_ranker_sample.js';
