// The A/B switch: off, the real experiment (variant by the user's id), or one variant
// forced. The variant comes back with the ranking (rankWithVariant) and is shown as
// the app would log it.
import { h } from '../dom.js';
import { EXPERIMENT, EXPERIMENT_MODES } from '../app.js';

export default {
  id: 'experiment',
  slot: 'side',
  title: (t) => t.experiment,

  render(body, { app, view, t }) {
    const mode = app.state.experiment;
    const assigned = app.assignment();
    const variant = view.variant;
    body.replaceChildren(
      h('div', { class: 'switch', role: 'group', 'aria-label': t.experiment },
        EXPERIMENT_MODES.map((m) => h('button', {
          type: 'button', class: 'variant', dataset: { variant: m },
          'aria-pressed': String(m === mode),
          onclick: () => app.setting('experiment', m),
        }, t.variantModes[m]))),
      h('p', { class: 'note', id: 'variant-assigned', dataset: { variant: assigned.variant, bucket: assigned.bucket } },
        t.assigned(app.state.userId, EXPERIMENT.name, assigned.variant, assigned.bucket)),
      h('p', { id: 'variant-shown', class: 'variant-shown', dataset: { variant: variant?.variant ?? 'none' } },
        variant ? t.variantShown(variant.experiment, variant.variant) : t.noVariant),
      h('p', { class: 'note' }, t.variantNote),
    );
  },
};
