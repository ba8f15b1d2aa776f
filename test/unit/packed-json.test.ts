/**
 * packJson/unpackJson give back the value they packed: the same keys in the same order
 * (`undefined` members kept), every number and string exact, and the data kept beside
 * marked objects.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packJson, unpackJson } from '../../src/model/packed-json';

/** Equal as the report's readers see a value: same type, Object.is for numbers, own keys in order. */
function same(a: unknown, b: unknown, at = '$'): void {
  if (typeof a !== 'object' || a === null) {
    if (!Object.is(a, b)) throw new Error(`${at}: ${String(a)} became ${String(b)}`);
    return;
  }
  if (typeof b !== 'object' || b === null) throw new Error(`${at}: an object became ${String(b)}`);
  if (Array.isArray(a) !== Array.isArray(b)) throw new Error(`${at}: array or not changed`);
  if (Object.getPrototypeOf(b) !== (Array.isArray(a) ? Array.prototype : Object.prototype))
    throw new Error(`${at}: another prototype`);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\u0001') !== kb.join('\u0001')) throw new Error(`${at}: keys ${ka} became ${kb}`);
  for (const k of ka)
    same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
}

const numbers = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.maxSafeNat(),
  fc.double(),
  fc.constantFrom(
    0,
    -0,
    239,
    240,
    255,
    256,
    2 ** 31,
    2 ** 32,
    2 ** 53 - 1,
    -(2 ** 53) + 1,
    2 ** 53,
    1e300,
    NaN,
  ),
);
const strings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('', '__proto__', 'é€😀', '\ud800', 'a\udc00b', '😀\ud83d', '\ud83d\ude00'),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    numbers,
    strings,
    fc.constantFrom(true, false, null, undefined),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(strings, tie('value'), { maxKeys: 6 }),
    // objects of one shape, as a document's lines are
    fc.array(
      fc.record({ line_number: fc.nat(), count: numbers, name: strings, unexecuted_block: fc.boolean() }),
      { maxLength: 8 },
    ),
  ),
}));

describe('packJson', () => {
  it('unpacks to an equal value, keys in order', () => {
    fc.assert(
      fc.property(value, (v) => {
        same(v, unpackJson(packJson(v)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a __proto__ key an own member, as JSON.parse does', () => {
    const v = JSON.parse('{"__proto__":{"a":1},"b":[{"__proto__":2}]}') as unknown;
    const back = unpackJson(packJson(v)) as Record<string, unknown>;
    same(v, back);
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(JSON.stringify(back)).toBe(JSON.stringify(v));
  });

  it('keeps lone surrogates, which UTF-8 cannot carry', () => {
    for (const v of ['\ud800', 'a\udc00b', '😀\ud83d', { '\udfff': ['\ud800x', '\ud800x'] }])
      same(v, unpackJson(packJson(v)));
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) }),
        (s) => same(s, unpackJson(packJson(s))),
      ),
    );
  });

  it('writes strings and shapes once', () => {
    const line = (n: number) => ({ line_number: n, function_name: 'main', count: 0, branches: [] });
    const one = packJson([line(1)]).length;
    const many = packJson(Array.from({ length: 1001 }, (_, i) => line(i % 200))).length;
    // each further line: a shape reference, its values and the name's reference, 8 bytes;
    // the array's length takes a second byte
    expect(many - one).toBe(1000 * 8 + 1);
  });

  it('carries what is kept beside marked objects', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ n: fc.nat(), numbers: fc.option(fc.array(fc.nat(), { maxLength: 4 })) }), {
          maxLength: 20,
        }),
        (rows) => {
          const kept = new WeakMap<object, readonly number[]>();
          const objects = rows.map((r) => {
            const o = { n: r.n, inner: { n: r.n } };
            if (r.numbers) kept.set(o, r.numbers);
            return o;
          });
          const found = new WeakMap<object, number[]>();
          const back = unpackJson(
            packJson(objects, (o) => kept.get(o)),
            (o, numbers) => found.set(o, numbers),
          ) as typeof objects;
          same(objects, back);
          back.forEach((o, i) => {
            expect(found.get(o)).toEqual(rows[i]!.numbers ?? undefined);
            expect(found.has(o.inner)).toBe(false);
          });
        },
      ),
    );
  });

  it('refuses what is not a JSON value, and bytes that are not a packed one', () => {
    expect(() => packJson({ a: 1n })).toThrow(/a bigint is not a JSON value/);
    expect(() => packJson([() => 1])).toThrow(/a function is not a JSON value/);
    const bytes = packJson({ a: [1, 2, 3] });
    expect(() => unpackJson(bytes.subarray(0, bytes.length - 1))).toThrow(/ends early/);
    expect(() => unpackJson(new Uint8Array([...bytes, 0]))).toThrow(/bytes after/);
  });
});
