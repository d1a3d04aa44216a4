// The neighbourhood: pickup points (with their pickup radius), stores and the
// warehouse of the catalog, the user's position, and how many feed offers each store
// has. Clicking anywhere moves the user there.
import { h } from '../dom.js';
import { distanceKm, projection } from '../geo.js';

const W = 360;
const H = 300;
const SHAPES = {
  pickupPoint: (x, y) => h('circle', { cx: x, cy: y, r: 6 }),
  store: (x, y) => h('rect', { x: x - 5.5, y: y - 5.5, width: 11, height: 11, rx: 2 }),
  warehouse: (x, y) => h('polygon', { points: `${x},${y - 7} ${x + 7},${y} ${x},${y + 7} ${x - 7},${y}` }),
};

function shortName(name) {
  const short = name.replace(/自提点$/, '').replace(/（.*）$/, '').trim();
  return short.length > 6 ? `${short.slice(0, 5)}…` : short;
}

export default {
  id: 'map',
  slot: 'side',
  title: (t) => t.map,

  render(body, { app, view, t }) {
    const stores = app.catalog.stores;
    const proj = (this.proj ??= projection(stores, W, H, 0.3));
    const counts = new Map();
    for (const o of view.feed) counts.set(o.storeId, (counts.get(o.storeId) ?? 0) + 1);
    const loc = app.state.location;

    const grid = [];
    for (let x = 0; x <= W; x += 30) grid.push(h('line', { x1: x, y1: 0, x2: x, y2: H, class: 'grid' }));
    for (let y = 0; y <= H; y += 30) grid.push(h('line', { x1: 0, y1: y, x2: W, y2: y, class: 'grid' }));

    // The pickup radius of the pickup points that can serve the user where they are.
    const radii = stores
      .filter((s) => s.kind === 'pickupPoint' && s.deliveryRadiusKm && loc && distanceKm(loc, s) <= s.deliveryRadiusKm)
      .map((s) => {
        const [x, y] = proj.toXY(s);
        return h('circle', { cx: x, cy: y, r: s.deliveryRadiusKm * proj.pxPerKm, class: 'radius' });
      });

    const markers = stores.map((s) => {
      const [x, y] = proj.toXY(s);
      const n = counts.get(s.id) ?? 0;
      return h('g', { class: `store ${s.kind ?? 'store'}${n ? ' in-feed' : ''}`, dataset: { storeId: s.id, count: n } },
        h('title', {}, `${s.name} · ${t.kind[s.kind ?? 'store']}`),
        SHAPES[s.kind ?? 'store'](x, y),
        h('text', { x, y: y + 17, class: 'label' }, shortName(s.name)),
      );
    });
    // Drawn above the user's pin, so a store's count stays readable when standing next to it.
    const badges = stores.filter((s) => counts.get(s.id)).map((s) => {
      const [x, y] = proj.toXY(s);
      return h('g', { class: 'badge', dataset: { storeId: s.id } },
        h('circle', { cx: x + 8, cy: y - 8, r: 7 }), h('text', { x: x + 8, y: y - 5 }, counts.get(s.id)));
    });

    let you = null;
    if (loc) {
      const [x, y] = proj.toXY(loc);
      you = h('g', { class: 'you', id: 'you', dataset: { lat: loc.lat, lng: loc.lng } },
        h('circle', { cx: x, cy: y, r: 14, class: 'halo' }),
        h('path', { d: `M${x} ${y} l-6 -11 a7 7 0 1 1 12 0 z` }),
        h('circle', { cx: x, cy: y - 14, r: 2.6, class: 'dot' }),
      );
    }

    const kmPx = proj.pxPerKm * 0.5;
    const scale = h('g', { class: 'scale' },
      h('line', { x1: 10, y1: H - 12, x2: 10 + kmPx, y2: H - 12 }),
      h('text', { x: 10 + kmPx / 2, y: H - 17 }, app.state.locale === 'en' ? '500 m' : '500 米'));

    const svg = h('svg', {
      id: 'map', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': t.map,
      onclick: (e) => {
        const pt = svg.createSVGPoint();
        pt.x = e.clientX;
        pt.y = e.clientY;
        const p = pt.matrixTransform(svg.getScreenCTM().inverse());
        const { lat, lng } = proj.toLatLng(p.x, p.y);
        app.moveTo(lat, lng);
      },
    }, h('rect', { x: 0, y: 0, width: W, height: H, class: 'bg' }), grid, radii, markers, you, badges, scale,
    h('text', { x: W - 12, y: 18, class: 'north' }, 'N ↑'));

    body.replaceChildren(
      svg,
      h('p', { class: 'hint' }, loc ? t.mapHint : t.mapNoLocation),
      h('ul', { class: 'legend' },
        h('li', { class: 'pickupPoint' }, t.legendPickup),
        h('li', { class: 'store' }, t.legendStore),
        h('li', { class: 'warehouse' }, t.legendWarehouse),
        h('li', { class: 'you' }, t.legendYou),
        h('li', { class: 'count' }, t.legendCount)),
    );
  },
};
