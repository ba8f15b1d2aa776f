/** The byte-level JSON writer prints what JSON.stringify / String print, in UTF-8. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiBytes, JsonBytes, NUMBER_MAX, put, putNumber } from '../../src/model/json-bytes';

function written(fill: (out: JsonBytes) => void, size?: number): string {
  const pieces: string[] = [];
  const dec = new TextDecoder();
  const out = new JsonBytes((b) => pieces.push(dec.decode(b)), size);
  fill(out);
  out.flush();
  return pieces.join('');
}

describe('JsonBytes', () => {
  it('prints numbers as String does', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double(), fc.bigInt()), (v) => {
        expect(written((o) => o.number(v))).toBe(String(v));
      }),
    );
    for (const v of [0, -0, 9, 10, 99, 100, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, 1e21, NaN, -Infinity])
      expect(written((o) => o.number(v))).toBe(String(v));
  });

  it('prints strings as JSON.stringify does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(written((o) => o.string(s))).toBe(JSON.stringify(s));
      }),
    );
    for (const s of ['', 'a"b', 'a\\b', '\u0000\u001f\u007f', 'é∑😀', '\ud800'])
      expect(written((o) => o.string(s))).toBe(JSON.stringify(s));
  });

  it('writes literal text as UTF-8, ASCII or not', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 16 }), (s, size) => {
        expect(written((o) => o.text(s), size)).toBe(s);
      }),
    );
  });

  it('keeps the order of pieces across flushes, whatever the buffer size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary' }), fc.integer(), fc.boolean()), { maxLength: 40 }),
        fc.integer({ min: 1, max: 64 }),
        (items, size) => {
          const text = written((o) => {
            o.text('[');
            items.forEach((x, i) => {
              if (i > 0) o.text(',');
              if (typeof x === 'string') o.string(x);
              else if (typeof x === 'number') o.number(x);
              else o.bool(x);
            });
            o.text(']');
          }, size);
          expect(text).toBe(JSON.stringify(items));
        },
      ),
    );
  });

  it('puts numbers as String prints them, in at most NUMBER_MAX bytes, from where it is told', () => {
    const dec = new TextDecoder();
    const check = (v: number) => {
      const buf = new Uint8Array(3 + NUMBER_MAX).fill(0x78);
      const end = putNumber(buf, 3, v);
      expect(end - 3).toBeLessThanOrEqual(NUMBER_MAX);
      expect(dec.decode(buf.subarray(0, end))).toBe('xxx' + String(v));
    };
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double()), check));
    for (const v of [
      0,
      -0,
      9,
      10,
      2 ** 53 - 1,
      -(2 ** 53 - 1),
      2 ** 53,
      -Number.MAX_VALUE,
      5e-324,
      NaN,
      -Infinity,
    ])
      check(v);
    // every number of the table of small ones, and its edges
    for (let v = -2; v <= 1001; v++) check(v);
    for (const v of [0.5, 999.5, 99.9]) check(v);
  });

  it('writes runs of pieces put into reserved room, across flushes, in order', () => {
    const K = asciiBytes({ open: '{"count":', close: '}' });
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 30 }),
        fc.integer({ min: 1, max: 64 }),
        (counts, size) => {
          const text = written((o) => {
            o.text('[');
            counts.forEach((c, i) => {
              if (i > 0) o.bytes(asciiBytes({ comma: ',' }).comma);
              const buf = o.reserve(K.open.length + NUMBER_MAX + 1);
              let at = put(buf, o.at, K.open);
              at = putNumber(buf, at, c);
              buf[at++] = 0x7d;
              o.at = at;
            });
            o.text(']');
          }, size);
          expect(text).toBe(JSON.stringify(counts.map((count) => ({ count }))));
        },
      ),
    );
  });

  it('encodes only printable ASCII beforehand', () => {
    expect([...asciiBytes({ a: ',"x":[' }).a]).toEqual([...new TextEncoder().encode(',"x":[')]);
    expect(() => asciiBytes({ a: 'é' })).toThrow(/not printable ASCII/);
    expect(() => asciiBytes({ a: '\n' })).toThrow(/not printable ASCII/);
  });
});
