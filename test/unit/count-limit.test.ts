/**
 * Counts are JS numbers in the engine: exact below 2^53. A counter (or a sum of counts)
 * that reaches 2^53 is an InputError, never a silently rounded count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { readGcda, type Gcda } from '../../src/gcov/gcda-reader';
import { readGcno } from '../../src/gcov/gcno';
import { computeCoverage } from '../../src/model/coverage';
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
