// What the device knows: the saved profile's size, the recent actions, and a reset.
import { h } from '../dom.js';

export default {
  id: 'profile',
  slot: 'side',
  title: (t) => t.profile,

  render(body, { app, t, locale }) {
    const bytes = app.profile.toBytes().length;
    const log = app.state.log;
    body.replaceChildren(
      h('p', { id: 'profile-size', dataset: { events: app.profile.eventCount, bytes } }, t.profileSize(app.profile.eventCount, bytes)),
      h('h3', {}, t.activity),
      log.length
        ? h('ul', { class: 'log', id: 'log' }, log.slice(0, 8).map((e) => h('li', { dataset: { type: e.type, offerId: e.offerId } },
          h('span', { class: `act ${e.type}` }, t.actions[e.type]),
          ' ', app.offers.get(e.offerId)?.title ?? e.offerId,
          h('time', {}, new Date(e.at).toLocaleDateString(locale, { month: 'numeric', day: 'numeric' })))))
        : h('p', { class: 'note' }, t.noActivity),
      h('button', { type: 'button', id: 'reset', class: 'reset', onclick: () => app.reset() }, t.reset),
    );
  },
};
