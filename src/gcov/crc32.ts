/**
 * GCC's crc32_unsigned: 32 bits MSB first, polynomial 0x04C11DB7, no reflection and no
 * final xor. Used for the object checksum (GCC >= 12) and the program checksum (<= 8).
 */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let b = 0; b < 8; b++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/**
 * The same table advanced by one to three more zero bytes: a word's four bytes fold into the
 * register in one step (x = crc ^ value, then one lookup per byte of x), not four.
 */
const [T2, T3, T4] = (() => {
  const next = (t: Uint32Array): Uint32Array => t.map((c) => ((c << 8) ^ TABLE[c >>> 24]!) >>> 0);
  const t2 = next(TABLE);
  const t3 = next(t2);
  return [t2, t3, next(t3)];
})();

export function crc32Unsigned(crc: number, value: number): number {
  const x = (crc ^ value) >>> 0;
  return (T4![x >>> 24]! ^ T3![(x >>> 16) & 0xff]! ^ T2![(x >>> 8) & 0xff]! ^ TABLE[x & 0xff]!) >>> 0;
}

/** The object checksum GCC >= 12 stores in gcov_info and the .gcda header. */
export function objectChecksum(
  fns: Iterable<{ ident: number; linenoChecksum: number; cfgChecksum: number }>,
): number {
  let c = 0;
  for (const f of fns) {
    c = crc32Unsigned(c, f.ident);
    c = crc32Unsigned(c, f.linenoChecksum);
    c = crc32Unsigned(c, f.cfgChecksum);
  }
  return c;
}
