// Shared set-up for the browser tests: the demo's static server (in-process, free
// port) and Debian's Chromium driven by playwright-core (no browser download).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export const SCREENSHOTS = new URL('../../screenshots/', import.meta.url);

function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('Chromium not found: run scripts/setup.sh (apt-get install chromium fonts-noto-cjk)');
  }
}

export async function start() {
  const server = await serve(0);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * A fresh browser context (its own localStorage) on the demo page, collecting every
 * console error, page error and failed request, and blocking anything not local.
 */
export async function openDemo(env, { viewport = PHONE, deviceScaleFactor = 1 } = {}) {
  const context = await env.browser.newContext({ viewport, deviceScaleFactor, locale: 'zh-CN' });
  await context.route(/^(?!http:\/\/127\.0\.0\.1:)/, (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  await page.goto(`${env.base}/`);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page, errors };
}

/** The feed as rendered: one { id, store, category, score, rank, reasons } per card. */
export function readFeed(page) {
  return page.$$eval('#feed > li.offer', (items) => items.map((li) => ({
    id: li.dataset.offerId,
    store: li.dataset.storeId,
    category: li.dataset.category,
    score: Number(li.dataset.score),
    rank: Number(li.dataset.rank),
    title: li.querySelector('.title').textContent,
    reasons: [...li.querySelectorAll('.chip')].map((c) => ({ code: c.dataset.code, text: c.textContent })),
  })));
}

/** Clicks the map at a point `dx`,`dy` px (screen) from a store's marker. */
export async function clickNearStore(page, storeId, dx = 4, dy = 4) {
  const box = await page.locator(`#map g.store[data-store-id="${storeId}"] > :is(circle, rect, polygon)`).first().boundingBox();
  await page.mouse.click(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy);
  await page.waitForSelector('body[data-ready="true"]');
}

export async function renderDone(page) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
}

/** Opens the page, runs `body`, then checks the console stayed clean (no console
 * errors, page errors or failed requests). */
export async function withCleanDemo(env, options, body) {
  const demo = await openDemo(env, options);
  try {
    await body(demo);
    assert.deepEqual(demo.errors, [], 'console errors, page errors or failed requests');
  } finally {
    await demo.context.close();
  }
}
