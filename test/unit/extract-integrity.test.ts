/**
 * Data integrity of extraction on real images (issue #5): every .gcda is read back and
 * compared with the image (a fault injected into the produced bytes is a typed error), and
 * counters that look torn on a 32-bit target are reported, written as read. Expected
 * values come from the fixtures libgcov wrote.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { InputError } from '../../src/gcov/errors';
import { extractImage } from '../../src/gcov/extract';
import { readGcda, scanGcda } from '../../src/gcov/gcda-reader';
import { tornText } from '../../src/gcov/torn';
import { isPlaceholder, type FunctionData } from '../../src/gcov/walker';
import { expectSameGcda } from '../helpers/compare';
import { listFixtures, loadFixture } from '../helpers/fixtures';

const configs = listFixtures();
const armhf = configs.find((c) => c.includes('armhf'))!;
const powerpc = configs.find((c) => c.includes('powerpc'))!;

/** Offset of the first counter record with values (not compacted) in a .gcda. */
function firstCounterBody(bytes: Uint8Array): number {
  let body = -1;
  scanGcda(bytes, 'f.gcda', (r) => {
    if (body < 0 && r.kind >= 0 && r.size > 0) body = r.body;
  });
  return body;
}

describe.each([armhf, powerpc])('self-check on %s', (config) => {
  const fx = loadFixture(config);
  const victim = [...fx.ref.keys()].sort()[0]!;

  it('turns a counter corrupted after writing into a self-check error naming the file', () => {
    const r = extractImage(fx.image, 'image.bin', {}, undefined, {
      tamper: ([bytes]) => {
        if (bytes === undefined) return;
        const body = firstCounterBody(bytes);
        // only the victim: the path is not known here, so recognise it by its reference bytes
        if (
          body >= 0 &&
          bytes.length === fx.ref.get(victim)!.length &&
          bytes.every((b, i) => b === fx.ref.get(victim)![i])
        )
          bytes[body + 3]! ^= 0x40;
      },
    });
    expect(r.problems).toHaveLength(1);
    const e = r.problems[0]!;
    expect(e).toBeInstanceOf(InputError);
    expect(e.code).toBe('self-check');
    expect(e.file).toBe(victim);
    expect(e.reason).toMatch(/counter 0 differs from the image/);
    // the file is not handed out; every other one is still libgcov's
    const rest = new Map([...fx.ref].filter(([p]) => p !== victim));
    expectSameGcda(r.files, rest);
  });

  it('lets the corrupted file through with the check off (what --no-verify does)', () => {
    const r = extractImage(fx.image, 'image.bin', {}, undefined, {
      verify: false,
      tamper: ([bytes]) => {
        if (bytes !== undefined) bytes[8]! ^= 1; // the stamp
      },
    });
    expect(r.problems).toEqual([]);
    expect(r.files.find((f) => f.path === victim)!.bytes).not.toEqual(fx.ref.get(victim));
  });

  it('checks files made as pieces (the CLI path) the same way', () => {
    const got = new Map<string, Uint8Array>();
    const r = extractImage(
      fx.image,
      'image.bin',
      {},
      (f) => got.set(f.path, Uint8Array.from((f.parts ?? [f.bytes]).flatMap((p) => [...p]))),
      {
        keepFiles: false,
        parts: true,
        viewMin: 8, // counter runs as views on the image, checked as such
        tamper: (pieces) => {
          pieces[0]![8]! ^= 1; // the stamp, in every file
        },
      },
    );
    expect(got.size).toBe(0);
    expect(r.problems.map((p) => [p.code, p.file, /stamp/.test(p.reason)]).sort()).toEqual(
      [...fx.ref.keys()].sort().map((p) => ['self-check', p, true]),
    );
    // untouched, the same path writes libgcov's bytes
    const clean = new Map<string, Uint8Array>();
    extractImage(
      fx.image,
      'image.bin',
      {},
      (f) => clean.set(f.path, Uint8Array.from((f.parts ?? [f.bytes]).flatMap((p) => [...p]))),
      { keepFiles: false, parts: true },
    );
    expect(clean).toEqual(fx.ref);
  });

  it('refuses a file whose pieces are not laid out as one file in the arena (the check reads the arena)', () => {
    const got = new Map<string, Uint8Array>();
    const r = extractImage(fx.image, 'image.bin', {}, (f) => got.set(f.path, f.bytes), {
      keepFiles: false,
      parts: true,
      tamper: (pieces) => {
        // the same bytes, but a copy outside the arena: what is written would not be what is checked
        (pieces as Uint8Array[])[0] = pieces[0]!.slice();
      },
    });
    expect(got.size).toBe(0);
    expect(r.problems.map((p) => [p.code, p.file, p.reason]).sort()).toEqual(
      [...fx.ref.keys()]
        .sort()
        .map((p) => ['self-check', p, 'written .gcda is not laid out as one file in its buffer']),
    );
  });
});

describe(`torn counters on ${armhf}`, () => {
  const fx = loadFixture(armhf);
  const base = extractImage(fx.image, 'image.bin');

  /** The function (in some record) whose arcs hold the most counters, and its largest one. */
  function pick() {
    let best: { path: string; fi: number; fn: FunctionData; index: number } | undefined;
    for (const rec of base.records)
      rec.functions.forEach((fn, fi) => {
        if (isPlaceholder(fn)) return;
        const arcs = readGcda(fx.ref.get(rec.filename)!, rec.filename)
          .functions.get(fn.ident)!
          .counters.get(0)!;
        if (arcs.length < 2 || (best && arcs.length <= best.fn.counters[0]!.num)) return;
        const index = arcs.indexOf(arcs.reduce((a, b) => (b > a ? b : a)));
        best = { path: rec.filename, fi, fn, index };
      });
    return best!;
  }

  it('finds none in the real image', () => {
    expect(base.torn).toEqual([]);
  });

  it.each([
    [1, 'isolated'],
    [0xffffffff, 'negative'],
  ] as const)(
    'reports a counter whose high word became %i (%s), and writes it as read',
    async (high, why) => {
      const { path, fi, fn, index } = pick();
      const refFn = readGcda(fx.ref.get(path)!, path).functions.get(fn.ident)!;
      const original = refFn.counters.get(0)![index]!;
      const image = fx.image.slice();
      const at = fn.counters[0]!.values + index * 8;
      new DataView(image.buffer).setUint32(at + 4, high, true); // armhf: little-endian, high word second
      const r = extractImage(image, 'image.bin');
      const value = (BigInt(high) << 32n) | original;
      const expected = { file: path, function: fi, ident: fn.ident, kind: 'arcs', index, value, why };
      expect(r.torn).toEqual([expected]);
      expect(r.warnings).toContain(tornText(expected));
      expect(r.problems).toEqual([]);
      // written as read: that counter holds the patched value, every other one libgcov's
      const ours = readGcda(r.files.find((f) => f.path === path)!.bytes, path);
      for (const [ident, want] of readGcda(fx.ref.get(path)!, path).functions) {
        const counters = new Map(want.counters);
        if (ident === fn.ident)
          counters.set(
            0,
            counters.get(0)!.map((v, i) => (i === index ? value : v)),
          );
        expect(ours.functions.get(ident)!.counters).toEqual(counters);
      }

      // the CLI prints it as a warning and still exits 0
      const dir = mkdtempSync(join(tmpdir(), 'hvcov-torn-'));
      writeFileSync(join(dir, 'core'), image);
      const lines: string[] = [];
      const code = await main(['extract', join(dir, 'core'), '--out', join(dir, 'out'), '--quiet'], (s) =>
        lines.push(s),
      );
      expect(code).toBe(0);
      expect(lines).toContain(`warning: ${tornText(expected)}`);
    },
  );
});
