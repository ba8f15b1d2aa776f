/**
 * Word access in either byte order over a Uint8Array, without copying.
 * gcov files and target memory are sequences of 32-bit words in one byte order;
 * 64-bit counters are kept as raw bytes so nothing above 2^53 is ever rounded.
 */
export class WordReader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly little: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  get length(): number {
    return this.bytes.length;
  }
  u32(off: number): number {
    return this.view.getUint32(off, this.little);
  }
  /** A 64-bit value as [high, low] 32-bit halves in the reader's byte order. */
  u64hi(off: number): number {
    return this.view.getUint32(this.little ? off + 4 : off, this.little);
  }
  u64lo(off: number): number {
    return this.view.getUint32(this.little ? off : off + 4, this.little);
  }
  u64(off: number): bigint {
    return this.view.getBigUint64(off, this.little);
  }
}

/** A growable byte buffer written as 32-bit words in one byte order. */
export class WordWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  /** Start of the bytes not yet handed out by take(). */
  private mark = 0;
  /** Writes into `into` when given (e.g. a slice of one arena shared by many files). */
  constructor(
    readonly little: boolean,
    initial = 1024,
    into?: Uint8Array,
  ) {
    this.buf = into ?? new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
  get length(): number {
    return this.pos;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.pos, v >>> 0, this.little);
    this.pos += 4;
  }
  /** A counter on disk: low word, then high word, each in the writer's byte order. */
  counter(hi: number, lo: number): void {
    this.reserve(8);
    this.view.setUint32(this.pos, lo >>> 0, this.little);
    this.view.setUint32(this.pos + 4, hi >>> 0, this.little);
    this.pos += 8;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** Overwrite a word written earlier (record lengths known only afterwards). */
  patch32(at: number, v: number): void {
    this.view.setUint32(at, v >>> 0, this.little);
  }
  /**
   * The bytes written since the last take(), as a view (no copy); empty when none. Views
   * taken earlier stay valid: the buffer is never written below the mark again.
   */
  take(): Uint8Array {
    const b = this.buf.subarray(this.mark, this.pos);
    this.mark = this.pos;
    return b;
  }
  /**
   * Leaves a hole of n bytes, not handed out by take(): where a piece written from elsewhere
   * goes, so the buffer holds the whole file except those pieces, each at its place.
   */
  skip(n: number): void {
    this.reserve(n);
    this.pos += n;
    this.mark = this.pos;
  }
  /** The bytes written, as a view: no copy. */
  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
