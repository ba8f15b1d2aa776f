/**
 * A memory image seen from the target: words in the target's byte order and width,
 * pointers in the target's address space translated to offsets in the image.
 */
import { WordReader } from './bytes';
import { hex } from './errors';

export type WordSize = 4 | 8;

export interface Target {
  readonly wordSize: WordSize;
  readonly little: boolean;
}

export const targetText = (t: Target): string =>
  `${t.wordSize * 8}-bit ${t.little ? 'little' : 'big'}-endian`;

const TWO32 = 4294967296;

export class TargetMemory {
  readonly r: WordReader;
  private readonly baseHi: number;
  private readonly baseLo: number;
  constructor(
    readonly bytes: Uint8Array,
    readonly target: Target,
    readonly base: bigint,
  ) {
    this.r = new WordReader(bytes, target.little);
    this.baseHi = Number((base >> 32n) & 0xffffffffn);
    this.baseLo = Number(base & 0xffffffffn);
  }
  get size(): number {
    return this.bytes.length;
  }
  private words?: Int32Array;
  /**
   * The whole underlying buffer as host-order 32-bit words (see wordIndex), signed: loops that
   * compare words run faster over these, as V8 keeps them as small integers, while a Uint32Array
   * value of 2^31 or more becomes a double.
   */
  get words32i(): Int32Array {
    this.words ??= new Int32Array(this.bytes.buffer, 0, this.bytes.buffer.byteLength >>> 2);
    return this.words;
  }
  /** Index into words32i of the image bytes at `off`, or -1 when they are not 4-aligned. */
  wordIndex(off: number): number {
    const at = this.bytes.byteOffset + off;
    return at % 4 === 0 ? at >>> 2 : -1;
  }
  get wordSize(): WordSize {
    return this.target.wordSize;
  }
  // Pointer reads avoid allocating (no [hi, lo] tuples): they run once per function and counter kind.
  private ptrHi(off: number): number {
    return this.target.wordSize === 4 ? 0 : this.r.u64hi(off);
  }
  private ptrLo(off: number): number {
    return this.target.wordSize === 4 ? this.r.u32(off) : this.r.u64lo(off);
  }
  /** The address stored at `off`, for messages. */
  pointerAt(off: number): bigint {
    return (BigInt(this.ptrHi(off)) << 32n) | BigInt(this.ptrLo(off));
  }
  isNullAt(off: number): boolean {
    return this.ptrLo(off) === 0 && this.ptrHi(off) === 0;
  }
  /** Image offset the pointer at `off` points to; may lie outside the image (check with contains). */
  targetOffsetAt(off: number): number {
    return this.offsetOf(this.ptrHi(off), this.ptrLo(off));
  }
  /** Image offset of a 64-bit gcov_type holding a pointer (TOPN list heads are stored that way). */
  counterPointerOffsetAt(off: number): number | null {
    const hi = this.r.u64hi(off);
    const lo = this.r.u64lo(off);
    if (hi === 0 && lo === 0) return null;
    return this.target.wordSize === 4 && hi !== 0 ? -1 : this.offsetOf(hi, lo);
  }
  offsetOf(hi: number, lo: number): number {
    return (hi - this.baseHi) * TWO32 + (lo - this.baseLo);
  }
  addressOf(offset: number): bigint {
    return this.base + BigInt(offset);
  }
  offsetOfAddress(addr: bigint): number {
    const d = addr - this.base;
    return d < 0n || d > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(d);
  }
  /** [off, off+len) lies inside the image. */
  contains(off: number, len: number): boolean {
    return Number.isInteger(off) && off >= 0 && len >= 0 && off + len <= this.bytes.length;
  }
  /** A NUL-terminated string inside the image, or undefined if none ends within maxLen bytes. */
  cString(off: number, maxLen = 4096): string | undefined {
    if (!this.contains(off, 1)) return undefined;
    const end = Math.min(this.bytes.length, off + maxLen);
    for (let i = off; i < end; i++) {
      if (this.bytes[i] === 0) return latin1(this.bytes.subarray(off, i));
    }
    return undefined;
  }
  describe(off: number): string {
    return `${hex(this.addressOf(off))} (image offset ${hex(off)})`;
  }
}

/** Paths are bytes; keep them byte-for-byte as latin1 so writing them back is lossless. */
const ascii = new TextDecoder('utf-8');
export function latin1(b: Uint8Array): string {
  // short strings (paths): one byte per char code is latin1 exactly, and cheaper than a decoder call
  if (b.length <= 256) return String.fromCharCode.apply(null, b as unknown as number[]);
  // fast path: plain ASCII decodes the same either way
  let high = false;
  for (let i = 0; i < b.length; i++) if (b[i]! >= 0x80) high = true;
  if (!high) return ascii.decode(b);
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

export const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;
