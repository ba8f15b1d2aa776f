/** The byte-level JSON writer prints what JSON.stringify / String print, in UTF-8. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonBytes } from '../../src/model/json-bytes';

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
});
