/**
 * JSON text written straight into UTF-8 bytes. A large gcov JSON document is mostly keys,
 * small integers and the same few names; building it as JavaScript strings and encoding
 * them afterwards makes several times its size in garbage. This writes into one reused
 * buffer and hands it on in pieces of about 64 KiB.
 */

const utf8 = new TextEncoder();

/** A piece of UTF-8 text for `sink`; it is reused after `sink` returns. */
export type ByteSink = (bytes: Uint8Array) => void;

export class JsonBytes {
  private buf: Uint8Array;
  private n = 0;

  constructor(
    private readonly sink: ByteSink,
    size = 1 << 16,
  ) {
    this.buf = new Uint8Array(size);
  }

  /** Room for `k` more bytes: the full buffer goes out first, a larger piece grows it. */
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    this.flush();
    if (k > this.buf.length) this.buf = new Uint8Array(k);
  }

  /** Literal text (keys, punctuation, numbers already printed), written as it is. */
  text(s: string): void {
    // the keys are short ASCII: copied by char code, cheaper than any lookup
    this.room(s.length);
    const buf = this.buf;
    let at = this.n;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.n = at;
        this.utf8(s.slice(i));
        return;
      }
      buf[at++] = c;
    }
    this.n = at;
  }

  /** Text encoded beforehand (asciiBytes), copied as it is. */
  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.n = put(this.buf, this.n, b);
  }

  /**
   * The buffer, with room for `k` more bytes from `at`: for a writer that puts a run of pieces
   * itself (put, putNumber) and then sets `at`, instead of a call here for each piece.
   */
  reserve(k: number): Uint8Array {
    this.room(k);
    return this.buf;
  }

  /** Where the next byte goes in the buffer reserve gave. */
  get at(): number {
    return this.n;
  }

  set at(v: number) {
    this.n = v;
  }

  /** A number or bigint as String() prints it (the same as JSON for finite numbers). */
  number(v: number | bigint): void {
    if (typeof v === 'bigint') {
      this.text(String(v));
      return;
    }
    this.room(NUMBER_MAX);
    this.n = putNumber(this.buf, this.n, v);
  }

  bool(v: boolean): void {
    this.text(v ? 'true' : 'false');
  }

  /** A JSON string literal, as JSON.stringify writes it. */
  string(s: string): void {
    this.room(s.length + 2);
    const buf = this.buf;
    let at = this.n;
    buf[at++] = 0x22;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === 0x22 || c === 0x5c) {
        // escapes or non-ASCII: the rare path
        this.utf8(JSON.stringify(s));
        return;
      }
      buf[at++] = c;
    }
    buf[at++] = 0x22;
    this.n = at;
  }

  /** Any text, encoded. */
  utf8(s: string): void {
    this.room(3 * s.length);
    this.n += utf8.encodeInto(s, this.buf.subarray(this.n)).written;
  }

  flush(): void {
    if (this.n === 0) return;
    this.sink(this.buf.subarray(0, this.n));
    this.n = 0;
  }
}

/** Each ASCII string of `texts` encoded, under the same name. */
export function asciiBytes<K extends string>(texts: Record<K, string>): Record<K, Uint8Array> {
  const out = {} as Record<K, Uint8Array>;
  for (const k in texts) {
    const s = texts[k];
    if (!/^[\x20-\x7e]*$/.test(s)) throw new Error(`asciiBytes: ${JSON.stringify(s)} is not printable ASCII`);
    out[k] = Uint8Array.from(s, (c) => c.charCodeAt(0));
  }
  return out;
}

/** Bytes String() takes at most for a number ("-1.7976931348623157e+308"). */
export const NUMBER_MAX = 24;

/** `b` copied into `buf` from `at`, where the caller has made room; returns where it ends. */
export function put(buf: Uint8Array, at: number, b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) buf[at++] = b[i]!;
  return at;
}

/** A number as String() prints it, from `at` (room for NUMBER_MAX bytes); returns where it ends. */
export function putNumber(buf: Uint8Array, at: number, v: number): number {
  if (!Number.isSafeInteger(v)) {
    const s = String(v);
    for (let i = 0; i < s.length; i++) buf[at++] = s.charCodeAt(i);
    return at;
  }
  if (v < 0) {
    buf[at++] = 0x2d;
    v = -v;
  }
  let digits = 1;
  for (let p = 10; p <= v; p *= 10) digits++;
  const end = at + digits;
  at = end;
  do {
    const q = Math.floor(v / 10);
    buf[--at] = 0x30 + (v - q * 10);
    v = q;
  } while (v > 0);
  return end;
}
