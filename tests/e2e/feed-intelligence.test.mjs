// The demo's feed-intelligence panels in headless Chromium: the push gate (budget,
// quiet hours, reasons), the group leader's picks with member personas (coverage vs
// mean), and the A/B variant switch.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, withCleanDemo, readFeed, renderDone, SCREENSHOTS, start } from './browser.mjs';
import { assertRankedByScore } from './ranking.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });
const withDemo = (options, body) => withCleanDemo(env, options, body);

const shot = (page, name) => page.screenshot({ path: new URL(name, SCREENSHOTS).pathname, fullPage: false });
const setRange = async (page, selector, value) => {
  await page.$eval(selector, (el, v) => { el.value = String(v); el.dispatchEvent(new Event('change')); }, value);
  await renderDone(page);
};
const decision = (page) => page.$eval('#push-decision', (el) => ({
  notify: el.dataset.notify === 'true', code: el.dataset.code, offerId: el.dataset.offerId,
  text: el.querySelector('.reason').textContent,
}));
const timeline = (page) => page.$$eval('#push-timeline li', (lis) => lis.map((li) => ({
  hour: Number(li.dataset.hour), notify: li.dataset.notify === 'true', code: li.dataset.code,
})));

test('push gate: quiet hours, a yes with its offer, the budget, and a day that respects both', async () => {
  await withDemo({ viewport: PHONE }, async ({ page }) => {
    // Grandma at 23:00: quiet hours.
    await setRange(page, '#push-hour', 23);
    let d = await decision(page);
    assert.deepEqual([d.notify, d.code, d.text], [false, 'quietHours', '免打扰时段（22:00–08:00）']);
    assert.equal(await page.locator('#push-send').count(), 0);
    // 10:00: her eggs are due, worth a notification.
    await setRange(page, '#push-hour', 10);
    d = await decision(page);
    assert.equal(d.notify, true);
    assert.equal(d.code, 'ok');
    assert.match(d.text, /^值得提醒：/);
    // Send it: the next ask is too soon, then a later one is allowed, then the budget is used.
    await page.click('#push-send');
    await renderDone(page);
    assert.equal((await decision(page)).code, 'tooSoon');
    assert.equal(await page.locator('#log li[data-type="push"]').count(), 1);
    await setRange(page, '#push-hour', 15);
    d = await decision(page);
    assert.equal(d.code, 'ok');
    await page.click('#push-send');
    await renderDone(page);
    await setRange(page, '#push-hour', 20);
    d = await decision(page);
    assert.deepEqual([d.notify, d.code, d.text], [false, 'budgetUsed', '今天的 2 次提醒已用完']);
    assert.match(await page.textContent('#push-decision'), /今天已推送 2\/2/);

    // The simulated day on a fresh profile, for budgets 0–4: never more than the
    // budget, never in quiet hours.
    await page.click('#reset');
    await renderDone(page);
    for (const budget of [0, 1, 2, 3, 4]) {
      await page.selectOption('#push-budget', String(budget));
      await renderDone(page);
      const day = await timeline(page);
      assert.equal(day.length, 48);
      const sent = day.filter((s) => s.notify);
      assert.ok(sent.length <= budget, `budget ${budget}: ${sent.length} sent`);
      assert.ok(sent.every((s) => s.hour >= 8 && s.hour < 22), `budget ${budget}: sent in quiet hours`);
      assert.ok(day.filter((s) => s.hour < 8 || s.hour >= 22).every((s) => s.code === 'quietHours'));
      if (budget > 0) assert.ok(sent.length >= 1, `grandma gets at least one push with budget ${budget}`);
    }
    await page.selectOption('#push-budget', '2');
    await renderDone(page);
    assert.equal((await timeline(page)).filter((s) => s.notify).length, 2);
    assert.equal(await page.locator('#push-sent li').count(), 2);
    await page.locator('#panel-push').scrollIntoViewIfNeeded();
    await page.locator('#panel-push').screenshot({ path: new URL('07-push-gate.png', SCREENSHOTS).pathname });

    // The newcomer: nothing relevant enough, all day.
    await page.click('[data-user="newcomer"]');
    await renderDone(page);
    await setRange(page, '#push-hour', 10);
    d = await decision(page);
    assert.deepEqual([d.notify, d.code], [false, 'belowThreshold']);
    assert.equal((await timeline(page)).filter((s) => s.notify).length, 0);
  });
});

test('group leader: coverage serves more members than top-K by mean, and says whom and why', async () => {
  await withDemo({ viewport: DESKTOP }, async ({ page }) => {
    const summary = () => page.$eval('#group-summary', (el) => ({ served: Number(el.dataset.served), members: Number(el.dataset.members) }));
    const meanServed = () => page.$eval('#group-mean', (el) => Number(el.dataset.served));
    // Default members: 王奶奶, 陈女士, 小林.
    const checked = await page.$$eval('[data-member]', (els) => els.filter((e) => e.checked).map((e) => e.dataset.member));
    assert.deepEqual([...checked].sort(), ['grandma', 'office-worker', 'parent']);
    assert.deepEqual(await summary(), { served: 3, members: 3 });
    assert.ok((await meanServed()) < 3, 'top-K by mean leaves someone out');
    const picks = await page.$$eval('#group-picks > li', (lis) => lis.map((li) => ({
      id: li.dataset.offerId, served: li.dataset.served, names: [...li.querySelectorAll('.who b')].map((b) => b.textContent),
    })));
    assert.equal(picks.length, 5);
    const everyone = new Set(picks.flatMap((p) => p.names));
    assert.deepEqual([...everyone].sort(), ['小林', '王奶奶', '陈女士'].sort());
    assert.ok(picks.some((p) => p.id === 'o00001' && p.names.includes('王奶奶')), JSON.stringify(picks));
    await page.locator('#panel-group').screenshot({ path: new URL('08-group-leader.png', SCREENSHOTS).pathname });

    // Adding two more personas: still everyone served by coverage, and never fewer than by mean.
    await page.check('[data-member="student"]');
    await renderDone(page);
    await page.check('[data-member="newcomer"]');
    await renderDone(page);
    const five = await summary();
    assert.equal(five.members, 5);
    assert.ok(five.served > (await meanServed()), `${five.served} vs ${await meanServed()}`);
    // K = 3 still covers at least 4 of 5.
    await page.selectOption('#group-limit', '3');
    await renderDone(page);
    assert.equal(await page.locator('#group-picks > li').count(), 3);
    assert.ok((await summary()).served >= 4);
    // No members: a hint, no picks.
    for (const id of ['office-worker', 'grandma', 'parent', 'student', 'newcomer']) {
      await page.uncheck(`[data-member="${id}"]`);
      await renderDone(page);
    }
    assert.equal(await page.locator('#group-picks').count(), 0);
  });
});

test('A/B switch: off is the plain feed; variants are applied, shown and stable', async () => {
  await withDemo({ viewport: DESKTOP }, async ({ page }) => {
    const shown = () => page.getAttribute('#variant-shown', 'data-variant');
    const perCategory = (feed) => Math.max(...Object.values(feed.reduce((m, o) => ({ ...m, [o.category]: (m[o.category] ?? 0) + 1 }), {})));
    assert.equal(await page.getAttribute('[data-variant="off"]', 'aria-pressed'), 'true');
    assert.equal(await shown(), 'none');
    const plain = await readFeed(page);
    assertRankedByScore(plain);
    assert.ok(perCategory(plain) > 2, 'the plain feed repeats a category more than twice');

    await page.click('[data-variant="diverse"]');
    await renderDone(page);
    assert.equal(await shown(), 'diverse');
    const diverse = await readFeed(page);
    assert.equal(diverse.length, 20);
    assert.ok(perCategory(diverse) <= 2, `B caps categories at 2: ${perCategory(diverse)}`);
    assert.equal(diverse.filter((o) => o.reasons.some((r) => r.code === 'explore')).length, 1, 'one exploration slot');
    assert.match(await page.textContent('#variant-shown'), /变体 diverse/);
    await page.locator('#panel-experiment').screenshot({ path: new URL('09-ab-switch.png', SCREENSHOTS).pathname });

    await page.click('[data-variant="control"]');
    await renderDone(page);
    assert.equal(await shown(), 'control');
    assert.deepEqual((await readFeed(page)).map((o) => o.id), plain.map((o) => o.id));

    // By user id: the variant shown is the one assigned, and it is stable across a reload.
    await page.click('[data-variant="auto"]');
    await renderDone(page);
    const assigned = await page.getAttribute('#variant-assigned', 'data-variant');
    assert.ok(['control', 'diverse'].includes(assigned));
    assert.equal(await shown(), assigned);
    const bucket = await page.getAttribute('#variant-assigned', 'data-bucket');
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    assert.equal(await page.getAttribute('#variant-assigned', 'data-bucket'), bucket);
    assert.equal(await shown(), assigned);
    // Different users land in different variants (the five personas are not all in one).
    const variants = new Set();
    for (const id of ['office-worker', 'grandma', 'parent', 'student', 'newcomer']) {
      await page.click(`[data-user="${id}"]`);
      await renderDone(page);
      variants.add(await page.getAttribute('#variant-assigned', 'data-variant'));
    }
    assert.equal(variants.size, 2, [...variants].join());
    await shot(page, '10-desktop-feed-intelligence.png');
  });
});
