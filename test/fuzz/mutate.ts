/**
 * Mutations of one input, in the spirit of libFuzzer's: bit flips, bytes and words set to
 * interesting values (both byte orders), arithmetic on words, chunk copy/insert/delete, and
 * splicing with another corpus entry. A seeded PRNG keeps a run reproducible.
 */

/** xorshift32: small, fast, reproducible. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Uniform in [0, n). */
  below(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  chance(oneIn: number): boolean {
    return this.below(oneIn) === 0;
  }
}

const INTERESTING8 = [0, 1, 0x7f, 0x80, 0xff, 0x10, 0x20, 0x2f, 0x2e, 0x40, 0x64];
const INTERESTING16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x100, 0x200, 0x1000, 0x3ff, 0x400];
const INTERESTING32 = [
  0,
  1,
  2,
  4,
  8,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  0xfffffffe,
  0x10000,
  0x100000,
  0x1000000,
  0x400000,
  0xa1000000,
  0x01000000,
  0x3fffffff,
  0x40000000,
  1 << 22,
  (1 << 22) + 1,
  1 << 20,
  // negative lengths (compacted counter records), as 32-bit words
  0xfffffff8,
  0xffc00000,
  0xfe000000,
  0xffff0000,
];

const MAX_LEN = 1 << 20;

function setWord(b: Uint8Array, at: number, v: number, bytes: number, little: boolean): void {
  for (let i = 0; i < bytes; i++) {
    const shift = little ? i * 8 : (bytes - 1 - i) * 8;
    b[at + i] = (v / 2 ** shift) & 0xff;
  }
}

function getWord(b: Uint8Array, at: number, bytes: number, little: boolean): number {
  let v = 0;
  for (let i = 0; i < bytes; i++) v = v * 256 + b[at + (little ? bytes - 1 - i : i)]!;
  return v;
}

function insert(b: Uint8Array, at: number, chunk: Uint8Array): Uint8Array {
  if (b.length + chunk.length > MAX_LEN) return b;
  const out = new Uint8Array(b.length + chunk.length);
  out.set(b.subarray(0, at));
  out.set(chunk, at);
  out.set(b.subarray(at), at + chunk.length);
  return out;
}

/** One mutation of `input` (a new array; the input is left alone). */
export function mutateOnce(input: Uint8Array, rng: Rng, other: Uint8Array | undefined): Uint8Array {
  let b: Uint8Array = input.slice();
  const n = b.length;
  const pos = () => rng.below(n);
  // words are mostly aligned: the formats under test are word streams
  const wordPos = (size: number) => {
    if (n < size) return -1;
    const p = rng.below(n - size + 1);
    return rng.chance(4) ? p : p - (p % size);
  };
  switch (rng.below(13)) {
    case 0: {
      if (n === 0) break;
      const p = pos();
      b[p]! ^= 1 << rng.below(8);
      break;
    }
    case 1: {
      if (n === 0) break;
      b[pos()] = INTERESTING8[rng.below(INTERESTING8.length)]!;
      break;
    }
    case 2: {
      const p = wordPos(2);
      if (p < 0) break;
      setWord(b, p, INTERESTING16[rng.below(INTERESTING16.length)]!, 2, rng.chance(2));
      break;
    }
    case 3: {
      const p = wordPos(4);
      if (p < 0) break;
      setWord(b, p, INTERESTING32[rng.below(INTERESTING32.length)]!, 4, rng.chance(2));
      break;
    }
    case 4: {
      // small arithmetic on a word, either byte order
      const size = [1, 2, 4][rng.below(3)]!;
      const p = wordPos(size);
      if (p < 0) break;
      const little = rng.chance(2);
      const delta = rng.below(35) - 17;
      const mod = 2 ** (size * 8);
      setWord(b, p, (getWord(b, p, size, little) + delta + mod) % mod, size, little);
      break;
    }
    case 5: {
      if (n === 0) break;
      b[pos()] = rng.below(256);
      break;
    }
    case 6: {
      // delete a chunk
      if (n < 2) break;
      const len = 1 + rng.below(Math.min(n - 1, rng.chance(4) ? 512 : 16));
      const p = rng.below(n - len + 1);
      const out = new Uint8Array(n - len);
      out.set(b.subarray(0, p));
      out.set(b.subarray(p + len), p);
      b = out;
      break;
    }
    case 7: {
      // insert a copy of a chunk of itself
      if (n === 0) break;
      const len = 1 + rng.below(Math.min(n, rng.chance(4) ? 512 : 16));
      const from = rng.below(n - len + 1);
      b = insert(b, rng.below(n + 1), b.slice(from, from + len));
      break;
    }
    case 8: {
      // overwrite a chunk with another chunk of itself
      if (n < 2) break;
      const len = 1 + rng.below(Math.min(n - 1, 64));
      const from = rng.below(n - len + 1);
      const to = rng.below(n - len + 1);
      b.copyWithin(to, from, from + len);
      break;
    }
    case 9: {
      // insert random bytes
      const len = 1 + rng.below(8);
      const chunk = new Uint8Array(len);
      for (let i = 0; i < len; i++) chunk[i] = rng.below(256);
      b = insert(b, rng.below(n + 1), chunk);
      break;
    }
    case 10: {
      // splice: head of this one, tail of another
      if (!other || other.length === 0) break;
      const cut = rng.below(n + 1);
      const from = rng.below(other.length);
      const tail = other.subarray(from, from + Math.min(other.length - from, MAX_LEN - cut));
      const out = new Uint8Array(cut + tail.length);
      out.set(b.subarray(0, cut));
      out.set(tail, cut);
      b = out;
      break;
    }
    case 11: {
      // copy a chunk of another entry into this one
      if (!other || other.length === 0 || n === 0) break;
      const len = 1 + rng.below(Math.min(other.length, n, 256));
      const from = rng.below(other.length - len + 1);
      b.set(other.subarray(from, from + len), rng.below(n - len + 1));
      break;
    }
    case 12: {
      // truncate
      if (n === 0) break;
      b = b.slice(0, rng.below(n));
      break;
    }
  }
  return b;
}

/** A stack of 1 to 8 mutations (fewer more often). */
export function mutate(input: Uint8Array, rng: Rng, other: Uint8Array | undefined): Uint8Array {
  let b = input;
  const count = 1 + rng.below(1 + rng.below(8));
  for (let i = 0; i < count; i++) b = mutateOnce(b, rng, other);
  return b;
}
