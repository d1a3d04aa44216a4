// The push gate (敬畏每一个红点): should this user get a notification at this hour of
// the simulated day, and about what? The answer always carries its reason. A timeline
// replays the whole day every 30 minutes on a copy of the profile, so the budget and
// the quiet hours can be seen at a glance.
import { h } from '../dom.js';

const pad = (n) => String(n).padStart(2, '0');

export default {
  id: 'push',
  slot: 'side',
  title: (t) => t.push,

  render(body, { app, t }) {
    const hour = app.state.pushHour;
    const d = app.shouldNotify();
    const day = app.simulateDay();
    const hourOut = h('output', { id: 'push-hour-value' }, `${pad(hour)}:00`);
    body.replaceChildren(
      h('div', { class: 'controls' },
        h('label', { class: 'control' }, h('span', {}, t.pushHour, ' ', hourOut),
          h('input', {
            id: 'push-hour', type: 'range', min: 0, max: 23, step: 1, value: hour,
            oninput: (e) => { hourOut.textContent = `${pad(e.target.value)}:00`; },
            onchange: (e) => app.setting('pushHour', Number(e.target.value)),
          })),
        h('label', { class: 'control' }, h('span', {}, t.pushBudget),
          h('select', { id: 'push-budget', onchange: (e) => app.setting('pushBudget', Number(e.target.value)) },
            [0, 1, 2, 3, 4].map((b) => h('option', { value: b, selected: b === app.state.pushBudget }, t.perDay(b)))))),
      h('div', {
        id: 'push-decision', class: `decision ${d.notify ? 'yes' : 'no'}`,
        dataset: { notify: String(d.notify), code: d.reason.code, offerId: d.offer?.offerId ?? '' },
      },
      h('b', {}, d.notify ? t.pushYes : t.pushNo),
      h('span', { class: 'reason' }, d.reason.text),
      h('span', { class: 'note' }, t.pushesToday(d.pushesToday, d.budgetPerDay))),
      d.notify
        ? h('button', { type: 'button', id: 'push-send', class: 'send', onclick: () => app.sendPush(d.offer.offerId) }, t.pushSend)
        : null,
      h('h3', {}, t.pushDay),
      h('ol', { id: 'push-timeline', class: 'timeline' },
        day.map((s) => h('li', {
          class: s.notify ? 'sent' : s.code,
          dataset: { slot: s.slot, code: s.code, notify: String(s.notify), hour: Math.floor(s.slot / 2) },
          title: `${pad(Math.floor(s.slot / 2))}:${s.slot % 2 ? '30' : '00'} · ${s.text}`,
        }))),
      h('p', { class: 'note' }, t.pushLegend),
      h('ul', { class: 'sent-list', id: 'push-sent' },
        day.filter((s) => s.notify).map((s) => h('li', {}, h('time', {}, `${pad(Math.floor(s.slot / 2))}:${s.slot % 2 ? '30' : '00'}`), ' ', s.title))),
    );
  },
};
