// The ranked feed: title, price, store and distance, the engine's reasons as chips,
// an expandable score breakdown, actions that record profile events; then the offers
// the hard filters removed, and why.
import { h } from '../dom.js';
import { formatDistance } from '../geo.js';
import { features, filterCodes } from '../i18n.js';

const ACTIONS = ['impression', 'click', 'cart', 'purchase', 'dismiss'];

function yuan(n) {
  return `¥${Number.isInteger(n) ? n : n.toFixed(1).replace(/\.0$/, '')}`;
}

function breakdown(offer, t, locale) {
  const rows = Object.entries(offer.breakdown)
    .filter(([, v]) => v > 0.00005)
    .sort((a, b) => b[1] - a[1]);
  const max = rows[0]?.[1] ?? 1;
  return h('details', { class: 'breakdown' },
    h('summary', {}, t.breakdown, h('span', { class: 'score' }, `${t.score} ${offer.score.toFixed(3)}`)),
    h('table', {},
      rows.map(([name, v]) => h('tr', { dataset: { feature: name } },
        h('th', {}, features[locale][name] ?? name),
        h('td', { class: 'bar' }, h('span', { style: `width:${((v / max) * 100).toFixed(1)}%` })),
        h('td', { class: 'num' }, v.toFixed(3))))),
    h('p', { class: 'note' }, t.breakdownNote));
}

function card(offer, { app, t, locale, deltas, flash }) {
  const source = app.offers.get(offer.offerId);
  const delta = deltas?.get(offer.offerId);
  let badge = null;
  if (delta === 'new') badge = h('span', { class: 'delta up' }, t.newEntry);
  else if (delta > 0) badge = h('span', { class: 'delta up' }, `↑${delta}`);
  else if (delta < 0) badge = h('span', { class: 'delta down' }, `↓${-delta}`);
  return h('li', {
    class: `offer${flash === offer.offerId ? ' flash' : ''}`,
    dataset: { offerId: offer.offerId, storeId: offer.storeId, category: offer.category, score: offer.score, rank: offer.rank },
  },
  h('div', { class: 'rank' }, h('b', {}, offer.rank), badge),
  h('div', { class: 'main' },
    h('div', { class: 'title' }, offer.title),
    h('div', { class: 'meta' },
      h('span', { class: 'price' }, yuan(offer.price)),
      source?.originalPrice > offer.price ? h('s', { class: 'orig' }, yuan(source.originalPrice)) : null,
      h('span', { class: 'store' }, offer.storeName),
      offer.distanceM != null ? h('span', { class: 'dist' }, formatDistance(offer.distanceM, locale)) : null),
    h('div', { class: 'chips' },
      offer.reasons.map((r) => h('span', { class: `chip ${r.code}`, dataset: { code: r.code }, title: `${r.code} · ${r.weight.toFixed(3)}` }, r.text))),
    h('div', { class: 'actions' },
      ACTIONS.map((type) => h('button', {
        type: 'button', class: `act ${type}`, dataset: { action: type },
        onclick: () => app.record(type, offer.offerId),
      }, t.actions[type]))),
    breakdown(offer, t, locale)));
}

export default {
  id: 'feed',
  slot: 'main',
  title: (t) => t.feed,

  render(body, ctx) {
    const { app, view, t, locale } = ctx;
    const ms = view.ms < 1 ? view.ms.toFixed(2) : view.ms.toFixed(1);
    const byCode = new Map();
    for (const f of view.filtered) for (const c of f.codes) byCode.set(c, (byCode.get(c) ?? 0) + 1);
    const open = body.querySelector('#filtered')?.open ?? false;
    body.replaceChildren(
      h('div', { class: 'feed-head' },
        h('p', { class: 'summary', id: 'rank-summary', dataset: { ms: view.ms, runs: view.runs, build: view.build } },
          t.rankSummary(view.feed.length, app.engine.offerCount, ms, view.build)),
        h('select', { id: 'limit', 'aria-label': t.limit, onchange: (e) => app.setLimit(Number(e.target.value)) },
          [10, 20, 50, 100].map((n) => h('option', { value: n, selected: app.state.limit === n }, t.limitN(n))))),
      view.feed.length
        ? h('ol', { id: 'feed', class: 'feed' }, view.feed.map((o) => card(o, ctx)))
        : h('p', { class: 'empty' }, t.empty),
      h('details', { id: 'filtered', class: 'filtered', open },
        h('summary', {}, t.filtered(view.filtered.length)),
        h('p', { class: 'note' }, t.filteredNote),
        h('div', { class: 'codes' },
          [...byCode].map(([code, n]) => h('span', { class: `chip filter ${code}`, dataset: { code } }, `${filterCodes[locale][code]} ${n}`))),
        h('ul', {},
          view.filtered.map((f) => h('li', { dataset: { offerId: f.offerId, codes: f.codes.join(' ') } },
            h('span', { class: 'ftitle' }, f.title),
            h('span', { class: 'ftext' }, f.text),
            f.codes.length > 1 ? h('span', { class: 'fmore' }, f.codes.slice(1).map((c) => filterCodes[locale][c]).join(' · ')) : null)))),
    );
  },
};
