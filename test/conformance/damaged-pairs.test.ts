/**
 * Damaged (.gcno, .gcda) pairs against the real gcov of their release: the fuzzer's engine
 * inputs committed in test/fuzz/damaged/ with each one's outcome class in manifest.json
 * (both written by test/fuzz/damaged-select.ts, see test/fuzz/README.md). hvcov's report
 * model on the two files must give, as the manifest says:
 *   gcov     the JSON the real gcov prints in this run,
 *   refuse   no object, and an InputError of the manifest's code (gcov prints numbers or
 *            fails, as the manifest says),
 *   numbers  an object, where the real gcov fails in this run (crash, abort, no JSON).
 * Never other numbers than gcov's: pairs where hvcov still differs are not in the manifest
 * (they are listed as open in the README).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isInputError } from '../../src/gcov/errors';
import { readGcno } from '../../src/gcov/gcno';
import {
  demangledNames,
  gcovOfRelease,
  runGcov,
  runOurs,
  splitPair,
  type DamagedCase,
} from '../fuzz/damaged-select';

const dir = 'test/fuzz/damaged';
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as DamagedCase[];
const gcovs = gcovOfRelease();

describe('damaged pairs: gcov numbers or a typed refusal', () => {
  it('has the pairs, of every outcome class', () => {
    expect(manifest.length).toBeGreaterThanOrEqual(40);
    expect(new Set(manifest.map((c) => c.expect))).toEqual(new Set(['gcov', 'refuse', 'numbers']));
  });

  for (const c of manifest)
    it(`${c.file} (GCC ${c.gccMajor}): ${c.expect}${c.code ? ` ${c.code}` : ''}`, () => {
      const { notes, data } = splitPair(new Uint8Array(readFileSync(join(dir, c.file))));
      const conditions = readGcno(notes, 'x.gcno').format.counters.some((k) => k.name === 'conditions');
      const ref = runGcov(gcovs.get(c.gccMajor)!, notes, data, conditions);
      expect(ref.files === undefined).toBe(c.gcovFails);
      const ours = runOurs(notes, data, demangledNames(ref.files));
      for (const p of ours.problems) expect(isInputError(p)).toBe(true);
      switch (c.expect) {
        case 'gcov':
          expect(ours.files).toEqual(ref.files);
          break;
        case 'refuse':
          expect(ours.files).toBeUndefined();
          expect(ours.problems.at(-1)!.code).toBe(c.code);
          break;
        case 'numbers':
          expect(ours.files!.length).toBeGreaterThan(0);
          break;
      }
    });
});
