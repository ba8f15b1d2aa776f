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

  /** A number or bigint as String() prints it (the same as JSON for finite numbers). */
  number(v: number | bigint): void {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      this.text(String(v));
      return;
    }
    this.room(17);
    const buf = this.buf;
    if (v < 0) {
      buf[this.n++] = 0x2d;
      v = -v;
    }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    let at = this.n + digits;
    this.n = at;
    do {
      const q = Math.floor(v / 10);
      buf[--at] = 0x30 + (v - q * 10);
      v = q;
    } while (v > 0);
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
