/**
 * Counts are JS numbers in the engine: exact below 2^53. A counter (or a sum of counts)
 * that reaches 2^53 is an InputError, never a silently rounded count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { readArcCountersAsGcov } from '../../src/gcov/gcda-as-gcov';
import { parseGcda, writeMergedGcda } from '../../src/gcov/gcda-merge';
import { readGcda, type Gcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage, computeCoverageOfData } from '../../src/model/coverage';
import { gcovJsonFiles } from '../../src/model/gcov-json';
import { fixturesRoot, type FixtureMeta } from '../helpers/fixtures';

const dir = join(fixturesRoot(), 'gcc12-x86_64-O0');
const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as FixtureMeta;
const gcno = readGcno(new Uint8Array(readFileSync(join(dir, 'gcno', 'control.gcno'))), 'x.gcno');
const fresh = (): Gcda =>
  readGcda(new Uint8Array(readFileSync(join(dir, 'ref', meta.buildDir, 'obj', 'control.gcda'))), 'x.gcda');

/** The .gcda with the first arc counter of the first function with any set to `value`. */
function withCounter(value: bigint): Gcda {
  const gcda = fresh();
  for (const fn of gcda.functions.values()) {
    const arcs = fn.counters.get(0);
    if (arcs && arcs.length > 0) {
      arcs[0] = value;
      return gcda;
    }
  }
  throw new Error('no arc counter in the fixture');
}

describe('counts near 2^53', () => {
  it('keeps counts below 2^53 exact', () => {
    const big = 2n ** 52n + 1n;
    const cov = computeCoverage(gcno, withCounter(big), 'x.gcda');
    expect(cov.problems).toEqual([]);
    const counts = gcovJsonFiles(cov).flatMap((f) =>
      f.lines.flatMap((l) => [l.count, ...l.branches.map((b) => b.count)]),
    );
    expect(counts.some((c) => c >= 2 ** 52)).toBe(true);
    for (const c of counts) expect(Number.isSafeInteger(c)).toBe(true);
  });

  it('refuses a counter of 2^53 or more with an InputError', () => {
    expect(() => computeCoverage(gcno, withCounter(2n ** 53n), 'x.gcda')).toThrow(InputError);
    expect(() => computeCoverage(gcno, withCounter(2n ** 64n - 1n), 'x.gcda')).toThrow(/2\^53/);
  });
});

/**
 * The data read as gcov reads it (computeCoverageOfData): arc counters are summed as numbers
 * while exact, else as int64 bigints. Both ways must give what the strict reader gives.
 */
describe('arc counters read as gcov reads them', () => {
  const dataBytes = (): Uint8Array =>
    new Uint8Array(readFileSync(join(dir, 'ref', meta.buildDir, 'obj', 'control.gcda')));

  /** The .gcda bytes with the first arc counter of the first function with any set to `value`. */
  function bytesWith(value: bigint): Uint8Array {
    const d = parseGcda(dataBytes(), 'x.gcda');
    const fn = d.functions.find((f) => f?.counters.some((c) => c.kind === 0 && c.values.length > 0));
    fn!.counters.find((c) => c.kind === 0)!.values[0] = BigInt.asIntN(64, value);
    return writeMergedGcda(d);
  }

  /** Both readers' gcov JSON, or the message each throws. */
  const outcome = (f: () => ReturnType<typeof computeCoverage>): unknown => {
    try {
      const cov = f();
      return { files: gcovJsonFiles(cov), problems: cov.problems.map((p) => p.message) };
    } catch (e) {
      return (e as Error).message;
    }
  };

  it.each([0n, 1n, 2n ** 32n + 7n, 2n ** 52n + 1n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 63n])(
    'gives the strict reader’s result for a counter of %s',
    (value) => {
      const bytes = bytesWith(value);
      const strict = outcome(() => computeCoverage(gcno, readGcda(bytes, 'x.gcda'), 'x.gcda'));
      const asGcov = outcome(() => computeCoverageOfData(gcno, bytes, 'x.gcda'));
      expect(asGcov).toEqual(strict);
    },
  );

  it('reads a counter as gcov’s signed int64', () => {
    const { counters } = readArcCountersAsGcov(gcno, bytesWith(2n ** 64n - 1n), 'x.gcda');
    const arcs = [...counters.values()].map((k) => k.get(0)!).find((a) => a.length > 0)!;
    expect(arcs[0]).toBe(-1n);
  });

  it('keeps exact numbers and turns to bigints when a sum of two records reaches 2^53', () => {
    // The first function's FUNCTION and arcs records once more at the end: gcov adds them up.
    const twice = (bytes: Uint8Array): Uint8Array => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let pos = 16; // magic, version, stamp, checksum (GCC 12)
      let fnAt = -1;
      let arcsEnd = -1;
      let lastFn = -1;
      while (pos + 8 <= bytes.length) {
        const tag = view.getUint32(pos, true);
        if (tag === 0) break;
        // a compacted record (all zeros) has a negative length and no body
        const end = pos + 8 + Math.max(0, view.getInt32(pos + 4, true));
        if (tag === 0x01000000) lastFn = pos;
        else if (tag === 0x01a10000 && end > pos + 8 && arcsEnd < 0) [fnAt, arcsEnd] = [lastFn, end];
        pos = end;
      }
      const out = new Uint8Array(pos + (arcsEnd - fnAt) + 4);
      out.set(bytes.subarray(0, pos));
      out.set(bytes.subarray(fnAt, arcsEnd), pos);
      return out;
    };
    const arcsOf = (bytes: Uint8Array) => {
      const { counters } = readArcCountersAsGcov(gcno, bytes, 'x.gcda');
      return [...counters.values()].map((k) => k.get(0)!).find((a) => a.length > 0)!;
    };
    const one = arcsOf(bytesWith(5n));
    const two = arcsOf(twice(bytesWith(5n)));
    expect(typeof two[0]).toBe('number');
    expect(two).toEqual(one.map((v) => 2 * Number(v)));

    const big = twice(bytesWith(2n ** 52n + 1n));
    const sums = arcsOf(big);
    expect(typeof sums[0]).toBe('bigint');
    expect(sums[0]).toBe(2n * (2n ** 52n + 1n));
    expect(sums.slice(1)).toEqual(one.slice(1).map((v) => 2n * BigInt(v)));
    expect(() => computeCoverageOfData(gcno, big, 'x.gcda')).toThrow(/2\^53/);
  });
});
