// Shared fixtures for the goods-ranker JS tests (not a test file itself).
import assert from 'node:assert/strict';
import { Engine, Profile } from '../../pkg/node.js';
import { sampleCatalog, sampleUsers } from '../../pkg/sample/node.js';

/** 2025-11-25 10:00 Beijing time: every test ranks at this fixed instant. */
export const NOW = Date.UTC(2025, 10, 25, 2, 0, 0);

export const FEATURES = [
  'proximity', 'ageFit', 'priceFit', 'itemAffinity', 'categoryAffinity', 'embedding',
  'repurchase', 'popularity', 'freshness', 'discount', 'boost',
];

/** A fresh sample catalog, engine, and the sample users keyed by id. */
export function fixture(options) {
  const catalog = sampleCatalog(options);
  const engine = Engine.fromCatalog(catalog);
  const users = Object.fromEntries(sampleUsers(catalog, NOW).map((u) => [u.id, u]));
  const profile = (id) => Profile.fromUser(users[id].user);
  return { catalog, engine, users, profile };
}

/** Asserts that `fn` throws a GoodsRankerError with the given code and path; returns it. */
export function assertGrError(fn, code, path, label = '') {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught !== undefined, `${label}: expected a throw, got none`);
  assert.ok(caught instanceof Error, `${label}: not an Error: ${String(caught)}`);
  assert.equal(caught.name, 'GoodsRankerError', `${label}: name of ${caught}`);
  if (code !== undefined) assert.equal(caught.code, code, `${label}: code of "${caught.message}"`);
  assert.equal(typeof caught.path, 'string', `${label}: path is a string`);
  if (path !== undefined) assert.equal(caught.path, path, `${label}: path of "${caught.message}"`);
  if (caught.path !== '') {
    assert.ok(
      caught.message.startsWith(`${caught.path}: `),
      `${label}: message "${caught.message}" should start with the path "${caught.path}: "`,
    );
  }
  return caught;
}
