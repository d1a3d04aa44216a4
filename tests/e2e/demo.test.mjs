// The demo page (www/) in a real browser: Debian's headless Chromium driven by
// playwright-core, the page served from this checkout by scripts/serve.mjs. Each test
// gets a fresh browser context (own localStorage), fails on any console error, page
// error or failed request, and writes a screenshot to screenshots/ (git-ignored).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, withCleanDemo, clickNearStore, readFeed, SCREENSHOTS, start } from './browser.mjs';
import { assertRankedByScore } from './ranking.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });
const withDemo = (options, body) => withCleanDemo(env, options, body);

const shot = (page, name, fullPage = false) => page.screenshot({ path: new URL(name, SCREENSHOTS).pathname, fullPage });
const chipCodes = (offer) => offer.reasons.map((r) => r.code);
const setAge = (page, age) => page.$eval('#age', (el, v) => { el.value = String(v); el.dispatchEvent(new Event('change')); }, age);

test('first load: grandma’s feed, ordered by score, explained, filtered, timed', async () => {
  await withDemo({ viewport: PHONE }, async ({ page }) => {
    assert.equal(await page.textContent('h1'), '货找人 · 望京社区团购');
    assert.equal(await page.getAttribute('[data-user="grandma"]', 'aria-pressed'), 'true');
    const feed = await readFeed(page);
    assert.equal(feed.length, 20);
    assertRankedByScore(feed);
    // She buys these eggs at her compound's pickup point every week: they lead, and say why.
    assert.equal(feed[0].id, 'o00001');
    assert.equal(feed[0].store, 's002');
    assert.ok(chipCodes(feed[0]).includes('repurchaseDue'), JSON.stringify(feed[0].reasons));
    assert.match(feed[0].reasons.find((r) => r.code === 'repurchaseDue').text, /^上次购买 \d+ 天前，该补货了$/);

    // The breakdown adds up to the score.
    await page.click('#feed > li:first-child .breakdown summary');
    const parts = await page.$$eval('#feed > li:first-child .breakdown td.num', (tds) => tds.map((td) => Number(td.textContent)));
    assert.ok(Math.abs(parts.reduce((a, b) => a + b, 0) - feed[0].score) < 0.01, `${parts} vs ${feed[0].score}`);

    // Filtered offers are listed with their reasons; the rank time is shown.
    const filtered = await page.$$eval('#filtered li[data-codes]', (lis) => lis.map((li) => li.dataset.codes));
    assert.ok(filtered.length > 50 && filtered.every((c) => c.length > 0));
    const ms = Number(await page.getAttribute('#rank-summary', 'data-ms'));
    assert.ok(ms > 0 && ms < 50, `rank time ${ms} ms`);
    assert.match(await page.textContent('#rank-summary'), /排序用时 [\d.]+ ms（WebAssembly SIMD，在本机）/);
    assert.equal(await page.getAttribute('#rank-summary', 'data-build'), 'simd', 'Chromium gets the SIMD build');

    // Phone layout: one column, nothing wider than the screen, map then feed.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth));
    const mapBox = await page.locator('#panel-map').boundingBox();
    const feedBox = await page.locator('#panel-feed').boundingBox();
    assert.ok(feedBox.y > mapBox.y && Math.abs(feedBox.x - mapBox.x) < 1);
    await shot(page, '01-phone-grandma.png');
    await shot(page, '01-phone-grandma-full.png', true);
  });
});

test('buying eggs twice makes the repurchase reason appear', async () => {
  await withDemo({ viewport: PHONE }, async ({ page }) => {
    await page.click('[data-user="newcomer"]');
    assert.equal(await page.locator('#you').count(), 0, 'the newcomer has no location');
    await clickNearStore(page, 's002');
    await page.selectOption('#limit', '100');
    const eggs = '#feed > li[data-offer-id="o00001"]';
    const before = (await readFeed(page)).find((o) => o.id === 'o00001');
    assert.ok(before && !chipCodes(before).includes('repurchaseDue'));

    await page.click(`${eggs} [data-action="purchase"]`);
    await page.click('#plus-week');
    await page.click(`${eggs} [data-action="purchase"]`);
    let egg = (await readFeed(page)).find((o) => o.id === 'o00001');
    assert.ok(!chipCodes(egg).includes('repurchaseDue'), 'just bought: not due yet');
    assert.ok(egg.rank < before.rank, `bought twice: rank ${before.rank} → ${egg.rank}`);

    await page.click('#plus-week');
    egg = (await readFeed(page)).find((o) => o.id === 'o00001');
    assert.equal(egg.rank, 1);
    assert.ok(egg.reasons.some((r) => r.code === 'repurchaseDue' && r.text === '上次购买 7 天前，该补货了'), JSON.stringify(egg.reasons));
    assert.ok(egg.reasons.some((r) => r.text === '你买过 2 次'), JSON.stringify(egg.reasons));
    assert.equal(await page.getAttribute('#profile-size', 'data-events'), '2');
    await page.locator(eggs).scrollIntoViewIfNeeded();
    await shot(page, '02-repurchase.png');
  });
});

test('moving next to a pickup point raises its offers', async () => {
  await withDemo({ viewport: PHONE }, async ({ page }) => {
    const from = (feed, store) => feed.filter((o) => o.store === store);
    // A newcomer (nothing known but where they stand) walks from one compound to another.
    await page.click('[data-user="newcomer"]');
    await clickNearStore(page, 's002');
    const south = await readFeed(page);
    await clickNearStore(page, 's004');
    const north = await readFeed(page);
    assertRankedByScore(north);
    assert.ok(from(north, 's004').length >= 8 && from(north, 's004').length > from(south, 's004').length,
      `s004 offers: ${from(south, 's004').length} → ${from(north, 's004').length}`);
    assert.ok(from(north, 's002').length < from(south, 's002').length);
    assert.equal(north[0].store, 's004');
    assert.ok(north[0].reasons.some((r) => r.code === 'nearby' && /^距你 ?(不到 )?\d+ 米$/.test(r.text)), JSON.stringify(north[0].reasons));
    // The map agrees: the marker counts the store's offers in the feed.
    assert.equal(await page.getAttribute('#map [data-store-id="s004"]', 'data-count'), String(from(north, 's004').length));
    await shot(page, '03-moved-to-s004.png');

    // Someone with a history elsewhere still gets the new neighbourhood's offers.
    await page.click('[data-user="office-worker"]');
    const atWork = await readFeed(page);
    await clickNearStore(page, 's004');
    const moved = await readFeed(page);
    assert.ok(from(moved, 's004').length >= 3 && from(moved, 's004').length > from(atWork, 's004').length,
      `office worker, s004 offers: ${from(atWork, 's004').length} → ${from(moved, 's004').length}`);
    assert.ok(from(moved, 's004').every((o) => o.reasons.some((r) => r.code === 'nearby')));
  });
});

test('the child persona never sees alcohol', async () => {
  await withDemo({ viewport: PHONE }, async ({ page }) => {
    await page.click('[data-user="student"]');
    await page.selectOption('#limit', '100');
    const alcohol = (feed) => feed.filter((o) => o.category === '酒类');
    for (const store of [null, 's006', 's002']) {
      if (store) await clickNearStore(page, store);
      const feed = await readFeed(page);
      assert.equal(feed.length, 100);
      assert.deepEqual(alcohol(feed), [], `near ${store}`);
    }
    // …because of the age filter, which the page lists with its reason.
    const restricted = await page.$$eval('#filtered li[data-codes~="ageRestricted"]', (lis) => lis.length);
    assert.ok(restricted >= 10, `${restricted} age-restricted offers listed`);
    await page.click('#filtered summary');
    await shot(page, '04-child.png');

    // The same place, an adult: alcohol is back, so the check above is not vacuous.
    await setAge(page, 30);
    assert.ok(alcohol(await readFeed(page)).length > 0);
  });
});

test('a reload keeps the profile; reset starts over', async () => {
  await withDemo({ viewport: PHONE }, async ({ page }) => {
    await page.click('[data-user="parent"]');
    const first = (await readFeed(page))[0];
    await page.click(`#feed > li[data-offer-id="${first.id}"] [data-action="dismiss"]`);
    await page.click('#feed > li:nth-child(2) [data-action="cart"]');
    await page.selectOption('#income', '5');
    await setAge(page, 41);
    await clickNearStore(page, 's008');
    const events = await page.getAttribute('#profile-size', 'data-events');
    const feed = (await readFeed(page)).map((o) => o.id);
    assert.ok(!feed.includes(first.id), 'dismissed offer is gone');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('[data-user="parent"]', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('#profile-size', 'data-events'), events);
    assert.equal(await page.inputValue('#income'), '5');
    assert.equal(await page.textContent('#age-value'), '41 岁');
    assert.deepEqual((await readFeed(page)).map((o) => o.id).slice(0, 10), feed.slice(0, 10));
    assert.ok(await page.$(`#filtered li[data-offer-id="${first.id}"][data-codes~="dismissed"]`));
    assert.equal(await page.locator('#log li').count(), 2);

    await page.click('#reset');
    assert.equal(await page.getAttribute('[data-user="grandma"]', 'aria-pressed'), 'true');
    assert.equal(await page.locator('#log li').count(), 0);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('[data-user="grandma"]', 'aria-pressed'), 'true');
  });
});

test('English, on a desktop layout', async () => {
  await withDemo({ viewport: DESKTOP }, async ({ page }) => {
    await page.click('#locale-en');
    assert.equal(await page.textContent('h1'), 'Goods find people · Wangjing group-buying');
    const feed = await readFeed(page);
    assert.ok(feed[0].reasons.some((r) => /^Last bought \d+ days? ago — time to restock$/.test(r.text)), JSON.stringify(feed[0].reasons));
    assert.ok(feed.flatMap((o) => o.reasons).some((r) => /^\d+ m away$/.test(r.text)));
    // Desktop: panels on the left, the feed beside them.
    const mapBox = await page.locator('#panel-map').boundingBox();
    const feedBox = await page.locator('#panel-feed').boundingBox();
    assert.ok(feedBox.x > mapBox.x + mapBox.width && feedBox.y < mapBox.y);
    await page.click('#feed > li:first-child .breakdown summary');
    await shot(page, '05-desktop-en.png');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    await page.click('#locale-zh');
    await page.click('#feed > li:first-child .breakdown summary');
    await shot(page, '06-desktop.png');
    if (process.env.UPDATE_DEMO_PNG) {
      await page.setViewportSize({ width: 960, height: 680 });
      await page.screenshot({ path: new URL('../../docs/demo.png', import.meta.url).pathname });
    }
  });
});
