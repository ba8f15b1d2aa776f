/**
 * A compact binary form of a JSON-like value, for documents a report keeps but seldom reads
 * (each object's gcov JSON). As objects, a build's documents take several times the size of
 * its .gcno files; packed, a line of gcov JSON takes about 19 bytes. Unpacking gives a value
 * equal to the packed one: the same keys in the same order (an `undefined` property kept),
 * every number and string exact.
 *
 * Per value a tag byte: small non-negative integers are the tag itself; strings (UTF-8, or
 * UTF-16 code units when one holds a lone surrogate) and object shapes (key lists) are written
 * once and then referred to by index, each table starting empty in every packed value, so that
 * each can be unpacked on its own. `mark` lets a caller carry data kept beside an object (a
 * WeakMap's entry) through packing: an array of numbers written before the object, handed to
 * `onMark` with the new object on unpacking.
 */

const T_UNDEFINED = 0;
const T_NULL = 1;
const T_FALSE = 2;
const T_TRUE = 3;
const T_UINT = 4;
const T_NEG = 5;
const T_FLOAT = 6;
const T_STR = 7;
const T_STR_REF = 8;
const T_ARRAY = 9;
const T_SHAPE = 10;
const T_SHAPE_REF = 11;
const T_MARKED = 12;
/** A new string with a lone surrogate, which UTF-8 cannot carry: UTF-16 code units. */
const T_STR16 = 13;
/** Tags from here on are the integers 0, 1, … themselves. */
const T_SMALL = 16;
const SMALL_MAX = 255 - T_SMALL;

export type Mark = (o: object) => readonly number[] | undefined;
export type OnMark = (o: object, numbers: number[]) => void;

const utf8Decoder = new TextDecoder();
const SURROGATE = /[\ud800-\udfff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const utf8Encoder = new TextEncoder();

/** A list of keys met as an object's own, in order; `id` once written (-1: not yet). */
class ShapeNode {
  id = -1;
  readonly next = new Map<string, ShapeNode>();
  constructor(readonly keys: readonly string[]) {}
}

class Packer {
  private buf = new Uint8Array(1 << 12);
  private view = new DataView(this.buf.buffer);
  n = 0;
  private readonly strings = new Map<string, number>();
  private readonly shapes = new ShapeNode([]);
  private shapeCount = 0;

  constructor(private readonly mark: Mark | undefined) {}

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    grown.set(this.buf.subarray(0, this.n));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  private byte(b: number): void {
    this.room(1);
    this.buf[this.n++] = b;
  }

  /** An unsigned integer up to 2^53, 7 bits a byte (arithmetic, not bitwise: above 2^32 too). */
  private varint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.n++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.n++] = v;
  }

  private string(s: string): void {
    const ref = this.strings.get(s);
    if (ref !== undefined) {
      this.byte(T_STR_REF);
      this.varint(ref);
      return;
    }
    this.strings.set(s, this.strings.size);
    if (SURROGATE.test(s) && LONE_SURROGATE.test(s)) {
      this.byte(T_STR16);
      this.varint(s.length);
      this.room(2 * s.length);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        this.buf[this.n++] = c & 0xff;
        this.buf[this.n++] = c >>> 8;
      }
      return;
    }
    this.byte(T_STR);
    this.room(5 + 3 * s.length);
    // the length goes before the bytes: written after them, at a place kept for 5 bytes at most
    const at = this.n;
    this.n += 5;
    const len = utf8Encoder.encodeInto(s, this.buf.subarray(this.n)).written;
    this.n = at;
    this.varint(len);
    this.buf.copyWithin(this.n, at + 5, at + 5 + len);
    this.n += len;
  }

  value(v: unknown): void {
    switch (typeof v) {
      case 'undefined':
        return this.byte(T_UNDEFINED);
      case 'boolean':
        return this.byte(v ? T_TRUE : T_FALSE);
      case 'number':
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
          if (v >= 0 && v <= SMALL_MAX) return this.byte(T_SMALL + v);
          this.byte(v >= 0 ? T_UINT : T_NEG);
          return this.varint(Math.abs(v));
        }
        this.byte(T_FLOAT);
        this.room(8);
        this.view.setFloat64(this.n, v);
        this.n += 8;
        return;
      case 'string':
        return this.string(v);
      case 'object':
        if (v === null) return this.byte(T_NULL);
        if (Array.isArray(v)) {
          this.byte(T_ARRAY);
          this.varint(v.length);
          for (let i = 0; i < v.length; i++) this.value(v[i]);
          return;
        }
        return this.object(v as Record<string, unknown>);
      default:
        throw new TypeError(`packJson: a ${typeof v} is not a JSON value`);
    }
  }

  private object(o: Record<string, unknown>): void {
    const marks = this.mark?.(o);
    if (marks !== undefined) {
      this.byte(T_MARKED);
      this.value(marks);
    }
    // the shape found by walking its keys down a tree of the shapes met: no array or string
    // made per object (there are millions)
    let node = this.shapes;
    for (const k in o) {
      let next = node.next.get(k);
      if (next === undefined) node.next.set(k, (next = new ShapeNode([...node.keys, k])));
      node = next;
    }
    const keys = node.keys;
    if (node.id >= 0) {
      this.byte(T_SHAPE_REF);
      this.varint(node.id);
    } else {
      node.id = this.shapeCount++;
      this.byte(T_SHAPE);
      this.varint(keys.length);
      for (const k of keys) this.string(k);
    }
    for (let i = 0; i < keys.length; i++) this.value(o[keys[i]!]);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}

/** `v` packed (see the module's comment); `mark` names what to carry beside each object. */
export function packJson(v: unknown, mark?: Mark): Uint8Array {
  const p = new Packer(mark);
  p.value(v);
  return p.bytes();
}

class Unpacker {
  private at = 0;
  private readonly view: DataView;
  private readonly strings: string[] = [];
  private readonly shapes: string[][] = [];

  constructor(
    private readonly buf: Uint8Array,
    private readonly onMark: OnMark | undefined,
  ) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.at++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }

  private newString(): string {
    const len = this.varint();
    const end = this.at + len;
    let s = '';
    let ascii = len <= 64;
    for (let i = this.at; ascii && i < end; i++) if (this.buf[i]! >= 0x80) ascii = false;
    if (ascii) for (let i = this.at; i < end; i++) s += String.fromCharCode(this.buf[i]!);
    else s = utf8Decoder.decode(this.buf.subarray(this.at, end));
    this.at = end;
    this.strings.push(s);
    return s;
  }

  private newString16(): string {
    const len = this.varint();
    let s = '';
    for (let i = 0; i < len; i++, this.at += 2)
      s += String.fromCharCode(this.buf[this.at]! | (this.buf[this.at + 1]! << 8));
    this.strings.push(s);
    return s;
  }

  private key(): string {
    const t = this.buf[this.at++]!;
    if (t === T_STR) return this.newString();
    if (t === T_STR16) return this.newString16();
    return this.strings[this.varint()]!;
  }

  value(): unknown {
    const t = this.buf[this.at++];
    if (t === undefined) throw new RangeError('unpackJson: packed value ends early');
    if (t >= T_SMALL) return t - T_SMALL;
    switch (t) {
      case T_UNDEFINED:
        return undefined;
      case T_NULL:
        return null;
      case T_FALSE:
        return false;
      case T_TRUE:
        return true;
      case T_UINT:
        return this.varint();
      case T_NEG:
        return -this.varint();
      case T_FLOAT: {
        const v = this.view.getFloat64(this.at);
        this.at += 8;
        return v;
      }
      case T_STR:
        return this.newString();
      case T_STR16:
        return this.newString16();
      case T_STR_REF:
        return this.strings[this.varint()]!;
      case T_ARRAY: {
        const n = this.varint();
        const a = new Array<unknown>(n);
        for (let i = 0; i < n; i++) a[i] = this.value();
        return a;
      }
      case T_MARKED: {
        const marks = this.value() as number[];
        const o = this.value() as object;
        this.onMark?.(o, marks);
        return o;
      }
      case T_SHAPE: {
        const n = this.varint();
        const keys = new Array<string>(n);
        for (let i = 0; i < n; i++) keys[i] = this.key();
        this.shapes.push(keys);
        return this.fill(keys);
      }
      case T_SHAPE_REF:
        return this.fill(this.shapes[this.varint()]!);
      default:
        throw new RangeError(`unpackJson: unknown tag ${t} at ${this.at - 1}`);
    }
  }

  private fill(keys: string[]): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      // an own property, as JSON.parse makes it, not the prototype
      if (k === '__proto__')
        Object.defineProperty(o, k, {
          value: this.value(),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else o[k] = this.value();
    }
    return o;
  }

  done(): boolean {
    return this.at === this.buf.length;
  }
}

/** The value `packJson` packed; `onMark` gets each object that was packed with marks. */
export function unpackJson(bytes: Uint8Array, onMark?: OnMark): unknown {
  const u = new Unpacker(bytes, onMark);
  const v = u.value();
  if (!u.done()) throw new RangeError('unpackJson: bytes after the packed value');
  return v;
}
