// Map helpers. The sample catalog's stores are GCJ-02 (what AMap and WeChat give), so
// the page draws and stores the user's position in GCJ-02 too; a WGS-84 position (GPS,
// a sample user) is shifted to GCJ-02 for drawing with the public eviltransform formulas
// (the engine converts internally but does not export the conversion).

const A = 6378137;
const EE = 0.00669342162296594323;

function shift(x, y) {
  const xy = x * y;
  const absX = Math.sqrt(Math.abs(x));
  const xPi = x * Math.PI;
  const yPi = y * Math.PI;
  const d = 20 * Math.sin(6 * xPi) + 20 * Math.sin(2 * xPi);
  let lat = d + 20 * Math.sin(yPi) + 40 * Math.sin(yPi / 3) + 160 * Math.sin(yPi / 12) + 320 * Math.sin(yPi / 30);
  let lng = d + 20 * Math.sin(xPi) + 40 * Math.sin(xPi / 3) + 150 * Math.sin(xPi / 12) + 300 * Math.sin(xPi / 30);
  lat = (lat * 2) / 3 - 100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * xy + 0.2 * absX;
  lng = (lng * 2) / 3 + 300 + x + 2 * y + 0.1 * x * x + 0.1 * xy + 0.1 * absX;
  return [lat, lng];
}

/** A `{ lat, lng, datum? }` as GCJ-02 `{ lat, lng }` (unchanged outside China). */
export function toGcj02(loc) {
  if (!loc) return null;
  if (loc.datum === 'gcj02') return { lat: loc.lat, lng: loc.lng };
  const { lat, lng } = loc;
  if (lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271) return { lat, lng };
  const [dLat0, dLng0] = shift(lng - 105, lat - 35);
  const radLat = (lat / 180) * Math.PI;
  const magic = 1 - EE * Math.sin(radLat) ** 2;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (dLat0 * 180) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (dLng0 * 180) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: lat + dLat, lng: lng + dLng };
}

/** Equirectangular projection of the stores' bounding box (plus a margin) to a w×h box. */
export function projection(points, w, h, marginKm = 0.45) {
  const lat0 = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const kx = 111.32 * Math.cos((lat0 * Math.PI) / 180); // km per degree of longitude
  const ky = 110.57; // km per degree of latitude
  const xs = points.map((p) => p.lng * kx);
  const ys = points.map((p) => p.lat * ky);
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  x0 -= marginKm; x1 += marginKm; y0 -= marginKm; y1 += marginKm;
  // Keep the aspect ratio: grow the narrower side.
  const scale = Math.min(w / (x1 - x0), h / (y1 - y0)); // px per km
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  return {
    pxPerKm: scale,
    toXY: (p) => [w / 2 + (p.lng * kx - cx) * scale, h / 2 - (p.lat * ky - cy) * scale],
    toLatLng: (x, y) => ({ lat: (cy + (h / 2 - y) / scale) / ky, lng: (cx + (x - w / 2) / scale) / kx }),
  };
}

export function formatDistance(m, locale) {
  if (m == null) return '';
  if (locale === 'en') return m < 1000 ? `${Math.round(m / 10) * 10} m` : `${(m / 1000).toFixed(1)} km`;
  return m < 1000 ? `${Math.round(m / 10) * 10} 米` : `${(m / 1000).toFixed(1)} 公里`;
}

/** Great-circle distance in km (both points in the same datum). */
export function distanceKm(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(s));
}
