// Feature detection shared by the entries: a 31-byte module that uses a SIMD
// instruction (v128 const + i8x16.popcnt); runtimes without SIMD fail to validate it.
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253,
  98, 11,
]);

/** Whether this runtime runs WebAssembly SIMD (then the SIMD build is loaded). */
export function simdSupported() {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}
