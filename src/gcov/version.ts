/**
 * GCC's coverage version word: four ASCII characters, most significant first.
 * GCC <= 6 wrote major, two minor digits, phase ("409*"); GCC >= 7 writes
 * 'A' + major / 10, major % 10, minor, phase ("B22*" is 12.2).
 */
export interface GccVersion {
  readonly word: number;
  readonly major: number;
  readonly minor: number;
  /** The four characters as stored, e.g. "B22*". */
  readonly tag: string;
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

export function decodeVersion(word: number): GccVersion | undefined {
  const c0 = (word >>> 24) & 0xff;
  const c1 = (word >>> 16) & 0xff;
  const c2 = (word >>> 8) & 0xff;
  const c3 = word & 0xff;
  if (!isDigit(c1) || !isDigit(c2) || c3 < 0x20 || c3 > 0x7e) return undefined;
  let major: number;
  let minor: number;
  if (c0 >= 0x41 && c0 <= 0x5a) {
    major = (c0 - 0x41) * 10 + (c1 - 0x30);
    minor = c2 - 0x30;
    if (major < 7) return undefined;
  } else if (isDigit(c0)) {
    major = c0 - 0x30;
    minor = (c1 - 0x30) * 10 + (c2 - 0x30);
  } else {
    return undefined;
  }
  const tag = String.fromCharCode(c0, c1, c2, c3);
  return { word: word >>> 0, major, minor, tag };
}

/** Versions as ordered values: compare(a, 12) >= 0 means "GCC 12 or later". */
export function atLeast(v: GccVersion, major: number, minor = 0): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

export function versionText(v: GccVersion): string {
  return `${v.major}.${v.minor}`;
}

export function encodeVersion(major: number, minor: number, phase = '*'): number {
  const chars =
    major >= 7
      ? [0x41 + Math.floor(major / 10), 0x30 + (major % 10), 0x30 + minor]
      : [0x30 + major, 0x30 + Math.floor(minor / 10), 0x30 + (minor % 10)];
  return ((chars[0]! << 24) | (chars[1]! << 16) | (chars[2]! << 8) | phase.charCodeAt(0)) >>> 0;
}
