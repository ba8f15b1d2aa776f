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

export function crc32Unsigned(crc: number, value: number): number {
  for (let shift = 24; shift >= 0; shift -= 8) {
    crc = ((crc << 8) ^ TABLE[((crc >>> 24) ^ (value >>> shift)) & 0xff]!) >>> 0;
  }
  return crc >>> 0;
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
