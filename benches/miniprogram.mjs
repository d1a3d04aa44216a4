// What the size build of the mini-program module costs in speed: ranks the same
// catalog with the web module (pkg/node.js, opt-level 3, wasm-opt -O3) and with the
// mini-program module (opt-level z, wasm-opt -Oz, MVP only) loaded through its adapter
// in the emulated mini-program runtime, alternating, in one process. Prints JSON.
//
//   node benches/miniprogram.mjs [--offers 10000] [--runs 41]
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createRuntime } from '../tests/miniprogram/runtime.mjs';
import { Engine, Profile } from '../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../pkg/sample/node.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const offers = opt('offers', 10000);
const runs = opt('runs', 41);
const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);
// The mini-program entry as 构建 npm copies it (pkg/miniprogram/), as a code package.
const ENTRY = fileURLToPath(new URL('../pkg/miniprogram/', import.meta.url));
const OPTIONS = { now: NOW, limit: 20, location: { lat: 39.9871, lng: 116.4712, datum: 'gcj02' } };

const catalog = sampleCatalog({ offers });
const user = sampleUsers(catalog, NOW).find((u) => u.id === 'grandma').user;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const web = { engine: Engine.fromCatalog(catalog), profile: Profile.fromUser(user), options: OPTIONS };
const rt = createRuntime(ENTRY, { version: '8.0.10' });
const ranker = rt.require('/index.js');
await ranker.init({ path: '/goods_ranker_bg.wasm.br' });
const inRealm = (x) => rt.global.JSON.parse(JSON.stringify(x));
const mp = {
  engine: ranker.Engine.fromCatalog(JSON.stringify(catalog)),
  profile: ranker.Profile.fromUser(inRealm(user)),
  options: inRealm(OPTIONS),
};

const time = (side) => {
  const t0 = performance.now();
  side.engine.rank(side.profile, side.options);
  return performance.now() - t0;
};
const same = JSON.stringify(web.engine.rank(web.profile, web.options)) === JSON.stringify(mp.engine.rank(mp.profile, mp.options));
for (let i = 0; i < 5; i++) { time(web); time(mp); }
const times = { web: [], miniprogram: [] };
for (let i = 0; i < runs; i++) {
  times.web.push(time(web));
  times.miniprogram.push(time(mp));
}
const result = {
  offers,
  runs,
  sameFeed: same,
  webMedianMs: median(times.web),
  miniprogramMedianMs: median(times.miniprogram),
};
result.ratio = result.miniprogramMedianMs / result.webMedianMs;
console.log(JSON.stringify(result));
