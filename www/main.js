// The demo page. Each box on the page is a panel: { id, slot: 'side' | 'main', title(t),
// render(body, ctx) }, re-rendered after every change with ctx = { app, view, t,
// locale, deltas, flash } where view = { feed, filtered, ms, runs, options, build } is one
// rank. A new feature (push gate, group selection for a 团长, A/B variants, learned
// signals) is one more module in panels/ and one more entry in PANELS.
import { App } from './app.js';
import { h } from './dom.js';
import { t as strings } from './i18n.js';
import persona from './panels/persona.js';
import map from './panels/map.js';
import feed from './panels/feed.js';
import profile from './panels/profile.js';
import experiment from './panels/experiment.js';
import push from './panels/push.js';
import group from './panels/group.js';

const PANELS = [persona, map, feed, experiment, push, group, profile];

const app = await App.create();
const layout = document.querySelector('#layout');
const sections = new Map(
  PANELS.map((p) => {
    const title = h('h2', {});
    const body = h('div', { class: 'body' });
    const section = h('section', { class: `panel ${p.slot}`, id: `panel-${p.id}`, dataset: { slot: p.slot } }, title, body);
    layout.append(section);
    return [p.id, { section, title, body }];
  }),
);

let lastRanks = null;

function render({ keepRanks = false } = {}) {
  const locale = app.state.locale;
  const t = strings(locale);
  document.documentElement.lang = locale;
  document.title = `${t.title} · goods-ranker`;
  document.querySelector('#title').textContent = t.title;
  document.querySelector('#tagline').textContent = t.tagline;
  document.querySelector('#footnote').textContent = t.footnote;
  for (const b of document.querySelectorAll('[data-locale]')) b.setAttribute('aria-pressed', String(b.dataset.locale === locale));

  const view = app.view();
  let deltas = null;
  if (app.previousRanks === null) lastRanks = null;
  if (lastRanks && !keepRanks) {
    deltas = new Map(view.feed.map((o) => [o.offerId, lastRanks.has(o.offerId) ? lastRanks.get(o.offerId) - o.rank : 'new']));
  }
  lastRanks = new Map(view.feed.map((o) => [o.offerId, o.rank]));
  app.previousRanks = lastRanks;
  const ctx = { app, view, t, locale, deltas, flash: app.flash };
  app.flash = null;
  for (const p of PANELS) {
    const { title, body } = sections.get(p.id);
    title.textContent = p.title(t);
    p.render(body, ctx);
  }
  document.body.dataset.ready = 'true';
}

for (const b of document.querySelectorAll('[data-locale]')) b.addEventListener('click', () => app.setLocale(b.dataset.locale));
app.subscribe(render);
render();
