// Group selection for a 团长: pick member personas, get the K offers that serve the
// most of them well, each with who it serves and why; compared with plain top-K by
// mean score, which tends to serve only the majority taste.
import { h } from '../dom.js';

export default {
  id: 'group',
  slot: 'side',
  title: (t) => t.group,

  render(body, { app, t, locale }) {
    const chosen = new Set(app.state.groupMembers);
    const result = app.group();
    const name = (u) => (locale === 'en' ? u.nameEn : u.name);
    body.replaceChildren(
      h('div', { class: 'members', role: 'group', 'aria-label': t.groupMembers },
        app.users.map((u) => h('label', { class: 'member' },
          h('input', { type: 'checkbox', dataset: { member: u.id }, checked: chosen.has(u.id), onchange: () => app.toggleMember(u.id) }),
          name(u)))),
      h('label', { class: 'control inline' }, h('span', {}, t.groupLimit),
        h('select', { id: 'group-limit', onchange: (e) => app.setting('groupLimit', Number(e.target.value)) },
          [3, 5, 8].map((k) => h('option', { value: k, selected: k === app.state.groupLimit }, t.limitN(k))))),
      result
        ? h('div', { class: 'group-result' },
          h('p', { id: 'group-summary', class: 'group-summary', dataset: { served: result.coverage.membersServed, members: result.coverage.members } },
            t.groupServed(result.coverage.membersServed, result.coverage.members)),
          h('ol', { id: 'group-picks', class: 'group-picks' },
            result.coverage.items.map((i) => h('li', { dataset: { offerId: i.offerId, served: i.served.map((m) => m.member).join(' ') } },
              h('div', { class: 'title' }, i.title, ' ', h('span', { class: 'note' }, `${t.meanScore} ${i.meanScore.toFixed(2)}`)),
              h('div', { class: 'served' },
                i.served.length
                  ? i.served.map((m) => h('span', { class: 'who', dataset: { member: m.member } },
                    h('b', {}, m.name), ' ', m.reasons[0]?.text ?? ''))
                  : h('span', { class: 'note' }, t.servesNobody))))),
          h('p', { id: 'group-mean', class: 'note', dataset: { served: result.mean.membersServed } },
            t.groupMean(result.mean.membersServed, result.mean.members, result.mean.items.map((i) => i.title))))
        : h('p', { class: 'note' }, t.groupEmpty),
    );
  },
};
