// Timing helpers shared by the Node benchmark workers: warm-up, then repetitions
// until a time budget is spent; medians and p95 of the per-call times.
import { performance } from 'node:perf_hooks';

/** Summary of samples in ms. */
export function summarize(samples) {
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return { medianMs: at(0.5), p95Ms: at(0.95), meanMs: mean, reps: s.length };
}

/**
 * Times `fn()`: warm-up for `warmMs` (at least 3 calls, so the JIT tiers up), then
 * repetitions until `budgetMs` is spent (at least `minReps`, at most `maxReps`).
 * `after(result)` runs outside the timed region (e.g. to free a result).
 */
export function measure(fn, { warmMs = 300, budgetMs = 1500, minReps = 30, maxReps = 2000, after } = {}) {
  let t0 = performance.now();
  for (let i = 0; i < 3 || performance.now() - t0 < warmMs; i++) {
    const r = fn();
    if (after) after(r);
  }
  const samples = [];
  t0 = performance.now();
  while (samples.length < minReps || (samples.length < maxReps && performance.now() - t0 < budgetMs)) {
    const a = performance.now();
    const r = fn();
    samples.push(performance.now() - a);
    if (after) after(r);
  }
  return summarize(samples);
}

/** The fixed "now" of the benchmark and the sample feed: 2025-11-25 10:00 Beijing. */
export const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);
/** The user every timed ranking is for (location, age, income band, history). */
export const BENCH_USER = 'office-worker';
export const SEED = 7;
