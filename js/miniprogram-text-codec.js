// UTF-8 TextEncoder / TextDecoder for runtimes that lack them (WeChat and Douyin
// mini-programs on some clients). Only what the wasm-bindgen glue uses: UTF-8,
// `encode`, `encodeInto`, `decode` (with `ignoreBOM`). Invalid input becomes U+FFFD,
// as in the WHATWG Encoding standard. The glue binds these by `require`, so nothing
// global is read or replaced.
'use strict';

function TextEncoder() {}
TextEncoder.prototype.encoding = 'utf-8';

/** Writes `str` as UTF-8 into `view` as far as whole characters fit. */
TextEncoder.prototype.encodeInto = function encodeInto(str, view) {
  const n = str.length;
  const cap = view.length;
  let read = 0;
  let written = 0;
  while (read < n) {
    let c = str.charCodeAt(read);
    let units = 1;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = read + 1 < n ? str.charCodeAt(read + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        units = 2;
      } else {
        c = 0xfffd; // lone surrogate
      }
    }
    if (c < 0x80) {
      if (written + 1 > cap) break;
      view[written++] = c;
    } else if (c < 0x800) {
      if (written + 2 > cap) break;
      view[written++] = 0xc0 | (c >> 6);
      view[written++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      if (written + 3 > cap) break;
      view[written++] = 0xe0 | (c >> 12);
      view[written++] = 0x80 | ((c >> 6) & 0x3f);
      view[written++] = 0x80 | (c & 0x3f);
    } else {
      if (written + 4 > cap) break;
      view[written++] = 0xf0 | (c >> 18);
      view[written++] = 0x80 | ((c >> 12) & 0x3f);
      view[written++] = 0x80 | ((c >> 6) & 0x3f);
      view[written++] = 0x80 | (c & 0x3f);
    }
    read += units;
  }
  return { read: read, written: written };
};

TextEncoder.prototype.encode = function encode(str) {
  const s = str === undefined ? '' : String(str);
  const buf = new Uint8Array(s.length * 3);
  return buf.slice(0, this.encodeInto(s, buf).written);
};

function TextDecoder(label, options) {
  const l = label === undefined ? 'utf-8' : String(label).trim().toLowerCase();
  if (l !== 'utf-8' && l !== 'utf8' && l !== 'unicode-1-1-utf-8') {
    throw new RangeError('TextDecoder: only utf-8 is supported, got ' + label);
  }
  this.ignoreBOM = !!(options && options.ignoreBOM);
}
TextDecoder.prototype.encoding = 'utf-8';

TextDecoder.prototype.decode = function decode(input) {
  if (input === undefined) return '';
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input.buffer || input, input.byteOffset || 0, input.byteLength);
  const n = bytes.length;
  let i = 0;
  if (!this.ignoreBOM && n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  let out = '';
  const units = [];
  while (i < n) {
    const b = bytes[i];
    if (b < 0x80) {
      // A run of ASCII (most of a JSON text: keys, numbers, punctuation) is
      // converted in bulk; a short one is copied code by code.
      let j = i + 1;
      while (j < n && bytes[j] < 0x80) j++;
      if (j - i >= 16) {
        if (units.length > 0) {
          out += String.fromCharCode.apply(null, units);
          units.length = 0;
        }
        for (let k = i; k < j; k += 8192) out += String.fromCharCode.apply(null, bytes.subarray(k, Math.min(j, k + 8192)));
      } else {
        for (let k = i; k < j; k++) units.push(bytes[k]);
      }
      i = j;
      if (units.length >= 8192) {
        out += String.fromCharCode.apply(null, units);
        units.length = 0;
      }
      continue;
    }
    let c = 0xfffd;
    let len = 1;
    if (b >= 0xc2 && b <= 0xdf) {
      if (i + 1 < n && (bytes[i + 1] & 0xc0) === 0x80) {
        c = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
        len = 2;
      }
    } else if (b >= 0xe0 && b <= 0xef) {
      const lo = b === 0xe0 ? 0xa0 : 0x80;
      const hi = b === 0xed ? 0x9f : 0xbf;
      if (i + 1 < n && bytes[i + 1] >= lo && bytes[i + 1] <= hi) {
        if (i + 2 < n && (bytes[i + 2] & 0xc0) === 0x80) {
          c = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
          len = 3;
        } else {
          len = 2;
        }
      }
    } else if (b >= 0xf0 && b <= 0xf4) {
      const lo = b === 0xf0 ? 0x90 : 0x80;
      const hi = b === 0xf4 ? 0x8f : 0xbf;
      if (i + 1 < n && bytes[i + 1] >= lo && bytes[i + 1] <= hi) {
        if (i + 2 < n && (bytes[i + 2] & 0xc0) === 0x80) {
          if (i + 3 < n && (bytes[i + 3] & 0xc0) === 0x80) {
            c = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
            len = 4;
          } else {
            len = 3;
          }
        } else {
          len = 2;
        }
      }
    }
    i += len;
    if (c > 0xffff) {
      c -= 0x10000;
      units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
    } else {
      units.push(c);
    }
    if (units.length >= 8192) {
      out += String.fromCharCode.apply(null, units);
      units.length = 0;
    }
  }
  return out + String.fromCharCode.apply(null, units);
};

exports.TextEncoder = TextEncoder;
exports.TextDecoder = TextDecoder;
