/**
 * The merge on the committed fixtures (libgcov's own .gcda): the structural reader and
 * writer round-trip every file byte for byte; a run merged with itself doubles what adds
 * and keeps what is ORed or kept as a minimum, and is flagged; files of another build are
 * refused naming both. (Byte identity with gcov-tool: test/conformance/merge-gcov-tool.)
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/gcov/errors';
import { mergeRuns, parseGcda, writeMergedGcda, type MergeInput } from '../../src/gcov/gcda-merge';
import { readGcda } from '../../src/gcov/gcda-reader';
import { listFixtures, loadFixture } from '../helpers/fixtures';

const input = (name: string, ref: Map<string, Uint8Array>): MergeInput => ({
  name,
  files: new Map([...ref].map(([p, bytes]) => [p, { bytes, file: `${name}:${p}` }])),
});

describe.each(listFixtures())('%s', (config) => {
  const fx = loadFixture(config);

  it('reads and writes back every .gcda byte for byte', () => {
    for (const [p, bytes] of fx.ref) expect(writeMergedGcda(parseGcda(bytes, p)), p).toEqual(bytes);
  });

  it('a single run comes out unchanged', () => {
    const r = mergeRuns([input('a', fx.ref)]);
    expect(r.warnings).toEqual([]);
    for (const [p, bytes] of fx.ref) expect(r.files.get(p), p).toEqual(bytes);
  });
});

describe.each(listFixtures())('%s merged with itself', (config) => {
  const fx = loadFixture(config);
  const r = mergeRuns([input('a', fx.ref), input('b', fx.ref)]);

  it('warns that the same run is given twice', () => {
    expect(r.warnings.join('\n')).toMatch(/b holds exactly the counters of a in every function/);
  });

  it('doubles what adds, keeps what is ORed and the earliest time profile', () => {
    for (const [p, bytes] of fx.ref) {
      const one = readGcda(bytes, p);
      const two = readGcda(r.files.get(p)!, p);
      expect(two.runs, p).toBe(one.format.mergedSummary === 'add' ? 2 : 1);
      expect([...two.functions.keys()]).toEqual([...one.functions.keys()]);
      for (const [ident, fn] of one.functions)
        for (const [kind, v] of fn.counters) {
          const got = two.functions.get(ident)!.counters.get(kind)!;
          const merge = one.format.counters[kind]!.merge;
          if (merge === 'add') expect(got, `${p} ${ident}`).toEqual(v.map((x) => BigInt.asUintN(64, 2n * x)));
          if (merge === 'ior' || merge === 'time_profile') expect(got, `${p} ${ident}`).toEqual(v);
        }
    }
  });
});

it('refuses files of another build, naming both', () => {
  const [a, b] = ['gcc12-aarch64-O2', 'gcc12-armhf-O0'].map((c) => loadFixture(c));
  const pa = [...a!.ref.keys()].find((p) => p.endsWith('/setup.gcda'))!;
  const pb = [...b!.ref.keys()].find((p) => p.endsWith('/setup.gcda'))!;
  const files = (name: string, bytes: Uint8Array): MergeInput => ({
    name,
    files: new Map([['setup.gcda', { bytes, file: name }]]),
  });
  let err: unknown;
  try {
    mergeRuns([files('run-a/setup.gcda', a!.ref.get(pa)!), files('run-b/setup.gcda', b!.ref.get(pb)!)]);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(InputError);
  expect((err as InputError).message).toMatch(/run-b\/setup\.gcda.*does not match run-a\/setup\.gcda/);
});

it('refuses a different function layout (a record changed) rather than merging', () => {
  const fx = loadFixture('gcc11-x86_64-O0');
  const [p, bytes] = [...fx.ref].find(([q]) => q.endsWith('/setup.gcda'))!;
  const d = parseGcda(bytes, p);
  const other = parseGcda(bytes, 'changed');
  other.functions.pop();
  const changed = writeMergedGcda(other);
  expect(() =>
    mergeRuns([
      { name: 'a', files: new Map([['s', { bytes, file: p }]]) },
      { name: 'b', files: new Map([['s', { bytes: changed, file: 'changed' }]]) },
    ]),
  ).toThrow(
    new RegExp(
      `changed.*does not match .*setup.gcda: ${d.functions.length - 1} functions vs ${d.functions.length}`,
    ),
  );
});

it('refuses the files of GCC 8 and older (another summary) rather than guessing', () => {
  const fx = loadFixture('gcc9-x86_64-O0');
  const [p, bytes] = [...fx.ref][0]!;
  const old = bytes.slice();
  // the version word of GCC 8.3 ("A83*"), little-endian like the file
  old.set([0x2a, 0x33, 0x38, 0x41], 4);
  expect(() => parseGcda(old, p)).toThrow(
    /GCC 8\.3: merging supports the object summary of GCC 9 and later only/,
  );
});
