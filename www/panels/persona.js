// Who the user is: sample users, age, income band, the simulated date and feed size.
import { h } from '../dom.js';

export default {
  id: 'persona',
  slot: 'side',
  title: (t) => t.persona,

  render(body, { app, t, locale }) {
    const s = app.state;
    const sample = app.users.find((u) => u.id === s.userId);
    const ageOut = h('output', { id: 'age-value' }, s.age == null ? t.unknown : `${s.age} ${t.ageUnit}`.trim());
    const date = new Date(app.now()).toLocaleDateString(locale, { month: 'short', day: 'numeric', weekday: 'short' });
    body.replaceChildren(
      h('div', { class: 'presets', role: 'group', 'aria-label': t.preset },
        app.users.map((u) =>
          h('button', {
            class: 'preset', type: 'button', dataset: { user: u.id },
            'aria-pressed': String(u.id === s.userId),
            onclick: () => app.selectUser(u.id),
          }, locale === 'en' ? u.nameEn : u.name),
        ),
      ),
      h('p', { class: 'persona-desc', id: 'persona-desc' }, sample ? (locale === 'en' ? sample.descriptionEn : sample.description) : ''),
      h('div', { class: 'controls' },
        h('label', { class: 'control' }, h('span', {}, t.age, ' ', ageOut),
          h('input', {
            id: 'age', type: 'range', min: 6, max: 90, step: 1, value: s.age ?? 35,
            class: s.age == null ? 'unset' : '',
            oninput: (e) => { ageOut.textContent = `${e.target.value} ${t.ageUnit}`.trim(); },
            onchange: (e) => app.setAge(Number(e.target.value)),
          })),
        h('label', { class: 'control' }, h('span', {}, t.income),
          h('select', { id: 'income', onchange: (e) => app.setIncomeBand(Number(e.target.value)) },
            s.incomeBand == null ? h('option', { value: '', selected: true, disabled: true }, t.unknown) : null,
            [1, 2, 3, 4, 5].map((b) => h('option', { value: b, selected: s.incomeBand === b }, t.incomeBands[b])),
          )),
        h('div', { class: 'control clock' },
          h('span', {}, t.clock, ' ', h('output', { id: 'sim-date', dataset: { offset: s.dayOffset } },
            `${date} · ${s.dayOffset ? t.daysLater(s.dayOffset) : t.today}`)),
          h('div', { class: 'buttons' },
            h('button', { type: 'button', id: 'plus-day', onclick: () => app.advance(1) }, t.plusDay),
            h('button', { type: 'button', id: 'plus-week', onclick: () => app.advance(7) }, t.plusWeek),
            h('button', { type: 'button', id: 'today', disabled: s.dayOffset === 0, onclick: () => app.advance(0) }, t.backToToday),
          )),
      ),
    );
  },
};
